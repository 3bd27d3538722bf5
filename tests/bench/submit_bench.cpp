// submit_bench: a patient's self-referral made durable, as the kiosk's Send does it
// (SqliteKioskStore::Submit: seal the details, insert, audit, COMMIT with a WAL fsync), on a database
// FILE opened the way ht-kiosk opens it. Prints name<TAB>value<TAB>unit lines for tests/bench/run:
// median, 99th percentile and worst wall time of one submit. Usage: submit_bench [--requests N].
// The patient details are made up; nothing is logged. Times are printed, never judged.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "app/kiosk_store.h"
#include "i18n/time_zone.h"
#include "store/database.h"
#include "store/sealing.h"
#include "tests/support/kiosk.h"
#include "tests/temp_dir.h"

namespace {

using namespace htk;

double Percentile(std::vector<double> v, double p) {  // nearest rank, as ht-kiosk --bench
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

void Print(const char* name, double value, const char* unit) { std::printf("%s\t%.3f\t%s\n", name, value, unit); }

// What App::BuildReferral makes of a typical self-referral: reasons, a phone number and a short note.
core::Referral SampleReferral(int i) {
    core::Referral r;
    r.route = core::Route::SelfReferral;
    r.reasons = {core::Reason::StoppingSmoking, core::Reason::MovingMore};
    r.preferred_language = i % 2 ? "ur" : "en-GB";
    r.interpreter = i % 2 == 1;
    r.contact = core::ContactMethod::Phone;
    r.best_times = {core::BestTime::Morning};
    r.consent_version = "en-GB@1.0";
    r.patient.name = "Bench Patient " + std::to_string(i);
    r.patient.date_of_birth = core::LocalDate{1968, 5, 14};
    r.patient.phone = "+447700900" + std::to_string(100 + i % 900);
    r.patient.note = "I would like some help to stop smoking before my operation.";
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    int requests = 500;
    for (int i = 1; i < argc; i += 2) {
        const std::string_view arg = argv[i];
        const std::string_view value = i + 1 < argc ? argv[i + 1] : "";
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), requests);
        if (arg != "--requests" || ec != std::errc() || end != value.data() + value.size() || requests < 1) {
            std::fprintf(stderr, "usage: submit_bench [--requests N]\n");
            return 2;
        }
    }
    try {
        test::TempDir dir;  // $TMPDIR: tests/bench/run says which file system it is on
        const auto path = dir.File("kiosk.db");
        {
            auto created = store::Open(path);
            if (!created) throw std::runtime_error("create: " + created.error().detail);
            test::SetUpPractice(*created, test::KioskOptions{});
        }
        // Reopened as ht-kiosk opens it (main.cpp): an existing file, WAL, synchronous = FULL.
        auto db = store::Open(path, {.create = false});
        if (!db) throw std::runtime_error("open: " + db.error().detail);
        auto key = store::PracticePublicKey(*db);
        if (!key) throw std::runtime_error("key: " + key.error().detail);
        const auto zone = i18n::MakeTimeZone("Europe/London");
        app::SqliteKioskStore kiosk(*db, *zone, *key, "kiosk:bench");

        std::vector<double> ms;
        ms.reserve(static_cast<std::size_t>(requests));
        for (int i = 0; i < requests; ++i) {
            core::Referral referral = SampleReferral(i);
            const auto t0 = std::chrono::steady_clock::now();
            auto reference = kiosk.Submit(referral, test::kStartWall + i * 60);
            const auto t1 = std::chrono::steady_clock::now();
            core::Wipe(referral.patient);
            if (!reference) throw std::runtime_error("submit: " + std::string(core::ErrcName(reference.error().code)));
            ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        }
        std::fprintf(stderr, "submit_bench: %d requests into %s\n", requests, path.string().c_str());
        Print("submit_ms", Percentile(ms, 0.5), "ms");
        Print("submit_p99_ms", Percentile(ms, 0.99), "ms");
        Print("submit_max_ms", Percentile(ms, 1.0), "ms");
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "submit_bench: %s\n", e.what());
        return 1;
    }
}
