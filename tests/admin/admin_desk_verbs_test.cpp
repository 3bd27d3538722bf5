// Reception's desk on the command line: requests taken by phone with the patient's details on
// standard input, bookings of free slots, notes, one request in full, and the waiting list's offers.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "admin_fixture.h"
#include "store/audit_repo.h"
#include "store/booking_repo.h"
#include "store/database.h"
#include "store/referral_repo.h"
#include "store/sealing.h"

using namespace htk;

namespace {

const std::string kManagerPass = "rukhsana's long passphrase";
const std::string kReceptionPass = "tomasz's long passphrase";
const std::string kDetails = "name: Faadumo Cali\ndate_of_birth: 1980-05-01\nphone: 07400 123456\n";

// Now: Friday 27 March 2026, 08:00 GMT. Two trainers work weekday mornings 09:00-12:00 (Europe/London),
// the practice's default rules: two hours' notice, four weeks ahead.
struct Desk {
    test::TempDir dir;
    std::string db = dir.File("kiosk.db").string();

    Desk() {
        test::PassphrasePipe pass{kManagerPass};
        auto r = test::RunCli({"--database", db, "init", "--practice", "Chapeltown Health Centre", "--staff", "Rukhsana",
                               "--passphrase-fd", pass.Fd()});
        REQUIRE_MESSAGE(r.code == 0, r.err);
        test::PassphrasePipe both{kManagerPass, kReceptionPass};
        r = test::RunCli({"--database", db, "staff", "add", "--name", "Tomasz", "--staff", "Rukhsana", "--passphrase-fd",
                          both.Fd()});
        REQUIRE_MESSAGE(r.code == 0, r.err);
        REQUIRE(Manager({"trainers", "add", "--name", "Hodan Warsame", "--languages", "so"}).code == 0);
        REQUIRE(Manager({"trainers", "add", "--name", "Imran Hussain", "--languages", "ur,pa"}).code == 0);
        REQUIRE(Manager({"plans", "set", "--trainer", "1", "--day", "mon-fri", "--hours", "09:00-12:00"}).code == 0);
        REQUIRE(Manager({"plans", "set", "--trainer", "2", "--day", "mon-fri", "--hours", "09:00-12:00"}).code == 0);
    }

    // As the receptionist Tomasz, with `input` on standard input.
    test::CliResult Reception(std::vector<std::string> args, const std::string& input = "",
                              core::UnixSeconds now = test::Friday27March0800()) const {
        return As("Tomasz", kReceptionPass, std::move(args), input, now);
    }
    test::CliResult Manager(std::vector<std::string> args, core::UnixSeconds now = test::Friday27March0800()) const {
        return As("Rukhsana", kManagerPass, std::move(args), "", now);
    }

    test::CliResult As(const std::string& staff, const std::string& pass, std::vector<std::string> args,
                       const std::string& input, core::UnixSeconds now) const {
        test::PassphrasePipe pipe{pass};
        args.insert(args.begin(), {"--database", db, "--staff", staff, "--passphrase-fd", pipe.Fd()});
        std::ostringstream out, err;
        std::istringstream in(input);
        admin::Env env(out, err);
        env.now = [now] { return now; };
        env.in = &in;
        test::CliResult r;
        r.code = admin::Run(args, env);
        r.out = out.str();
        r.err = err.str();
        return r;
    }

    store::Database Open() const {
        auto d = store::Open(db);
        REQUIRE(d.ok());
        return std::move(*d);
    }

    // A request from the kiosk, as a patient left it.
    core::Referral Kiosk(const std::string& language, bool waiting, core::UnixSeconds at) const {
        auto d = Open();
        core::Referral r;
        r.reasons = {core::Reason::LosingWeight};
        r.preferred_language = language;
        r.waiting_list = waiting;
        r.consent_version = language + "@1";
        r.patient.name = "Kiosk Patient";
        auto made = store::ReferralRepo(d).Create(r, *store::PracticePublicKey(d), "kiosk:kiosk-1", at);
        REQUIRE(made.ok());
        return *made;
    }

