// desk_bench: the desk app at 100,000 requests. Builds a practice database (sealed names, a third
// of the requests booked), unlocks the real DeskApp headless, then prints one line per figure,
// name<TAB>value<TAB>unit: frame time of the list, filter and search times, and what unlock costs.
// Usage: desk_bench [--rows N] [--frames N]. Times are printed, never judged.
#include <imgui.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <span>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "admin/admin.h"
#include "admin/desk/desk_app.h"
#include "admin/desk/desk_model.h"
#include "core/referral.h"
#include "i18n/time_zone.h"
#include "store/database.h"
#include "store/sealing.h"
#include "tests/temp_dir.h"
#include "text/engine.h"
#include "text/glyph_texture.h"
#include "ui/gui_context.h"

namespace {

using namespace htk;
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double ThreadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double Percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

void Print(const char* name, double value, const char* unit) { std::printf("%s\t%.3f\t%s\n", name, value, unit); }

template <class T>
T Must(core::Result<T> r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "desk_bench: %s: %s\n", what, r.error().detail.c_str());
        std::exit(1);
    }
    return std::move(*r);
}

void Must(core::Result<void> r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "desk_bench: %s: %s\n", what, r.error().detail.c_str());
        std::exit(1);
    }
}

constexpr const char* kGiven[] = {"Ayşe", "Mohammed", "Fatima", "Łukasz", "Amina", "Hodan", "Imran", "Nasreen",
                                  "Katarzyna", "Tomasz", "Rahim", "Priya", "Gurpreet", "Zainab", "Oluwaseun", "Mehmet"};
constexpr const char* kFamily[] = {"Yılmaz", "Khan", "Begum", "Kowalski", "Warsame", "Hussain", "Nowak", "Singh",
                                   "Ahmed", "Demir", "Uddin", "Patel", "Kaur", "Ali", "Adeyemi", "Öztürk", "نمونہ", "রহিম"};
constexpr const char* kLanguages[] = {"ur", "pa-Guru", "bn", "so", "tr", "pl", "ar", "en-GB", "ro", "pt"};
constexpr const char* kStatuses[] = {"new", "contacted", "booked", "closed", "cancelled"};

// Rows straight into the tables (one transaction, no fsync per row): the same shape ReferralRepo writes.
void Fill(store::Database& db, const store::PublicKey& key, int rows, core::UnixSeconds now) {
    Must(db.Exec("PRAGMA synchronous = OFF"), "pragma");
    auto tx = Must(store::Transaction::Begin(db), "begin");
    auto ins = Must(store::Statement::Prepare(db,
        "INSERT INTO referrals (reference, route, reasons, language, interpreter, contact, best_times, consent_version, "
        "created_at, status, sealed, waiting_list) VALUES (?, ?, ?, ?, ?, 'phone', 'morning', '2026-01', ?, ?, ?, ?)"), "insert");
    auto book = Must(store::Statement::Prepare(db,
        "INSERT INTO bookings (referral_id, trainer_id, start_at, end_at, status) VALUES (?, 1, ?, ?, 'confirmed')"), "book");
    const char* routes[] = {"self", "gp_booked", "gp_tasked", "signposted"};
    const char* reasons[] = {"smoking", "moving,weight", "low_mood", "eating", "long_term_condition", "drinking"};
    for (int i = 0; i < rows; ++i) {
        core::PatientDetails p;
        p.name = std::string(kGiven[i % 16]) + " " + kFamily[(i / 16) % 18] + " " + std::to_string(i);
        p.phone = "+447700900123";
        const auto sealed = Must(store::Seal(p, key), "seal");
        char ref[16];
        std::snprintf(ref, sizeof ref, "%03X-%04X", (i >> 16) & 0xFFF, i & 0xFFFF);
        const core::UnixSeconds created = now - static_cast<core::UnixSeconds>(rows - i) * 300;  // every 5 minutes
        ins.Reset();
        ins.Bind(1, std::string_view(ref)).Bind(2, routes[i % 4]).Bind(3, reasons[i % 6]).Bind(4, kLanguages[i % 10])
            .Bind(5, i % 7 == 0).Bind(6, created).Bind(7, kStatuses[i % 5])
            .Bind(8, std::span<const std::uint8_t>(sealed)).Bind(9, i % 50 == 0);
        Must(ins.Run(), "insert row");
        if (i % 3 == 0) {
            const core::UnixSeconds start = created + 7 * 86400 + static_cast<core::UnixSeconds>(i) * 3600;
            book.Reset();
            book.Bind(1, db.LastInsertId()).Bind(2, start).Bind(3, start + 3600);
            Must(book.Run(), "insert booking");
        }
    }
    Must(tx.Commit(), "commit");
    Must(db.Exec("PRAGMA synchronous = FULL"), "pragma");
}

}  // namespace

