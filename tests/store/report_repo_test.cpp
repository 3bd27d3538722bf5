// Reports and export rows: exact figures on a seeded practice an hour east of UTC, so local weeks
// and days differ from UTC ones; an export reading never holds up a kiosk writing in another process.
#include <doctest/doctest.h>

#include "store/booking_repo.h"
#include "store/referral_repo.h"
#include "store/report_repo.h"
#include "store_fixture.h"
#include "tests/kiosk_process.h"

using namespace htk;
using test::Must;
using core::BookingStatus;
using core::Reason;
using core::Route;

namespace {

const char* kPassphrase = "correct horse battery staple";
const core::FixedZone kZone{3600};  // local = UTC + 1
const core::LocalDate kMonday2{2026, 3, 2};

core::UnixSeconds Local(core::LocalDate d, int hour, int minute = 0) { return test::At(d, hour, minute) - 3600; }

struct Seeded : test::Practice {
    store::PublicKey pub = Must(store::CreatePracticeKeys(db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1));
    std::vector<core::ReferralId> ids;

    core::ReferralId Request(core::UnixSeconds at, std::set<Reason> reasons, std::string language, bool interpreter,
                             Route route) {
        core::Referral r;
        r.route = route;
        r.reasons = std::move(reasons);
        r.preferred_language = std::move(language);
        r.interpreter = interpreter;
        r.consent_version = "2026-01";
        r.patient.name = "Patient " + std::to_string(ids.size() + 1);
        ids.push_back(Must(store::ReferralRepo(db).Create(r, pub, "kiosk:kiosk-1", at)).id);
        return ids.back();
    }

    core::BookingId Book(core::ReferralId referral, core::LocalDate day, int hour, std::vector<BookingStatus> then = {}) {
        const core::Slot slot{trainer, Local(day, hour), Local(day, hour) + 3600};
        const auto id = Must(store::BookingRepo(db).Book(referral, slot, "staff:Tomasz", slot.start - 86400)).id;
        for (auto s : then) Must(store::BookingRepo(db).ChangeStatus(id, s, "staff:Tomasz", slot.end));
        return id;
    }

    // Two weeks from Monday 2 March (local), and requests just outside them on both sides.
    Seeded() {
        const auto r1 = Request(Local(kMonday2, 10), {Reason::StoppingSmoking, Reason::LosingWeight}, "so", true, Route::SelfReferral);
        const auto r2 = Request(Local({2026, 3, 4}, 9), {Reason::LowMood}, "tr", true, Route::TaskedByGp);
        const auto r3 = Request(Local({2026, 3, 8}, 23, 30), {Reason::StoppingSmoking}, "en", false, Route::SelfReferral);
        // 00:30 on Monday 9 March locally is still Sunday in UTC: it belongs to the second week.
        const auto r4 = Request(Local({2026, 3, 9}, 0, 30), {Reason::EatingBetter}, "so", true, Route::SelfReferral);
        Request(Local({2026, 3, 13}, 12), {Reason::MovingMore, Reason::StoppingSmoking}, "pl", false, Route::BookedByGp);
        const auto before = Request(Local({2026, 3, 1}, 23, 30), {Reason::ChronicPain}, "ur", true, Route::Signposted);
        Request(Local({2026, 3, 16}, 0, 30), {Reason::DrinkingLess}, "ur", true, Route::Signposted);

        Book(r1, {2026, 3, 3}, 10, {BookingStatus::Confirmed, BookingStatus::Attended});
        Book(r2, {2026, 3, 5}, 10, {BookingStatus::Confirmed, BookingStatus::DidNotAttend});
        Book(r3, {2026, 3, 10}, 10, {BookingStatus::CancelledByPatient});
        Book(r3, {2026, 3, 11}, 10, {BookingStatus::Confirmed, BookingStatus::Attended});
        Book(r4, {2026, 3, 16}, 10);  // the slot is after the range: in the funnel, not in the bookings
        Book(before, {2026, 3, 4}, 11, {BookingStatus::Confirmed, BookingStatus::Attended});  // the other way round
    }
};

template <class K>
int At(const std::map<K, int>& m, const K& key) {
    const auto it = m.find(key);
    return it == m.end() ? 0 : it->second;
}

}  // namespace