    std::size_t Count(const std::string& table) const {
        auto d = Open();
        auto stmt = store::Statement::Prepare(d, "SELECT count(*) FROM " + table);
        REQUIRE(stmt.ok());
        REQUIRE(*stmt->Step());
        return static_cast<std::size_t>(stmt->Int(0));
    }
};

// "Request ACE-FHJK taken ..." -> "ACE-FHJK"
std::string ReferenceIn(const std::string& out) {
    const auto at = out.find("Request ");
    REQUIRE(at != std::string::npos);
    return out.substr(at + 8, 8);
}

}  // namespace

TEST_CASE("reception takes a tasked referral by phone - the details come on standard input and are sealed") {
    Desk d;
    auto r = d.Reception({"requests", "add", "--route", "gp_tasked", "--reasons", "smoking,moving", "--language", "so",
                          "--interpreter", "--best-times", "morning"},
                         kDetails);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("(gp_tasked, consent by word): waiting for the trainer's call") != std::string::npos);
    CHECK(r.out.find("Faadumo") == std::string::npos);
    const auto reference = ReferenceIn(r.out);

    auto db = d.Open();
    const auto stored = store::ReferralRepo(db).GetByReference(reference);
    REQUIRE(stored.ok());
    CHECK(stored->route == core::Route::TaskedByGp);
    CHECK(stored->consent_version == "desk");
    CHECK(stored->interpreter);
    CHECK(stored->status == core::ReferralStatus::New);
    const auto created = store::AuditRepo(db).List({.action = "referral.create"});
    REQUIRE(created->size() == 1);
    CHECK(created->front().actor == "staff:Tomasz");

    r = d.Reception({"requests", "show", "--reference", reference});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find(reference + "  new  2026-03-27 08:00  gp_tasked  moving,smoking  so +interpreter  phone (morning)") == 0);
    CHECK(r.out.find("consent: desk (taken by word at the desk)") != std::string::npos);
    CHECK(r.out.find("name: Faadumo Cali  born: 1980-05-01  phone: +447400123456") != std::string::npos);
    CHECK(r.out.find("History:\n  2026-03-27 08:00  new  staff:Tomasz\n") != std::string::npos);
    CHECK(r.out.find("Bookings: none") != std::string::npos);
    CHECK(r.out.find("staff:Tomasz  referral.create  referral:") != std::string::npos);
    CHECK(r.out.find("staff:Tomasz  sealed.reveal  referral:") != std::string::npos);  // this very reveal
    CHECK(store::AuditRepo(db).List({.action = "sealed.reveal"})->size() == 1);

    r = d.Reception({"requests", "show", "--reference", reference, "--json"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("\"patient\":{\"name\":\"Faadumo Cali\",\"date_of_birth\":\"1980-05-01\"") != std::string::npos);
    CHECK(r.out.find("\"offer\":null") != std::string::npos);
    CHECK(test::Lines(r.out) == 1);
}

TEST_CASE("a GP-booked patient is taken and booked in one step - a taken slot creates nothing") {
    Desk d;
    auto r = d.Reception({"requests", "add", "--route", "gp_booked", "--reasons", "weight", "--language", "ur", "--trainer",
                          "2", "--start", "2026-03-30 09:00"},
                         kDetails);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("and booked: 2026-03-30 09:00-10:00 with Imran Hussain (booking 1)") != std::string::npos);

    r = d.Reception({"requests", "add", "--route", "gp_booked", "--reasons", "weight", "--language", "ur", "--trainer", "2",
                     "--start", "2026-03-30 09:00", "--json"},
                    kDetails);
    CHECK(r.code == 1);
    CHECK(r.err.find("already booked") != std::string::npos);
    CHECK(r.out.find("{\"error\":\"slot_taken\"") == 0);
    CHECK(d.Count("referrals") == 1);

    r = d.Reception({"requests", "add", "--route", "gp_booked", "--reasons", "weight", "--language", "ur", "--trainer", "2",
                     "--start", "2026-03-28 09:00"},
                    kDetails);
    CHECK(r.code == 2);  // a Saturday: not a slot
    CHECK(r.err.find("no free slot starting 2026-03-28 09:00") != std::string::npos);
    CHECK(d.Count("referrals") == 1);
}

