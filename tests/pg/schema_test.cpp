// The shared database's schema, its versions and its roles, on a real PostgreSQL 15.
#include <doctest/doctest.h>

#include <chrono>
#include <sstream>

#include "admin/admin.h"
#include "i18n/time_zone.h"
#include "pg_fixture.h"
#include "store/audit_repo.h"
#include "store/settings_repo.h"
#include "store/forward_repo.h"
#include "store/pg/booking.h"
#include "store/pg/publish.h"
#include "store/plan_repo.h"
#include "store/trainer_repo.h"
#include "tests/support/kiosk.h"

using namespace htk;
using test::Must;
namespace pg = store::pg;

namespace {

int Admin(const std::vector<std::string>& args, std::string* out = nullptr) {
    std::ostringstream o, e;
    admin::Env env(o, e);
    const int code = admin::Run(args, env);
    if (out) *out = o.str() + e.str();
    return code;
}

core::Errc CodeOf(const core::Result<pg::Rows>& r) { return r ? core::Errc::Internal : r.error().code; }

}  // namespace

TEST_CASE("db init on an empty database sets up the schema and roles, and a second run changes nothing") {
    test::Server server;  // Init ran once
    CHECK(server.cluster->Scalar("SELECT max(version) FROM htk.schema_migrations") == std::to_string(pg::LatestSchemaVersion()));
    CHECK(server.cluster->Scalar("SELECT count(*) FROM pg_roles WHERE rolname IN ('htk_kiosk', 'htk_desk', 'htk_manager')") == "3");
    CHECK(Must(pg::Init(server.owner)) == pg::LatestSchemaVersion());
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.schema_migrations") == std::to_string(pg::LatestSchemaVersion()));

    // Through the command line, with a practice: found again, not added twice.
    std::string out;
    REQUIRE(Admin({"db", "init", "--server", server.cluster->ConnInfo(), "--practice-name", "Harehills", "--json"}, &out) == 0);
    CHECK(out.find("\"practice\":1") != std::string::npos);
    REQUIRE(Admin({"db", "init", "--server", server.cluster->ConnInfo(), "--practice-name", "Harehills"}, &out) == 0);
    CHECK(out.find("practice id 1") != std::string::npos);
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.practices") == "1");
}

TEST_CASE("a server never initialised, older or newer than this release is refused with what to do") {
    REQUIRE(test::PgCluster::Available());
    test::PgCluster cluster;
    auto db = Must(pg::Connection::Open(cluster.ConnInfo()));
    auto bare = pg::CheckSchema(db);
    REQUIRE_FALSE(bare);
    CHECK(bare.error().code == core::Errc::SchemaTooOld);
    CHECK(bare.error().detail.find("ht-admin db init") != std::string::npos);

    Must(pg::Init(db));
    cluster.Exec("INSERT INTO htk.schema_migrations (version) VALUES (" + std::to_string(pg::LatestSchemaVersion() + 1) + ")");
    auto newer = pg::CheckSchema(db);
    REQUIRE_FALSE(newer);
    CHECK(newer.error().code == core::Errc::SchemaTooNew);
    auto init_newer = pg::Init(db);  // never downgrades or touches a newer schema
    REQUIRE_FALSE(init_newer);
    CHECK(init_newer.error().code == core::Errc::SchemaTooNew);

    cluster.Exec("DELETE FROM htk.schema_migrations");
    auto older = pg::CheckSchema(db);
    REQUIRE_FALSE(older);
    CHECK(older.error().code == core::Errc::SchemaTooOld);
}

TEST_CASE("an unreachable server, wrong credentials and a missing database each say so, within seconds") {
    test::Server server;
    auto wrong = pg::Connection::Open(server.cluster->ConnInfo(test::PgCluster::kSuperUser, "not-the-password"));
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == core::Errc::Forbidden);
    CHECK(wrong.error().detail.find("not-the-password") == std::string::npos);

    auto missing = pg::Connection::Open(server.cluster->ConnInfo(test::PgCluster::kSuperUser, test::PgCluster::kSuperPassword, "nosuchdb"));
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == core::Errc::BadConfig);

    auto garbage = pg::Connection::Open("host=127.0.0.1 nonsense");
    REQUIRE_FALSE(garbage);
    CHECK(garbage.error().code == core::Errc::BadConfig);

    server.cluster->Stop();
    const auto start = std::chrono::steady_clock::now();
    auto down = pg::Connection::Open(server.cluster->ConnInfo());
    REQUIRE_FALSE(down);
    CHECK(down.error().code == core::Errc::Unavailable);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(6));
    std::string out;
    CHECK(Admin({"db", "kiosks", "--server", server.cluster->ConnInfo()}, &out) == 1);
    CHECK(out.find("cannot be reached") != std::string::npos);
}

