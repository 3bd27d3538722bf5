// A practice manager's figures, export and purge through ht-admin: exact numbers and bytes on a
// seeded practice, the audit trail, refusals, and a kiosk writing while an export reads.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>

#include "admin/reports.h"
#include "admin_fixture.h"
#include "i18n/time_zone.h"
#include "store/audit_repo.h"
#include "store/booking_repo.h"
#include "store/database.h"
#include "store/referral_repo.h"
#include "store/sealing.h"
#include "store/trainer_repo.h"
#include "tests/kiosk_process.h"

using namespace htk;
using core::BookingStatus;

namespace {

const std::string kPass = "rukhsana's long passphrase";
const std::string kTomaszPass = "tomasz's long passphrase";
constexpr core::UnixSeconds kDay = 86400;

core::UnixSeconds Utc(core::LocalDate d, int hour, int minute = 0) {
    return d.DaysSinceEpoch() * kDay + hour * 3600 + minute * 60;
}

template <class T>
T Must(core::Result<T> r) {
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().detail));
    return std::move(r).value();
}
void Must(core::Result<void> r) { REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().detail)); }

// A practice in Europe/London set up by its manager Rukhsana, with a receptionist and a trainer.
struct Practice {
    test::TempDir dir;
    std::string db_path = dir.File("kiosk.db").string();
    store::PublicKey pub{};
    core::TrainerId trainer = 0;

    Practice() {
        test::PassphrasePipe pass{kPass};
        const auto init = test::RunCli({"--database", db_path, "init", "--practice", "Chapeltown Health Centre", "--staff",
                                        "Rukhsana", "--passphrase-fd", pass.Fd()});
        REQUIRE_MESSAGE(init.code == 0, init.err);
        test::PassphrasePipe both{kPass, kTomaszPass};
        const auto staff = Cli({"staff", "add", "--name", "Tomasz", "--role", "receptionist", "--passphrase-fd", both.Fd()});
        REQUIRE_MESSAGE(staff.code == 0, staff.err);
        auto db = Open();
        pub = Must(store::PracticePublicKey(db));
        core::Trainer t;
        t.display_name = "Hodan Warsame";
        t.languages = {"so", "en"};
        trainer = Must(store::TrainerRepo(db).Add(t));
    }

    store::Database Open() const { return Must(store::Open(db_path)); }

    // As Rukhsana, unless the test feeds its own passphrases.
    test::CliResult Cli(std::vector<std::string> args, core::UnixSeconds now = test::Friday27March0800()) const {
        args.insert(args.begin(), {"--database", db_path});
        if (std::find(args.begin(), args.end(), "--passphrase-fd") != args.end()) return test::RunCli(std::move(args), now);
        test::PassphrasePipe pass{kPass};
        args.insert(args.end(), {"--staff", "Rukhsana", "--passphrase-fd", pass.Fd()});
        return test::RunCli(std::move(args), now);
    }

    test::CliResult AsReceptionist(std::vector<std::string> args) const {
        test::PassphrasePipe pass{kTomaszPass};
        args.insert(args.end(), {"--staff", "Tomasz", "--passphrase-fd", pass.Fd()});
        return Cli(std::move(args));
    }

    core::Referral Request(store::Database& db, core::UnixSeconds at, std::set<core::Reason> reasons, std::string language,
                           bool interpreter, core::Route route, core::PatientDetails patient = {}) const {
        core::Referral r;
        r.route = route;
        r.reasons = std::move(reasons);
        r.preferred_language = std::move(language);
        r.interpreter = interpreter;
        r.consent_version = "2026-01";
        r.patient = std::move(patient);
        if (r.patient.name.empty()) r.patient.name = "Patient";
        return Must(store::ReferralRepo(db).Create(r, pub, "kiosk:kiosk-1", at));
    }

    core::BookingId Book(store::Database& db, core::ReferralId referral, core::UnixSeconds start,
                         std::vector<BookingStatus> then = {}) const {
        const auto id = Must(store::BookingRepo(db).Book(referral, {trainer, start, start + 3600}, "staff:Tomasz", start - kDay)).id;
        for (auto s : then) Must(store::BookingRepo(db).ChangeStatus(id, s, "staff:Tomasz", start + 3600));
        return id;
    }

