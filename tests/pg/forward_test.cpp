// Offline-first kiosks: requests stored locally first, forwarded exactly once, through an outage.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <sstream>
#include <thread>

#include "app/kiosk_store.h"
#include "pg_fixture.h"
#include "tests/admin/admin_fixture.h"
#include "store/forward_repo.h"
#include "store/pg/forwarder.h"
#include "store/pg/requests.h"
#include "store/referral_repo.h"
#include "tests/support/kiosk.h"
#include "tests/support/patient.h"

using namespace htk;
using test::Must;
namespace pg = store::pg;

namespace {

long CountOf(store::Database& db, const std::string& sql) {
    auto s = Must(store::Statement::Prepare(db, sql));
    REQUIRE(Must(s.Step()));
    return static_cast<long>(s.Int(0));
}

long LocalCount(store::Database& db, const char* table) {
    auto s = Must(store::Statement::Prepare(db, std::string("SELECT count(*) FROM ") + table));
    REQUIRE(Must(s.Step()));
    return static_cast<long>(s.Int(0));
}

// Log lines of a forwarder, kept for the test to read.
struct Lines {
    std::mutex mutex;
    std::vector<std::string> lines;
    std::function<void(const std::string&)> Sink() {
        return [this](const std::string& line) {
            std::lock_guard lock(mutex);
            lines.push_back(line);
        };
    }
    bool Any(const std::string& part) {
        std::lock_guard lock(mutex);
        return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(part) != std::string::npos; });
    }
};

pg::ForwarderOptions Options(const test::LocalKiosk& kiosk, std::string conninfo, Lines& log) {
    pg::ForwarderOptions o;
    o.database = kiosk.path;
    o.conninfo = std::move(conninfo);
    o.actor = "kiosk:test";
    o.first_backoff_s = 0.2;  // an outage in a test lasts seconds, not minutes
    o.max_backoff_s = 1.0;
    o.heartbeat_s = 0.5;
    o.log = log.Sink();
    return o;
}

