// What the desk reads from a real PostgreSQL server (issue 9): each kiosk's contact and what reception is
// told, the forwarded requests and their status changes, and that a server down or silent never holds up the desk.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <map>
#include <thread>

#include "admin/desk/server_watch.h"
#include "desk_fixture.h"
#include "i18n/time_zone.h"
#include "pg_fixture.h"
#include "store/audit_repo.h"
#include "store/settings_repo.h"

using namespace htk;
using admin::desk::KioskLine;
using admin::desk::ServerSnapshot;
using admin::desk::ServerWatch;
using test::Must;
using Clock = std::chrono::steady_clock;

namespace {

// Far above a mutex and a copy, far below any network wait (connect_timeout is 5 s, and the silent
// server below never answers): separates "never waits on the network" from waiting, on a loaded CI
// machine under ASan too, where 5 ms was once exceeded by 12 ms of scheduling.
constexpr auto kFewMs = std::chrono::milliseconds(1000);

// A practice manager's login, as a DBA makes one: it reads every practice's kiosks and nothing else.
std::string ManagerLogin(test::Server& server) {
    server.cluster->Exec(std::string("CREATE ROLE practice_manager LOGIN PASSWORD '") + test::kLoginPassword + "' IN ROLE htk_manager");
    return server.cluster->ConnInfo("practice_manager", test::kLoginPassword);
}

// What a kiosk's forwarder does on each contact, through the kiosk's own login.
void Report(const std::string& kiosk_conninfo, int backlog, int refused) {
    auto db = Must(store::pg::Connection::Open(kiosk_conninfo, "test kiosk"));
    Must(db.Query("SELECT htk.kiosk_contact($1, $2, NULL)", {store::pg::Int(backlog), store::pg::Int(refused)}));
}

// Asks the watcher as the desk does once a frame, until `done` or 15 s; every answer must come at once.
ServerSnapshot LatestUntil(const ServerWatch& watch, const std::function<bool(const ServerSnapshot&)>& done) {
    Clock::duration slowest{};
    ServerSnapshot s;
    for (const auto give_up = Clock::now() + std::chrono::seconds(15); Clock::now() < give_up;) {
        const auto asked = Clock::now();
        s = watch.Latest();
        slowest = std::max(slowest, Clock::now() - asked);
        if (done(s)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(16));
    }
    CHECK(slowest < kFewMs);
    return s;
}

// What a kiosk's forwarder sends for one request, sealed to the practice's key, through the kiosk's own login.
void Forward(const std::string& kiosk_conninfo, const std::string& reference, const std::string& name, const store::PublicKey& key,
             core::UnixSeconds made_at) {
    core::PatientDetails patient;
    patient.name = name;
    patient.phone = "+447700900123";
    const auto sealed = Must(store::Seal(patient, key));
    auto db = Must(store::pg::Connection::Open(kiosk_conninfo, "test kiosk"));
    Must(db.Query("SELECT htk.kiosk_forward(gen_random_uuid(), $1, 'self', 'moving', 'ur', true, false, 'phone', 'morning', '2026-01', $2, $3)",
                  {store::pg::Text(reference), store::pg::Int(made_at), store::pg::Bytea(sealed)}));
}

// The watcher's answers to changes asked for, waited for up to 15 s.
std::vector<admin::desk::ActionOutcome> OutcomesOf(ServerWatch& watch) {
    std::vector<admin::desk::ActionOutcome> got;
    for (const auto give_up = Clock::now() + std::chrono::seconds(15); got.empty() && Clock::now() < give_up;) {
        got = watch.TakeOutcomes();
        std::this_thread::sleep_for(std::chrono::milliseconds(16));
    }
    return got;
}

// The desk app again, with --server `conninfo`, and its first frame.
void OnServer(test::Desk& d, const std::string& conninfo) {
    d.gui->MakeCurrent();
    d.app = std::make_unique<admin::desk::DeskApp>(*d.db, i18n::MakeTimeZone("Europe/London"), *d.engine,
                                                   admin::desk::DeskOptions{.now = [&d] { return d.now; }, .server = conninfo});
    d.Frame();
}

// Frames until nothing of the watcher's is on its way (NextWake answers 0.1 s while a read or an
// action is), or 5 s.
void Settle(test::Desk& d) {
    for (int i = 0; i < 500 && d.app->NextWake() == std::optional<double>(0.1); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        d.Frame();
    }
    d.Frame();
}

// Frames until `widget` is drawn (or, with present false, gone), or 5 s: the watcher's reads arrive from its thread.
bool Until(test::Desk& d, const std::string& widget, bool present) {
    for (int i = 0; i < 500 && d.Has(widget) != present; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        d.Frame();
    }
    return d.Has(widget) == present;
}

const KioskLine& LineOf(const std::vector<KioskLine>& lines, const std::string& kiosk) {
    const auto it = std::find_if(lines.begin(), lines.end(), [&](const KioskLine& l) { return l.kiosk == kiosk; });
    REQUIRE(it != lines.end());
    return *it;
}

// A TCP port that accepts connections (the kernel completes the handshake) and never answers:
// a server hung, or a firewall that swallows packets, as the desk meets them.
struct SilentPort {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    int port = 0;
    SilentPort() {
        REQUIRE(fd >= 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(fd, 8) == 0);
        socklen_t len = sizeof a;
        REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
        port = ntohs(a.sin_port);
    }
    ~SilentPort() { ::close(fd); }
    SilentPort(const SilentPort&) = delete;
    SilentPort& operator=(const SilentPort&) = delete;
};

}  // namespace

