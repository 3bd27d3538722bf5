// The desk's Kiosks view against a real PostgreSQL server (issue 9): what the watcher reads when a
// kiosk reports, what reception is told, and that a server that is down or silent never holds up the desk.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <thread>

#include "admin/desk/kiosk_watch.h"
#include "desk_fixture.h"
#include "i18n/time_zone.h"
#include "pg_fixture.h"

using namespace htk;
using admin::desk::KioskLine;
using admin::desk::KioskSnapshot;
using admin::desk::KioskWatch;
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
KioskSnapshot LatestUntil(const KioskWatch& watch, const std::function<bool(const KioskSnapshot&)>& done) {
    Clock::duration slowest{};
    KioskSnapshot s;
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

    KioskWatch watch(ManagerLogin(server));
    auto s = LatestUntil(watch, [](const KioskSnapshot& x) { return x.reads > 0; });
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
        s = LatestUntil(watch, [&](const KioskSnapshot& x) { return x.reads > s.reads; });
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
        s = LatestUntil(watch, [&](const KioskSnapshot& x) { return x.reads > s.reads; });
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
    KioskWatch watch(ManagerLogin(server));
    auto s = LatestUntil(watch, [](const KioskSnapshot& x) { return x.reads > 0; });
    REQUIRE(s.read_ok);

    server.cluster->Stop();
    auto asked = Clock::now();
    watch.Wake();
    CHECK(Clock::now() - asked < kFewMs);
    s = LatestUntil(watch, [](const KioskSnapshot& x) { return x.problem.has_value(); });
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
    s = LatestUntil(watch, [](const KioskSnapshot& x) { return !x.problem.has_value(); });
    CHECK_FALSE(s.problem);
}

TEST_CASE("a shared server restarted between two reads raises no alarm") {
    test::Server server;
    (void)server.AddKiosk(server.AddPractice("Chapeltown Health Centre"), "waiting-room");
    KioskWatch watch(ManagerLogin(server));
    auto s = LatestUntil(watch, [](const KioskSnapshot& x) { return x.reads > 0; });
    REQUIRE(s.read_ok);
    server.cluster->Stop();
    server.cluster->Start();
    watch.Wake();
    const auto before = s.reads;
    s = LatestUntil(watch, [&](const KioskSnapshot& x) { return x.reads > before; });
    CHECK_FALSE(s.problem);  // the lost session is replaced at once, not reported
    CHECK(s.kiosks.size() == 1);
}

TEST_CASE("a server that never answers keeps the desk's first read pending without holding up a frame") {
    SilentPort hung;
    const auto made = Clock::now();
    KioskWatch watch("host=127.0.0.1 port=" + std::to_string(hung.port) + " dbname=htk user=nobody connect_timeout=2");
    CHECK(Clock::now() - made < kFewMs);  // the desk's constructor never connects
    const auto asked = Clock::now();
    CHECK(watch.Latest().reads == 0);
    CHECK(Clock::now() - asked < kFewMs);
    const auto s = LatestUntil(watch, [](const KioskSnapshot& x) { return x.reads > 0; });
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
    d.gui->MakeCurrent();
    d.app = std::make_unique<admin::desk::DeskApp>(*d.db, i18n::MakeTimeZone("Europe/London"), *d.engine,
                                                   admin::desk::DeskOptions{.now = [&d] { return d.now; }, .server = ManagerLogin(server)});
    d.Frame();
    d.UnlockAs("Tomasz", test::kReceptionPass);  // reception, not only managers: it is reception that walks to the kiosk
    for (int i = 0; i < 500 && d.app->NextWake() == std::optional<double>(0.1); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        d.Frame();
    }
    d.Frame();
    REQUIRE(d.Has("tab.kiosks"));
    d.Tap("tab.kiosks");
    CHECK(d.app->CurrentTab() == admin::desk::Tab::Kiosks);
    CHECK(d.Has("kiosks.row.waiting-room"));
    CHECK(d.Has("kiosks.row.upstairs"));
    CHECK(d.Has("kiosks.check"));
}