// ht-admin on `practice`'s file as its manager, with `input` on standard input, at `now`.
test::CliResult AsRukhsana(const test::LocalKiosk& practice, const std::vector<std::string>& args, const std::string& input,
                           core::UnixSeconds now) {
    test::PassphrasePipe pass({"correct horse battery staple"});
    std::istringstream in(input);
    std::ostringstream out, err;
    admin::Env env(out, err);
    env.now = [now] { return now; };
    env.in = &in;
    std::vector<std::string> all = {"--database", practice.path.string(), "--staff", "Rukhsana", "--passphrase-fd", pass.Fd()};
    all.insert(all.end(), args.begin(), args.end());
    const int code = admin::Run(all, env);
    return test::CliResult{code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("a forwarding kiosk stores each request first, then the server holds it once and the kiosk's copy goes") {
    test::Server server;
    test::LocalKiosk kiosk;
    const auto conninfo = server.AddKiosk(server.AddPractice("Chapeltown"), "kiosk-1");
    core::FixedZone utc{0};
    int queued = 0;
    app::SqliteKioskStore store(kiosk.db, utc, kiosk.key, "kiosk:kiosk-1", app::Forwarding{.queued = [&] { ++queued; }});

    std::vector<std::string> references;
    for (int i = 0; i < 50; ++i) references.push_back(Must(store.Submit(test::SampleReferral(i), 1000 + i)));
    CHECK(queued == 50);
    CHECK(LocalCount(kiosk.db, "forward_queue") == 50);
    // Booking needs the server's slots: a forwarding kiosk offers none and so asks for a call back.
    CHECK(Must(store.FreeSlots("ur", 1000)).empty());

    Lines log;
    pg::Forwarder forwarder(Options(kiosk, conninfo, log));
    CHECK(Must(forwarder.RunOnce()) == 50);
    CHECK(Must(forwarder.RunOnce()) == 0);
    CHECK(server.Count() == 50);
    CHECK(server.cluster->Scalar("SELECT count(DISTINCT uid) FROM htk.referrals") == "50");
    CHECK(server.References("kiosk:kiosk-1") == test::Joined(references));
    CHECK(LocalCount(kiosk.db, "referrals") == 0);
    CHECK(LocalCount(kiosk.db, "forward_queue") == 0);
    CHECK(LocalCount(kiosk.db, "referral_status_history") == 0);
    CHECK(server.cluster->Scalar("SELECT backlog || ',' || (last_contact IS NOT NULL) FROM htk.kiosks") == "0,true");
    // The details are still sealed on the server: nothing the patient typed is readable there.
    CHECK(server.Count("position('Patient' in encode(sealed, 'escape')) > 0") == 0);
    const auto status = forwarder.Status();
    CHECK(status.connected);
    CHECK(status.forwarded == 50);
    CHECK(status.problem.empty());
}

TEST_CASE("a request the server refuses stays on the kiosk for staff, and the others still go through") {
    test::Server server;
    test::LocalKiosk kiosk;
    const auto practice = server.AddPractice("Chapeltown");
    const auto conninfo = server.AddKiosk(practice, "kiosk-1");
    core::FixedZone utc{0};
    app::SqliteKioskStore store(kiosk.db, utc, kiosk.key, "kiosk:kiosk-1", app::Forwarding{});
    std::vector<std::string> refs;
    for (int i = 0; i < 10; ++i) refs.push_back(Must(store.Submit(test::SampleReferral(i), 1000 + i)));
    // The server already holds the fourth reference from this kiosk under another id (say, a restored backup).
    server.cluster->Exec("INSERT INTO htk.referrals (uid, practice_id, origin, reference, route, reasons, language, interpreter, "
                         "waiting_list, contact, best_times, consent_version, created_at, sealed) VALUES (gen_random_uuid(), " +
                         std::to_string(practice) + ", 'kiosk:kiosk-1', '" + refs[3] +
                         "', 'self', 'moving', 'pl', false, false, 'phone', '', '2026-01', 1, decode(repeat('00', 64), 'hex'))");

    Lines log;
    pg::Forwarder forwarder(Options(kiosk, conninfo, log));
    CHECK(Must(forwarder.RunOnce()) == 9);
    CHECK(Must(forwarder.RunOnce()) == 0);  // refused ones are not sent again by themselves
    CHECK(server.Count() == 10);
    CHECK(LocalCount(kiosk.db, "referrals") == 1);
    const auto backlog = Must(store::ForwardRepo(kiosk.db).Count());
    CHECK(backlog.pending == 0);
    CHECK(backlog.rejected == 1);
    CHECK(server.cluster->Scalar("SELECT rejected FROM htk.kiosks") == "1");
    CHECK(log.Any("refused request"));
    CHECK(log.Any("23505"));
    CHECK_FALSE(log.Any("Patient"));
    CHECK(Must(store::ReferralRepo(kiosk.db).GetByReference(refs[3])).reference == refs[3]);
}

TEST_CASE("server down mid-way through 1,000 referrals from two kiosks: every one acknowledged, and each arrives exactly once") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown");
    test::LocalKiosk kiosks[2];
    Lines logs[2];
    std::unique_ptr<pg::Forwarder> forwarders[2];
    std::unique_ptr<app::SqliteKioskStore> stores[2];
    core::FixedZone utc{0};
    for (int k = 0; k < 2; ++k) {
        const std::string id = "kiosk-" + std::to_string(k + 1);
        forwarders[k] = std::make_unique<pg::Forwarder>(Options(kiosks[k], server.AddKiosk(practice, id), logs[k]));
        pg::Forwarder* f = forwarders[k].get();
        stores[k] = std::make_unique<app::SqliteKioskStore>(kiosks[k].db, utc, kiosks[k].key, "kiosk:" + id,
                                                            app::Forwarding{.queued = [f] { f->Wake(); }});
        forwarders[k]->Start();
    }

    constexpr int kReferrals = 1000;
    const auto began = std::chrono::steady_clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count(); };
    std::vector<std::string> acknowledged[2];
    double slowest_ms = 0;
    int busy_retries = 0;
    for (int i = 0; i < kReferrals; ++i) {
        if (i == 300) server.cluster->Stop();
        if (i == 700) {
            // Down for seconds, long enough for both workers to have failed and backed off.
            for (auto& f : forwarders) CHECK_FALSE(f->Status().problem.empty());
            server.cluster->Start();
        }
        const int k = i % 2;
        const auto start = std::chrono::steady_clock::now();
        auto reference = stores[k]->Submit(test::SampleReferral(i), 1000 + i);
        // Busy: the worker held the write lock past the kiosk's 200 ms; the App asks again on later
        // frames for kSendPatienceSeconds, and so does this patient.
        for (int retry = 0; !reference && reference.error().code == core::Errc::Busy && retry < 20; ++retry) {
            ++busy_retries;
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
            reference = stores[k]->Submit(test::SampleReferral(i), 1000 + i);
        }
        slowest_ms = std::max(slowest_ms, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        REQUIRE_MESSAGE(reference, "referral " << i << " was not acknowledged: "
                                               << (reference ? "" : std::string(core::ErrcName(reference.error().code))));
        acknowledged[k].push_back(*reference);
        if (i % 50 == 0 || (i >= 300 && i < 700)) std::this_thread::sleep_for(std::chrono::milliseconds(8));  // patients arrive over time
    }
    // While the server was down, the kiosks said so (once each), and kept everything.
    CHECK(logs[0].Any("cannot be reached"));
    CHECK(logs[1].Any("cannot be reached"));

    const double submitted_s = seconds();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline && server.Count() < kReferrals)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    for (auto& f : forwarders) f->Stop();

    CHECK(server.Count() == kReferrals);
    CHECK(server.cluster->Scalar("SELECT count(DISTINCT uid) FROM htk.referrals") == std::to_string(kReferrals));
    for (int k = 0; k < 2; ++k) {
        const std::string origin = "kiosk:kiosk-" + std::to_string(k + 1);
        CHECK(server.Count("origin = '" + origin + "'") == static_cast<long>(acknowledged[k].size()));
        CHECK(server.References(origin) == test::Joined(acknowledged[k]));
        CHECK(LocalCount(kiosks[k].db, "referrals") == 0);
        CHECK(logs[k].Any("reachable again"));
    }
    std::printf("outage: %d referrals from 2 kiosks, server down for 400 of them: all acknowledged in %.1f s (slowest "
                "%.1f ms, %d asked again after Busy), all on the server once %.1f s later\n", kReferrals, submitted_s, slowest_ms,
                busy_retries, seconds() - submitted_s);
}