TEST_CASE("the desk sees one kiosk's backlog and refusals, and that another was never heard from") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown Health Centre");
    const std::string waiting_room = server.AddKiosk(practice, "waiting-room");
    (void)server.AddKiosk(practice, "upstairs");
    Report(waiting_room, 3, 1);

    ServerWatch watch(ManagerLogin(server));
    auto s = LatestUntil(watch, [](const ServerSnapshot& x) { return x.reads > 0; });
    REQUIRE(s.reads > 0);
    REQUIRE_MESSAGE(!s.problem, (s.problem ? s.problem->detail : ""));
    REQUIRE(s.kiosks.size() == 2);
    CHECK(s.kiosks[0].kiosk == "upstairs");  // by practice, then kiosk id
    CHECK(s.kiosks[0].Never());
    CHECK(s.kiosks[1].kiosk == "waiting-room");
    CHECK(s.kiosks[1].backlog == 3);
    CHECK(s.kiosks[1].rejected == 1);
    CHECK(s.kiosks[1].age_seconds < 60);

    const auto lines = admin::desk::KioskLines(s.kiosks, 0);
    const KioskLine& upstairs = LineOf(lines, "upstairs");
    CHECK(upstairs.last_contact == "never");
    CHECK(upstairs.practice == "Chapeltown Health Centre");
    CHECK(upstairs.warn);
    REQUIRE(upstairs.advice.size() == 1);
    CHECK(upstairs.advice[0].starts_with("Never heard from: check it is on and connected"));
    const KioskLine& room = LineOf(lines, "waiting-room");
    CHECK(room.last_contact.ends_with(" s ago"));
    CHECK(room.backlog == 3);
    CHECK(room.refused == 1);
    CHECK(room.warn);  // heard from just now, but the server refused a request
    REQUIRE(room.advice.size() == 1);
    CHECK(room.advice[0].starts_with("The shared database refused 1 request: they are kept on the kiosk"));

    SUBCASE("a kiosk last heard from 5 minutes ago is marked, in words") {
        server.cluster->Exec("UPDATE htk.kiosks SET last_contact = now() - interval '5 minutes', rejected = 0 WHERE kiosk_id = 'waiting-room'");
        watch.Wake();
        s = LatestUntil(watch, [&](const ServerSnapshot& x) { return x.reads > s.reads; });
        const auto now_lines = admin::desk::KioskLines(s.kiosks, 0);
        const KioskLine& silent = LineOf(now_lines, "waiting-room");
        CHECK(silent.last_contact == "5 min ago");
        CHECK(silent.warn);
        REQUIRE(silent.advice.size() == 1);
        CHECK(silent.advice[0] == "Not heard from for 5 min: check it is on and connected");
        // The view keeps counting between reads.
        CHECK(LineOf(admin::desk::KioskLines(s.kiosks, 61), "waiting-room").last_contact == "6 min ago");
    }
    SUBCASE("a kiosk that reported a moment ago with nothing refused is not marked") {
        Report(waiting_room, 0, 0);
        watch.Wake();
        s = LatestUntil(watch, [&](const ServerSnapshot& x) { return x.reads > s.reads; });
        const auto now_lines = admin::desk::KioskLines(s.kiosks, 0);
        const KioskLine& fine = LineOf(now_lines, "waiting-room");
        CHECK_FALSE(fine.warn);
        CHECK(fine.advice.empty());
        CHECK(fine.backlog == 0);
    }
}

TEST_CASE("with the shared server stopped the desk is told so at once, keeps the last list, and recovers") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown Health Centre");
    Report(server.AddKiosk(practice, "waiting-room"), 2, 0);
    ServerWatch watch(ManagerLogin(server));
    auto s = LatestUntil(watch, [](const ServerSnapshot& x) { return x.reads > 0; });
    REQUIRE(s.read_ok);

    server.cluster->Stop();
    auto asked = Clock::now();
    watch.Wake();
    CHECK(Clock::now() - asked < kFewMs);
    s = LatestUntil(watch, [](const ServerSnapshot& x) { return x.problem.has_value(); });
    REQUIRE(s.problem);
    CHECK(s.problem->code == core::Errc::Unavailable);
    const std::string said = admin::desk::ProblemText(*s.problem);
    CAPTURE(said);
    CHECK(said.starts_with("The shared database cannot be reached: "));
    CHECK(said.find("cannot be reached: the database cannot be reached") == std::string::npos);
    CHECK(said.find("Connection refused") != std::string::npos);  // why, not the old session's last words
    CHECK(s.read_ok);  // what it said last is still there, under the warning
    REQUIRE(s.kiosks.size() == 1);
    CHECK(s.kiosks[0].backlog == 2);

    server.cluster->Start();
    watch.Wake();
    s = LatestUntil(watch, [](const ServerSnapshot& x) { return !x.problem.has_value(); });
    CHECK_FALSE(s.problem);
}

TEST_CASE("a shared server restarted between two reads raises no alarm") {
    test::Server server;
    (void)server.AddKiosk(server.AddPractice("Chapeltown Health Centre"), "waiting-room");
    ServerWatch watch(ManagerLogin(server));
    auto s = LatestUntil(watch, [](const ServerSnapshot& x) { return x.reads > 0; });
    REQUIRE(s.read_ok);
    server.cluster->Stop();
    server.cluster->Start();
    watch.Wake();
    const auto before = s.reads;
    s = LatestUntil(watch, [&](const ServerSnapshot& x) { return x.reads > before; });
    CHECK_FALSE(s.problem);  // the lost session is replaced at once, not reported
    CHECK(s.kiosks.size() == 1);
}

TEST_CASE("a server that never answers keeps the desk's first read pending without holding up a frame") {
    SilentPort hung;
    const auto made = Clock::now();
    ServerWatch watch("host=127.0.0.1 port=" + std::to_string(hung.port) + " dbname=htk user=nobody connect_timeout=2");
    CHECK(Clock::now() - made < kFewMs);  // the desk's constructor never connects
    const auto asked = Clock::now();
    CHECK(watch.Latest().reads == 0);
    CHECK(Clock::now() - asked < kFewMs);
    const auto s = LatestUntil(watch, [](const ServerSnapshot& x) { return x.reads > 0; });
    REQUIRE(s.problem);
    CHECK(s.problem->code == core::Errc::Unavailable);
    CHECK_FALSE(s.read_ok);
}