    int Count(store::Database& db, const std::string& sql) const {
        auto stmt = Must(store::Statement::Prepare(db, sql));
        REQUIRE(Must(stmt.Step()));
        return static_cast<int>(stmt.Int(0));
    }
};

// Four requests around March 2026 (GMT until the 29th, so local = UTC), with bookings.
struct Figures : Practice {
    Figures() {
        auto db = Open();
        const auto a = Request(db, Utc({2026, 3, 2}, 10), {core::Reason::StoppingSmoking, core::Reason::LosingWeight}, "so",
                               true, core::Route::SelfReferral);
        const auto b = Request(db, Utc({2026, 3, 11}, 9), {core::Reason::LowMood}, "tr", true, core::Route::TaskedByGp);
        const auto c = Request(db, Utc({2026, 3, 26}, 15), {core::Reason::MovingMore}, "en", false, core::Route::SelfReferral);
        Request(db, Utc({2026, 2, 10}, 9), {core::Reason::EatingBetter}, "pl", false, core::Route::BookedByGp);
        Book(db, a.id, Utc({2026, 3, 3}, 10), {BookingStatus::Confirmed, BookingStatus::Attended});
        Book(db, b.id, Utc({2026, 3, 12}, 10), {BookingStatus::Confirmed, BookingStatus::DidNotAttend});
        Book(db, c.id, Utc({2026, 3, 30}, 9));  // after today: in the funnel, not among the range's bookings
    }
};

int Occurrences(const std::string& text, const std::string& what) {
    int n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

std::string Crlf(std::initializer_list<std::string> lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\r\n";
    return out;
}

}  // namespace