TEST_CASE("a kiosk's login can forward requests as itself and report its backlog, and nothing else") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown");
    auto kiosk = Must(pg::Connection::Open(server.AddKiosk(practice, "kiosk-1")));
    const std::string sealed = "\\x" + std::string(98, 'a');
    auto forward = [&](const std::string& uid, const std::string& reference) {
        return kiosk.Query("SELECT htk.kiosk_forward($1, $2, 'self', 'moving', 'ur', false, true, 'phone', 'morning', '2026-01', 5, $3)",
                           {pg::Text(uid), pg::Text(reference), pg::Text(sealed)});
    };
    const std::string uid = "7f1c1f5e-0000-4000-8000-000000000001";
    auto first = forward(uid, "ACEF-HJK");
    REQUIRE(first);
    CHECK(first->Bool(0, 0));
    auto again = forward(uid, "ACEF-HJK");  // a retry after a lost acknowledgement
    REQUIRE(again);
    CHECK_FALSE(again->Bool(0, 0));
    CHECK(server.Count() == 1);
    CHECK(server.Count("origin = 'kiosk:kiosk-1' AND practice_id = " + std::to_string(practice)) == 1);
    REQUIRE(kiosk.Query("SELECT htk.kiosk_contact(3, 0, 100)"));
    CHECK(server.cluster->Scalar("SELECT backlog FROM htk.kiosks WHERE kiosk_id = 'kiosk-1'") == "3");

    // Everything else is refused by the server itself.
    CHECK(CodeOf(kiosk.Query("SELECT * FROM htk.referrals")) == core::Errc::Forbidden);
    CHECK(CodeOf(kiosk.Query("SELECT * FROM htk.kiosks")) == core::Errc::Forbidden);
    CHECK(CodeOf(kiosk.Query("UPDATE htk.referrals SET status = 'closed'")) == core::Errc::Forbidden);
    CHECK(CodeOf(kiosk.Query("DELETE FROM htk.referrals")) == core::Errc::Forbidden);
    CHECK(CodeOf(kiosk.Query("INSERT INTO htk.practices (name, time_zone) VALUES ('x', 'UTC')")) == core::Errc::Forbidden);

    // A login in the kiosk group that was never registered cannot write at all.
    server.cluster->Exec(std::string("CREATE ROLE stray LOGIN PASSWORD '") + test::kLoginPassword + "' IN ROLE htk_kiosk");
    auto stray = Must(pg::Connection::Open(server.cluster->ConnInfo("stray", test::kLoginPassword)));
    auto refused = stray.Query("SELECT htk.kiosk_forward($1, 'ACEF-HJM', 'self', 'moving', 'ur', false, false, 'phone', '', '2026-01', 5, $2)",
                               {pg::Text("7f1c1f5e-0000-4000-8000-000000000002"), pg::Text(sealed)});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == core::Errc::Forbidden);
    CHECK(server.Count() == 1);
}