TEST_CASE("the desk's Kiosks tab appears with --server and lists each kiosk") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown Health Centre");
    Report(server.AddKiosk(practice, "waiting-room"), 3, 1);
    (void)server.AddKiosk(practice, "upstairs");

    test::Desk d;
    CHECK_FALSE(d.app->Show(admin::desk::Tab::Kiosks).ok());  // no server, no such view
    OnServer(d, ManagerLogin(server));
    d.UnlockAs("Tomasz", test::kReceptionPass);  // reception, not only managers: it is reception that walks to the kiosk
    Settle(d);
    REQUIRE(d.Has("tab.kiosks"));
    d.Tap("tab.kiosks");
    CHECK(d.app->CurrentTab() == admin::desk::Tab::Kiosks);
    CHECK(d.Has("kiosks.row.waiting-room"));
    CHECK(d.Has("kiosks.row.upstairs"));
    CHECK(d.Has("kiosks.check"));
}

TEST_CASE("the desk's watcher lists its practice's forwarded requests, moves one on the server and reads its history there") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown Health Centre");
    const std::string kiosk = server.AddKiosk(practice, "waiting-room");
    const std::string elsewhere = server.AddKiosk(server.AddPractice("Harehills Surgery"), "harehills-1");
    test::LocalKiosk keys;  // the practice's file: its public key seals what its kiosks send
    Forward(kiosk, "ABC-DEFG", "Patient 1", keys.key, 1795420800);
    Forward(kiosk, "HJK-MNPQ", "Patient 2", keys.key, 1795420900);
    Forward(elsewhere, "RST-VWXY", "Patient 3", keys.key, 1795421000);

    const std::string reception = server.AddDesk(practice, "reception");
    ServerWatch watch(reception, keys.path);  // it audits its changes in the practice's file
    auto s = LatestUntil(watch, [](const ServerSnapshot& x) { return x.reads > 0; });
    REQUIRE_MESSAGE(!s.problem, (s.problem ? s.problem->detail : ""));
    REQUIRE(s.requests->size() == 2);  // its own practice's: row-level security, not the query, decides
    CHECK((*s.requests)[0].referral.reference == "HJK-MNPQ");  // newest first
    CHECK((*s.requests)[1].referral.reference == "ABC-DEFG");
    CHECK((*s.requests)[1].origin == "kiosk:waiting-room");
    CHECK(Must(store::Open((*s.requests)[1].sealed, Must(store::Unlock(keys.db, "Rukhsana", "correct horse battery staple", 1)))).name ==
          "Patient 1");
    const std::int64_t id = (*s.requests)[1].id;
    watch.Follow(id);
    s = LatestUntil(watch, [&](const ServerSnapshot& x) { return x.history_of == id; });
    CHECK(s.history.empty());

    const auto asked = Clock::now();
    watch.Ask({id, "ABC-DEFG", "staff:Tomasz",
               admin::desk::MoveRequest{core::ReferralStatus::New, core::ReferralStatus::Contacted}});
    CHECK(Clock::now() - asked < kFewMs);  // the UI thread only queues it
    auto outcomes = OutcomesOf(watch);
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0].result.ok());
    CHECK(outcomes[0].action.actor == "staff:Tomasz");
    s = LatestUntil(watch, [&](const ServerSnapshot& x) { return x.actions_pending == 0 && x.history.size() == 1; });
    REQUIRE(s.history.size() == 1);
    CHECK(s.history[0].by == "reception");
    CHECK(s.history[0].from == core::ReferralStatus::New);
    CHECK(s.history[0].to == core::ReferralStatus::Contacted);
    CHECK(std::llabs(s.history[0].at - static_cast<core::UnixSeconds>(std::time(nullptr))) < 60);
    CHECK((*s.requests)[1].referral.status == core::ReferralStatus::Contacted);  // re-read at once after the change

    // A second desk that last read it as new is refused: nothing overwritten, nothing added to the history.
    ServerWatch second(server.AddDesk(practice, "reception_upstairs"), keys.path);
    (void)LatestUntil(second, [](const ServerSnapshot& x) { return x.reads > 0; });
    second.Ask({id, "ABC-DEFG", "staff:Rukhsana",
                admin::desk::MoveRequest{core::ReferralStatus::New, core::ReferralStatus::Cancelled}});
    outcomes = OutcomesOf(second);
    REQUIRE(outcomes.size() == 1);
    REQUIRE_FALSE(outcomes[0].result.ok());
    CHECK(outcomes[0].result.error().code == core::Errc::Busy);
    CHECK(outcomes[0].result.error().detail.find("contacted") != std::string::npos);
    CHECK(server.cluster->Scalar("SELECT status FROM htk.referrals WHERE id = " + std::to_string(id)) == "contacted");
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.referral_events") == "1");
    // The practice's file has the change made, by whom it was asked, and not the refused one.
    store::AuditFilter moves;
    moves.action = "referral.status";
    const auto lines = Must(store::AuditRepo(keys.db).List(moves));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].actor == "staff:Tomasz");
    CHECK(lines[0].subject == "server:kiosk:waiting-room/ABC-DEFG");
    CHECK(lines[0].detail == "new->contacted");

    // The history is the server's to write: a desk's login cannot add, edit or remove a line of it,
    // and a kiosk's login cannot read it.
    auto desk = Must(store::pg::Connection::Open(reception, "test desk"));
    CHECK_FALSE(desk.Query("INSERT INTO htk.referral_events (practice_id, referral_id, by_login, from_status, to_status) "
                           "VALUES ($1, $2, 'someone', 'new', 'closed')",
                           {store::pg::Int(practice), store::pg::Int(id)})
                    .ok());
    CHECK_FALSE(desk.Query("UPDATE htk.referral_events SET by_login = 'someone'").ok());
    CHECK_FALSE(desk.Query("DELETE FROM htk.referral_events").ok());
    auto as_kiosk = Must(store::pg::Connection::Open(kiosk, "test kiosk"));
    CHECK_FALSE(as_kiosk.Query("SELECT count(*) FROM htk.referral_events").ok());
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.referral_events") == "1");
}