TEST_CASE("a two-week report counts requests by local week, reason, language and route") {
    Seeded p;
    const auto f = Must(store::ReportRepo(p.db).Figures(kMonday2, {2026, 3, 16}, kZone));
    REQUIRE(f.weeks.size() == 2);
    const auto& w1 = f.weeks[0];
    CHECK(w1.monday == kMonday2);
    CHECK(w1.days == 7);
    CHECK(w1.requests == 3);
    CHECK(w1.by_reason == std::map<Reason, int>{{Reason::LowMood, 1}, {Reason::LosingWeight, 1}, {Reason::StoppingSmoking, 2}});
    CHECK(w1.by_language == std::map<std::string, int>{{"en", 1}, {"so", 1}, {"tr", 1}});
    CHECK(w1.by_route == std::map<Route, int>{{Route::SelfReferral, 2}, {Route::TaskedByGp, 1}});
    const auto& w2 = f.weeks[1];
    CHECK(w2.monday == core::LocalDate{2026, 3, 9});
    CHECK(w2.requests == 2);
    CHECK(w2.by_reason == std::map<Reason, int>{{Reason::EatingBetter, 1}, {Reason::MovingMore, 1}, {Reason::StoppingSmoking, 1}});
    CHECK(w2.by_language == std::map<std::string, int>{{"pl", 1}, {"so", 1}});
    CHECK(w2.by_route == std::map<Route, int>{{Route::SelfReferral, 1}, {Route::BookedByGp, 1}});

    CHECK(f.total.requests == 5);
    CHECK(f.total.days == 14);
    CHECK(At(f.total.by_reason, Reason::StoppingSmoking) == 3);  // two requests name it alongside another reason
    CHECK(At(f.total.by_reason, Reason::ChronicPain) == 0);
    CHECK(f.total.by_language == std::map<std::string, int>{{"en", 1}, {"pl", 1}, {"so", 2}, {"tr", 1}});
    CHECK(f.interpreter_by_language == std::map<std::string, int>{{"so", 2}, {"tr", 1}});
}

TEST_CASE("bookings are counted by the slot's local date - the funnel follows the requests of the range") {
    Seeded p;
    const auto f = Must(store::ReportRepo(p.db).Figures(kMonday2, {2026, 3, 16}, kZone));
    CHECK(f.bookings_by_status == std::map<BookingStatus, int>{{BookingStatus::Attended, 3},
                                                               {BookingStatus::DidNotAttend, 1},
                                                               {BookingStatus::CancelledByPatient, 1}});
    CHECK(f.Bookings(BookingStatus::Confirmed) == 0);
    REQUIRE(f.DidNotAttendRate());
    CHECK(*f.DidNotAttendRate() == doctest::Approx(0.25));
    CHECK(f.funnel_requests == 5);
    CHECK(f.funnel_booked == 4);    // the fifth request has no booking; a rebooked one counts once
    CHECK(f.funnel_attended == 2);
}

TEST_CASE("a range that cuts weeks lists them with the days inside it - no outcome means no did-not-attend rate") {
    Seeded p;
    const auto f = Must(store::ReportRepo(p.db).Figures({2026, 3, 4}, {2026, 3, 10}, kZone));
    REQUIRE(f.weeks.size() == 2);
    CHECK(f.weeks[0].monday == kMonday2);
    CHECK(f.weeks[0].days == 5);
    CHECK(f.weeks[0].requests == 2);
    CHECK(f.weeks[1].days == 1);
    CHECK(f.weeks[1].requests == 1);

    const auto empty = Must(store::ReportRepo(p.db).Figures({2026, 4, 6}, {2026, 4, 13}, kZone));
    CHECK(empty.weeks.size() == 1);
    CHECK(empty.total.requests == 0);
    CHECK(empty.bookings_by_status.empty());
    CHECK_FALSE(empty.DidNotAttendRate());

    const auto outcome_less = Must(store::ReportRepo(p.db).Figures({2026, 3, 16}, {2026, 3, 17}, kZone));
    CHECK(outcome_less.Bookings(BookingStatus::Requested) == 1);
    CHECK_FALSE(outcome_less.DidNotAttendRate());
}