TEST_CASE("reports show: the last four weeks and this one, by week, reason, language and route") {
    Figures p;
    const auto r = p.Cli({"reports", "show"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.rfind("Chapeltown Health Centre: 2026-02-23 to 2026-03-27 (33 days, Europe/London)\n\n", 0) == 0);
    // Labels take 24 columns, then each week and the total 2 + 10, right-aligned.
    auto line = [](std::string label, std::initializer_list<int> counts) {
        label.resize(24, ' ');
        for (int n : counts) label += std::string(12 - std::to_string(n).size(), ' ') + std::to_string(n);
        return label + "\n";
    };
    CHECK(r.out.find("Requests, week from       2026-02-23  2026-03-02  2026-03-09  2026-03-16  2026-03-23       total\n" +
                     line("all requests", {0, 1, 1, 0, 1, 3}) +
                     "By reason (a request with two reasons counts under both)\n" +  // a reason nobody gave has no row
                     line("  low_mood", {0, 0, 1, 0, 0, 1}) + line("  moving", {0, 0, 0, 0, 1, 1}) +
                     line("  weight", {0, 1, 0, 0, 0, 1}) + line("  smoking", {0, 1, 0, 0, 0, 1}) + "By language\n" +
                     line("  en", {0, 0, 0, 0, 1, 1}) + line("  so", {0, 1, 0, 0, 0, 1}) + line("  tr", {0, 0, 1, 0, 0, 1}) +
                     "By route\n" + line("  self", {0, 1, 0, 0, 1, 2}) + line("  gp_tasked", {0, 0, 1, 0, 0, 1}) + "\n") !=
          std::string::npos);
    CHECK(r.out.find("  attended                   1\n  did_not_attend             1\n") != std::string::npos);
    CHECK(r.out.find("  requests                   3\n  booked                     3\n  attended                   1\n") !=
          std::string::npos);
    CHECK(r.out.find("Did not attend: 50% (1 of 2 bookings with an outcome)\n") != std::string::npos);
    CHECK(r.out.find("Interpreter asked for, by language\n  so                         1\n  tr                         1\n") !=
          std::string::npos);
}

TEST_CASE("reports show --json and --csv give the same figures, the CSV in long format for a spreadsheet") {
    Figures p;
    const auto csv = p.dir.File("figures.csv");
    const auto r = p.Cli({"reports", "show", "--from", "2026-03-02", "--to", "2026-03-16", "--json", "--csv", csv.string()});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(test::Lines(r.out) == 1);
    CHECK(r.out.find("\"from\":\"2026-03-02\",\"to\":\"2026-03-16\",\"weeks\":[{\"week\":\"2026-03-02\",\"days\":7,"
                     "\"requests\":1,\"reasons\":{\"weight\":1,\"smoking\":1},\"languages\":{\"so\":1},"
                     "\"routes\":{\"self\":1}},") != std::string::npos);
    CHECK(r.out.find("\"bookings\":{\"requested\":0,\"confirmed\":0,\"attended\":1,\"did_not_attend\":1,"
                     "\"cancelled_by_patient\":0,\"cancelled_by_practice\":0},"
                     "\"funnel\":{\"requests\":2,\"booked\":2,\"attended\":1},\"did_not_attend_rate\":0.5000,"
                     "\"interpreter\":{\"so\":1,\"tr\":1}}") != std::string::npos);

    const auto text = test::ReadText(csv);
    const std::string head = "Chapeltown Health Centre,2026-03-02,2026-03-16,";
    CHECK(text.rfind("\xEF\xBB\xBFpractice,from,to,section,week,key,value\r\n" + head + "requests,2026-03-02,all,1\r\n" +
                         head + "reason,2026-03-02,long_term_condition,0\r\n",
                     0) == 0);
    CHECK(text.find(head + "reason,2026-03-09,low_mood,1\r\n") != std::string::npos);
    CHECK(text.find(head + "language,total,tr,1\r\n") != std::string::npos);
    CHECK(text.find(head + "route,total,gp_tasked,1\r\n") != std::string::npos);
    CHECK(text.find(head + "bookings,total,did_not_attend,1\r\n") != std::string::npos);
    CHECK(text.find(head + "funnel,total,booked,2\r\n") != std::string::npos);
    CHECK(text.find(head + "did_not_attend_rate,total,rate,0.5000\r\n") != std::string::npos);
    CHECK(text.find(head + "interpreter,total,so,1\r\n") != std::string::npos);
    // Two weeks and the total, each with requests, nine reasons, its languages and four routes; then
    // six booking statuses, three funnel rows, the rate and two interpreter languages.
    CHECK(std::count(text.begin(), text.end(), '\n') == 1 + (15 + 15 + 16) + 6 + 3 + 1 + 2);
    CHECK(Occurrences(text, "\r\n") == Occurrences(text, "\n"));
}

TEST_CASE("reports show refuses bad dates and receptionists - an empty range has no did-not-attend rate") {
    Figures p;
    auto r = p.Cli({"reports", "show", "--from", "2026-03-16", "--to", "2026-03-02"});
    CHECK(r.code == 2);
    CHECK(r.err == "ht-admin: the report's end (2026-03-02) must be after its start (2026-03-16)\n");
    CHECK(p.Cli({"reports", "show", "--from", "2026-02-30"}).code == 2);
    r = p.Cli({"reports", "show", "--from", "2025-01-06", "--to", "2025-01-13", "--json"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("\"did_not_attend_rate\":null") != std::string::npos);
    r = p.Cli({"reports", "show", "--from", "2025-01-06", "--to", "2025-01-13"});
    CHECK(r.out.find("Did not attend: none to report") != std::string::npos);
    r = p.AsReceptionist({"reports", "show"});
    CHECK(r.code == 1);
    CHECK(r.err == "ht-admin: 'reports show' is for managers; Tomasz is a receptionist\n");
}

TEST_CASE("export writes exact CSV bytes - BOM, CRLF, quoting - and names only with --identifying") {
    Practice p;
    std::string ref1, ref2;
    {
        auto db = p.Open();
        core::PatientDetails jo;
        jo.name = "O'Brien, \"Jo\"";
        jo.date_of_birth = core::LocalDate{1980, 2, 29};
        jo.phone = "+447700900123";
        jo.email = "jo@example.org";
        jo.address = "1 High Street\nLeeds LS7 3EX";
        jo.note = "=HYPERLINK(\"http://example.org\")";
        auto r1 = p.Request(db, Utc({2026, 3, 20}, 9, 30), {core::Reason::StoppingSmoking, core::Reason::LosingWeight}, "so",
                            true, core::Route::SelfReferral, jo);
        ref1 = r1.reference;
        const auto bid = p.Book(db, r1.id, Utc({2026, 3, 31}, 9));  // 10:00 BST
        Must(store::BookingRepo(db).ChangeStatus(bid, BookingStatus::Confirmed, "staff:Tomasz", Utc({2026, 3, 21}, 9)));
        core::PatientDetails ayse;
        ayse.name = "Ayşe Yılmaz";
        ayse.note = "+1 more thing: call after 5";
        core::Referral r;
        r.route = core::Route::TaskedByGp;
        r.reasons = {core::Reason::LowMood};
        r.preferred_language = "tr";
        r.waiting_list = true;
        r.contact = core::ContactMethod::Letter;
        r.consent_version = "2026-01";
        r.patient = ayse;
        ref2 = Must(store::ReferralRepo(db).Create(r, p.pub, "kiosk:kiosk-1", Utc({2026, 3, 25}, 14))).reference;
    }
    const std::string header = "reference,created,status,route,reasons,language,interpreter,waiting_list,contact,"
                               "best_times,booking_trainer,booking_start,booking_status";
    const auto plain = p.dir.File("export.csv");
    auto r = p.Cli({"export", "--csv", plain.string()});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out == "Exported 2 requests to " + plain.string() +
                       " without names or contact details (recorded in the audit log).\n");
    CHECK(test::ReadText(plain) ==
          "\xEF\xBB\xBF" + Crlf({header,
                                 ref1 + ",2026-03-20T09:30,booked,self,\"weight,smoking\",so,yes,no,phone,,Hodan Warsame,"
                                        "2026-03-31T10:00,confirmed",
                                 ref2 + ",2026-03-25T14:00,new,gp_tasked,low_mood,tr,no,yes,letter,,,,"}));
    struct stat st {};
    REQUIRE(::stat(plain.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    const auto full = p.dir.File("identifying.csv");
    r = p.Cli({"export", "--csv", full.string(), "--identifying", "--json"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out == "{\"file\":\"" + full.string() + "\",\"rows\":2,\"identifying\":true}\n");
    // E.164 stays usable; a note that a spreadsheet would run as a formula gets an apostrophe.
    CHECK(test::ReadText(full) ==
          "\xEF\xBB\xBF" +
              Crlf({header + ",name,date_of_birth,phone,email,address,note",
                    ref1 + ",2026-03-20T09:30,booked,self,\"weight,smoking\",so,yes,no,phone,,Hodan Warsame,"
                           "2026-03-31T10:00,confirmed,\"O'Brien, \"\"Jo\"\"\",1980-02-29,+447700900123,jo@example.org,"
                           "\"1 High Street\nLeeds LS7 3EX\",\"'=HYPERLINK(\"\"http://example.org\"\")\"",
                    ref2 + ",2026-03-25T14:00,new,gp_tasked,low_mood,tr,no,yes,letter,,,,,Ayşe Yılmaz,,,,,"
                           "'+1 more thing: call after 5"}));

    auto db = p.Open();
    const auto audit = Must(store::AuditRepo(db).List({.action = "export"}));
    REQUIRE(audit.size() == 2);
    CHECK(audit[0].subject == "identifying.csv");
    CHECK(audit[0].detail == "rows=2 identifying=yes");
    CHECK(audit[0].actor == "staff:Rukhsana");
    CHECK(audit[1].subject == "export.csv");
    CHECK(audit[1].detail == "rows=2 identifying=no");
    for (const auto& e : Must(store::AuditRepo(db).List()))
        for (const std::string secret : {"O'Brien", "Ayşe", "447700900123", "High Street"}) {
            CHECK(e.detail.find(secret) == std::string::npos);
            CHECK(e.subject.find(secret) == std::string::npos);
        }
    CHECK(Must(store::AuditRepo(db).List({.action = "sealed.reveal"})).empty());  // the export entry is the record
}

TEST_CASE("export filters by created date and status - without --identifying the file holds no name") {
    Practice p;
    {
        auto db = p.Open();
        core::PatientDetails d;
        d.name = "Tusaale Bukaan";
        p.Request(db, Utc({2026, 3, 2}, 9), {core::Reason::MovingMore}, "so", false, core::Route::SelfReferral, d);
        const auto later = p.Request(db, Utc({2026, 3, 9}, 9), {core::Reason::MovingMore}, "so", false,
                                     core::Route::SelfReferral, d);
        Must(store::ReferralRepo(db).ChangeStatus(later.id, core::ReferralStatus::Cancelled, "staff:Tomasz", Utc({2026, 3, 9}, 10)));
    }
    const auto file = p.dir.File("march.csv");
    auto r = p.Cli({"export", "--csv", file.string(), "--from", "2026-03-03", "--to", "2026-03-10", "--json"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("\"rows\":1") != std::string::npos);
    CHECK(test::ReadText(file).find(",cancelled,") != std::string::npos);
    CHECK(test::ReadText(file).find("Tusaale") == std::string::npos);
    r = p.Cli({"export", "--csv", file.string(), "--status", "new", "--json"});
    CHECK(r.out.find("\"rows\":1") != std::string::npos);
    CHECK(test::ReadText(file).find(",new,") != std::string::npos);
    CHECK(p.Cli({"export", "--csv", file.string(), "--status", "open"}).code == 2);
    CHECK(p.Cli({"export", "--csv", file.string(), "--from", "2026-03-10", "--to", "2026-03-03"}).code == 2);
    CHECK(p.Cli({"export"}).code == 2);
    CHECK(p.AsReceptionist({"export", "--csv", file.string()}).code == 1);
}

TEST_CASE("an export to a path that cannot be written fails in one line and leaves nothing behind") {
    Practice p;
    {
        auto db = p.Open();
        p.Request(db, Utc({2026, 3, 2}, 9), {core::Reason::MovingMore}, "so", false, core::Route::SelfReferral);
    }
    const auto out_dir = p.dir.File("out");
    std::filesystem::create_directory(out_dir);
    test::WriteText(out_dir / "not-a-folder", "x");
    struct Case {
        std::string path;
        int code;
    };
    std::vector<Case> cases{{(out_dir / "missing" / "export.csv").string(), 1},
                            {(out_dir / "not-a-folder" / "export.csv").string(), 1},
                            {out_dir.string(), 2}};
    if (::geteuid() != 0) {  // root writes into read-only folders
        const auto locked = p.dir.File("locked");
        std::filesystem::create_directory(locked);
        std::filesystem::permissions(locked, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
        cases.push_back({(locked / "export.csv").string(), 2});
    }
    for (const auto& c : cases) {
        CAPTURE(c.path);
        const auto r = p.Cli({"export", "--csv", c.path, "--identifying"});
        CHECK(r.code == c.code);
        CHECK(test::Lines(r.err) == 1);
        CHECK(r.err.find(c.path) != std::string::npos);
    }
    {
        // A damaged record halfway through: the rows written so far go with the temp file.
        auto db = p.Open();
        p.Request(db, Utc({2026, 3, 3}, 9), {core::Reason::MovingMore}, "so", false, core::Route::SelfReferral);
        Must(db.Exec("UPDATE referrals SET sealed = randomblob(120) WHERE id = 2"));
    }
    const auto r = p.Cli({"export", "--csv", (out_dir / "export.csv").string(), "--identifying"});
    CHECK(r.code == 1);
    CHECK(test::Lines(r.err) == 1);
    std::vector<std::string> left;
    for (const auto& e : std::filesystem::directory_iterator(out_dir)) left.push_back(e.path().filename().string());
    CHECK(left == std::vector<std::string>{"not-a-folder"});
    auto db = p.Open();
    CHECK(Must(store::AuditRepo(db).List({.action = "export"})).empty());
}

TEST_CASE("a kiosk in another process writes at once while an export is halfway through its read") {
    Practice p;
    {
        auto db = p.Open();
        for (int i = 0; i < 3; ++i)
            p.Request(db, Utc({2026, 3, 2 + i}, 9), {core::Reason::MovingMore}, "so", false, core::Route::SelfReferral);
    }
    test::KioskProcess kiosk(p.db_path, Utc({2026, 3, 27}, 8));  // forked while no connection is open here
    auto db = p.Open();
    const auto zone = i18n::MakeTimeZone("Europe/London");
    REQUIRE(zone);
    int child = -1;
    admin::ExportOptions o;
    o.file = p.dir.File("slow.csv");
    o.progress = [&](int rows) {
        if (rows == 1) child = kiosk.WriteNow();  // the export holds its read transaction open here
    };
    const auto done = admin::ExportRequests(db, *zone, o, "staff:Rukhsana", test::Friday27March0800());
    REQUIRE_MESSAGE(done.ok(), (done.ok() ? std::string() : done.error().detail));
    CHECK(child == test::KioskProcess::kWrote);
    CHECK(done->rows == 3);  // one snapshot: the kiosk's request came after it
    CHECK(p.Count(db, "SELECT count(*) FROM referrals") == 4);
}

TEST_CASE("purge: a dry run lists what would go - the purge removes only requests closed before the cutoff") {
    Practice p;
    const auto now = test::Friday27March0800();  // default retention 365 days: closed before 2025-03-27 08:00
    std::string old_ref, edge_ref;
    core::ReferralId kept_closed = 0, kept_open = 0;
    {
        auto db = p.Open();
        auto close = [&](core::UnixSeconds at, core::ReferralStatus end) {
            const auto r = p.Request(db, at - 30 * kDay, {core::Reason::StoppingSmoking}, "so", false, core::Route::SelfReferral);
            p.Book(db, r.id, at - 10 * kDay, {BookingStatus::Confirmed, BookingStatus::Attended});
            Must(store::ReferralRepo(db).ChangeStatus(r.id, end, "staff:Tomasz", at));
            return r;
        };
        old_ref = close(Utc({2025, 3, 1}, 12), core::ReferralStatus::Closed).reference;
        edge_ref = close(now - 366 * kDay, core::ReferralStatus::Cancelled).reference;  // a day past the cutoff
        kept_closed = close(now - 364 * kDay, core::ReferralStatus::Closed).id;         // a day inside it
        kept_open = p.Request(db, Utc({2024, 1, 8}, 9), {core::Reason::LowMood}, "tr", false, core::Route::TaskedByGp).id;
    }

    auto r = p.Cli({"purge", "--dry-run"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out == "Would remove 2 requests closed or cancelled before 2025-03-27 08:00 (365 days ago), with their "
                   "bookings and history (--dry-run: nothing was changed):\n"
                   "  " + old_ref + "  closed     2025-03-01\n"
                   "  " + edge_ref + "  cancelled  2025-03-26\n");
    {
        auto db = p.Open();
        CHECK(p.Count(db, "SELECT count(*) FROM referrals") == 4);
        CHECK(Must(store::AuditRepo(db).List({.action = "purge"})).empty());
    }
    r = p.Cli({"purge", "--dry-run", "--older-than", "380", "--json"});
    CHECK(r.out.find("\"older_than_days\":380") != std::string::npos);
    CHECK(r.out.find("\"requests\":[{\"reference\":\"" + old_ref + "\",\"status\":\"closed\",\"closed\":\"2025-03-01\"}]") !=
          std::string::npos);

    r = p.Cli({"purge"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.rfind("Removed 2 requests closed or cancelled before 2025-03-27 08:00 (365 days ago), with 2 bookings "
                      "and 12 history entries:\n",
                      0) == 0);
    auto db = p.Open();
    CHECK(p.Count(db, "SELECT count(*) FROM referrals") == 2);
    CHECK(Must(store::ReferralRepo(db).Get(kept_closed)).status == core::ReferralStatus::Closed);
    CHECK(Must(store::ReferralRepo(db).Get(kept_open)).status == core::ReferralStatus::New);
    CHECK(p.Count(db, "SELECT count(*) FROM bookings") == 1);
    const auto audit = Must(store::AuditRepo(db).List({.action = "purge"}));
    REQUIRE(audit.size() == 1);
    CHECK(audit[0].actor == "staff:Rukhsana");
    CHECK(audit[0].detail == "referrals=2 bookings=2 history=12 closed_before=2025-03-27T08:00Z");

    r = p.Cli({"purge"});
    CHECK(r.out == "Nothing to remove: no request was closed or cancelled before 2025-03-27 08:00 (365 days ago).\n");
}

TEST_CASE("purge refuses a bad --older-than and receptionists, and changes nothing") {
    Practice p;
    CHECK(p.Cli({"purge", "--older-than", "0"}).code == 2);
    CHECK(p.Cli({"purge", "--older-than", "a year"}).code == 2);
    const auto r = p.AsReceptionist({"purge"});
    CHECK(r.code == 1);
    CHECK(r.err == "ht-admin: 'purge' is for managers; Tomasz is a receptionist\n");
    auto db = p.Open();
    CHECK(Must(store::AuditRepo(db).List({.action = "purge"})).empty());
}