TEST_CASE("the desk's From kiosks view opens a forwarded request (audited here), moves it on the server, and says when another desk was first") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown Health Centre");
    const std::string kiosk = server.AddKiosk(practice, "waiting-room");
    test::Desk d;
    Forward(kiosk, "ABC-DEFG", "Aleksandra Wiśniewska", d.public_key, d.now - 600);
    CHECK_FALSE(d.app->Show(admin::desk::Tab::Forwarded).ok());  // no server, no such view
    OnServer(d, server.AddDesk(practice, "reception"));
    d.UnlockAs("Tomasz", test::kReceptionPass);
    Settle(d);
    const auto audited = [&](const std::string& action) {
        auto count = Must(store::Statement::Prepare(*d.db, "SELECT count(*) FROM audit_log WHERE action = '" + action +
                                                               "' AND subject = 'server:kiosk:waiting-room/ABC-DEFG' AND actor = 'staff:Tomasz'"));
        REQUIRE(Must(count.Step()));
        return count.Int(0);
    };
    REQUIRE(d.Has("tab.forwarded"));
    d.Tap("tab.forwarded");
    CHECK(d.app->CurrentTab() == admin::desk::Tab::Forwarded);
    REQUIRE(d.Has("forwarded.row.kiosk:waiting-room/ABC-DEFG"));
    CHECK(audited("sealed.reveal") == 0);  // listed, still sealed
    d.Tap("forwarded.row.kiosk:waiting-room/ABC-DEFG");
    CHECK(audited("sealed.reveal") == 1);
    Settle(d);
    REQUIRE(d.Has("forwarded.move.contacted"));
    CHECK_FALSE(d.Has("forwarded.move.new"));  // only the workflow's moves are offered

    d.Tap("forwarded.move.contacted");
    Settle(d);
    CHECK(d.app->Message() == "ABC-DEFG: contacted.");
    CHECK(server.cluster->Scalar("SELECT status FROM htk.referrals WHERE reference = 'ABC-DEFG'") == "contacted");
    CHECK(server.cluster->Scalar("SELECT by_login || ' ' || from_status || '->' || to_status FROM htk.referral_events") ==
          "reception new->contacted");
    CHECK(audited("referral.status") == 1);

    // Another desk closes it; this one, before its next read, still offers the moves from contacted.
    server.cluster->Exec("UPDATE htk.referrals SET status = 'closed' WHERE reference = 'ABC-DEFG'");
    REQUIRE(d.Has("forwarded.move.cancelled"));
    d.Tap("forwarded.move.cancelled");
    Settle(d);
    CAPTURE(d.app->Message());
    CHECK(d.app->Message().starts_with("ABC-DEFG was not changed: another desk changed it first"));
    CHECK(server.cluster->Scalar("SELECT status FROM htk.referrals WHERE reference = 'ABC-DEFG'") == "closed");
    CHECK(audited("referral.status") == 1);
    CHECK_FALSE(d.Has("forwarded.move.cancelled"));  // re-read at once: closed is where the workflow ends

    d.Tap("lock");
    CHECK(d.app->Locked());
}

