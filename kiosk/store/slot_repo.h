// Free slots and short holds. A hold keeps a slot off other kiosks while a patient types their
// details; it lapses by time comparison alone (no background job), and a lapsed hold is simply replaced.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/slots.h"
#include "core/time.h"
#include "store/database.h"

namespace htk::store {

inline constexpr int kDefaultHoldSeconds = 300;  // long enough to type a name and a phone number

struct SlotHold {
    core::Slot slot;
    std::string token;
    core::UnixSeconds expires_at = 0;
};

class SlotRepo {
public:
    explicit SlotRepo(Database& db) : m_db(db) {}

    // core::GenerateSlots over every active trainer (or one), minus slots that overlap a live
    // booking or an unexpired hold. horizon_days overrides the practice's rule when given.
    core::Result<std::vector<core::Slot>> FreeSlots(const core::TimeZone& zone, core::UnixSeconds now,
                                                    std::optional<core::TrainerId> trainer = std::nullopt,
                                                    std::optional<int> horizon_days = std::nullopt) const;

    // Holds `slot` for `token` until now + hold_seconds. Again with the same token extends it; a
    // token holds one slot at a time, so holding another releases the first. SlotHeld when another
    // token holds it unexpired, SlotTaken when it is booked, NotFound for no such active trainer.
    // The slot is trusted to come from FreeSlots: the store does not re-derive the working plan.
    core::Result<SlotHold> HoldSlot(const core::Slot& slot, std::string_view token, core::UnixSeconds now,
                                    int hold_seconds = kDefaultHoldSeconds);
    core::Result<void> ReleaseHold(std::string_view token);  // no hold is not an error
    core::Result<std::optional<SlotHold>> HoldFor(std::string_view token) const;  // expired ones too

private:
    Database& m_db;
};

}  // namespace htk::store