int main(int argc, char** argv) {
    int rows = 100000;
    int frames = 120;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--rows") == 0) rows = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--frames") == 0) frames = std::atoi(argv[i + 1]);
    }
    const std::string suffix = "_" + std::to_string(rows / 1000) + "k";
    test::TempDir dir;
    const auto path = dir.File("kiosk.db");
    const core::UnixSeconds now = static_cast<core::UnixSeconds>(std::time(nullptr));
    std::ostringstream out, err;
    admin::Env env(out, err);
    admin::InitOptions init;
    init.database = path;
    init.practice_name = "Benchmark Practice";
    init.staff_name = "Bench";
    const std::string pass = "a passphrase for the benchmark";
    const auto key = Must(admin::Init(init, pass, env), "init");
    auto db = Must(store::Open(path), "open");
    Must(db.Exec("INSERT INTO trainers (id, display_name) VALUES (1, 'Amira Khan')"), "trainer");
    auto t0 = Clock::now();
    Fill(db, key, rows, now);
    std::fprintf(stderr, "desk_bench: %d requests written in %.0f ms\n", rows, Ms(Clock::now() - t0));

    ui::GuiContext gui;
    admin::desk::SetUpDeskGui();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = {1440, 900};
    io.DeltaTime = 1.0f / 60.0f;
    text::MemoryTextureBackend glyphs;
    text::Engine engine(glyphs);
    admin::desk::DeskApp app(db, i18n::MakeTimeZone("Europe/London"), engine, {.now = [&] { return now; }});
    app.Frame();

    t0 = Clock::now();
    Must(app.Unlock("Bench", pass), "unlock");
    const double unlock_ms = Ms(Clock::now() - t0);
    while (!app.Model().Progress().Finished()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        app.Frame();
    }
    const double names_ms = Ms(Clock::now() - t0);
    app.Frame();
    app.Frame();

    // The list as reception leaves it open: every request, newest first, scrolled to the top.
    Must(app.Show(admin::desk::Tab::Requests), "show");
    app.Filter({});  // All
    app.Frame();
    std::vector<double> frame_ms;
    for (int i = 0; i < frames; ++i) {
        const double c0 = ThreadCpuMs();
        app.Frame();
        frame_ms.push_back(ThreadCpuMs() - c0);
    }

    // Filters and searches straight on the model, as a change of filter does (each query new).
    const auto zone = i18n::MakeTimeZone("Europe/London");
    admin::desk::DeskModel model(db, *zone, [&] { return now; });
    Must(model.Load(), "load");
    auto unlocked = Must(store::Unlock(db, "Bench", pass, now), "unlock");
    Must(model.Reveal(unlocked), "reveal");
    while (!model.Progress().Finished()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    model.TakeRevealed();
    model.Apply({});  // the default order, sorted once
    struct Case {
        const char* name;
        admin::desk::Query query;
    };
    std::vector<Case> cases;
    admin::desk::Query q;
    q.statuses = 1u << static_cast<int>(core::ReferralStatus::New);
    cases.push_back({"status", q});
    q = {};
    q.language = "ur";
    q.interpreter_only = true;
    cases.push_back({"language+interpreter", q});
    q = {};
    q.search = "yilmaz";
    cases.push_back({"name search (folded)", q});
    q = {};
    q.search = "001f";
    cases.push_back({"reference search", q});
    q = {};
    q.period = admin::desk::Period::Week;
    cases.push_back({"this week", q});
    std::vector<double> filter_ms;
    for (int round = 0; round < 5; ++round)
        for (auto& c : cases) {
            model.Apply({});  // another query in between, so no answer comes from the model's cache
            const auto s = Clock::now();
            const auto& visible = model.Apply(c.query);
            const double ms = Ms(Clock::now() - s);
            filter_ms.push_back(ms);
            if (round == 0) std::fprintf(stderr, "desk_bench: %-22s %6zu rows  %.2f ms\n", c.name, visible.size(), ms);
        }
    q = {};
    q.sort = admin::desk::Column::Name;
    q.ascending = true;
    auto s = Clock::now();
    model.Apply(q);
    const double sort_name_ms = Ms(Clock::now() - s);

    Print(("desk_frame_ms" + suffix).c_str(), Percentile(frame_ms, 0.5), "ms");
    Print(("desk_frame_p99_ms" + suffix).c_str(), Percentile(frame_ms, 0.99), "ms");
    Print(("desk_filter_ms" + suffix).c_str(), Percentile(filter_ms, 0.5), "ms");
    Print(("desk_filter_max_ms" + suffix).c_str(), Percentile(filter_ms, 1.0), "ms");
    Print(("desk_sort_by_name_ms" + suffix).c_str(), sort_name_ms, "ms");
    Print(("desk_unlock_ms" + suffix).c_str(), unlock_ms, "ms");
    Print(("desk_names_open_ms" + suffix).c_str(), names_ms, "ms");
    return 0;
}