TEST_CASE("a patient at a kiosk on the shared database: asked for a call back instead of a slot, the request reaches the server") {
    test::Server server;
    const auto conninfo = server.AddKiosk(server.AddPractice("Chapeltown"), "kiosk-1");
    int queued = 0;
    test::KioskOptions options;
    options.forwarding = app::Forwarding{.queued = [&] { ++queued; }};
    test::Kiosk k(options);
    test::StartIn(k, "ur");
    const std::string booked = test::Book(k, "ur");  // no slots offered: the call back instead
    k.Tap("sent.finish");
    test::StartIn(k, "bn");
    const std::string referred = test::Refer(k, "bn");
    CHECK(queued == 2);

    Lines log;
    pg::ForwarderOptions o;
    o.database = k.DataDir() / "kiosk.db";
    o.conninfo = conninfo;
    o.log = log.Sink();
    pg::Forwarder forwarder(std::move(o));
    CHECK(Must(forwarder.RunOnce()) == 2);
    CHECK(server.References("kiosk:kiosk-1") == test::Joined({booked, referred}));
    CHECK(server.cluster->Scalar("SELECT waiting_list FROM htk.referrals WHERE reference = '" + booked + "'") == "t");
    CHECK(server.cluster->Scalar("SELECT language FROM htk.referrals WHERE reference = '" + referred + "'") == "bn");
    CHECK(LocalCount(k.Db(), "referrals") == 0);
}

