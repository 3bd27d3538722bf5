// Working plans: lookup, validation and the compact text form used by ht-admin and the store.
#include "core/working_plan.h"

#include <algorithm>
#include <set>

namespace htk::core {

DayHours WorkingPlan::HoursOn(LocalDate date) const {
    for (const auto& e : exceptions)
        if (e.date == date) return e.hours.value_or(DayHours{});
    return weekly[static_cast<std::size_t>(date.Weekday())];
}

static Result<void> ValidateRanges(std::vector<TimeRange> ranges, const char* what) {
    std::sort(ranges.begin(), ranges.end());
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        const auto& r = ranges[i];
        if (r.start_min < 0 || r.end_min > 1440 || r.start_min >= r.end_min)
            return Fail(Errc::InvalidInput, std::string(what) + " " + FormatClock(r.start_min) + "-" +
                                                FormatClock(r.end_min) + " is not a range within one day");
        if (i > 0 && ranges[i - 1].Overlaps(r))
            return Fail(Errc::InvalidInput, std::string(what) + " overlap at " + FormatClock(r.start_min));
    }
    return {};
}

Result<void> Validate(const DayHours& hours) {
    if (auto r = ValidateRanges(hours.open, "hours"); !r) return r;
    if (auto r = ValidateRanges(hours.breaks, "breaks"); !r) return r;
    for (const auto& b : hours.breaks) {
        const bool inside = std::any_of(hours.open.begin(), hours.open.end(), [&](const TimeRange& o) {
            return o.start_min <= b.start_min && b.end_min <= o.end_min;
        });
        if (!inside)
            return Fail(Errc::InvalidInput, "break " + FormatClock(b.start_min) + " is outside the working hours");
    }
    return {};
}

Result<void> Validate(const WorkingPlan& plan) {
    for (const auto& day : plan.weekly)
        if (auto r = Validate(day); !r) return r;
    std::set<LocalDate> seen;
    for (const auto& e : plan.exceptions) {
        if (!e.date.Valid()) return Fail(Errc::InvalidInput, "exception with an invalid date");
        if (!seen.insert(e.date).second)
            return Fail(Errc::InvalidInput, "two exceptions for " + e.date.Iso());
        if (e.hours)
            if (auto r = Validate(*e.hours); !r) return r;
    }
    return {};
}

static std::optional<std::vector<TimeRange>> ParseRanges(std::string_view text) {
    std::vector<TimeRange> out;
    while (!text.empty()) {
        const auto comma = std::min(text.find(','), text.size());
        const auto item = text.substr(0, comma);
        const auto dash = item.find('-');
        if (dash == std::string_view::npos) return std::nullopt;
        const auto a = ParseClock(item.substr(0, dash));
        const auto b = ParseClock(item.substr(dash + 1));
        if (!a || !b) return std::nullopt;
        out.push_back({*a, *b});
        text.remove_prefix(std::min(comma + 1, text.size()));
    }
    return out;
}

std::optional<DayHours> ParseDayHours(std::string_view text) {
    DayHours h;
    if (text.empty() || text == "off" || text == "-") return h;
    const auto slash = text.find('/');
    auto open = ParseRanges(text.substr(0, slash));
    if (!open || open->empty()) return std::nullopt;
    h.open = std::move(*open);
    if (slash != std::string_view::npos) {
        auto breaks = ParseRanges(text.substr(slash + 1));
        if (!breaks) return std::nullopt;
        h.breaks = std::move(*breaks);
    }
    if (!Validate(h)) return std::nullopt;
    return h;
}

static std::string FormatRanges(const std::vector<TimeRange>& ranges) {
    std::string out;
    for (const auto& r : ranges) {
        if (!out.empty()) out += ',';
        out += FormatClock(r.start_min) + "-" + FormatClock(r.end_min);
    }
    return out;
}

std::string FormatDayHours(const DayHours& hours) {
    if (hours.open.empty()) return "off";
    std::string out = FormatRanges(hours.open);
    if (!hours.breaks.empty()) out += "/" + FormatRanges(hours.breaks);
    return out;
}

}  // namespace htk::core
