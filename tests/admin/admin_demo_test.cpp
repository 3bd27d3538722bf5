// `ht-admin demo`: the practice the run command opens on. Checked through the store, as the kiosk
// will read it, and through the config file, as the kiosk's LoadConfig will parse it.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <set>

#include "admin_fixture.h"
#include "i18n/time_zone.h"
#include "store/booking_repo.h"
#include "store/database.h"
#include "store/plan_repo.h"
#include "store/referral_repo.h"
#include "store/slot_repo.h"
#include "store/trainer_repo.h"

using namespace htk;

namespace {

unsigned Mode(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

bool HasScript(const std::string& utf8, unsigned lo, unsigned hi) {
    for (std::size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        unsigned cp = c;
        std::size_t n = 1;
        if (c >= 0xF0) { cp = c & 0x07u; n = 4; }
        else if (c >= 0xE0) { cp = c & 0x0Fu; n = 3; }
        else if (c >= 0xC0) { cp = c & 0x1Fu; n = 2; }
        for (std::size_t k = 1; k < n && i + k < utf8.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3Fu);
        if (cp >= lo && cp <= hi) return true;
        i += n;
    }
    return false;
}

}  // namespace

TEST_CASE("the demo practice has trainers, four weeks of plans, and requests in every status") {
    test::TempDir tmp;
    const auto dir = tmp.File("demo");
    const auto r = test::RunCli({"demo", "--data-dir", dir.string()});
    REQUIRE_MESSAGE(r.code == 0, r.err);

    CHECK(Mode(dir) == 0700);
    CHECK_FALSE(std::filesystem::exists(dir / ".kiosk.db.partial"));
    CHECK_FALSE(std::filesystem::exists(dir / "kiosk.db-wal"));  // checkpointed and closed: one self-contained file
    CHECK(Mode(dir / "demo-passphrase") == 0600);
    auto passphrase = test::ReadText(dir / "demo-passphrase");
    REQUIRE(passphrase.size() > 20);
    REQUIRE(passphrase.back() == '\n');
    passphrase.pop_back();
    CHECK(r.out.find(passphrase) != std::string::npos);

    auto db = store::Open(dir / "kiosk.db", {.create = false});
    REQUIRE(db.ok());
    const auto trainers = *store::TrainerRepo(*db).List();
    CHECK(trainers.size() >= 4);
    CHECK(trainers.size() <= 5);
    std::set<std::string> languages;
    for (const auto& t : trainers) languages.insert(t.languages.begin(), t.languages.end());
    for (const char* tag : {"tr", "so", "ur", "pa", "bn", "pl", "ar"}) {
        CAPTURE(tag);
        CHECK(languages.count(tag) == 1);
    }

    // Every week of the next four has free slots; there is an exception, a blocked day, and breaks.
    const auto zone = i18n::MakeTimeZone("Europe/London");
    REQUIRE(zone);
    const auto now = test::Friday27March0800();  // RunCli's clock
    const auto slots = *store::SlotRepo(*db).FreeSlots(*zone, now);
    for (int week = 0; week < 4; ++week) {
        const auto from = now + week * 7 * 86400LL;
        CAPTURE(week);
        CHECK(std::any_of(slots.begin(), slots.end(),
                          [&](const core::Slot& s) { return s.start >= from && s.start < from + 7 * 86400LL; }));
    }
    std::size_t exceptions = 0, breaks = 0;
    for (const auto& t : trainers) {
        const auto plan = *store::PlanRepo(*db).Load(t.id);
        exceptions += plan.exceptions.size();
        for (const auto& d : plan.weekly) breaks += d.breaks.size();
    }
    CHECK(exceptions >= 1);
    CHECK(breaks >= 5);
    const auto blocked = *store::PlanRepo(*db).BlockedDays();
    REQUIRE(blocked.size() >= 1);
    CHECK(std::none_of(slots.begin(), slots.end(),
                       [&](const core::Slot& s) { return zone->ToLocal(s.start).date == blocked[0].date; }));

    std::set<core::ReferralStatus> referral_statuses;
    const auto referrals = *store::ReferralRepo(*db).List();
    for (const auto& ref : referrals) referral_statuses.insert(ref.status);
    for (auto s : core::AllReferralStatuses()) {
        CAPTURE(core::Key(s));
        CHECK(referral_statuses.count(s) == 1);
    }
    std::set<core::BookingStatus> booking_statuses;
    const auto bookings = *store::BookingRepo(*db).List();
    for (const auto& b : bookings) {
        booking_statuses.insert(b.status);
        CHECK(b.history.front().at < now);  // stories happened before "now"
    }
    for (auto s : core::AllBookingStatuses()) {
        CAPTURE(core::Key(s));
        CHECK(booking_statuses.count(s) == 1);
    }

    // The sealed names are fictional and in several scripts; only the passphrase opens them.
    auto key = store::Unlock(*db, std::string(admin::kDemoStaff), passphrase, now);
    REQUIRE(key.ok());
    std::string names;
    for (const auto& ref : referrals) {
        const auto details = store::ReferralRepo(*db).Reveal(ref.id, *key, now);
        REQUIRE(details.ok());
        names += details->name + "\n";
        if (!details->phone.empty()) CHECK(details->phone.rfind("+447700900", 0) == 0);  // Ofcom's drama range
    }
    CHECK(HasScript(names, 0x0600, 0x06FF));  // Arabic script (Arabic, Urdu)
    CHECK(HasScript(names, 0x0980, 0x09FF));  // Bengali
    CHECK(HasScript(names, 0x0A00, 0x0A7F));  // Gurmukhi
    CHECK(HasScript(names, 0x0100, 0x017F));  // Latin Extended-A (Turkish, Polish)

    const auto conf = test::ReadText(dir / "kiosk.conf");
    CHECK(conf == "# Health Trainer Kiosk configuration\n"
                  "[practice]\n"
                  "name = Chapeltown Health Centre\n"
                  "time_zone = Europe/London\n"
                  "public_key = " + store::PublicKeyToBase64(key->Public()) + "\n"
                  "[kiosk]\n"
                  "id = kiosk-1\n"
                  "database = " + (dir / "kiosk.db").string() + "\n");
}

TEST_CASE("a second demo into the same directory is refused and the first is kept") {
    test::TempDir tmp;
    const auto dir = tmp.File("demo");
    REQUIRE(test::RunCli({"demo", "--data-dir", dir.string()}).code == 0);
    const auto before = test::ReadText(dir / "kiosk.db");
    const auto pass = test::ReadText(dir / "demo-passphrase");
    const auto r = test::RunCli({"demo", "--data-dir", dir.string()});
    CHECK(r.code == 2);
    CHECK(r.err.find((dir / "kiosk.db").string()) != std::string::npos);
    CHECK(test::ReadText(dir / "kiosk.db") == before);
    CHECK(test::ReadText(dir / "demo-passphrase") == pass);
}

TEST_CASE("demo into a path that is a file, or with --database, is refused") {
    test::TempDir tmp;
    test::WriteText(tmp.File("a-file"), "x");
    CHECK(test::RunCli({"demo", "--data-dir", tmp.File("a-file").string()}).code == 2);
    CHECK(test::ReadText(tmp.File("a-file")) == "x");
    CHECK(test::RunCli({"demo"}).code == 2);
    CHECK(test::RunCli({"--database", tmp.File("x.db").string(), "demo", "--data-dir", tmp.File("d").string()}).code == 2);
    CHECK_FALSE(std::filesystem::exists(tmp.File("d")));
}

TEST_CASE("the demo's requests and slots read well through ht-admin itself") {
    test::TempDir tmp;
    const auto dir = tmp.File("demo");
    REQUIRE(test::RunCli({"demo", "--data-dir", dir.string()}).code == 0);
    const auto db = (dir / "kiosk.db").string();
    std::string pass = test::ReadText(dir / "demo-passphrase");
    pass.pop_back();  // the newline
    test::PassphrasePipe unlock{pass};
    auto r = test::RunCli({"--database", db, "requests", "list", "--passphrase-fd", unlock.Fd()});
    REQUIRE(r.code == 0);
    for (const char* status : {"  new  ", "  contacted  ", "  booked  ", "  closed  ", "  cancelled  "}) {
        CAPTURE(status);
        CHECK(r.out.find(status) != std::string::npos);
    }
    CHECK(r.out.find("did_not_attend") != std::string::npos);
    CHECK(r.out.find("Przykładow") == std::string::npos);  // sealed without --reveal
    test::PassphrasePipe again{pass};
    r = test::RunCli({"--database", db, "slots", "list", "--days", "7", "--passphrase-fd", again.Fd()});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("Ayşe Demir") != std::string::npos);
}
