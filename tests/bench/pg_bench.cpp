// pg_bench: the shared PostgreSQL database (issue 9) on a private PostgreSQL 15 on loopback
// (test::PgCluster). Prints name<TAB>value<TAB>unit lines for tests/bench/run:
//   forward_rps         requests a second the forwarding worker moves from one kiosk's backlog to the
//                       server (each confirmed there, then removed from the kiosk), from --backlog N queued;
//   forward_submit_ms   the kiosk's durable submit with its queue row, for the ratio to submit_bench's;
//   book_ms             a kiosk's booking through the server as ht-kiosk makes it: connect, then
//                       htk.kiosk_book (request and booking in one transaction); book_connected_ms
//                       without the connection;
//   pg_list_ms_<N>k     the newest 1,000 new requests of one practice out of N on the server, as a desk
//                       login (row-level security applied): the query a desk on the server needs;
//   pg_report_ms_<N>k   requests per practice and status over all N, as a manager's login (db report);
//   pg_figures_ms_<N>k  the service's report of the week all N fall in, per practice and in all, as a
//                       manager's login (db report --from --to: pg::FiguresByPractice).
// Times are printed, never judged. Usage: pg_bench [--backlog N] [--rows N].
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "app/kiosk_store.h"
#include "core/time.h"
#include "store/forward_repo.h"
#include "store/pg/booking.h"
#include "store/pg/connection.h"
#include "store/pg/forwarder.h"
#include "store/pg/reports.h"
#include "store/pg/requests.h"
#include "store/pg/schema.h"
#include "store/sealing.h"
#include "store/settings_repo.h"
#include "tests/support/pg_cluster.h"
#include "tests/temp_dir.h"

namespace {

using namespace htk;
namespace pg = store::pg;
using Clock = std::chrono::steady_clock;

void Print(const std::string& name, double value, const char* unit) { std::printf("%s\t%.3f\t%s\n", name.c_str(), value, unit); }
double Ms(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

template <class T>
T Must(core::Result<T> r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().detail);
    return std::move(r).value();
}
void Must(core::Result<void> r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().detail);
}

core::Referral Sample(int i) {
    core::Referral r;
    r.route = core::Route::SelfReferral;
    r.reasons = {core::Reason::StoppingSmoking, core::Reason::MovingMore};
    r.preferred_language = i % 2 ? "ur" : "en-GB";
    r.contact = core::ContactMethod::Phone;
    r.best_times = {core::BestTime::Morning};
    r.consent_version = "en-GB@1.0";
    r.patient.name = "Bench Patient " + std::to_string(i);
    r.patient.phone = "+447700900" + std::to_string(100 + i % 900);
    return r;
}

double Median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Median of five runs of `sql` on `db`.
// The median of 5 runs of `query`.
template <typename F>
double TimeMedian(F&& query) {
    std::vector<double> ms;
    for (int i = 0; i < 5; ++i) {
        const auto t0 = Clock::now();
        query();
        ms.push_back(Ms(t0, Clock::now()));
    }
    return Median(ms);
}

}  // namespace