TEST_CASE("one database serves many practices: a desk sees its own, a manager all, through ht-admin") {
    test::Server server;
    const auto a = server.AddPractice("Chapeltown");
    const auto b = server.AddPractice("Harehills");
    const std::string sealed = "\\x" + std::string(98, 'b');
    int n = 0;
    for (auto [practice, kiosk] : {std::pair{a, "a1"}, std::pair{b, "b1"}, std::pair{b, "b2"}}) {
        auto k = Must(pg::Connection::Open(server.AddKiosk(practice, kiosk)));
        ++n;
        REQUIRE(k.Query("SELECT htk.kiosk_forward($1, 'ACEF-HJK', 'self', 'moving', 'ur', false, false, 'phone', '', '2026-01', 5, $2)",
                        {pg::Text("7f1c1f5e-0000-4000-8000-00000000000" + std::to_string(n)), pg::Text(sealed)}));
        REQUIRE(k.Query("SELECT htk.kiosk_contact(0, 0, NULL)"));
    }
    // Two kiosks of one practice drew the same reference: both kept, told apart by origin.
    CHECK(server.Count("practice_id = " + std::to_string(b)) == 2);

    server.cluster->Exec(std::string("CREATE ROLE desk_a LOGIN PASSWORD '") + test::kLoginPassword + "'; CREATE ROLE boss LOGIN PASSWORD '" +
                         test::kLoginPassword + "' IN ROLE htk_manager");
    std::string out;
    REQUIRE(Admin({"db", "add-desk", "--server", server.cluster->ConnInfo(), "--practice", std::to_string(a), "--login", "desk_a"}, &out) == 0);
    auto desk = Must(pg::Connection::Open(server.cluster->ConnInfo("desk_a", test::kLoginPassword)));
    CHECK(Must(desk.Query("SELECT count(*) FROM htk.referrals")).Int(0, 0) == 1);
    CHECK(Must(desk.Query("SELECT count(*) FROM htk.kiosks")).Int(0, 0) == 1);
    CHECK(Must(desk.Query("UPDATE htk.referrals SET status = 'contacted' WHERE practice_id = $1", {pg::Int(b)})).Changed() == 0);
    CHECK(CodeOf(desk.Query("UPDATE htk.referrals SET sealed = '\\x00'")) == core::Errc::Forbidden);

    REQUIRE(Admin({"db", "report", "--server", server.cluster->ConnInfo("desk_a", test::kLoginPassword)}, &out) == 0);
    CHECK(out == "Chapeltown  new  1\n");
    REQUIRE(Admin({"db", "report", "--server", server.cluster->ConnInfo("boss", test::kLoginPassword)}, &out) == 0);
    CHECK(out == "Chapeltown  new  1\nHarehills  new  2\n");
    // The service's report of a range (the requests above were made 5 s after the epoch): each
    // practice in a line, then the whole service by the rules of a practice's own report.
    const std::string boss = server.cluster->ConnInfo("boss", test::kLoginPassword);
    REQUIRE(Admin({"db", "report", "--server", boss, "--from", "1970-01-01", "--to", "1970-01-08"}, &out) == 0);
    CHECK(out.starts_with("practice    requests  booked  attended  did not attend  interpreter\n"
                          "Chapeltown         1       0         0               -            0\n"
                          "Harehills          2       0         0               -            0\n\n"
                          "all practices: 1970-01-01 to 1970-01-07 (7 days, Europe/London)\n"));
    CHECK(out.find("\n  ur                               3           0           3\n") != std::string::npos);
    REQUIRE(Admin({"db", "report", "--server", boss, "--from", "1970-01-02", "--to", "1970-01-08", "--json"}, &out) == 0);
    CHECK(out.find("\"practice\":\"Harehills\"") != std::string::npos);
    CHECK(out.find("\"requests\":2") == std::string::npos);  // none in that range
    REQUIRE(Admin({"db", "report", "--server", server.cluster->ConnInfo("desk_a", test::kLoginPassword), "--from", "1970-01-01", "--to", "1970-01-08"},
                &out) == 0);
    CHECK(out.starts_with("Chapeltown: 1970-01-01 to 1970-01-07 (7 days, Europe/London)\n"));  // its own report, whole
    CHECK(out.find("Harehills") == std::string::npos);  // a desk's login: its practice's row only (schema v5)
    CHECK(Admin({"db", "report", "--server", boss, "--from", "1970-01-01", "--to", "1970-01-08", "--zone", "Mars/Olympus"}, &out) == 2);
    REQUIRE(Admin({"db", "kiosks", "--server", server.cluster->ConnInfo("boss", test::kLoginPassword)}, &out) == 0);
    // The age is the server's now() minus the kiosk's contact: 0 or a second or two on a loaded machine.
    const auto line = out.find("Harehills  b2  last contact ");
    REQUIRE(line != std::string::npos);
    CHECK(out.substr(line, out.find('\n', line) - line).ends_with(" s ago  backlog 0"));
}