TEST_CASE("bad desk input exits 2, says which field and never echoes what was typed") {
    Desk d;
    const std::vector<std::string> add{"requests", "add", "--route", "gp_tasked", "--reasons", "smoking", "--language", "so"};
    auto with = [&](std::vector<std::string> extra, const std::string& input) {
        auto args = add;
        args.insert(args.end(), extra.begin(), extra.end());
        return d.Reception(args, input);
    };
    struct Case {
        std::string input, expect, secret;
    };
    for (const auto& c : std::vector<Case>{
             {"date_of_birth: 1980-05-01\nphone: 07400 123456\n", "name is missing", ""},
             {"name: Faadumo Cali\ndate_of_birth: 1980-13-45\nphone: 07400 123456\n", "date_of_birth is not a date", "1980-13-45"},
             {"name: Faadumo Cali\ndate_of_birth: 2019-01-01\nphone: 07400 123456\n", "date_of_birth is too_young", "2019"},
             {"name: Faadumo Cali\ndate_of_birth: 1980-05-01\nphone: 12345\n", "phone is not_a_phone_number", "12345"},
             {"name: Faadumo Cali\ndate_of_birth: 1980-05-01\n", "phone is missing", ""},
             {"name: Faadumo Cali\nnhs_number: 943 476 5919\n", "line 2: unknown field 'nhs_number'", "943"},
             {"name: Faadumo Cali\nname: Someone Else\n", "line 2: name is given twice", "Someone"},
             {"Faadumo Cali\n", "line 1 is not 'field: value'", "Faadumo"},
             {"Faadumo Cali: 07400 123456\n", "line 1: unknown field before the ':'", "Faadumo"},
         }) {
        CAPTURE(c.expect);
        const auto r = with({}, c.input);
        CHECK(r.code == 2);
        CHECK(r.err.find(c.expect) != std::string::npos);
        if (!c.secret.empty()) CHECK(r.err.find(c.secret) == std::string::npos);
        CHECK(test::Lines(r.err) == 1);
    }
    CHECK(with({"--contact", "letter"}, "name: Faadumo Cali\ndate_of_birth: 1980-05-01\n").err.find("address is missing") !=
          std::string::npos);
    CHECK(with({"--contact", "letter"}, "name: Faadumo Cali\ndate_of_birth: 1980-05-01\naddress: 1 Example Road, Leeds\n")
              .code == 0);
    CHECK(with({"--trainer", "1"}, kDetails).code == 2);
    CHECK(with({"--start", "2026-03-30 09:00"}, kDetails).code == 2);
    CHECK(with({"--trainer", "1", "--start", "next monday"}, kDetails).code == 2);
    CHECK(with({"--trainer", "1", "--start", "2026-03-29 01:30"}, kDetails).err.find("clocks go forward") != std::string::npos);
    CHECK(with({"--best-times", "night"}, kDetails).code == 2);
    CHECK(with({"--contact", "pigeon"}, kDetails).code == 2);
    CHECK(d.Reception({"requests", "add", "--route", "walk_in", "--reasons", "smoking", "--language", "so"}, kDetails).code == 2);
    CHECK(d.Reception({"requests", "add", "--route", "self", "--reasons", "smoking,cooking", "--language", "so"}, kDetails).code == 2);
    CHECK(d.Reception({"requests", "add", "--route", "self", "--reasons", "smoking", "--language", "somali!"}, kDetails).code == 2);
    CHECK(d.Count("referrals") == 1);  // only the letter one
    CHECK(d.Reception({"requests", "add", "--help"}).out.find("consent by word") != std::string::npos);
}

