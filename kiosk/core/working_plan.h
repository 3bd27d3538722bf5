// When a trainer works: weekly hours with breaks, date exceptions, and practice-wide blocked days.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "core/trainer.h"

namespace htk::core {

struct TimeRange {
    int start_min = 0;  // minutes since local midnight, inclusive
    int end_min = 0;    // exclusive; 1440 allowed
    auto operator<=>(const TimeRange&) const = default;
    bool Overlaps(const TimeRange& o) const { return start_min < o.end_min && o.start_min < end_min; }
};

struct DayHours {
    std::vector<TimeRange> open;    // e.g. 09:00-13:00, 14:00-17:00
    std::vector<TimeRange> breaks;  // taken out of `open`
    bool operator==(const DayHours&) const = default;
    bool Empty() const { return open.empty(); }
};

struct DateException {
    LocalDate date;
    std::optional<DayHours> hours;  // nullopt: not working that day
    bool operator==(const DateException&) const = default;
};

struct WorkingPlan {
    TrainerId trainer = 0;
    std::array<DayHours, 7> weekly;          // index 0 = Monday (LocalDate::Weekday)
    std::vector<DateException> exceptions;   // at most one per date

    DayHours HoursOn(LocalDate date) const;  // the exception if any, else the weekday's hours
};

struct BlockedDay {  // practice closed: bank holiday, training day
    LocalDate date;
    std::string reason;
    auto operator<=>(const BlockedDay&) const = default;
};

// Ranges within a day, non-empty, breaks inside opening hours, no overlaps, one exception per date.
Result<void> Validate(const DayHours& hours);
Result<void> Validate(const WorkingPlan& plan);

// "09:00-12:30" and "09:00-17:00/12:30-13:00" (hours, then breaks after '/', comma-separated).
std::optional<DayHours> ParseDayHours(std::string_view text);
std::string FormatDayHours(const DayHours& hours);

}  // namespace htk::core
