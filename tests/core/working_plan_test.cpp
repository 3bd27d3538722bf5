// Working plans: the compact text form and validation.
#include <doctest/doctest.h>

#include "core/working_plan.h"

using namespace htk::core;

TEST_CASE("day hours parse and print back, with breaks after the slash") {
    const auto h = ParseDayHours("09:00-13:00,14:00-17:00/10:30-10:45");
    REQUIRE(h);
    CHECK(h->open.size() == 2);
    CHECK(h->breaks.size() == 1);
    CHECK(FormatDayHours(*h) == "09:00-13:00,14:00-17:00/10:30-10:45");
    CHECK(ParseDayHours("off")->Empty());
    CHECK(FormatDayHours(DayHours{}) == "off");
}

TEST_CASE("overlapping hours, breaks outside hours and backwards ranges are refused") {
    CHECK_FALSE(ParseDayHours("09:00-12:00,11:00-13:00"));
    CHECK_FALSE(ParseDayHours("09:00-12:00/12:30-13:00"));
    CHECK_FALSE(ParseDayHours("17:00-09:00"));
    CHECK_FALSE(ParseDayHours("9-5"));
    WorkingPlan plan;
    plan.exceptions.push_back({LocalDate{2026, 12, 24}, std::nullopt});
    plan.exceptions.push_back({LocalDate{2026, 12, 24}, ParseDayHours("09:00-12:00")});
    CHECK(Validate(plan).error().code == Errc::InvalidInput);
}

TEST_CASE("an exception replaces the weekday's hours for its date only") {
    WorkingPlan plan;
    plan.weekly[3] = *ParseDayHours("09:00-17:00");  // Thursday
    plan.exceptions.push_back({LocalDate{2026, 12, 24}, ParseDayHours("09:00-12:00")});
    CHECK(plan.HoursOn(LocalDate{2026, 12, 24}).open[0].end_min == 12 * 60);
    CHECK(plan.HoursOn(LocalDate{2026, 12, 31}).open[0].end_min == 17 * 60);
    CHECK(plan.HoursOn(LocalDate{2026, 12, 25}).Empty());
}