TEST_CASE("reception books a free slot for a request - a taken or held one is refused and nothing changes") {
    Desk d;
    const auto waiting = d.Kiosk("so", true, test::Friday27March0800() - 3600);
    const auto other = d.Kiosk("so", false, test::Friday27March0800() - 1800);
    auto r = d.Reception({"bookings", "add", "--reference", waiting.reference, "--trainer", "1", "--start", "2026-03-30 10:00"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out == "Booked " + waiting.reference + ": 2026-03-30 10:00-11:00 with Hodan Warsame (booking 1)\n");
    auto db = d.Open();
    const auto after = store::ReferralRepo(db).Get(waiting.id);
    CHECK(after->status == core::ReferralStatus::Booked);
    CHECK_FALSE(after->waiting_list);

    const auto audit_before = d.Count("audit_log");
    r = d.Reception({"bookings", "add", "--reference", other.reference, "--trainer", "1", "--start", "2026-03-30 10:00"});
    CHECK(r.code == 1);
    CHECK(r.err == "ht-admin: " + other.reference + ": the slot is already booked; nothing was changed\n");
    {
        auto hold = store::Statement::Prepare(db, "INSERT INTO slot_holds VALUES (1, ?, ?, 'kiosk-session-7', ?)");
        const auto start = core::LocalDate{2026, 3, 30}.DaysSinceEpoch() * 86400 + 10 * 3600;  // 11:00 BST
        hold->Bind(1, start).Bind(2, start + 3600).Bind(3, test::Friday27March0800() + 300);
        REQUIRE(hold->Run().ok());
    }
    r = d.Reception({"bookings", "add", "--reference", other.reference, "--trainer", "1", "--start", "2026-03-30 11:00"});
    CHECK(r.code == 1);
    CHECK(r.err.find("held until 2026-03-27 08:05") != std::string::npos);
    CHECK(d.Count("bookings") == 1);
    CHECK(d.Count("audit_log") == audit_before + 2);  // only the two unlocks
    CHECK(store::ReferralRepo(db).Get(other.id)->status == core::ReferralStatus::New);

    CHECK(d.Reception({"bookings", "add", "--reference", other.reference, "--trainer", "1", "--start", "2026-03-27 09:00"})
              .code == 2);  // within the two hours' notice
    CHECK(d.Reception({"bookings", "add", "--reference", "ACE-FHJK", "--trainer", "1", "--start", "2026-03-30 09:00"}).code ==
          2);
    CHECK(d.Reception({"bookings", "add", "--reference", other.reference, "--trainer", "9", "--start", "2026-03-30 09:00"})
              .code == 2);
    CHECK(d.Reception({"bookings", "add", "--reference", other.reference, "--start", "2026-03-30 09:00"}).code == 2);
}

TEST_CASE("a cancelled slot is offered to the waiting list - reception accepts or declines for the patient") {
    Desk d;
    const auto now = test::Friday27March0800();
    const auto somali = d.Kiosk("so", true, now - 7200);
    const auto urdu = d.Kiosk("ur", true, now - 3600);
    const auto booked = d.Kiosk("en-GB", false, now - 600);
    REQUIRE(d.Reception({"bookings", "add", "--reference", booked.reference, "--trainer", "1", "--start", "2026-03-31 09:00"})
                .code == 0);

    auto r = d.Reception({"bookings", "set-status", "--booking", "1", "--status", "cancelled_by_patient"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out == "Booking 1: requested -> cancelled_by_patient\nSlot freed and offered to " + somali.reference +
                       " (so) until 2026-03-28 08:00\n");
    r = d.Reception({"waiting", "offers"});
    CHECK(r.out == "2026-03-31 09:00-10:00 with Hodan Warsame  offered to " + somali.reference + " (so) until 2026-03-28 08:00\n");
    r = d.Reception({"waiting", "list"});
    CHECK(r.out.find(somali.reference + "  new  2026-03-27 06:00  self  weight  so +waiting-list  phone\n"
                                        "    offered: 2026-03-31 09:00-10:00 with Hodan Warsame until 2026-03-28 08:00\n") == 0);
    CHECK(r.out.find(urdu.reference + "  new  2026-03-27 07:00") != std::string::npos);
    CHECK(d.Reception({"slots", "list", "--trainer", "1", "--days", "5"}).out.find("Tue 2026-03-31\n  10:00-11:00") !=
          std::string::npos);  // 09:00 is kept off the kiosks

    r = d.Reception({"waiting", "decline", "--reference", somali.reference});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out == somali.reference + " declined 2026-03-31 09:00-10:00 with Hodan Warsame; offered to " + urdu.reference +
                       " (ur) until 2026-03-28 08:00, an interpreter needed\n");
    r = d.Reception({"waiting", "accept", "--reference", somali.reference});
    CHECK(r.code == 2);
    CHECK(r.err.find("no slot is offered to " + somali.reference) != std::string::npos);

    r = d.Reception({"waiting", "accept", "--reference", urdu.reference, "--json"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("{\"reference\":\"" + urdu.reference + "\",\"booking\":{\"id\":2,\"trainer\":1") == 0);
    CHECK(d.Reception({"waiting", "offers"}).out == "No slots are on offer to the waiting list.\n");
    r = d.Reception({"waiting", "list", "--json"});
    CHECK(r.out.find(somali.reference) != std::string::npos);
    CHECK(r.out.find(urdu.reference) == std::string::npos);

    r = d.Manager({"audit", "list", "--action", "waiting."});
    CHECK(r.out.find("staff:Tomasz  waiting.accept  referral:" + std::to_string(urdu.id) + "  booking:2") != std::string::npos);
    CHECK(r.out.find("staff:Tomasz  waiting.decline  referral:" + std::to_string(somali.id)) != std::string::npos);
    CHECK(r.out.find("staff:Tomasz  waiting.offer  referral:" + std::to_string(somali.id)) != std::string::npos);
}

TEST_CASE("an offer nobody answers lapses, and the last decline frees the slot") {
    Desk d;
    const auto now = test::Friday27March0800();
    const auto somali = d.Kiosk("so", true, now - 7200);
    const auto booked = d.Kiosk("en-GB", false, now - 600);
    REQUIRE(d.Reception({"bookings", "add", "--reference", booked.reference, "--trainer", "1", "--start", "2026-03-31 09:00"})
                .code == 0);
    auto r = d.Reception({"bookings", "set-status", "--booking", "1", "--status", "cancelled_by_practice", "--json"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("\"offer\":{\"reference\":\"" + somali.reference + "\",\"language\":\"so\"") != std::string::npos);
    SUBCASE("lapsed") {
        const auto later = now + 86400;
        r = d.Reception({"waiting", "accept", "--reference", somali.reference}, "", later);
        CHECK(r.code == 1);
        CHECK(r.err.find("not taken up in time") != std::string::npos);
        CHECK(d.Reception({"waiting", "offers"}, "", later).out == "No slots are on offer to the waiting list.\n");
        CHECK(d.Reception({"bookings", "add", "--reference", somali.reference, "--trainer", "1", "--start", "2026-03-31 09:00"},
                          "", later)
                  .code == 0);
    }
    SUBCASE("declined by the only one waiting") {
        r = d.Reception({"waiting", "decline", "--reference", somali.reference});
        CHECK(r.out.find("nobody else is waiting for it: the slot is free again") != std::string::npos);
        CHECK(d.Reception({"waiting", "list"}).out.find(somali.reference) == 0);  // still waiting for another slot
    }
}

TEST_CASE("reception narrows the request list by route, reason, language, interpreter, waiting list and period") {
    Desk d;
    const auto now = test::Friday27March0800();
    const auto today = d.Kiosk("pa-Guru", true, now - 3600);
    const auto monday = d.Kiosk("so", false, now - 4 * 86400);         // Monday 23rd: this week
    const auto last_week = d.Kiosk("ur", false, now - 6 * 86400);      // Saturday 21st
    REQUIRE(d.Reception({"requests", "add", "--route", "gp_tasked", "--reasons", "smoking", "--language", "PA",
                         "--interpreter"},
                        kDetails)
                .code == 0);
    auto refs = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"requests", "list"});
        const auto r = d.Reception(args);
        REQUIRE_MESSAGE(r.code == 0, r.err);
        return r.out;
    };
    auto has = [](const std::string& out, const core::Referral& r) { return out.find(r.reference) != std::string::npos; };
    auto out = refs({"--route", "gp_tasked"});
    CHECK(test::Lines(out) == 2);  // the request, and the hint that the details are sealed
    CHECK(out.find("gp_tasked  smoking  PA +interpreter") != std::string::npos);
    out = refs({"--language", "pa"});
    CHECK(has(out, today));
    CHECK(out.find("PA +interpreter") != std::string::npos);
    CHECK_FALSE(has(out, monday));
    out = refs({"--reason", "weight"});
    CHECK((has(out, today) && has(out, monday) && has(out, last_week)));
    CHECK(out.find("smoking") == std::string::npos);
    out = refs({"--interpreter"});
    CHECK_FALSE(has(out, today));
    out = refs({"--waiting-list"});
    CHECK(has(out, today));
    CHECK_FALSE(has(out, monday));
    out = refs({"--period", "today"});
    CHECK((has(out, today) && !has(out, monday)));
    out = refs({"--period", "week"});
    CHECK((has(out, today) && has(out, monday) && !has(out, last_week)));
    out = refs({"--period", "week", "--route", "self", "--json"});
    CHECK(out.find("\"reference\":\"" + monday.reference + "\"") != std::string::npos);
    CHECK(out.find("gp_tasked") == std::string::npos);

    for (const auto& bad : std::vector<std::vector<std::string>>{{"--route", "walk_in"},
                                                                 {"--reason", "cooking"},
                                                                 {"--language", "punjabi!"},
                                                                 {"--period", "month"},
                                                                 {"--interpreter=yes"}}) {
        auto args = bad;
        args.insert(args.begin(), {"requests", "list"});
        CAPTURE(bad.front());
        CHECK(d.Reception(args).code == 2);
    }
}

