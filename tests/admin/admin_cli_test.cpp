// ht-admin through its library: what a practice manager and a receptionist type, end to end,
// with passphrases fed on a pipe as --passphrase-fd does for scripts.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>

#include "admin_fixture.h"
#include "store/audit_repo.h"
#include "store/booking_repo.h"
#include "store/database.h"
#include "store/referral_repo.h"
#include "store/sealing.h"
#include "store/settings_repo.h"
#include "tests/env_var.h"
#include "store/trainer_repo.h"

using namespace htk;
using test::RunCli;

namespace {

const std::string kPass = "rukhsana's long passphrase";

// A practice set up with init, as a manager would on day one.
struct InitDone {
    test::TempDir dir;
    std::string db = dir.File("data/kiosk.db").string();
    std::string config = dir.File("kiosk.conf").string();
    test::CliResult init;

    InitDone() {
        test::PassphrasePipe pass{kPass};
        init = RunCli({"--database", db, "init", "--practice", "Chapeltown Health Centre", "--staff", "Rukhsana",
                       "--kiosk-config", config, "--passphrase-fd", pass.Fd()});
        REQUIRE_MESSAGE(init.code == 0, init.err);
    }

    // As the manager Rukhsana, unless the test feeds its own passphrases.
    test::CliResult Cli(std::vector<std::string> args, core::UnixSeconds now = test::Friday27March0800()) const {
        args.insert(args.begin(), {"--database", db});
        if (std::find(args.begin(), args.end(), "--passphrase-fd") != args.end()) return RunCli(std::move(args), now);
        test::PassphrasePipe pass{kPass};
        args.insert(args.end(), {"--passphrase-fd", pass.Fd()});
        if (std::find(args.begin(), args.end(), "--staff") == args.end()) args.insert(args.end(), {"--staff", "Rukhsana"});
        return RunCli(std::move(args), now);
    }
};

std::string ConfigValue(const std::string& text, const std::string& key) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(key + " = ", 0) == 0) return line.substr(key.size() + 3);
    return {};
}

}  // namespace