TEST_CASE("a report whose end is not after its start is refused") {
    Seeded p;
    auto r = store::ReportRepo(p.db).Figures({2026, 3, 9}, {2026, 3, 9}, kZone);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == core::Errc::InvalidInput);
    CHECK(store::ReportRepo(p.db).Figures({2026, 3, 9}, {2026, 3, 2}, kZone).error().code == core::Errc::InvalidInput);
    CHECK(store::ReportRepo(p.db).Figures({2000, 1, 1}, {2026, 1, 1}, kZone).error().code == core::Errc::InvalidInput);
}

TEST_CASE("export rows come oldest first with the newest booking and its trainer, filtered, sealed only when asked") {
    Seeded p;
    store::ReportRepo repo(p.db);
    std::vector<store::ExportRow> rows;
    auto keep = [&](const store::ExportRow& row) -> core::Result<void> {
        rows.push_back(row);
        return {};
    };
    CHECK(Must(repo.ForEachRequest({}, false, keep)) == 7);
    REQUIRE(rows.size() == 7);
    CHECK(rows[0].referral.id == p.ids[5]);  // created on 1 March, before the others
    CHECK(rows[0].booking->status == BookingStatus::Attended);
    CHECK(rows[0].trainer_name == "Ayşe Demir");
    CHECK(rows[0].sealed.empty());
    const auto& r3 = rows[3];
    CHECK(r3.referral.id == p.ids[2]);
    CHECK(r3.booking->status == BookingStatus::Attended);  // rebooked after a cancellation: the newest booking
    CHECK(r3.booking->slot.start == Local({2026, 3, 11}, 10));
    CHECK_FALSE(rows[5].booking);
    CHECK(rows[5].trainer_name.empty());

    rows.clear();
    store::ExportFilter f;
    f.from = Local(kMonday2, 0);
    f.to = Local({2026, 3, 9}, 0);
    CHECK(Must(repo.ForEachRequest(f, true, keep)) == 3);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].sealed == Must(store::ReferralRepo(p.db).Sealed(rows[0].referral.id)));

    rows.clear();
    f = {};
    f.status = core::ReferralStatus::New;
    CHECK(Must(repo.ForEachRequest(f, false, keep)) == 2);

    int calls = 0;
    auto stop = repo.ForEachRequest({}, false, [&](const store::ExportRow&) -> core::Result<void> {
        ++calls;
        return core::Fail(core::Errc::DiskFull, "disk full");
    });
    REQUIRE_FALSE(stop.ok());
    CHECK(stop.error().code == core::Errc::DiskFull);
    CHECK(calls == 1);
    CHECK_FALSE(p.db.InTransaction());
}

TEST_CASE("a kiosk in another process writes at once while an export is halfway through its read") {
    test::TempDir dir;
    const auto path = dir.File("kiosk.db");
    {
        Seeded p;  // seeded in its own directory, then copied: no connection is open when we fork
        Must(p.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
        p.db = store::Database();
        std::filesystem::copy_file(p.path, path);
    }
    test::KioskProcess kiosk(path, Local({2026, 3, 10}, 9));
    auto db = Must(store::Open(path));

    SUBCASE("while the export reads") {
        int child = -1;
        int rows = 0;
        const auto total = store::ReportRepo(db).ForEachRequest({}, false, [&](const store::ExportRow&) -> core::Result<void> {
            if (rows++ == 2) child = kiosk.WriteNow();
            return {};
        });
        CHECK(child == test::KioskProcess::kWrote);
        CHECK(Must(total) == 7);  // the export's snapshot was taken before the kiosk wrote
        CHECK(Must(store::ReferralRepo(db).List()).size() == 8);
    }
    SUBCASE("the control: a writer holding the lock does make the kiosk fail at once") {
        auto tx = Must(store::Transaction::Begin(db));
        CHECK(kiosk.WriteNow() == test::KioskProcess::kBusy);
    }
}