TEST_CASE("a patient books a slot on the shared database from a kiosk, and with the server away is offered a call back") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown");
    const std::string p = std::to_string(practice);
    const core::UnixSeconds day = test::kStartWall + 86400;  // Tuesday 08:00
    server.cluster->Exec("INSERT INTO htk.trainers (practice_id, id, display_name, languages) VALUES (" + p + ", 7, 'Ayşe Demir', 'tr,ku'), (" + p +
                         ", 9, 'Bilal Ahmed', 'ur,pa');"
                         "INSERT INTO htk.slots SELECT " + p + ", t, " + std::to_string(day) + " + h * 3600, " + std::to_string(day + 3600) +
                         " + h * 3600 FROM unnest(ARRAY[7, 9]) t, generate_series(1, 4) h");
    const auto conninfo = server.AddKiosk(practice, "kiosk-1");
    double steady = 1000;
    auto slots = std::make_shared<pg::SlotCache>();
    Lines log;
    std::unique_ptr<pg::Forwarder> forwarder;
    int queued = 0;
    test::KioskOptions options;
    options.forwarding = app::Forwarding{.queued = [&] { ++queued; }, .server = conninfo, .slots = slots, .steady = [&] { return steady; }};
    test::Kiosk k(options);
    {
        pg::ForwarderOptions o;
        o.database = k.DataDir() / "kiosk.db";
        o.conninfo = conninfo;
        o.log = log.Sink();
        o.slots = slots;
        o.steady = [&] { return steady; };
        o.wall = [&] { return k.Wall(); };
        forwarder = std::make_unique<pg::Forwarder>(std::move(o));
    }
    REQUIRE(Must(forwarder->RunOnce()) == 0);  // reads the server's free slots

    test::StartIn(k, "ur");
    const std::string booked = test::Book(k, "ur");
    // Booked on the server, in one transaction with its request: Bilal speaks Urdu, so his first slot.
    CHECK(server.cluster->Scalar("SELECT b.trainer_id || ' ' || (b.start_at - " + std::to_string(day) + ") || ' ' || r.status || ' ' || r.origin "
                                 "FROM htk.bookings b JOIN htk.referrals r ON r.id = b.referral_id WHERE r.reference = '" + booked + "'") ==
          "9 3600 booked kiosk:kiosk-1");
    CHECK(queued >= 1);                         // the slots list asked the worker for a fresher copy
    CHECK(LocalCount(k.Db(), "referrals") == 0);  // the server's COMMIT was the acknowledgement
    REQUIRE(Must(forwarder->RunOnce()) == 0);
    CHECK(slots->Get(steady, 1)->size() == 7);  // the booked slot is gone from every kiosk's next list

    // The server goes away; once the kiosk's copy of the slots is too old, the kiosk says booking is
    // unavailable (not that the practice is full) and offers a call back.
    server.cluster->Stop();
    CHECK_FALSE(forwarder->RunOnce());
    steady += app::kServerSlotsMaxAge + 1;
    k.Tap("sent.finish");
    test::StartIn(k, "ur");
    k.Tap("home.book");
    REQUIRE(k.Screen() == "no_slots");
    CHECK(k.Drew("booking.unavailable_title"));
    CHECK_FALSE(k.Drew("booking.none_title"));
    k.Tap("common.back");
    const std::string called_back = test::Book(k, "ur");
    CHECK(LocalCount(k.Db(), "forward_queue") == 1);  // kept here, durable, until the server is back
    server.cluster->Start();
    CHECK(Must(forwarder->RunOnce()) == 1);
    CHECK(server.cluster->Scalar("SELECT waiting_list FROM htk.referrals WHERE reference = '" + called_back + "'") == "t");
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.bookings") == "1");
}