int main(int argc, char** argv) {
    int backlog = 10000;
    int rows = 100000;
    for (int i = 1; i < argc; i += 2) {
        const std::string_view arg = argv[i];
        const std::string_view value = i + 1 < argc ? argv[i + 1] : "";
        int n = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        const bool ok = ec == std::errc() && end == value.data() + value.size() && n >= 1;
        if (ok && arg == "--backlog") backlog = n;
        else if (ok && arg == "--rows") rows = n;
        else {
            std::fprintf(stderr, "usage: pg_bench [--backlog N] [--rows N]\n");
            return 2;
        }
    }
    try {
        test::PgCluster cluster;
        auto owner = Must(pg::Connection::Open(cluster.ConnInfo(), "pg_bench"), "connect");
        Must(pg::Init(owner), "db init");
        cluster.Exec("INSERT INTO htk.practices (name, time_zone) VALUES ('Bench Practice', 'Europe/London'), ('Other Practice', 'Europe/London');"
                     "CREATE ROLE bench_kiosk LOGIN PASSWORD 'bench' IN ROLE htk_kiosk;"
                     "INSERT INTO htk.kiosks (practice_id, kiosk_id, db_role) VALUES (1, 'kiosk-1', 'bench_kiosk');"
                     "CREATE ROLE bench_desk LOGIN PASSWORD 'bench' IN ROLE htk_desk;"
                     "INSERT INTO htk.desks (db_role, practice_id) VALUES ('bench_desk', 1);"
                     "CREATE ROLE bench_manager LOGIN PASSWORD 'bench' IN ROLE htk_manager;");

        // One kiosk's backlog: requests acknowledged while the server was away.
        test::TempDir dir;  // $TMPDIR: tests/bench/run says which file system it is on
        const auto path = dir.File("kiosk.db");
        auto db = Must(store::Open(path), "create");
        store::PracticeSettings settings;
        settings.name = "Bench Practice";
        settings.time_zone = "Europe/London";
        Must(store::SettingsRepo(db).Save(settings), "practice");
        const auto key = Must(store::CreatePracticeKeys(db, "Bench", store::StaffRole::Manager, "bench passphrase here", 1), "keys");
        core::FixedZone utc{0};
        app::SqliteKioskStore kiosk(db, utc, key, "kiosk:kiosk-1", app::Forwarding{});
        std::vector<double> submit_ms;
        for (int i = 0; i < backlog; ++i) {
            const auto t0 = Clock::now();
            Must(kiosk.Submit(Sample(i), 1'700'000'000 + i), "submit");
            submit_ms.push_back(Ms(t0, Clock::now()));
        }

        pg::ForwarderOptions options;
        options.database = path;
        options.conninfo = cluster.ConnInfo("bench_kiosk", "bench");
        pg::Forwarder forwarder(options);
        const auto t0 = Clock::now();
        long sent = 0;
        while (sent < backlog) {
            const int n = Must(forwarder.RunOnce(), "forward");
            if (n == 0) throw std::runtime_error("the backlog stopped shrinking at " + std::to_string(sent));
            sent += n;
        }
        const double seconds = Ms(t0, Clock::now()) / 1000;
        if (cluster.Scalar("SELECT count(*) FROM htk.referrals") != std::to_string(backlog))
            throw std::runtime_error("the server does not hold every request once");
        Print("forward_rps", static_cast<double>(backlog) / seconds, "requests/s");
        Print("forward_submit_ms", Median(submit_ms), "ms");

        // Booking through the server as the kiosk does it (a connection of its own, then htk.kiosk_book),
        // on free slots of one trainer: every attempt books.
        const int bookings = std::max(20, backlog / 50);
        cluster.Exec("INSERT INTO htk.trainers (practice_id, id, display_name, languages) VALUES (1, 1, 'Bench Trainer', 'ur');"
                     "INSERT INTO htk.slots SELECT 1, 1, 1800000000 + g * 3600, 1800003600 + g * 3600 FROM generate_series(1, " +
                     std::to_string(bookings) + ") g");
        std::vector<double> book_ms, book_connected_ms;
        for (int i = 0; i < bookings; ++i) {
            auto request = Must(store::MakeOutgoing(Sample(i), key, 1'700'000'000 + i), "request");
            const core::Slot slot{1, 1'800'000'000 + (i + 1) * 3600, 1'800'003'600 + (i + 1) * 3600};
            const auto b0 = Clock::now();
            auto kiosk_db = Must(pg::Connection::Open(options.conninfo, "pg_bench"), "kiosk login");
            const auto b1 = Clock::now();
            if (Must(pg::KioskBook(kiosk_db, slot, request), "book") != pg::BookOutcome::Booked)
                throw std::runtime_error("a free slot was not booked");
            const auto b2 = Clock::now();
            book_ms.push_back(Ms(b0, b2));
            book_connected_ms.push_back(Ms(b1, b2));
        }
        Print("book_ms", Median(book_ms), "ms");
        Print("book_connected_ms", Median(book_connected_ms), "ms");

        // The server at `rows` requests, two practices (generated server-side: the forwarding path is measured above).
        cluster.Exec("INSERT INTO htk.referrals (uid, practice_id, origin, reference, route, reasons, language, interpreter, "
                     "waiting_list, contact, best_times, consent_version, created_at, status, sealed) "
                     "SELECT gen_random_uuid(), 1 + (g % 2), 'kiosk:gen', 'G' || lpad(g::text, 7, '0'), 'self', 'moving', 'ur', false, "
                     "false, 'phone', 'morning', 'v1', 1700000000 + g, (ARRAY['new','contacted','booked','closed'])[1 + g % 4], "
                     "decode(repeat('ab', 120), 'hex') FROM generate_series(1, " + std::to_string(std::max(0, rows - backlog - bookings)) + ") g; ANALYZE htk.referrals");
        auto desk = Must(pg::Connection::Open(cluster.ConnInfo("bench_desk", "bench"), "pg_bench"), "desk login");
        auto manager = Must(pg::Connection::Open(cluster.ConnInfo("bench_manager", "bench"), "pg_bench"), "manager login");
        const std::string k = "_" + std::to_string(rows / 1000) + "k";
        // The desk's list as `ht-admin db requests --status new` reads it: the newest 1,000 of its practice.
        pg::ServerRequestFilter newest;
        newest.status = core::ReferralStatus::New;
        newest.limit = 1000;
        Print("pg_list_ms" + k, TimeMedian([&] { Must(pg::ListRequests(desk, newest), "list"); }), "ms");
        Print("pg_report_ms" + k,
              TimeMedian([&] {
                  Must(manager.Query("SELECT p.name, r.status, count(*) FROM htk.referrals r JOIN htk.practices p ON p.id = r.practice_id "
                                     "GROUP BY p.name, r.status"),
                       "report");
              }),
              "ms");
        // The service's report of the week the generated requests fall in, as a manager's login reads it
        // (`ht-admin db report --from --to`): every request's row through store::FiguresBuilder.
        Print("pg_figures_ms" + k,
              TimeMedian([&] { Must(pg::FiguresByPractice(manager, {2023, 11, 13}, {2023, 11, 20}, utc), "figures"); }), "ms");
        std::fprintf(stderr, "pg_bench: %d forwarded from %s, %d rows on PostgreSQL %s\n", backlog, path.string().c_str(), rows,
                     owner.ServerVersion().c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "pg_bench: %s\n", e.what());
        return 1;
    }
}