TEST_CASE("the desk books a forwarded request into a free time on the server, and is told when a kiosk took that time first") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown Health Centre");
    const std::string p = std::to_string(practice);
    const std::string kiosk = server.AddKiosk(practice, "waiting-room");
    test::Desk d;
    Forward(kiosk, "ABC-DEFG", "Aleksandra Wiśniewska", d.public_key, d.now - 600);  // asks in Urdu
    Forward(kiosk, "HJK-MNPQ", "Patient 2", d.public_key, d.now - 300);
    // The plan as `db publish` leaves it: Tomasz's slot first in time, then two of Amira's, who speaks Urdu.
    const auto day = static_cast<core::UnixSeconds>(std::time(nullptr)) / 86400 * 86400 + 2 * 86400;
    const std::string t0 = std::to_string(day + 9 * 3600), t1 = std::to_string(day + 10 * 3600), t2 = std::to_string(day + 11 * 3600);
    server.cluster->Exec("INSERT INTO htk.trainers (practice_id, id, display_name, languages) VALUES (" + p + ", 1, 'Amira Khan', 'ur,pa,en-GB'), (" +
                         p + ", 2, 'Tomasz Nowak', 'pl,en-GB');"
                         "INSERT INTO htk.slots VALUES (" + p + ", 2, " + t0 + ", " + t0 + " + 1800), (" + p + ", 1, " + t1 + ", " + t1 +
                         " + 1800), (" + p + ", 1, " + t2 + ", " + t2 + " + 1800)");
    const std::string reception = server.AddDesk(practice, "reception");
    OnServer(d, reception);
    d.UnlockAs("Tomasz", test::kReceptionPass);
    Settle(d);
    d.Tap("tab.forwarded");
    d.Tap("forwarded.row.kiosk:waiting-room/ABC-DEFG");
    REQUIRE(Until(d, "forwarded.book", true));
    d.Tap("forwarded.book");
    REQUIRE(Until(d, "forwarded.slot.1." + t1, true));
    CHECK(d.Has("forwarded.slot.1." + t2));
    CHECK(d.Has("forwarded.slot.2." + t0));
    // Amira speaks Urdu: her times come first, though Tomasz's is earlier.
    CHECK(d.app->Rects().Find("forwarded.slot.1." + t1)->min.y < d.app->Rects().Find("forwarded.slot.2." + t0)->min.y);

    // A kiosk books Amira's 10:00 for another patient while reception still sees it free.
    server.cluster->Exec("INSERT INTO htk.bookings (practice_id, trainer_id, start_at, end_at, referral_id, booked_by) "
                         "SELECT " + p + ", 1, " + t1 + ", " + t1 + " + 1800, id, 'kiosk:waiting-room' FROM htk.referrals WHERE reference = 'HJK-MNPQ'");
    d.Tap("forwarded.slot.1." + t1);
    Settle(d);
    CAPTURE(d.app->Message());
    CHECK(d.app->Message() == "ABC-DEFG was not booked: another kiosk or desk booked that time first. Choose another time.");
    CHECK(Until(d, "forwarded.slot.1." + t1, false));  // re-read at once: that time is gone from the list
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.bookings b JOIN htk.referrals r ON r.id = b.referral_id WHERE r.reference = 'ABC-DEFG'") == "0");

    d.Tap("forwarded.slot.1." + t2);
    Settle(d);
    CAPTURE(d.app->Message());
    CHECK(d.app->Message().starts_with("ABC-DEFG booked: "));
    CHECK(d.app->Message().ends_with(" with Amira Khan."));
    CHECK(server.cluster->Scalar("SELECT b.trainer_id || ' ' || b.start_at || ' ' || b.booked_by || ' ' || r.status FROM htk.bookings b "
                                 "JOIN htk.referrals r ON r.id = b.referral_id WHERE r.reference = 'ABC-DEFG'") ==
          "1 " + t2 + " desk:reception booked");
    CHECK(server.cluster->Scalar("SELECT by_login || ' ' || from_status || '->' || to_status FROM htk.referral_events") == "reception new->booked");
    {  // a statement left mid-step would hold this connection's snapshot: the watcher's later lines unseen
        auto audit = Must(store::Statement::Prepare(*d.db, "SELECT count(*) FROM audit_log WHERE action = 'booking.create' AND actor = 'staff:Tomasz' "
                                                           "AND subject = 'server:kiosk:waiting-room/ABC-DEFG'"));
        REQUIRE(Must(audit.Step()));
        CHECK(audit.Int(0) == 1);
    }
    CHECK(Until(d, "forwarded.book", false));  // booked: nothing more to book

    // Closing it while the booking holds the slot is the server's to refuse, as SQLite refuses it.
    REQUIRE(Until(d, "forwarded.booking.confirmed", true));
    CHECK_FALSE(d.Has("forwarded.booking.attended"));  // requested: confirmed first, as on one machine
    d.Tap("forwarded.move.closed");
    Settle(d);
    CHECK(d.app->Message() == "ABC-DEFG was not changed: its booking is still live: record whether it was attended, or cancel it, first.");
    CHECK(server.cluster->Scalar("SELECT status FROM htk.referrals WHERE reference = 'ABC-DEFG'") == "booked");
    d.Tap("forwarded.booking.confirmed");
    Settle(d);
    CHECK(d.app->Message() == "ABC-DEFG's booking: confirmed.");
    REQUIRE(Until(d, "forwarded.booking.attended", true));
    d.Tap("forwarded.booking.attended");
    Settle(d);
    CHECK(d.app->Message() == "ABC-DEFG's booking: attended.");
    CHECK(server.cluster->Scalar("SELECT status FROM htk.bookings WHERE start_at = " + t2) == "attended");
    REQUIRE(Until(d, "forwarded.booking.attended", false));  // re-read: attended is where a booking ends
    d.Tap("forwarded.move.closed");
    Settle(d);
    CHECK(d.app->Message() == "ABC-DEFG: closed.");
    CHECK(server.cluster->Scalar("SELECT status FROM htk.referrals WHERE reference = 'ABC-DEFG'") == "closed");
    auto moves = Must(store::Statement::Prepare(*d.db, "SELECT group_concat(detail, ' | ') FROM (SELECT detail FROM audit_log WHERE action = "
                                                       "'booking.status' AND subject = 'server:kiosk:waiting-room/ABC-DEFG' ORDER BY id)"));
    REQUIRE(Must(moves.Step()));
    const std::string booking_id = server.cluster->Scalar("SELECT id FROM htk.bookings WHERE start_at = " + t2);
    CHECK(moves.Text(0) == "booking " + booking_id + ": requested->confirmed | booking " + booking_id + ": confirmed->attended");

    // The same booking asked again (an answer lost on the way) is 'already', not a second booking or a loss.
    auto desk = Must(store::pg::Connection::Open(reception, "test desk"));
    const auto id = std::stoll(server.cluster->Scalar("SELECT id FROM htk.referrals WHERE reference = 'ABC-DEFG'"));
    CHECK(Must(store::pg::DeskBook(desk, id, {1, std::stoll(t2), std::stoll(t2) + 1800}, d.now)) == store::pg::BookOutcome::Already);
    CHECK(Must(store::pg::DeskBook(desk, id, {1, std::stoll(t1), std::stoll(t1) + 1800}, d.now)) == store::pg::BookOutcome::Taken);
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.bookings") == "2");
}