TEST_CASE("db add-kiosk registers a login as one kiosk, and a login that does not exist leaves nothing behind") {
    test::Server server;
    const auto practice = std::to_string(server.AddPractice("Chapeltown"));
    server.cluster->Exec(std::string("CREATE ROLE waiting_room LOGIN PASSWORD '") + test::kLoginPassword + "'");
    std::string out;
    REQUIRE(Admin({"db", "add-kiosk", "--server", server.cluster->ConnInfo(), "--practice", practice, "--kiosk", "kiosk-2",
                   "--login", "waiting_room"}, &out) == 0);
    CHECK(out == "kiosk kiosk-2 of practice " + practice + " connects as waiting_room\n");
    auto kiosk = Must(pg::Connection::Open(server.cluster->ConnInfo("waiting_room", test::kLoginPassword)));
    REQUIRE(kiosk.Query("SELECT htk.kiosk_contact(0, 0, NULL)"));

    CHECK(Admin({"db", "add-kiosk", "--server", server.cluster->ConnInfo(), "--practice", practice, "--kiosk", "kiosk-3",
                 "--login", "nobody_here"}, &out) == 2);  // bad input: exit 2
    CHECK(out.find("no login role 'nobody_here'") != std::string::npos);
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.kiosks") == "1");
}

namespace {

// ht-admin at a fixed wall clock.
int AdminAt(core::UnixSeconds now, const std::vector<std::string>& args, std::string* out) {
    std::ostringstream o, e;
    admin::Env env(o, e);
    env.now = [now] { return now; };
    const int code = admin::Run(args, env);
    *out = o.str() + e.str();
    return code;
}

core::TrainerId AddTrainer(store::Database& db, const std::string& name, std::vector<std::string> languages, int weekday,
                           int from_hour, int to_hour) {
    core::Trainer t;
    t.display_name = name;
    t.languages = std::move(languages);
    const core::TrainerId id = Must(store::TrainerRepo(db).Add(t));
    core::DayHours hours;
    hours.open.push_back({from_hour * 60, to_hour * 60});
    Must(store::PlanRepo(db).SetWeekday(id, weekday, hours));
    return id;
}

}  // namespace