TEST_CASE("the server goes away between the list of times and Book: the kiosk says booking is unavailable, keeps the answers, and sends them as a call back") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown");
    const std::string p = std::to_string(practice);
    const core::UnixSeconds day = test::kStartWall + 86400;
    server.cluster->Exec("INSERT INTO htk.trainers (practice_id, id, display_name, languages) VALUES (" + p + ", 9, 'Bilal Ahmed', 'ur,pa');"
                         "INSERT INTO htk.slots VALUES (" + p + ", 9, " + std::to_string(day + 3600) + ", " + std::to_string(day + 7200) + ")");
    const auto conninfo = server.AddKiosk(practice, "kiosk-1");
    auto slots = std::make_shared<pg::SlotCache>();
    test::KioskOptions options;
    options.forwarding = app::Forwarding{.queued = [] {}, .server = conninfo, .slots = slots, .steady = [] { return 1000.0; }};
    test::Kiosk k(options);
    pg::ForwarderOptions o;
    o.database = k.DataDir() / "kiosk.db";
    o.conninfo = conninfo;
    o.slots = slots;
    o.steady = [] { return 1000.0; };
    o.wall = [&] { return k.Wall(); };
    pg::Forwarder forwarder(std::move(o));
    REQUIRE(Must(forwarder.RunOnce()) == 0);

    test::StartIn(k, "ur");
    k.Tap("home.book");
    REQUIRE(k.Screen() == "slots");
    k.Tap("booking.slot.0");
    test::FillDetails(k, "ur");
    server.cluster->Stop();  // after the patient typed everything
    k.Tap("review.book");
    for (int i = 0; i < 400 && k.Screen() == "review"; ++i) {  // the booking thread answers Unavailable
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        k.Advance(app::kSendRetrySeconds);
    }
    // Nothing was stored; the no-slots screen says why and offers the call back.
    REQUIRE(k.Screen() == "no_slots");
    CHECK(k.Drew("booking.unavailable_title"));
    CHECK(LocalCount(k.Db(), "referrals") == 0);
    k.Tap("booking.callback");
    // The answers are still there: Next through each screen to the review, and sent as a call back, locally.
    for (int i = 0; i < 16 && k.Screen() != "review"; ++i) k.Tap(k.Shows("consent.agree") ? "consent.agree" : "common.next");
    const std::string reference = test::Send(k, "review.send");
    CHECK(reference.size() == 8);
    CHECK(LocalCount(k.Db(), "forward_queue") == 1);
    server.cluster->Start();
    CHECK(Must(forwarder.RunOnce()) == 1);
    CHECK(server.cluster->Scalar("SELECT waiting_list FROM htk.referrals WHERE reference = '" + reference + "'") == "t");
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.bookings") == "0");
}

