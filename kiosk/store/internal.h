// Helpers shared by the repositories inside kiosk/store; not part of the store's interface.
// Each runs inside the caller's transaction and never begins or commits one itself.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/booking.h"
#include "core/referral.h"
#include "core/result.h"
#include "store/database.h"
#include "store/referral_repo.h"
#include "store/sealing.h"
#include "store/waiting_repo.h"

namespace htk::store::internal {

core::Result<void> Audit(Database& db, core::UnixSeconds at, std::string_view actor, std::string_view action,
                         std::string_view subject, std::string_view detail);

core::Result<core::Referral> InsertReferral(Database& db, const RandomSource& random, const core::Referral& r,
                                            const PublicKey& key, std::string_view actor, core::UnixSeconds now);
core::Result<core::ReferralStatus> ReferralStatusOf(Database& db, core::ReferralId id);  // NotFound
// Moves the referral to `to` with history and audit; InvalidInput when core::CanChange refuses.
core::Result<void> MoveReferral(Database& db, core::ReferralId id, core::ReferralStatus from, core::ReferralStatus to,
                                std::string_view actor, core::UnixSeconds now);

// Books `slot` for an existing referral: SlotTaken when a live booking has it (the partial UNIQUE
// index decides), and moves a new or contacted referral to booked.
core::Result<core::Booking> InsertBooking(Database& db, core::ReferralId referral, const core::Slot& slot,
                                          std::string_view actor, core::UnixSeconds now);

// The waiting list (waiting_repo.cpp). A freed slot starting later than now + the minimum notice is
// offered, as a hold, to the first waiting request whose language the trainer speaks, else to the
// first at all; requests that declined this slot or hold a live offer are passed over. nullopt when
// the slot is not offered (too soon, booked or held meanwhile, nobody waiting). With the practice's
// `zone`, also when the plan no longer has the slot (a closed day, changed hours, past the horizon).
core::Result<std::optional<WaitingOffer>> OfferFreedSlot(Database& db, const core::Slot& slot, std::string_view actor,
                                                         core::UnixSeconds now, const core::TimeZone* zone = nullptr);
// Releases the slot offered to `referral`, unless it is `keep` (the slot being booked for it), and
// passes it on to the next waiting request ("waiting.withdraw"). No offer is not an error.
core::Result<void> WithdrawOffer(Database& db, core::ReferralId referral, std::optional<core::Slot> keep,
                                 std::string_view actor, core::UnixSeconds now);

// Whether a live booking (any status but a cancellation) overlaps `slot`: the check the partial
// UNIQUE index backs, asked first so the caller can say SlotTaken without trying.
core::Result<bool> SlotBooked(Database& db, const core::Slot& slot);

// "a,b,c": the keys of a set of enum values, as the referrals' comma-list columns hold them.
template <class E>
std::string JoinKeys(const std::set<E>& values) {
    std::string out;
    for (const auto& v : values) {
        if (!out.empty()) out += ',';
        out += core::Key(v);
    }
    return out;
}

inline std::string ReferralSubject(core::ReferralId id) { return "referral:" + std::to_string(id); }
inline std::string BookingSubject(core::BookingId id) { return "booking:" + std::to_string(id); }

}  // namespace htk::store::internal
