// Slot generation: the bookable sessions a working plan yields, in the practice's time zone.
#pragma once
#include <compare>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "core/working_plan.h"

namespace htk::core {

struct SlotRules {
    int session_minutes = 60;      // 30..60: a health trainer session lasts up to an hour
    int interval_minutes = 60;     // between slot starts; >= session_minutes
    int min_notice_minutes = 120;  // no slot starting sooner than this after "now"
    int horizon_days = 28;         // slots on today and the next horizon_days - 1 days
};

struct Slot {
    TrainerId trainer = 0;
    UnixSeconds start = 0;  // UTC instant
    UnixSeconds end = 0;    // start + session length, as an absolute duration
    auto operator<=>(const Slot&) const = default;
};

Result<void> Validate(const SlotRules& rules);

// Slots for one trainer, sorted by start. A wall-clock start that does not exist (the March gap)
// yields no slot; one that exists twice (the October overlap) yields the first. A session may not
// cross a break or the end of a working range.
std::vector<Slot> GenerateSlots(const WorkingPlan& plan, std::span<const BlockedDay> blocked,
                                const SlotRules& rules, const TimeZone& zone, UnixSeconds now);

}  // namespace htk::core