TEST_CASE("reception on its own machine lists the forwarded requests, reveals details with its key (audited there) and moves a request on") {
    test::Server server;
    const auto chapeltown = server.AddPractice("Chapeltown");
    test::LocalKiosk practice;  // the practice's file on reception's machine: the staff's keys
    test::LocalKiosk other_kiosk;
    core::FixedZone utc{0};
    // Two kiosks of the practice (sealing to its key) and one of another practice.
    app::SqliteKioskStore k1(practice.db, utc, practice.key, "kiosk:kiosk-1", app::Forwarding{.queued = [] {}});
    app::SqliteKioskStore k3(other_kiosk.db, utc, other_kiosk.key, "kiosk:kiosk-3", app::Forwarding{.queued = [] {}});
    const std::string mine = Must(k1.Submit(test::SampleReferral(1), test::kStartWall));
    Must(k3.Submit(test::SampleReferral(2), test::kStartWall));
    Lines log;
    Must(pg::Forwarder(Options(practice, server.AddKiosk(chapeltown, "kiosk-1"), log)).RunOnce());
    Must(pg::Forwarder(Options(other_kiosk, server.AddKiosk(server.AddPractice("Harehills"), "kiosk-3"), log)).RunOnce());
    server.cluster->Exec(std::string("CREATE ROLE reception LOGIN PASSWORD '") + test::kLoginPassword + "' IN ROLE htk_desk;"
                         "INSERT INTO htk.desks VALUES ('reception', " + std::to_string(chapeltown) + ")");
    const std::string desk = server.cluster->ConnInfo("reception", test::kLoginPassword);
    const auto run = [&](std::vector<std::string> args) {
        test::PassphrasePipe pass({"correct horse battery staple"});
        std::vector<std::string> all = {"--database", practice.path.string(), "--staff", "Rukhsana", "--passphrase-fd", pass.Fd()};
        all.insert(all.end(), args.begin(), args.end());
        return test::RunCli(all, test::kStartWall + 600);
    };

    auto listed = run({"db", "requests", "--server", desk});
    REQUIRE(listed.code == 0);
    CHECK(listed.out.starts_with(mine + "  new  2026-11-23 08:00  self  moving  ur  phone (morning)  from kiosk:kiosk-1\n"));
    CHECK(test::Lines(listed.out) == 2);  // its own practice's request only, and the line about --reveal
    CHECK(listed.out.find("Patient 1") == std::string::npos);

    const auto audited = [&] {
        return CountOf(practice.db, "SELECT count(*) FROM audit_log WHERE action = 'sealed.reveal' AND subject = 'server:kiosk:kiosk-1/" + mine + "'");
    };
    REQUIRE(audited() == 0);
    listed = run({"db", "requests", "--server", desk, "--reveal"});
    REQUIRE(listed.code == 0);
    CHECK(listed.out.find("    name: Patient 1  phone: +447700900456\n") != std::string::npos);
    CHECK(audited() == 1);

    auto moved = run({"db", "set-status", "--server", desk, "--reference", mine, "--status", "contacted"});
    REQUIRE(moved.code == 0);
    CHECK(moved.out == mine + " from kiosk:kiosk-1: new -> contacted\n");
    CHECK(server.cluster->Scalar("SELECT status FROM htk.referrals WHERE reference = '" + mine + "'") == "contacted");
    // The server keeps its own history of the change, whoever made it: the login, not a claim of the client.
    CHECK(server.cluster->Scalar("SELECT by_login || ' ' || from_status || '->' || to_status FROM htk.referral_events") ==
          "reception new->contacted");
    moved = run({"db", "set-status", "--server", desk, "--reference", mine, "--status", "new"});
    CHECK(moved.code == 2);  // contacted -> new is not a move the workflow has
    // A second desk that still saw it as new cannot overwrite the first's change.
    auto second_desk = Must(pg::Connection::Open(desk));
    const auto id = std::stoll(server.cluster->Scalar("SELECT id FROM htk.referrals WHERE reference = '" + mine + "'"));
    CHECK(pg::SetRequestStatus(second_desk, id, core::ReferralStatus::New, core::ReferralStatus::Cancelled).error().code == core::Errc::Busy);
    moved = run({"db", "set-status", "--server", desk, "--reference", "ABC-DEFG", "--status", "closed"});
    CHECK(moved.code == 2);
    CHECK(moved.err.find("no request ABC-DEFG") != std::string::npos);
    CHECK(run({"db", "requests", "--server", desk, "--status", "new"}).out == "No requests.\n");

    // A note on it from the command line: sealed on the server, audited here without its text.
    const auto note = [&](const std::string& reference, const std::string& text) {
        return AsRukhsana(practice, {"db", "note", "--server", desk, "--reference", reference}, text, test::kStartWall + 700);
    };
    const auto noted = note(mine, "Call after 5pm; her son translates\n");
    REQUIRE(noted.code == 0);
    CHECK(noted.out == "Note " + server.cluster->Scalar("SELECT id FROM htk.referral_notes") + " added to " + mine + " from kiosk:kiosk-1 (sealed)\n");
    CHECK(server.cluster->Scalar("SELECT position(convert_to('5pm', 'UTF8') IN sealed) FROM htk.referral_notes") == "0");
    CHECK(CountOf(practice.db, "SELECT count(*) FROM audit_log WHERE action = 'referral.note' AND actor = 'staff:Rukhsana' AND subject = "
                               "'server:kiosk:kiosk-1/" + mine + "' AND detail NOT LIKE '%5pm%'") == 1);
    CHECK(note(mine, "  \n").code == 2);  // an empty note is refused
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.referral_notes") == "1");
}