TEST_CASE("a manager sets up a new practice and gets the public key the kiosk needs") {
    InitDone p;
    CHECK(p.init.out.find("Chapeltown Health Centre") != std::string::npos);
    auto db = store::Open(p.db);
    REQUIRE(db.ok());
    auto key = store::PracticePublicKey(*db);
    REQUIRE(key.ok());
    const auto b64 = store::PublicKeyToBase64(*key);
    CHECK(p.init.out.find(b64) != std::string::npos);
    CHECK(p.init.out.find(kPass) == std::string::npos);

    const auto conf = test::ReadText(p.config);
    CHECK(conf.rfind("# Health Trainer Kiosk configuration\n[practice]\n", 0) == 0);
    CHECK(ConfigValue(conf, "name") == "Chapeltown Health Centre");
    CHECK(ConfigValue(conf, "time_zone") == "Europe/London");
    CHECK(ConfigValue(conf, "public_key") == b64);
    CHECK(conf.find("[kiosk]\nid = kiosk-1\n") != std::string::npos);
    CHECK(ConfigValue(conf, "database") == p.db);
    CHECK(conf.find("secret") == std::string::npos);
    CHECK(conf.find("locales") == std::string::npos);  // the shipped packs unless --locales says otherwise

    const auto staff = store::ListStaff(*db);
    REQUIRE(staff.ok());
    REQUIRE(staff->size() == 1);
    CHECK(staff->front().role == store::StaffRole::Manager);
    CHECK(store::Unlock(*db, "Rukhsana", kPass, 1).ok());
    struct stat st {};
    REQUIRE(::stat(std::filesystem::path(p.db).parent_path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
}

TEST_CASE("init --locales names the kiosk's language packs folder (the appliance's is on its data partition)") {
    test::TempDir dir;
    const auto db = dir.File("kiosk.db").string();
    const auto config = dir.File("kiosk.conf").string();
    const auto locales = dir.File("data/locales").string();
    test::PassphrasePipe pass{kPass};
    const auto init = RunCli({"--database", db, "init", "--practice", "Chapeltown Health Centre", "--staff", "Rukhsana",
                              "--kiosk-config", config, "--locales", locales, "--passphrase-fd", pass.Fd()});
    REQUIRE_MESSAGE(init.code == 0, init.err);
    const auto conf = test::ReadText(config);
    CHECK(ConfigValue(conf, "locales") == locales);
    CHECK(conf.find("[kiosk]\nid = kiosk-1\ndatabase = " + db + "\nlocales = " + locales + "\n") != std::string::npos);
}

TEST_CASE("init with --json prints one object with the public key") {
    test::TempDir dir;
    test::PassphrasePipe pass{kPass};
    const auto r = RunCli({"--database", dir.File("kiosk.db").string(), "--json", "init", "--practice", "Harehills",
                           "--staff", "Rukhsana", "--time-zone", "Europe/London", "--passphrase-fd", pass.Fd()});
    REQUIRE(r.code == 0);
    CHECK(r.out.front() == '{');
    CHECK(r.out.find("\"public_key\":\"") != std::string::npos);
    CHECK(test::Lines(r.out) == 1);
}

TEST_CASE("init a second time is refused: the existing key pair stays") {
    InitDone p;
    auto before = store::Open(p.db);
    REQUIRE(before.ok());
    const auto key = *store::PracticePublicKey(*before);
    test::PassphrasePipe pass{"another long passphrase"};
    const auto r = p.Cli({"init", "--practice", "Somewhere Else", "--staff", "Mallory", "--passphrase-fd", pass.Fd()});
    CHECK(r.code == 2);
    CHECK(r.err.find("already set up") != std::string::npos);
    CHECK(*store::PracticePublicKey(*before) == key);
    CHECK(store::SettingsRepo(*before).Get()->name == "Chapeltown Health Centre");
}

TEST_CASE("init with a short passphrase or an unknown time zone creates nothing") {
    test::TempDir dir;
    const auto db = dir.File("kiosk.db").string();
    {
        test::PassphrasePipe pass{"short"};
        const auto r = RunCli({"--database", db, "init", "--practice", "P", "--staff", "S", "--passphrase-fd", pass.Fd()});
        CHECK(r.code == 2);
        CHECK(r.err.find("at least") != std::string::npos);
    }
    {
        test::PassphrasePipe pass{kPass};
        const auto r = RunCli({"--database", db, "init", "--practice", "P", "--staff", "S", "--time-zone",
                               "Europe/Atlantis", "--passphrase-fd", pass.Fd()});
        CHECK(r.code == 2);
        CHECK(r.err.find("Europe/Atlantis") != std::string::npos);
    }
    {
        const auto r = RunCli({"--database", db, "init", "--staff", "S"});
        CHECK(r.code == 2);
        CHECK(r.err.find("--practice") != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE("a manager adds trainers with their languages and lists them") {
    InitDone p;
    auto r = p.Cli({"trainers", "add", "--name", "Ayşe Demir", "--languages", "tr, ku,en"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("Added trainer 1: Ayşe Demir (tr, ku, en)") != std::string::npos);
    REQUIRE(p.Cli({"trainers", "add", "--name", "Hodan Warsame", "--languages", "so,ar", "--inactive"}).code == 0);
    r = p.Cli({"trainers", "list"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("1  Ayşe Demir  [tr, ku, en]") != std::string::npos);
    CHECK(r.out.find("2  Hodan Warsame  [so, ar]  (inactive)") != std::string::npos);
    r = p.Cli({"trainers", "list", "--json"});
    CHECK(r.out.find("{\"id\":1,\"name\":\"Ayşe Demir\",\"languages\":[\"tr\",\"ku\",\"en\"],\"active\":true}") !=
          std::string::npos);
    REQUIRE(p.Cli({"trainers", "activate", "--trainer", "2"}).code == 0);
    REQUIRE(p.Cli({"trainers", "languages", "--trainer", "2", "--languages", "so,ar,en"}).code == 0);
    CHECK(p.Cli({"trainers", "list"}).out.find("2  Hodan Warsame  [so, ar, en]\n") != std::string::npos);

    auto db = store::Open(p.db);
    REQUIRE(db.ok());
    store::AuditFilter f;
    f.action = "trainer.";
    CHECK(store::AuditRepo(*db).List(f)->size() == 4);
}

TEST_CASE("bad trainer input exits 2 and adds nobody") {
    InitDone p;
    CHECK(p.Cli({"trainers", "add", "--languages", "tr"}).code == 2);
    const auto r = p.Cli({"trainers", "add", "--name", "X", "--languages", "turkish!"});
    CHECK(r.code == 2);
    CHECK(r.err.find("turkish!") != std::string::npos);
    CHECK(p.Cli({"trainers", "activate", "--trainer", "9"}).code == 2);
    CHECK(p.Cli({"trainers", "activate", "--trainer", "two"}).code == 2);
    CHECK(p.Cli({"trainers", "list"}).out.find("No trainers yet") != std::string::npos);
}

TEST_CASE("a manager sets weekly hours, an exception and a blocked day, and reads them back") {
    InitDone p;
    REQUIRE(p.Cli({"trainers", "add", "--name", "Imran Hussain", "--languages", "ur,pa"}).code == 0);
    auto r = p.Cli({"plans", "set", "--trainer", "1", "--day", "mon-wed,fri", "--hours", "09:00-17:00/12:30-13:00"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("Mon, Tue, Wed, Fri: 09:00-17:00/12:30-13:00") != std::string::npos);
    REQUIRE(p.Cli({"plans", "set", "--trainer", "1", "--date", "2026-12-24", "--hours", "off"}).code == 0);
    REQUIRE(p.Cli({"plans", "set", "--trainer", "1", "--date", "2026-12-23", "--hours", "09:00-12:00"}).code == 0);
    REQUIRE(p.Cli({"plans", "block", "--date", "2026-12-25", "--reason", "Christmas Day"}).code == 0);
    r = p.Cli({"plans", "show", "--trainer", "1"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("  Mon  09:00-17:00/12:30-13:00\n") != std::string::npos);
    CHECK(r.out.find("  Thu  off\n") != std::string::npos);
    CHECK(r.out.find("  2026-12-23  09:00-12:00\n") != std::string::npos);
    CHECK(r.out.find("  2026-12-24  off\n") != std::string::npos);
    CHECK(r.out.find("  2026-12-25  Christmas Day\n") != std::string::npos);

    REQUIRE(p.Cli({"plans", "clear", "--trainer", "1", "--date", "2026-12-23"}).code == 0);
    REQUIRE(p.Cli({"plans", "unblock", "--date", "2026-12-25"}).code == 0);
    r = p.Cli({"plans", "show", "--json"});
    CHECK(r.out.find("\"exceptions\":[{\"date\":\"2026-12-24\",\"hours\":\"off\"}]") != std::string::npos);
    CHECK(r.out.find("\"blocked_days\":[]") != std::string::npos);
}

TEST_CASE("plans refuse bad hours, days and dates with exit 2 and keep the old plan") {
    InitDone p;
    REQUIRE(p.Cli({"trainers", "add", "--name", "Imran Hussain"}).code == 0);
    REQUIRE(p.Cli({"plans", "set", "--trainer", "1", "--day", "mon", "--hours", "09:00-17:00"}).code == 0);
    CHECK(p.Cli({"plans", "set", "--trainer", "1", "--day", "mon", "--hours", "17:00-09:00"}).code == 2);
    CHECK(p.Cli({"plans", "set", "--trainer", "1", "--day", "mon", "--hours", "09:00-12:00/13:00-14:00"}).code == 2);
    CHECK(p.Cli({"plans", "set", "--trainer", "1", "--day", "funday", "--hours", "09:00-12:00"}).code == 2);
    CHECK(p.Cli({"plans", "set", "--trainer", "1", "--day", "fri-mon", "--hours", "09:00-12:00"}).code == 2);
    CHECK(p.Cli({"plans", "set", "--trainer", "1", "--date", "2026-02-30", "--hours", "off"}).code == 2);
    CHECK(p.Cli({"plans", "set", "--trainer", "1", "--day", "mon", "--date", "2026-03-02", "--hours", "off"}).code == 2);
    CHECK(p.Cli({"plans", "set", "--trainer", "7", "--day", "mon", "--hours", "off"}).code == 2);
    CHECK(p.Cli({"plans", "clear", "--trainer", "1", "--date", "2026-03-02"}).code == 2);
    CHECK(p.Cli({"plans", "show"}).out.find("  Mon  09:00-17:00\n") != std::string::npos);
}

TEST_CASE("reception lists free slots in UK local time across the spring clock change") {
    InitDone p;
    REQUIRE(p.Cli({"trainers", "add", "--name", "Nasreen Begum", "--languages", "bn"}).code == 0);
    REQUIRE(p.Cli({"trainers", "add", "--name", "Katarzyna Nowak", "--languages", "pl"}).code == 0);
    REQUIRE(p.Cli({"plans", "set", "--trainer", "1", "--day", "mon-fri", "--hours", "09:00-12:00"}).code == 0);
    REQUIRE(p.Cli({"plans", "set", "--trainer", "2", "--day", "mon", "--hours", "14:00-16:00"}).code == 0);
    // Now: Friday 27 March 08:00 GMT; two hours' notice leaves Friday 10:00 and 11:00.
    auto r = p.Cli({"slots", "list", "--days", "4"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("Fri 2026-03-27\n  10:00-11:00  1 Nasreen Begum\n  11:00-12:00  1 Nasreen Begum\n") !=
          std::string::npos);
    CHECK(r.out.find("Sat 2026-03-28") == std::string::npos);
    CHECK(r.out.find("Mon 2026-03-30\n  09:00-10:00  1 Nasreen Begum\n") != std::string::npos);
    CHECK(r.out.find("  14:00-15:00  2 Katarzyna Nowak\n") != std::string::npos);

    r = p.Cli({"slots", "list", "--trainer", "2", "--json"});
    REQUIRE(r.code == 0);
    // 14:00 BST on 30 March is 13:00 UTC.
    const auto utc = core::LocalDate{2026, 3, 30}.DaysSinceEpoch() * 86400 + 13 * 3600;
    CHECK(r.out.find("\"start\":\"2026-03-30T14:00\",\"end\":\"2026-03-30T15:00\",\"start_utc\":" +
                     std::to_string(utc)) != std::string::npos);
    CHECK(r.out.find("Nasreen") == std::string::npos);
    CHECK(p.Cli({"slots", "list", "--days", "0"}).code == 2);
    CHECK(p.Cli({"slots", "list", "--trainer", "5"}).code == 2);
}

TEST_CASE("requests are listed sealed - the passphrase reveals them and every reveal is audited") {
    InitDone p;
    auto db = store::Open(p.db);
    REQUIRE(db.ok());
    core::Referral referral;
    referral.reasons = {core::Reason::StoppingSmoking};
    referral.preferred_language = "tr";
    referral.interpreter = true;
    referral.consent_version = "2026-01";
    referral.patient.name = "Ayşe Örnek";
    referral.patient.phone = "+447700900123";
    const auto created = store::ReferralRepo(*db).Create(referral, *store::PracticePublicKey(*db), "kiosk:kiosk-1",
                                                         test::Friday27March0800() - 3600);
    REQUIRE(created.ok());

    auto r = p.Cli({"requests", "list"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find(created->reference + "  new  2026-03-27 07:00  self  smoking  tr +interpreter") != std::string::npos);
    CHECK(r.out.find("Örnek") == std::string::npos);
    CHECK(r.out.find("sealed") != std::string::npos);

    test::PassphrasePipe pass{kPass};
    r = p.Cli({"requests", "list", "--reveal", "--passphrase-fd", pass.Fd()});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("name: Ayşe Örnek") != std::string::npos);
    CHECK(r.out.find("phone: +447700900123") != std::string::npos);
    store::AuditFilter f;
    f.action = "sealed.reveal";
    const auto reveals = store::AuditRepo(*db).List(f);
    REQUIRE(reveals->size() == 1);
    CHECK(reveals->front().actor == "staff:Rukhsana");
    CHECK(reveals->front().subject == "referral:" + std::to_string(created->id));

    test::PassphrasePipe again{kPass};
    r = p.Cli({"requests", "list", "--reveal", "--json", "--staff", "Rukhsana", "--passphrase-fd", again.Fd()});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("\"patient\":{\"name\":\"Ayşe Örnek\"") != std::string::npos);
    CHECK(store::AuditRepo(*db).List(f)->size() == 2);
}

TEST_CASE("a wrong passphrase exits 1, reveals nothing, and the failed attempt is audited") {
    InitDone p;
    auto db = store::Open(p.db);
    REQUIRE(db.ok());
    core::Referral referral;
    referral.reasons = {core::Reason::LowMood};
    referral.preferred_language = "so";
    referral.consent_version = "2026-01";
    referral.patient.name = "Tusaale Bukaan";
    REQUIRE(store::ReferralRepo(*db).Create(referral, *store::PracticePublicKey(*db), "kiosk:kiosk-1", 1).ok());

    test::PassphrasePipe pass{"not the passphrase at all"};
    const auto r = p.Cli({"requests", "list", "--reveal", "--passphrase-fd", pass.Fd()});
    CHECK(r.code == 1);
    CHECK(r.out.find("Tusaale") == std::string::npos);
    CHECK(r.err.find("wrong passphrase") != std::string::npos);
    CHECK(r.err.find("not the passphrase") == std::string::npos);
    CHECK(test::Lines(r.err) == 1);
    store::AuditFilter f;
    f.action = "key.unlock_failed";
    CHECK(store::AuditRepo(*db).List(f)->size() == 1);
    f.action = "sealed.reveal";
    CHECK(store::AuditRepo(*db).List(f)->empty());

    test::PassphrasePipe empty{};
    CHECK(p.Cli({"requests", "list", "--reveal", "--passphrase-fd", empty.Fd()}).code == 2);
    test::PassphrasePipe nobody{kPass};
    CHECK(p.Cli({"requests", "list", "--reveal", "--staff", "Nobody", "--passphrase-fd", nobody.Fd()}).code == 2);
}

TEST_CASE("wrong passphrases are slowed down - the fourth try waits, even with the right passphrase") {
    InitDone p;
    const auto t0 = test::Friday27March0800();
    for (int i = 0; i < 3; ++i) {
        test::PassphrasePipe wrong{"a guess that is wrong " + std::to_string(i)};
        CHECK(p.Cli({"trainers", "list", "--passphrase-fd", wrong.Fd()}, t0 + i).code == 1);
    }
    test::PassphrasePipe right{kPass};
    auto r = p.Cli({"trainers", "list", "--passphrase-fd", right.Fd()}, t0 + 3);
    CHECK(r.code == 1);
    CHECK(r.err == "ht-admin: too many wrong passphrases for 'Rukhsana': try again in 4 s\n");
    test::PassphrasePipe wrong{"a fourth wrong guess"};
    CHECK(p.Cli({"trainers", "list", "--passphrase-fd", wrong.Fd()}, t0 + 7).code == 1);  // waited: tried, wrong
    r = p.Cli({"trainers", "list"}, t0 + 8);
    CHECK(r.err.find("try again in 9 s") != std::string::npos);  // the wait doubles
    r = p.Cli({"trainers", "list"}, t0 + 17);
    CHECK_MESSAGE(r.code == 0, r.err);
    r = p.Cli({"trainers", "list"}, t0 + 18);  // a success starts the count again
    CHECK(r.code == 0);

    auto db = store::Open(p.db);
    REQUIRE(db.ok());
    store::AuditFilter f;
    f.action = "key.unlock_throttled";
    CHECK(store::AuditRepo(*db).List(f)->size() == 2);
    f.action = "key.unlock_failed";
    CHECK(store::AuditRepo(*db).List(f)->size() == 4);
}

TEST_CASE("a manager gives a receptionist a passphrase - the receptionist can reveal but not add staff") {
    InitDone p;
    test::PassphrasePipe both{kPass, "tomasz's long passphrase"};
    auto r = p.Cli({"staff", "add", "--name", "Tomasz", "--role", "receptionist", "--passphrase-fd", both.Fd()});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    r = p.Cli({"staff", "list"});
    CHECK(r.out == "Rukhsana  manager\nTomasz  receptionist\n");
    test::PassphrasePipe tomasz{"tomasz's long passphrase", "eve's long passphrase"};
    r = p.Cli({"staff", "add", "--name", "Eve", "--role", "manager", "--staff", "Tomasz", "--passphrase-fd", tomasz.Fd()});
    CHECK(r.code == 1);
    CHECK(r.err == "ht-admin: 'staff add' is for managers; Tomasz is a receptionist\n");
    test::PassphrasePipe tomasz_again{"tomasz's long passphrase"};
    r = p.Cli({"trainers", "add", "--name", "X", "--staff", "Tomasz", "--passphrase-fd", tomasz_again.Fd()});
    CHECK(r.code == 1);
    test::PassphrasePipe tomasz_lists{"tomasz's long passphrase"};
    r = p.Cli({"requests", "list", "--reveal", "--staff", "Tomasz", "--passphrase-fd", tomasz_lists.Fd()});
    CHECK_MESSAGE(r.code == 0, r.err);
    r = p.Cli({"--staff", "Rukhsana", "audit", "list", "--action", "access.denied"});
    CHECK(r.out.find("staff:Tomasz  access.denied  staff add  receptionist") != std::string::npos);
    CHECK(r.out.find("staff:Tomasz  access.denied  trainers add  receptionist") != std::string::npos);
    CHECK(p.Cli({"--staff", "Rukhsana", "trainers", "list"}).out.find("No trainers yet") != std::string::npos);
    test::PassphrasePipe who{kPass};
    r = p.Cli({"requests", "list", "--reveal", "--passphrase-fd", who.Fd()});
    CHECK(r.code == 2);  // two staff now: whose passphrase must be said
    CHECK(r.err.find("--staff") != std::string::npos);
    CHECK(p.Cli({"staff", "add", "--name", "X", "--role", "boss"}).code == 2);
}

TEST_CASE("reception moves requests and bookings along - invalid changes exit 2 and change nothing") {
    InitDone p;
    REQUIRE(p.Cli({"trainers", "add", "--name", "Hodan Warsame", "--languages", "so"}).code == 0);
    auto db = store::Open(p.db);
    REQUIRE(db.ok());
    core::Referral referral;
    referral.reasons = {core::Reason::MovingMore};
    referral.preferred_language = "so";
    referral.consent_version = "2026-01";
    const auto created = store::ReferralRepo(*db).Create(referral, *store::PracticePublicKey(*db), "kiosk:kiosk-1", 1);
    REQUIRE(created.ok());
    const auto start = core::LocalDate{2026, 3, 31}.DaysSinceEpoch() * 86400 + 9 * 3600;
    const auto booking = store::BookingRepo(*db).Book(created->id, {1, start, start + 3600}, "staff:Tomasz", 2);
    REQUIRE(booking.ok());

    test::PassphrasePipe both{kPass, "tomasz's long passphrase"};
    REQUIRE(p.Cli({"staff", "add", "--name", "Tomasz", "--passphrase-fd", both.Fd()}).code == 0);
    test::PassphrasePipe tomasz{"tomasz's long passphrase"};
    auto r = p.Cli({"--staff", "Tomasz", "bookings", "set-status", "--booking", std::to_string(booking->id), "--status",
                    "confirmed", "--passphrase-fd", tomasz.Fd()});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out == "Booking 1: requested -> confirmed\n");
    r = p.Cli({"--staff", "Rukhsana", "bookings", "list"});
    CHECK(r.out.find("1  2026-03-31 10:00  Hodan Warsame  " + created->reference + "  confirmed  so") != std::string::npos);
    CHECK(p.Cli({"bookings", "set-status", "--booking", "1", "--status", "requested"}).code == 2);
    CHECK(p.Cli({"bookings", "set-status", "--booking", "1", "--status", "lost"}).code == 2);
    CHECK(p.Cli({"bookings", "set-status", "--booking", "5", "--status", "attended"}).code == 2);

    std::string typed = created->reference;
    for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // Closing while the booking is live would keep its slot from everyone: refused until its outcome is in.
    r = p.Cli({"requests", "set-status", "--reference", typed, "--status", "closed"});
    CHECK(r.code == 2);
    CHECK(r.err.find("booking 1 of this request is still live") != std::string::npos);
    CHECK(store::ReferralRepo(*db).Get(created->id)->status == core::ReferralStatus::Booked);
    REQUIRE(p.Cli({"bookings", "set-status", "--booking", "1", "--status", "attended"}).code == 0);
    r = p.Cli({"requests", "set-status", "--reference", typed, "--status", "closed"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out == created->reference + ": booked -> closed\n");
    r = p.Cli({"requests", "set-status", "--reference", created->reference, "--status", "new"});
    CHECK(r.code == 2);
    CHECK(r.err.find("closed -> new is not allowed") != std::string::npos);
    CHECK(store::ReferralRepo(*db).Get(created->id)->status == core::ReferralStatus::Closed);

    r = p.Cli({"audit", "list", "--action", "booking.status"});
    CHECK(r.out.find("staff:Tomasz  booking.status  booking:1  requested->confirmed") != std::string::npos);
}

TEST_CASE("bad database files exit 2 with one line naming the file, and are left unchanged") {
    test::TempDir dir;
    SUBCASE("not SQLite") {
        const auto path = dir.File("notes.db");
        test::WriteText(path, "Dear reception, this is a letter, not a database. It is long enough.\n");
        const auto before = test::ReadText(path);
        const auto r = RunCli({"--database", path.string(), "trainers", "list"});
        CHECK(r.code == 2);
        CHECK(test::Lines(r.err) == 1);
        CHECK(r.err.find(path.string()) != std::string::npos);
        CHECK(test::ReadText(path) == before);
    }
    SUBCASE("written by a newer release") {
        const auto path = dir.File("newer.db");
        {
            auto db = store::Open(path);
            REQUIRE(db.ok());
            REQUIRE(db->Exec("PRAGMA user_version = 99").ok());
        }
        const auto before = test::ReadText(path);
        const auto r = RunCli({"--database", path.string(), "trainers", "add", "--name", "X"});
        CHECK(r.code == 2);
        CHECK(test::Lines(r.err) == 1);
        CHECK(r.err.find("newer release") != std::string::npos);
        CHECK(test::ReadText(path) == before);
    }
    SUBCASE("read-only") {
        const auto path = dir.File("kiosk.db");
        { REQUIRE(store::Open(path).ok()); }
        std::filesystem::permissions(path, std::filesystem::perms::owner_read);
        const auto before = test::ReadText(path);
        const auto r = RunCli({"--database", path.string(), "trainers", "add", "--name", "X"});
        CHECK(r.code == 2);
        CHECK(test::Lines(r.err) == 1);
        CHECK(r.err.find(path.string()) != std::string::npos);
        CHECK(r.err.find("read-only") != std::string::npos);
        CHECK(test::ReadText(path) == before);
    }
    SUBCASE("missing") {
        const auto path = dir.File("missing.db");
        const auto r = RunCli({"--database", path.string(), "--json", "trainers", "list"});
        CHECK(r.code == 2);
        CHECK(r.out.find("{\"error\":\"not_found\"") == 0);
        CHECK_FALSE(std::filesystem::exists(path));
    }
}

TEST_CASE("a passphrase on the command line is refused before anything is read or written") {
    test::TempDir dir;
    const auto db = dir.File("kiosk.db").string();
    for (const auto& bad : {std::vector<std::string>{"--passphrase", "secret123456", "init", "--practice", "P", "--staff", "S"},
                            std::vector<std::string>{"init", "--practice", "P", "--staff", "S", "--passphrase=secret123456"},
                            std::vector<std::string>{"requests", "list", "--reveal", "--passphrase-file", "/tmp/x"}}) {
        auto args = bad;
        args.insert(args.begin(), {"--database", db});
        const auto r = RunCli(args);
        CHECK(r.code == 2);
        CHECK(r.err.find("never taken on the command line") != std::string::npos);
        CHECK(r.err.find("secret123456") == std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE("help is there at every level, and unknown commands or options exit 2") {
    for (const auto& args : {std::vector<std::string>{"--help"}, std::vector<std::string>{"help"},
                             std::vector<std::string>{"trainers", "--help"}, std::vector<std::string>{"trainers", "add", "--help"},
                             std::vector<std::string>{"help", "plans", "set"}, std::vector<std::string>{"demo", "-h"}}) {
        const auto r = RunCli(args);
        CAPTURE(args.front());
        CHECK(r.code == 0);
        CHECK(r.out.find("Usage") != std::string::npos);
    }
    CHECK(RunCli({"plans", "set", "--help"}).out.find("09:00-17:00/12:30-13:00") != std::string::npos);
    CHECK(RunCli({}).code == 2);
    CHECK(RunCli({"frobnicate"}).code == 2);
    CHECK(RunCli({"trainers"}).code == 2);
    CHECK(RunCli({"trainers", "fire"}).code == 2);
    CHECK(RunCli({"trainers", "list", "extra"}).code == 2);
    const auto r = RunCli({"trainers", "list", "--colour", "red"});
    CHECK(r.code == 2);
    CHECK(r.err.find("--colour") != std::string::npos);
    CHECK(RunCli({"trainers", "list", "--database"}).code == 2);
    CHECK(RunCli({"--passphrase-fd", "x", "staff", "list"}).code == 2);
}

TEST_CASE("the default database lives in the user's data directory") {
    const htk::test::EnvVar xdg("XDG_DATA_HOME", "/srv/xdg");  // both put back when the test ends
    const htk::test::EnvVar home("HOME", std::getenv("HOME"));
    CHECK(admin::DefaultDatabasePath() == "/srv/xdg/ht-kiosk/kiosk.db");
    ::setenv("XDG_DATA_HOME", "relative/ignored", 1);
    ::setenv("HOME", "/home/reception", 1);
    CHECK(admin::DefaultDatabasePath() == "/home/reception/.local/share/ht-kiosk/kiosk.db");
    ::unsetenv("XDG_DATA_HOME");
    CHECK(admin::DefaultDatabasePath() == "/home/reception/.local/share/ht-kiosk/kiosk.db");
    ::unsetenv("HOME");
    CHECK(admin::DefaultDatabasePath().empty());
    CHECK(RunCli({"trainers", "list"}).code == 2);  // no HOME, no --database: a clear usage error
}