TEST_CASE("a time cancelled on the server is offered to its waiting list: the desk's Waiting list tab declines it on and books it") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown Health Centre");
    const std::string p = std::to_string(practice);
    const std::string kiosk = server.AddKiosk(practice, "waiting-room");
    test::Desk d;
    Forward(kiosk, "ABC-DEFG", "Aleksandra Wiśniewska", d.public_key, d.now - 900);
    Forward(kiosk, "RST-VWXY", "Patient 2", d.public_key, d.now - 600);
    Forward(kiosk, "HJK-MNPQ", "Patient 3", d.public_key, d.now - 300);
    // Two on the waiting list: the older asks in Polish, the newer in Urdu, which Amira speaks.
    server.cluster->Exec("UPDATE htk.referrals SET waiting_list = true, language = 'pl' WHERE reference = 'ABC-DEFG';"
                         "UPDATE htk.referrals SET waiting_list = true WHERE reference = 'RST-VWXY'");
    const auto day = static_cast<core::UnixSeconds>(std::time(nullptr)) / 86400 * 86400 + 2 * 86400;
    const std::string t1 = std::to_string(day + 10 * 3600);
    server.cluster->Exec("INSERT INTO htk.trainers (practice_id, id, display_name, languages) VALUES (" + p + ", 1, 'Amira Khan', 'ur,pa,en-GB');"
                         "INSERT INTO htk.slots VALUES (" + p + ", 1, " + t1 + ", " + t1 + " + 1800);"
                         "INSERT INTO htk.bookings (practice_id, trainer_id, start_at, end_at, referral_id, booked_by) SELECT " + p + ", 1, " +
                         t1 + ", " + t1 + " + 1800, id, 'kiosk:waiting-room' FROM htk.referrals WHERE reference = 'HJK-MNPQ';"
                         "UPDATE htk.referrals SET status = 'booked' WHERE reference = 'HJK-MNPQ'");
    OnServer(d, server.AddDesk(practice, "reception"));
    d.UnlockAs("Tomasz", test::kReceptionPass);
    Settle(d);
    d.Tap("tab.waiting");
    REQUIRE(Until(d, "server.waiting.kiosk:waiting-room/RST-VWXY", true));
    CHECK(d.Has("server.waiting.kiosk:waiting-room/ABC-DEFG"));
    CHECK_FALSE(d.Has("server.offer.accept.RST-VWXY"));

    // The patient booked at 10:00 cancels: the server offers the time to the Urdu speaker, though newer.
    d.Tap("tab.forwarded");
    d.Tap("forwarded.row.kiosk:waiting-room/HJK-MNPQ");
    REQUIRE(Until(d, "forwarded.booking.cancelled_by_patient", true));
    d.Tap("forwarded.booking.cancelled_by_patient");
    Settle(d);
    CHECK(d.app->Message() == "HJK-MNPQ's booking: cancelled_by_patient.");
    CHECK(server.cluster->Scalar("SELECT r.reference FROM htk.offers o JOIN htk.referrals r ON r.id = o.referral_id") == "RST-VWXY");
    d.Tap("tab.waiting");
    REQUIRE(Until(d, "server.offer.accept.RST-VWXY", true));

    // She declines: the time goes to the next, who accepts it.
    d.Tap("server.offer.decline.RST-VWXY");
    Settle(d);
    CAPTURE(d.app->Message());
    CHECK(d.app->Message() == "RST-VWXY declined; the slot is now offered to ABC-DEFG.");
    REQUIRE(Until(d, "server.offer.accept.ABC-DEFG", true));
    CHECK_FALSE(d.Has("server.offer.accept.RST-VWXY"));
    d.Tap("server.offer.accept.ABC-DEFG");
    Settle(d);
    CHECK(d.app->Message() == "ABC-DEFG booked from the waiting list.");
    CHECK(server.cluster->Scalar("SELECT r.status || ' ' || r.waiting_list || ' ' || b.booked_by FROM htk.bookings b JOIN htk.referrals r "
                                 "ON r.id = b.referral_id WHERE b.start_at = " + t1 + " AND b.status = 'requested'") == "booked false desk:reception");
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.offers") == "0");
    REQUIRE(Until(d, "server.offer.accept.ABC-DEFG", false));
    CHECK(Until(d, "server.waiting.kiosk:waiting-room/ABC-DEFG", false));  // off the waiting list
    CHECK(d.Has("server.waiting.kiosk:waiting-room/RST-VWXY"));            // still waiting for another time
    auto audit = Must(store::Statement::Prepare(*d.db, "SELECT group_concat(action || ' ' || subject, ' | ') FROM (SELECT action, subject FROM "
                                                       "audit_log WHERE action LIKE 'waiting.%' AND actor = 'staff:Tomasz' ORDER BY id)"));
    REQUIRE(Must(audit.Step()));
    CHECK(audit.Text(0) == "waiting.decline server:kiosk:waiting-room/RST-VWXY | waiting.accept server:kiosk:waiting-room/ABC-DEFG");
}

TEST_CASE("the desk's report with --server adds its practice's forwarded requests on the server to those taken here, and says so") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown Health Centre");
    const std::string kiosk = server.AddKiosk(practice, "waiting-room");
    const std::string elsewhere = server.AddKiosk(server.AddPractice("Harehills Surgery"), "harehills-1");
    test::Desk d;
    d.Request("Ayşe Yılmaz", "tr");  // on this desk's file
    Forward(kiosk, "ABC-DEFG", "Patient 1", d.public_key, d.now - 600);
    Forward(kiosk, "HJK-MNPQ", "Patient 2", d.public_key, d.now - 500);
    Forward(elsewhere, "RST-VWXY", "Patient 3", d.public_key, d.now - 400);  // another practice's: not this report's
    OnServer(d, server.AddDesk(practice, "reception"));
    d.UnlockAs("Rukhsana", test::kManagerPass);
    Settle(d);
    const auto asked = Clock::now();
    d.Tap("tab.reports");
    CHECK(Clock::now() - asked < kFewMs);  // the server is read on the watcher's thread
    Settle(d);
    REQUIRE(d.app->Figures());
    CHECK(d.app->FiguresSource() == "The kiosks' requests on the shared database and this desk's own.");
    const auto& f = *d.app->Figures();
    CHECK(f.total.requests == 3);
    CHECK(f.total.by_language == std::map<std::string, int>{{"tr", 1}, {"ur", 2}});
    CHECK(f.interpreter_by_language == std::map<std::string, int>{{"ur", 2}});
    CHECK(f.funnel_requests == 3);
    CHECK(d.Has("report.csv.save"));

    // The server stopped: the desk's own figures, and the report says what they leave out.
    server.cluster->Stop();
    d.Tap("report.show");
    Settle(d);
    REQUIRE(d.app->Figures());
    CHECK(d.app->Figures()->total.requests == 1);
    CHECK(d.app->FiguresSource().starts_with("This desk's requests only: the kiosks' are on the shared database, which could not be read"));
}