TEST_CASE("requests taken at a desk reach the shared database through the desk's login, once, and only a desk sends them that way") {
    test::Server server;
    test::LocalKiosk desk;  // a desk's practice file is made as a kiosk's is
    const auto practice = server.AddPractice("Chapeltown");
    const auto reception = server.AddDesk(practice, "reception");
    const auto kiosk = server.AddKiosk(practice, "kiosk-1");
    std::vector<std::string> references;
    for (int i = 0; i < 3; ++i) {
        auto tx = Must(store::Transaction::Begin(desk.db));
        const auto made = Must(store::ReferralRepo(desk.db).Create(test::SampleReferral(i), desk.key, "staff:Tomasz", 1000 + i));
        Must(store::ForwardRepo(desk.db).Enqueue(made.id, 1000 + i));
        Must(tx.Commit());
        references.push_back(made.reference);
    }

    Lines log;
    auto options = Options(desk, reception, log);
    options.desk = true;
    pg::Forwarder outbox(options);
    CHECK(Must(outbox.RunOnce()) == 3);
    CHECK(Must(outbox.RunOnce()) == 0);
    CHECK(server.References("desk:reception") == test::Joined(references));
    CHECK(server.Count("practice_id = " + std::to_string(practice)) == 3);
    CHECK(LocalCount(desk.db, "referrals") == 0);
    CHECK(LocalCount(desk.db, "forward_queue") == 0);
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.kiosks WHERE last_contact IS NOT NULL") == "0");  // a desk is no kiosk

    // Sent again after a lost answer: kept once.
    const std::string uid = server.cluster->Scalar("SELECT uid FROM htk.referrals LIMIT 1");
    const auto send = [&](const std::string& conninfo, const char* function) {
        auto db = Must(pg::Connection::Open(conninfo, "test"));
        return db.Query(std::string("SELECT htk.") + function + "($1, 'ABC-DEFG', 'self', 'moving', 'ur', false, false, 'phone', '', "
                        "'desk', 1000, decode(repeat('00', 64), 'hex'))", {pg::Text(uid)});
    };
    auto resent = send(reception, "desk_forward");
    REQUIRE(resent);
    CHECK(resent->Text(0, 0) == "f");
    CHECK(server.Count() == 3);

    // A kiosk cannot pass its requests off as a desk's, nor a desk as a kiosk.
    auto refused = send(kiosk, "desk_forward");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == core::Errc::Forbidden);
    refused = send(reception, "kiosk_forward");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == core::Errc::Forbidden);
    CHECK(server.Count() == 3);
}

TEST_CASE("once a practice's times are booked on the shared database, a request taken with requests add waits to be sent, and db send sends it once") {
    test::Server server;
    test::LocalKiosk practice;  // the practice's file on reception's machine
    const auto reception = server.AddDesk(server.AddPractice("Chapeltown"), "reception");
    Must(store::SettingsRepo(practice.db).MarkShared(test::kStartWall));  // `db publish` ran
    const auto run = [&](const std::vector<std::string>& args, const std::string& input) {
        return AsRukhsana(practice, args, input, test::kStartWall + 600);
    };
    const auto taken = run({"requests", "add", "--route", "self", "--reasons", "moving", "--language", "so"},
                           "name: Tusaale Bukaan\ndate_of_birth: 1979-02-11\nphone: 07400 123456\n");
    CAPTURE(taken.err);
    REQUIRE(taken.code == 0);
    CHECK(taken.out.find(": queued for the shared database, where it is worked on") != std::string::npos);
    CHECK(LocalCount(practice.db, "forward_queue") == 1);

    const auto sent = run({"db", "send", "--server", reception}, "");
    CAPTURE(sent.err);
    REQUIRE(sent.code == 0);
    CHECK(sent.out == "sent 1 request to the shared database\n");
    CHECK(server.cluster->Scalar("SELECT origin || ' ' || language || ' ' || consent_version FROM htk.referrals") == "desk:reception so desk");
    CHECK(server.Count("position(convert_to('Tusaale', 'UTF8') IN sealed) > 0") == 0);  // sealed on the way
    CHECK(LocalCount(practice.db, "referrals") == 0);
    CHECK(run({"db", "send", "--server", reception}, "").out == "sent 0 requests to the shared database\n");
    CHECK(server.Count() == 1);
}
