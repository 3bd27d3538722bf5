// Calendar dates, local times and the time-zone interface of the domain.
// g++ 12 has std::chrono calendars but no time zones: the zone is an interface here, implemented
// with ICU in kiosk/i18n (IcuTimeZone), so that core stays on the standard library alone.
#pragma once
#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace htk::core {

using UnixSeconds = std::int64_t;  // seconds since 1970-01-01T00:00:00Z

struct LocalDate {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31
    auto operator<=>(const LocalDate&) const = default;

    bool Valid() const;
    std::int64_t DaysSinceEpoch() const;  // 1970-01-01 is 0
    static LocalDate FromDays(std::int64_t days);
    int Weekday() const;                  // 0 = Monday .. 6 = Sunday (ISO order)
    LocalDate AddDays(int days) const { return FromDays(DaysSinceEpoch() + days); }
    std::string Iso() const;              // "2026-03-29"
    static std::optional<LocalDate> ParseIso(std::string_view text);
};

struct LocalDateTime {
    LocalDate date;
    int minute_of_day = 0;  // 0..1439, wall-clock time in the practice's zone
    auto operator<=>(const LocalDateTime&) const = default;
};

// A practice's time zone. Implementations must be cheap to query many times.
class TimeZone {
public:
    virtual ~TimeZone() = default;
    virtual std::string Id() const = 0;
    virtual int OffsetSecondsAt(UnixSeconds utc) const = 0;  // UTC offset in force at that instant
    // The instant a wall-clock time names. nullopt when it does not exist (the spring-forward gap);
    // in the autumn overlap the first (summer-time) occurrence.
    virtual std::optional<UnixSeconds> ToUtc(LocalDateTime local) const = 0;
    LocalDateTime ToLocal(UnixSeconds utc) const;
};

// A zone with a constant offset: UTC for tests and tools that need no daylight saving.
class FixedZone final : public TimeZone {
public:
    explicit FixedZone(int offset_seconds = 0) : m_offset(offset_seconds) {}
    std::string Id() const override;
    int OffsetSecondsAt(UnixSeconds) const override { return m_offset; }
    std::optional<UnixSeconds> ToUtc(LocalDateTime local) const override;

private:
    int m_offset;
};

// The first instant of a local day; where midnight falls in a clock-change gap, the first after it.
UnixSeconds LocalDayStart(const TimeZone& zone, LocalDate day);

// "HH:MM" <-> minutes since midnight; 24:00 is allowed as the end of a day.
std::optional<int> ParseClock(std::string_view text);
std::string FormatClock(int minute_of_day);

}  // namespace htk::core
