// Reception's desk: one call per thing a receptionist does to a request, each in one transaction,
// so the desk app and ht-admin do exactly the same. Checking what staff typed about a patient (name,
// phone) is the caller's job with i18n/validate.h; the store checks the request's shape and seals.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "core/audit.h"
#include "core/booking.h"
#include "core/referral.h"
#include "core/result.h"
#include "core/time.h"
#include "store/booking_repo.h"
#include "store/database.h"
#include "store/referral_repo.h"
#include "store/sealing.h"
#include "store/waiting_repo.h"

namespace htk::store {

// consent_version of a request entered at the desk: the receptionist took the patient's consent by word.
inline constexpr std::string_view kDeskConsent = "desk";

// Everything about one request, for the desk's detail view and `ht-admin requests show`.
struct RequestDetail {
    core::Referral referral;                    // patient filled only by the revealing Detail
    std::vector<ReferralStatusChange> history;  // oldest first
    std::vector<core::Booking> bookings;        // with their histories, by slot start
    std::vector<ReferralNote> notes;            // oldest first; text filled only when revealed
    std::vector<core::AuditEntry> audit;        // about the request and its bookings, oldest first
    std::optional<WaitingOffer> offer;          // a freed slot offered to it that still stands
};

// A slot as reception names it: a trainer and a start; its end comes from the practice's rules.
struct SlotStart {
    core::TrainerId trainer = 0;
    core::UnixSeconds start = 0;  // UTC instant
};

struct DeskRequest {
    core::Referral referral;              // patient empty
    std::optional<core::Booking> booking; // when a slot was booked with it
    bool queued = false;                  // queued for the shared database (forward_repo.h)
};

class DeskRepo {
public:
    explicit DeskRepo(Database& db, RandomSource random = {});

    // Sealed: the patient's details and the notes' text stay empty, and nothing is revealed.
    core::Result<RequestDetail> Detail(core::ReferralId id, core::UnixSeconds now) const;
    // Revealed with `key`: the details and every note, each reveal on the audit log first
    // (the trail returned includes those entries).
    core::Result<RequestDetail> Detail(core::ReferralId id, const UnlockedKey& key, core::UnixSeconds now);

    // A request taken at the desk (phone call, GP letter, patient at the counter), sealed to `key`.
    // With a slot it books it in the same transaction, on Book's terms; if the slot cannot be
    // booked nothing is created. With `forward`, and always once the practice's times are booked on
    // its shared database (SettingsRepo::SharedSince), it is queued for the server in the same
    // transaction (forward_repo.h), and `queued` says so.
    core::Result<DeskRequest> Create(const core::Referral& r, const PublicKey& key, std::optional<SlotStart> slot,
                                     const core::TimeZone& zone, std::string_view actor, core::UnixSeconds now, bool forward = false);

    // Books a trainer's slot for an existing request. The slot must be one
    // SlotRepo::FreeSlots offers now, or the slot offered to this very request from the waiting list.
    // SlotTaken (booked), SlotHeld (a patient or another waiting request holds it), InvalidInput (no
    // such slot in the trainer's plan, within the notice and horizon; or the request is closed);
    // NotFound (no such request or trainer). Nothing changes on failure.
    core::Result<core::Booking> Book(core::ReferralId referral, SlotStart slot, const core::TimeZone& zone,
                                     std::string_view actor, core::UnixSeconds now);

private:
    Database& m_db;
    RandomSource m_random;
};

}  // namespace htk::store
