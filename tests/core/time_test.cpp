// Calendar arithmetic and the ICU-backed practice time zone.
#include <doctest/doctest.h>

#include "core/time.h"
#include "i18n/time_zone.h"

using namespace htk::core;

TEST_CASE("dates convert to days and back, with weekdays in ISO order") {
    CHECK(LocalDate{1970, 1, 1}.DaysSinceEpoch() == 0);
    CHECK(LocalDate::FromDays(LocalDate{2028, 2, 29}.DaysSinceEpoch()) == LocalDate{2028, 2, 29});
    CHECK(LocalDate{2026, 11, 23}.Weekday() == 0);  // a Monday
    CHECK(LocalDate{2026, 11, 29}.Weekday() == 6);
    CHECK(LocalDate{2026, 12, 31}.AddDays(1) == LocalDate{2027, 1, 1});
    CHECK_FALSE(LocalDate{2026, 2, 29}.Valid());
    CHECK(LocalDate::ParseIso("2026-03-29") == LocalDate{2026, 3, 29});
    CHECK_FALSE(LocalDate::ParseIso("2026-02-30"));
    CHECK_FALSE(LocalDate::ParseIso("26-3-29"));
    CHECK(ParseClock("09:30") == 570);
    CHECK(ParseClock("24:00") == 1440);
    CHECK_FALSE(ParseClock("24:01"));
    CHECK_FALSE(ParseClock("9:5"));
    CHECK(FormatClock(570) == "09:30");
}

TEST_CASE("an unknown time zone is refused rather than silently treated as GMT") {
    CHECK(htk::i18n::MakeTimeZone("Europe/London"));
    CHECK_FALSE(htk::i18n::MakeTimeZone("Europe/Londn"));
    CHECK_FALSE(htk::i18n::MakeTimeZone(""));
}

TEST_CASE("London's offsets either side of the clock changes") {
    const auto london = htk::i18n::MakeTimeZone("Europe/London");
    const UnixSeconds spring = LocalDate{2026, 3, 29}.DaysSinceEpoch() * 86400 + 3600;  // 01:00 UTC
    CHECK(london->OffsetSecondsAt(spring - 1) == 0);
    CHECK(london->OffsetSecondsAt(spring) == 3600);
    CHECK_FALSE(london->ToUtc({LocalDate{2026, 3, 29}, 90}));  // 01:30 never happens
    CHECK(london->ToLocal(spring) == LocalDateTime{LocalDate{2026, 3, 29}, 120});
    FixedZone utc;
    CHECK(utc.Id() == "UTC");
    CHECK(FixedZone(-5 * 3600).Id() == "UTC-05:00");
}