TEST_CASE("the desk's From kiosks view adds a note to a forwarded request on the server, sealed, and shows it opened with the staff's key") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown Health Centre");
    const std::string kiosk = server.AddKiosk(practice, "waiting-room");
    test::Desk d;
    Forward(kiosk, "ABC-DEFG", "Aleksandra Wiśniewska", d.public_key, d.now - 600);
    OnServer(d, server.AddDesk(practice, "reception"));
    d.UnlockAs("Tomasz", test::kReceptionPass);
    Settle(d);
    const auto audited = [&](const std::string& action, const std::string& detail) {
        auto count = Must(store::Statement::Prepare(*d.db, "SELECT count(*) FROM audit_log WHERE action = '" + action + "' AND detail LIKE '" +
                                                               detail + "' AND subject = 'server:kiosk:waiting-room/ABC-DEFG' AND actor = 'staff:Tomasz'"));
        REQUIRE(Must(count.Step()));
        return count.Int(0);
    };
    d.Tap("tab.forwarded");
    d.Tap("forwarded.row.kiosk:waiting-room/ABC-DEFG");
    REQUIRE(Until(d, "forwarded.note", true));
    CHECK(d.app->ForwardedNotes().empty());
    CHECK(audited("sealed.reveal", "notes") == 0);  // none to open

    const std::string text = "Zadzwonić po 17:00, córka tłumaczy";
    d.Type("forwarded.note", text);
    const auto asked = Clock::now();
    d.Tap("forwarded.note.add");
    CHECK(Clock::now() - asked < kFewMs);  // sealed and sent on the watcher's thread
    Settle(d);
    CHECK(d.app->Message() == "ABC-DEFG: note added.");
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.referral_notes") == "1");
    CHECK(server.cluster->Scalar("SELECT position(convert_to('17:00', 'UTF8') IN sealed) FROM htk.referral_notes") == "0");
    CHECK(server.cluster->Scalar("SELECT actor || ' ' || by_login FROM htk.referral_notes") == "staff:Tomasz reception");
    CHECK(audited("referral.note", "note:%") == 1);

    // The watcher reads it back at once; the desk opens it with Tomasz's key, audited here first.
    for (int i = 0; i < 500 && d.app->ForwardedNotes().empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        d.Frame();
    }
    REQUIRE(d.app->ForwardedNotes().size() == 1);
    CHECK(d.app->ForwardedNotes()[0].text == text);
    CHECK(d.app->ForwardedNotes()[0].actor == "staff:Tomasz");
    CHECK(audited("sealed.reveal", "notes") == 1);
    for (int i = 0; i < 5; ++i) d.Frame();
    CHECK(audited("sealed.reveal", "notes") == 1);  // opened once, not once a frame

    d.Tap("lock");
    CHECK(d.app->ForwardedNotes().empty());
}

TEST_CASE("with --server a request taken at the desk is kept here while the server is away, then sent there once, and never booked in this file") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown Health Centre");
    const std::string reception = server.AddDesk(practice, "reception");
    test::Desk d;
    OnServer(d, reception);
    d.UnlockAs("Tomasz", test::kReceptionPass);
    Settle(d);

    server.cluster->Stop();
    d.Tap("requests.new");
    d.Tap("new.route.gp_booked");
    CHECK_FALSE(d.Has("new.pick"));  // the file's slots are not the practice's any more: booked on the server
    d.Tap("new.reason.long_term_condition");
    d.Type("new.language", "ar");
    d.Type("new.name", "زينب علي");
    d.Type("new.dob", "1961-04-02");
    d.Type("new.phone", "07400 123456");
    d.Tap("new.save");
    CAPTURE(d.app->Message());
    REQUIRE(d.app->Message().starts_with("Saved as "));
    CHECK(d.app->Message().find("From kiosks") != std::string::npos);
    const std::string reference = d.app->Message().substr(9, 8);
    REQUIRE(d.app->Model().Rows().size() == 1);
    CHECK(d.app->Model().Rows().front().booking == 0);
    d.Frame();
    // Kept, and read-only here: a move or note made now would not travel with it.
    CHECK(d.Has("detail.queued"));
    CHECK_FALSE(d.Has("detail.status.contacted"));
    CHECK_FALSE(d.Has("detail.book"));
    CHECK_FALSE(d.Has("detail.note.add"));
    {
        auto queued = Must(store::Statement::Prepare(*d.db, "SELECT count(*) FROM forward_queue"));
        REQUIRE(Must(queued.Step()));
        CHECK(queued.Int(0) == 1);
    }

    server.cluster->Start();
    bool arrived = false;  // the outbox's backoff after the outage is a few seconds
    for (const auto give_up = Clock::now() + std::chrono::seconds(30); !arrived && Clock::now() < give_up;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        d.now += 1;  // the list re-reads the file once a second
        d.Frame();
        arrived = d.app->Model().Rows().empty();
    }
    REQUIRE(arrived);  // the server confirmed it, so the local copy went
    CHECK(d.app->Message() == reference + " is on the shared database now: find it in the From kiosks view.");
    CHECK_FALSE(d.app->Selected());  // its details are not left on screen
    CHECK_FALSE(d.Has("detail.queued"));
    CHECK(server.cluster->Scalar("SELECT origin || ' ' || route || ' ' || language || ' ' || status FROM htk.referrals WHERE reference = '" +
                                 reference + "'") == "desk:reception gp_booked ar new");
    CHECK(server.Count("position('\\xd8b2d98ad986d8a8'::bytea in sealed) > 0") == 0);  // "زينب" is sealed
    d.Tap("tab.forwarded");
    d.Tap("forwarded.check");
    REQUIRE(Until(d, "forwarded.row.desk:reception/" + reference, true));
    d.Tap("forwarded.row.desk:reception/" + reference);
    REQUIRE(Until(d, "forwarded.book", true));  // and there it is booked, under the server's rule

    // A request this file held before it had a server: worked on here, but its time is booked on the server.
    const auto earlier = d.Request("Anna Przykładowa", "pl");
    d.now += 1;
    d.Tap("tab.requests");
    d.Frame();
    d.Tap("row." + earlier.reference);
    CHECK(d.Has("detail.status.contacted"));
    CHECK_FALSE(d.Has("detail.book"));
    d.Tap("detail.status.contacted");  // its status is this file's to move
    CHECK(d.app->Message() == earlier.reference + ": contacted.");

    // Nothing stays for the desk to send, and the file has no booking behind the server's back.
    auto left = Must(store::Statement::Prepare(*d.db, "SELECT (SELECT count(*) FROM forward_queue) + (SELECT count(*) FROM bookings)"));
    REQUIRE(Must(left.Step()));
    CHECK(left.Int(0) == 0);
}