TEST_CASE("staff notes are read from standard input, sealed, and shown by requests show") {
    Desk d;
    const auto r0 = d.Kiosk("so", false, test::Friday27March0800() - 3600);
    auto r = d.Reception({"requests", "note", "--reference", r0.reference}, "Her son Abdi will interpret.\nCall after 4pm.\n");
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out == "Note 1 added to " + r0.reference + " (sealed)\n");
    CHECK(d.Reception({"requests", "note", "--reference", r0.reference}, "\n  \n").code == 2);
    CHECK(d.Reception({"requests", "note", "--reference", r0.reference}, std::string(2001, 'x')).code == 2);
    CHECK(d.Count("referral_notes") == 1);

    r = d.Manager({"audit", "list", "--action", "referral.note"});
    CHECK(r.out.find("Abdi") == std::string::npos);
    CHECK(r.out.find("note:1") != std::string::npos);
    r = d.Reception({"requests", "show", "--reference", r0.reference});
    CHECK(r.out.find("Notes:\n  2026-03-27 08:00  staff:Tomasz\n    Her son Abdi will interpret.\n    Call after 4pm.\n") !=
          std::string::npos);
    r = d.Reception({"requests", "show", "--reference", r0.reference, "--json"});
    CHECK(r.out.find("\"notes\":[{\"id\":1,\"at\":\"2026-03-27T08:00\",\"actor\":\"staff:Tomasz\","
                     "\"text\":\"Her son Abdi will interpret.\\nCall after 4pm.\"}]") != std::string::npos);
    CHECK(d.Reception({"requests", "show", "--reference", "ACE-FHJK"}).code == 2);
    CHECK(d.Reception({"requests", "show"}).code == 2);
}

TEST_CASE("ht-admin requests add reads the patient's details from its real standard input") {
    Desk d;
    const auto details = d.dir.File("details.txt");
    test::WriteText(details, kDetails);
    const auto pass = d.dir.File("pass.txt");
    test::WriteText(pass, kReceptionPass + "\n");
    const std::string command = std::string(HTK_ADMIN_EXE) + " --database '" + d.db +
                                "' --staff Tomasz --passphrase-fd 3 requests add --route self --reasons eating "
                                "--language so 3<'" + pass.string() + "' <'" + details.string() + "' 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buf[1024];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
    const int status = ::pclose(pipe);
    CHECK_MESSAGE(WEXITSTATUS(status) == 0, out);
    CHECK(out.find("waiting for the trainer's call") != std::string::npos);
    CHECK(d.Count("referrals") == 1);
}
