// Free slots as a patient sees them: the working plan's slots minus what is booked or held.
#include <doctest/doctest.h>

#include <algorithm>

#include "store/booking_repo.h"
#include "store/referral_repo.h"
#include "store/slot_repo.h"
#include "store_fixture.h"

using namespace htk;
using test::Must;

namespace {

const core::LocalDate kMonday{2026, 3, 2};

bool Has(const std::vector<core::Slot>& slots, const core::Slot& s) {
    return std::find(slots.begin(), slots.end(), s) != slots.end();
}

core::ReferralId AnyReferral(store::Database& db) {
    store::PublicKey pub{};
    pub[0] = 9;  // nobody can open what is sealed to this; the test needs only the row
    core::Referral r;
    r.reasons = {core::Reason::EatingBetter};
    r.preferred_language = "bn";
    r.consent_version = "2026-01";
    return Must(store::ReferralRepo(db).Create(r, pub, "staff:T", 1)).id;
}

}  // namespace

TEST_CASE("a week of a trainer's plan gives six sessions a weekday around lunch") {
    test::Practice p;
    const auto slots = Must(store::SlotRepo(p.db).FreeSlots(p.zone, test::Monday0800()));
    CHECK(slots.size() == 30);
    CHECK(slots.front() == p.SlotAt(p.trainer, kMonday, 9));
    CHECK(Has(slots, p.SlotAt(p.trainer, kMonday, 11)));
    CHECK_FALSE(Has(slots, p.SlotAt(p.trainer, kMonday, 12)));  // crosses the 12:30 lunch
    CHECK(Has(slots, p.SlotAt(p.trainer, kMonday, 14)));
    CHECK_FALSE(Has(slots, p.SlotAt(p.trainer, kMonday.AddDays(5), 10)));  // Saturday
}

TEST_CASE("booked and held slots disappear from the list - a lapsed hold or a cancellation brings them back") {
    test::Practice p;
    store::SlotRepo slots(p.db);
    const auto now = test::Monday0800();
    const auto ten = p.SlotAt(p.trainer, kMonday.AddDays(1), 10);
    const auto eleven = p.SlotAt(p.trainer, kMonday.AddDays(1), 11);
    const auto booking = Must(store::BookingRepo(p.db).Book(AnyReferral(p.db), ten, "staff:T", now));
    Must(slots.HoldSlot(eleven, "patient-one", now, 300));
    auto free = Must(slots.FreeSlots(p.zone, now + 10));
    CHECK(free.size() == 28);
    CHECK_FALSE(Has(free, ten));
    CHECK_FALSE(Has(free, eleven));

    free = Must(slots.FreeSlots(p.zone, now + 300));
    CHECK(Has(free, eleven));
    Must(store::BookingRepo(p.db).ChangeStatus(booking.id, core::BookingStatus::CancelledByPractice, "staff:T", now));
    CHECK(Has(Must(slots.FreeSlots(p.zone, now + 300)), ten));
}

TEST_CASE("a blocked day and a day off give no slots - an exception with other hours gives those") {
    test::Practice p;
    store::PlanRepo plans(p.db);
    Must(plans.BlockDay({kMonday.AddDays(1), "Staff training"}));
    Must(plans.SetException(p.trainer, kMonday.AddDays(2), std::nullopt));
    Must(plans.SetException(p.trainer, kMonday.AddDays(3), core::ParseDayHours("13:00-15:00")));
    const auto slots = Must(store::SlotRepo(p.db).FreeSlots(p.zone, test::Monday0800()));
    auto on = [&](core::LocalDate d) {
        return std::count_if(slots.begin(), slots.end(),
                             [&](const core::Slot& s) { return p.zone.ToLocal(s.start).date == d; });
    };
    CHECK(on(kMonday) == 6);
    CHECK(on(kMonday.AddDays(1)) == 0);
    CHECK(on(kMonday.AddDays(2)) == 0);
    CHECK(on(kMonday.AddDays(3)) == 2);
    CHECK(Has(slots, p.SlotAt(p.trainer, kMonday.AddDays(3), 13)));
    CHECK(on(kMonday.AddDays(4)) == 6);
}

TEST_CASE("an inactive trainer offers nothing - one trainer's slots can be asked for alone") {
    test::Practice p;
    const auto other = p.AddTrainer("Nasreen Begum", {"bn", "syl"});
    store::SlotRepo slots(p.db);
    CHECK(Must(slots.FreeSlots(p.zone, test::Monday0800())).size() == 60);
    const auto only_other = Must(slots.FreeSlots(p.zone, test::Monday0800(), other));
    CHECK(only_other.size() == 30);
    CHECK(std::all_of(only_other.begin(), only_other.end(), [&](const core::Slot& s) { return s.trainer == other; }));
    Must(store::TrainerRepo(p.db).SetActive(other, false));
    CHECK(Must(slots.FreeSlots(p.zone, test::Monday0800())).size() == 30);
    CHECK(Must(slots.FreeSlots(p.zone, test::Monday0800(), other)).empty());
    CHECK(slots.FreeSlots(p.zone, test::Monday0800(), 999).error().code == core::Errc::NotFound);
}

TEST_CASE("the practice's notice and horizon rules apply, and the horizon can be asked for shorter") {
    test::Practice p;
    auto rules = Must(store::SettingsRepo(p.db).Rules());
    rules.min_notice_minutes = 24 * 60;
    Must(store::SettingsRepo(p.db).SetRules(rules));
    store::SlotRepo slots(p.db);
    const auto free = Must(slots.FreeSlots(p.zone, test::Monday0800()));
    CHECK(free.size() == 24);  // nothing on Monday, nor Tuesday before 08:00
    CHECK(free.front() == p.SlotAt(p.trainer, kMonday.AddDays(1), 9));
    CHECK(Must(slots.FreeSlots(p.zone, test::Monday0800(), std::nullopt, 2)).size() == 6);
    CHECK(slots.FreeSlots(p.zone, test::Monday0800(), std::nullopt, 0).error().code == core::Errc::InvalidInput);
}

TEST_CASE("slots come sorted by time across trainers") {
    test::Practice p;
    p.AddTrainer("Katarzyna Nowak", {"pl"});
    const auto slots = Must(store::SlotRepo(p.db).FreeSlots(p.zone, test::Monday0800()));
    CHECK(std::is_sorted(slots.begin(), slots.end(), [](const core::Slot& a, const core::Slot& b) {
        return a.start != b.start ? a.start < b.start : a.trainer < b.trainer;
    }));
    CHECK(slots[0].start == slots[1].start);
}
