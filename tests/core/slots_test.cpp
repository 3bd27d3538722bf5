// Slot generation in Europe/London across both clock changes, with exceptions, blocked days,
// the booking horizon and the minimum notice.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/slots.h"
#include "i18n/time_zone.h"

using namespace htk::core;

namespace {
const auto kLondon = htk::i18n::MakeTimeZone("Europe/London");

UnixSeconds Utc(LocalDate d, int hour, int minute = 0) { return d.DaysSinceEpoch() * 86400 + hour * 3600 + minute * 60; }

WorkingPlan EveryDay(const char* hours) {
    WorkingPlan plan;
    plan.trainer = 7;
    for (auto& day : plan.weekly) day = *ParseDayHours(hours);
    return plan;
}

std::vector<Slot> On(const std::vector<Slot>& slots, LocalDate date) {
    std::vector<Slot> out;
    for (const auto& s : slots)
        if (kLondon->ToLocal(s.start).date == date) out.push_back(s);
    return out;
}

SlotRules Rules(int horizon = 28, int notice = 0) {
    SlotRules r;
    r.horizon_days = horizon;
    r.min_notice_minutes = notice;
    return r;
}
}  // namespace

TEST_CASE("a trainer's 9 to 12 mornings move by an hour in UTC when the clocks go forward in March") {
    REQUIRE(kLondon);
    const auto plan = EveryDay("09:00-12:00");
    const LocalDate friday{2026, 3, 27}, monday{2026, 3, 30};
    const auto slots = GenerateSlots(plan, {}, Rules(), *kLondon, Utc(friday, 0));
    const auto fri = On(slots, friday), mon = On(slots, monday);
    REQUIRE(fri.size() == 3);
    REQUIRE(mon.size() == 3);
    CHECK(fri[0].start == Utc(friday, 9));  // GMT
    CHECK(mon[0].start == Utc(monday, 8));  // BST: 09:00 local is 08:00 UTC
    CHECK(mon[0].end - mon[0].start == 3600);
    CHECK(kLondon->ToLocal(mon[2].start).minute_of_day == 11 * 60);
}

TEST_CASE("the hour skipped on the March clock change yields no slot and no duplicate") {
    const LocalDate sunday{2026, 3, 29};
    const auto plan = EveryDay("00:00-04:00");
    const auto slots = On(GenerateSlots(plan, {}, Rules(), *kLondon, Utc(sunday, 0) - 3600), sunday);
    REQUIRE(slots.size() == 3);  // 00:00, 02:00, 03:00 local; 01:00 does not exist
    CHECK(slots[0].start == Utc(sunday, 0));
    CHECK(slots[1].start == Utc(sunday, 1));  // 02:00 BST
    CHECK(slots[2].start == Utc(sunday, 2));
    CHECK(std::adjacent_find(slots.begin(), slots.end()) == slots.end());
}

TEST_CASE("the hour repeated on the October clock change is offered once, at its first occurrence") {
    const LocalDate sunday{2026, 10, 25};
    const auto plan = EveryDay("00:00-03:00");
    const auto slots = On(GenerateSlots(plan, {}, Rules(), *kLondon, Utc(sunday, 0) - 86400), sunday);
    REQUIRE(slots.size() == 3);
    CHECK(slots[0].start == Utc(sunday, 0) - 3600);  // 00:00 BST is 23:00 UTC the day before
    CHECK(slots[1].start == Utc(sunday, 0));         // 01:00 BST, not the later 01:00 GMT
    CHECK(slots[2].start == Utc(sunday, 2));         // 02:00 GMT
    const LocalDate monday{2026, 10, 26};
    const auto after = On(GenerateSlots(EveryDay("09:00-10:00"), {}, Rules(), *kLondon, Utc(sunday, 0)), monday);
    REQUIRE(after.size() == 1);
    CHECK(after[0].start == Utc(monday, 9));  // back on GMT
}

TEST_CASE("breaks, date exceptions and blocked days take slots away") {
    auto plan = EveryDay("09:00-17:00/12:30-13:30");
    const LocalDate mon{2026, 6, 1}, tue{2026, 6, 2}, wed{2026, 6, 3};
    plan.exceptions.push_back({tue, ParseDayHours("14:00-16:00")});
    plan.exceptions.push_back({wed, std::nullopt});
    const std::vector<BlockedDay> blocked{{LocalDate{2026, 6, 4}, "training day"}};
    const auto slots = GenerateSlots(plan, blocked, Rules(7), *kLondon, Utc(mon, 0));

    const auto monday = On(slots, mon);
    // 09,10,11 fit before the break; 12:00-13:00 crosses it; 13:00 starts inside it; 14,15,16 after.
    REQUIRE(monday.size() == 6);
    CHECK(kLondon->ToLocal(monday[3].start).minute_of_day == 14 * 60);
    CHECK(On(slots, tue).size() == 2);
    CHECK(On(slots, wed).empty());
    CHECK(On(slots, LocalDate{2026, 6, 4}).empty());
    CHECK(On(slots, LocalDate{2026, 6, 5}).size() == 6);
}

TEST_CASE("the horizon ends the list and the minimum notice starts it") {
    const auto plan = EveryDay("09:00-12:00");
    const LocalDate day{2026, 7, 1};
    const UnixSeconds now = Utc(day, 8, 30);  // 09:30 BST
    const auto slots = GenerateSlots(plan, {}, Rules(3, 90), *kLondon, now);
    REQUIRE(!slots.empty());
    CHECK(slots.front().start >= now + 90 * 60);
    CHECK(kLondon->ToLocal(slots.front().start).minute_of_day == 11 * 60);  // 10:00 is within 90 minutes
    CHECK(kLondon->ToLocal(slots.back().start).date == LocalDate{2026, 7, 3});
    CHECK(slots.size() == 1 + 3 + 3);
}

TEST_CASE("30-minute sessions at 45-minute intervals, and rules out of range give nothing") {
    SlotRules r = Rules();
    r.session_minutes = 30;
    r.interval_minutes = 45;
    const LocalDate day{2026, 1, 5};
    const auto slots = On(GenerateSlots(EveryDay("09:00-11:00"), {}, r, *kLondon, Utc(day, 0)), day);
    REQUIRE(slots.size() == 3);  // 09:00, 09:45, 10:30 (ends 11:00)
    CHECK(slots[2].start == Utc(day, 10, 30));
    CHECK(slots[2].end == Utc(day, 11));

    r.session_minutes = 90;
    CHECK_FALSE(Validate(r));
    CHECK(GenerateSlots(EveryDay("09:00-17:00"), {}, r, *kLondon, Utc(day, 0)).empty());
    r.session_minutes = 60;
    r.interval_minutes = 30;
    CHECK(Validate(r).error().code == Errc::InvalidInput);
}