TEST_CASE("db publish puts the practice's plan on the server: the server applies the notice, and a new plan withdraws free slots and keeps booked ones") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown");
    const auto other = server.AddPractice("Harehills");
    test::LocalKiosk local;  // UTC, 120 minutes' notice, 28 days ahead
    const core::UnixSeconds now = test::kStartWall;  // Monday 08:00
    const auto ayse = AddTrainer(local.db, "Ayşe Demir", {"tr", "ku"}, 0, 9, 12);  // Mondays 09:00-12:00: 3 slots a week
    const auto bilal = AddTrainer(local.db, "Bilal \"Bill\" Ahmed, MSc", {"ur", "pa"}, 1, 14, 16);  // Tuesdays: 2
    Must(store::TrainerRepo(local.db).SetActive(AddTrainer(local.db, "Left us", {"pl"}, 2, 9, 17), false));
    server.cluster->Exec(std::string("CREATE ROLE desk_a LOGIN PASSWORD '") + test::kLoginPassword + "'; CREATE ROLE desk_b LOGIN PASSWORD '" +
                         test::kLoginPassword + "'");
    std::string out;
    REQUIRE(Admin({"db", "add-desk", "--server", server.cluster->ConnInfo(), "--practice", std::to_string(practice), "--login", "desk_a"}, &out) == 0);
    REQUIRE(Admin({"db", "add-desk", "--server", server.cluster->ConnInfo(), "--practice", std::to_string(other), "--login", "desk_b"}, &out) == 0);
    const std::vector<std::string> publish = {"--database", local.path.string(), "db", "publish", "--server",
                                              server.cluster->ConnInfo("desk_a", test::kLoginPassword)};

    REQUIRE(AdminAt(now, publish, &out) == 0);
    CHECK(out == "published 3 trainers and 20 slots: 20 new, 0 withdrawn\n"  // 4 Mondays x 3 + 4 Tuesdays x 2
                 "From now on this practice's times are booked on the shared database: this file takes no new bookings "
                 "(book in the desk app's From kiosks view, ht-admin desk --server)\n");
    // The file books no time of its own from now on (tests/store: its trigger too), and says so once.
    CHECK(Must(store::SettingsRepo(local.db).SharedSince()) == std::optional<core::UnixSeconds>(now));
    CHECK(Must(store::AuditRepo(local.db).List({.action = "practice.shared"})).size() == 1);
    CHECK(server.cluster->Scalar("SELECT string_agg(display_name || ':' || languages || ':' || active, ' | ' ORDER BY id) FROM htk.trainers") ==
          "Ayşe Demir:tr,ku:true | Bilal \"Bill\" Ahmed, MSc:ur,pa:true | Left us:pl:false");
    CHECK(server.cluster->Scalar("SELECT min_notice_minutes FROM htk.practices WHERE id = " + std::to_string(practice)) == "120");
    REQUIRE(AdminAt(now, publish, &out) == 0);
    CHECK(out == "published 3 trainers and 20 slots: 0 new, 0 withdrawn\n");  // again: nothing changes

    // The kiosk sees the plan from 10:00: 09:00 is inside the two hours' notice, and cannot be booked either.
    auto kiosk = Must(pg::Connection::Open(server.AddKiosk(practice, "kiosk-1")));
    const auto free = Must(pg::KioskFreeSlots(kiosk, now));
    REQUIRE(free.size() == 19);
    CHECK(free.front().slot.start == now + 2 * 3600);
    const auto request = [&](int n) { return Must(store::MakeOutgoing(test::SampleReferral(n), local.key, now)); };
    CHECK(Must(pg::KioskBook(kiosk, {ayse, now + 3600, now + 7200}, request(1))) == pg::BookOutcome::Taken);
    const core::Slot tuesday{bilal, now + 86400 + 6 * 3600, now + 86400 + 7 * 3600};
    REQUIRE(Must(pg::KioskBook(kiosk, tuesday, request(2))) == pg::BookOutcome::Booked);

    // Bilal stops working Tuesdays: his free Tuesday slots go, the booked one stays for reception.
    Must(store::PlanRepo(local.db).SetWeekday(bilal, 1, {}));
    REQUIRE(AdminAt(now, publish, &out) == 0);
    CHECK(out == "published 3 trainers and 12 slots: 0 new, 7 withdrawn\n"
                 "1 booked slots are no longer in the plan: they stay booked; move them with the patients\n");
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.slots WHERE trainer_id = " + std::to_string(bilal)) == "1");
    CHECK(Must(pg::KioskFreeSlots(kiosk, now)).size() == 11);

    // Only the practice's own desk (or a manager) may publish it; a kiosk may not at all.
    std::vector<std::string> wrong = publish;
    wrong.back() = server.cluster->ConnInfo("desk_b", test::kLoginPassword);
    wrong.insert(wrong.end(), {"--practice", std::to_string(practice)});
    CHECK(AdminAt(now, wrong, &out) == 1);
    CHECK(out.find("may not publish the plan of practice") != std::string::npos);
    CHECK(pg::Publish(kiosk, practice, Must(pg::ReadPlan(local.db, *i18n::MakeTimeZone("UTC"), now))).error().code == core::Errc::Forbidden);
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.slots") == "13");

    // Its booking cancelled, the slot that left the plan stays withdrawn (schema v7): not free to the
    // kiosks, nor offered to a request on the waiting list. Back in the plan, it is free again.
    server.cluster->Exec("INSERT INTO htk.referrals (uid, practice_id, origin, reference, route, reasons, language, interpreter, "
                         "waiting_list, contact, best_times, consent_version, created_at, sealed) VALUES (gen_random_uuid(), " +
                         std::to_string(practice) + ", 'kiosk:k', 'WAI-TING', 'self', 'moving', 'ur', false, true, 'phone', '', 'v1', " +
                         std::to_string(now) + ", decode(repeat('00', 64), 'hex'))");
    server.cluster->Exec("BEGIN; SELECT set_config('htk.now', '" + std::to_string(now) + "', true); "
                         "UPDATE htk.bookings SET status = 'cancelled_by_patient'; COMMIT");
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.offers") == "0");
    CHECK(Must(pg::KioskFreeSlots(kiosk, now)).size() == 11);
    CHECK(pg::DeskOffers(kiosk, now).error().code == core::Errc::Forbidden);  // a kiosk reads no offers
    core::DayHours tuesdays;
    tuesdays.open.push_back({14 * 60, 16 * 60});
    Must(store::PlanRepo(local.db).SetWeekday(bilal, 1, tuesdays));
    REQUIRE(AdminAt(now, publish, &out) == 0);
    CHECK(out == "published 3 trainers and 20 slots: 8 new, 0 withdrawn\n");
    CHECK(Must(pg::KioskFreeSlots(kiosk, now)).size() == 19);
}
