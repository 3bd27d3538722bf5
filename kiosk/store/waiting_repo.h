// The waiting list: patients who found no free slot at the kiosk. A slot freed by a cancellation is
// offered to them first, as a hold (slot_holds) that keeps it off the kiosks until reception hears back.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/booking.h"
#include "core/referral.h"
#include "core/result.h"
#include "core/slots.h"
#include "store/database.h"

namespace htk::store {

inline constexpr core::UnixSeconds kOfferSeconds = 86400;  // an offer stands a day at most

// The hold token of the slot offered to a request: "offer:referral:<id>" (slot_holds wants 8+ characters).
std::string OfferToken(core::ReferralId referral);

struct WaitingOffer {
    core::ReferralId referral = 0;
    std::string reference;            // shown to reception: "Slot freed and offered to ABC-DEFG (ur)"
    std::string language;             // the request's preferred language
    bool trainer_speaks = false;      // false: the session will need an interpreter
    core::Slot slot;
    core::UnixSeconds expires_at = 0; // a day, or the slot's start less the minimum notice if sooner
};

class WaitingRepo {
public:
    explicit WaitingRepo(Database& db) : m_db(db) {}

    // Requests on the waiting list (waiting_list set, status new or contacted), oldest first.
    core::Result<std::vector<core::Referral>> List() const;
    // Offers that still stand at `now`, by slot start.
    core::Result<std::vector<WaitingOffer>> Offers(core::UnixSeconds now) const;
    core::Result<std::optional<WaitingOffer>> OfferFor(core::ReferralId referral, core::UnixSeconds now) const;

    // Books the slot offered to `referral` ("waiting.accept"). NotFound when nothing is offered to it,
    // HoldExpired when the offer lapsed (the slot is free to anyone again).
    core::Result<core::Booking> Accept(core::ReferralId referral, std::string_view actor, core::UnixSeconds now);
    // Releases the offer ("waiting.decline") and offers the slot to the next waiting request that has
    // not declined it; returns that offer, or nullopt when nobody is left and the slot is free again.
    // The request stays on the waiting list. NotFound / HoldExpired as for Accept.
    core::Result<std::optional<WaitingOffer>> Decline(core::ReferralId referral, std::string_view actor,
                                                      core::UnixSeconds now);

private:
    Database& m_db;
};

}  // namespace htk::store
