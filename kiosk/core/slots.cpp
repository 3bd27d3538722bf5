// Walks the practice's local calendar day by day and turns wall-clock ranges into UTC slots.
#include "core/slots.h"

#include <algorithm>

namespace htk::core {

Result<void> Validate(const SlotRules& r) {
    if (r.session_minutes < 30 || r.session_minutes > 60)
        return Fail(Errc::InvalidInput, "session length must be 30 to 60 minutes");
    if (r.interval_minutes < r.session_minutes || r.interval_minutes > 24 * 60)
        return Fail(Errc::InvalidInput, "interval must be at least the session length");
    if (r.min_notice_minutes < 0 || r.min_notice_minutes > 60 * 24 * 14)
        return Fail(Errc::InvalidInput, "minimum notice must be 0 to 14 days");
    if (r.horizon_days < 1 || r.horizon_days > 366)
        return Fail(Errc::InvalidInput, "booking horizon must be 1 to 366 days");
    return {};
}

std::vector<Slot> GenerateSlots(const WorkingPlan& plan, std::span<const BlockedDay> blocked,
                                const SlotRules& rules, const TimeZone& zone, UnixSeconds now) {
    std::vector<Slot> out;
    if (!Validate(rules)) return out;
    const UnixSeconds earliest = now + rules.min_notice_minutes * 60LL;
    const LocalDate today = zone.ToLocal(now).date;
    for (int d = 0; d < rules.horizon_days; ++d) {
        const LocalDate date = today.AddDays(d);
        const bool closed = std::any_of(blocked.begin(), blocked.end(),
                                        [&](const BlockedDay& b) { return b.date == date; });
        if (closed) continue;
        const DayHours hours = plan.HoursOn(date);
        for (const TimeRange& open : hours.open) {
            for (int t = open.start_min; t + rules.session_minutes <= open.end_min; t += rules.interval_minutes) {
                const TimeRange session{t, t + rules.session_minutes};
                const bool in_break = std::any_of(hours.breaks.begin(), hours.breaks.end(),
                                                  [&](const TimeRange& b) { return b.Overlaps(session); });
                if (in_break) continue;
                const auto start = zone.ToUtc({date, t});
                if (!start || *start < earliest) continue;
                out.push_back({plan.trainer, *start, *start + rules.session_minutes * 60LL});
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace htk::core