TEST_CASE("with --server the desk's Week view shows the practice's week on the server, booked and free, and a manager's login is told it is a desk's view") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown Health Centre");
    const std::string p = std::to_string(practice);
    test::Desk d;
    Forward(server.AddKiosk(practice, "waiting-room"), "ABC-DEFG", "Aleksandra Wiśniewska", d.public_key, d.now - 600);
    // This week as `db publish` leaves it: Amira on Tuesday at 10:00 (booked from the kiosk) and 11:00, Tomasz on Wednesday.
    const core::UnixSeconds tuesday10 = d.now + 26 * 3600, tuesday11 = tuesday10 + 3600, wednesday9 = d.now + 49 * 3600;
    const auto at = [](core::UnixSeconds t) { return std::to_string(t); };
    server.cluster->Exec("INSERT INTO htk.trainers (practice_id, id, display_name, languages) VALUES (" + p + ", 1, 'Amira Khan', 'ur'), (" + p +
                         ", 2, 'Tomasz Nowak', 'pl');"
                         "INSERT INTO htk.slots VALUES (" + p + ", 1, " + at(tuesday10) + ", " + at(tuesday10 + 1800) + "), (" + p + ", 1, " +
                         at(tuesday11) + ", " + at(tuesday11 + 1800) + "), (" + p + ", 2, " + at(wednesday9) + ", " + at(wednesday9 + 1800) + ");"
                         "INSERT INTO htk.bookings (practice_id, trainer_id, start_at, end_at, referral_id, booked_by) SELECT " + p + ", 1, " +
                         at(tuesday10) + ", " + at(tuesday10 + 1800) + ", id, 'kiosk:waiting-room' FROM htk.referrals");
    // Amira's 12:00, freed and offered to a request on the waiting list for a day.
    Forward(server.AddKiosk(practice, "upstairs"), "RST-VWXY", "Patient 2", d.public_key, d.now - 300);
    const core::UnixSeconds tuesday12 = tuesday11 + 3600;
    server.cluster->Exec("INSERT INTO htk.slots VALUES (" + p + ", 1, " + at(tuesday12) + ", " + at(tuesday12 + 1800) + ");"
                         "INSERT INTO htk.offers (practice_id, trainer_id, start_at, end_at, referral_id, expires_at) SELECT " + p + ", 1, " +
                         at(tuesday12) + ", " + at(tuesday12 + 1800) + ", id, extract(epoch FROM now())::bigint + 86400 FROM htk.referrals "
                         "WHERE reference = 'RST-VWXY'");
    OnServer(d, server.AddDesk(practice, "reception"));
    d.UnlockAs("Tomasz", test::kReceptionPass);
    Settle(d);
    d.Tap("tab.week");
    d.Tap("week.trainer.1");
    REQUIRE(Until(d, "week.server.booked." + at(tuesday10), true));
    CHECK(d.Has("week.server.free." + at(tuesday11)));
    CHECK(d.Has("week.server.offered." + at(tuesday12)));
    CHECK_FALSE(d.Has("week.server.free." + at(tuesday12)));
    CHECK_FALSE(d.Has("week.server.free." + at(wednesday9)));  // Tomasz's, not shown under Amira
    CHECK_FALSE(d.Has("week.free." + at(tuesday11)));         // nothing of the file's grid, nothing to book there
    d.Tap("week.trainer.2");
    CHECK(d.Has("week.server.free." + at(wednesday9)));
    d.Tap("week.next");  // next week: read again for it
    REQUIRE(Until(d, "week.server.free." + at(wednesday9), false));

    test::Desk m;
    OnServer(m, ManagerLogin(server));
    m.UnlockAs("Tomasz", test::kReceptionPass);
    Settle(m);
    m.Tap("tab.week");
    CHECK(Until(m, "week.server.not_a_desk", true));
}

TEST_CASE("with --server a manager publishes the practice's plan from the desk's Trainers tab, and the file books no time of its own after") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown Health Centre");
    test::Desk d;
    OnServer(d, server.AddDesk(practice, "reception"));
    d.UnlockAs("Rukhsana", test::kManagerPass);
    Settle(d);
    d.Tap("tab.trainers");
    REQUIRE(d.Has("trainers.publish"));
    d.Tap("trainers.publish");
    Settle(d);
    CAPTURE(d.app->Message());
    CHECK(d.app->Message().starts_with("The plan is on the shared database: published 2 trainers and "));
    CHECK(d.app->Message().ends_with(" From now on this practice's times are booked there only."));
    CHECK(server.cluster->Scalar("SELECT string_agg(display_name, ', ' ORDER BY id) FROM htk.trainers") == "Amira Khan, Tomasz Nowak");
    CHECK(std::stol(server.cluster->Scalar("SELECT count(*) FROM htk.slots")) > 0);
    CHECK(Must(store::SettingsRepo(*d.db).SharedSince()).has_value());
    CHECK(Must(store::AuditRepo(*d.db).List({.action = "practice.shared"})).front().actor == "staff:Rukhsana");
    d.Tap("trainers.publish");  // again: nothing new, and no second notice
    Settle(d);
    CAPTURE(d.app->Message());
    CHECK(d.app->Message().find(": 0 new, 0 withdrawn.") != std::string::npos);
    CHECK(d.app->Message().find("From now on") == std::string::npos);
}
