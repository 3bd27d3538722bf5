// Bookings: one slot for one referral, every status change with its time and actor. A slot is
// never booked twice: the partial UNIQUE index refuses it even when two kiosks race.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "core/booking.h"
#include "core/referral.h"
#include "core/result.h"
#include "store/database.h"
#include "store/referral_repo.h"
#include "store/sealing.h"
#include "store/waiting_repo.h"

namespace htk::store {

struct BookingFilter {
    std::optional<core::UnixSeconds> from;  // slot start, inclusive
    std::optional<core::UnixSeconds> to;    // slot start, exclusive
    std::optional<core::TrainerId> trainer;
    std::optional<core::ReferralId> referral;
    std::optional<core::BookingStatus> status;
    int limit = 1000;                       // by slot start
};

struct BookedReferral {
    core::Referral referral;  // patient empty
    core::Booking booking;
};

struct BookingChange {
    core::Booking booking;              // as it is now, with history
    std::optional<WaitingOffer> offer;  // a cancellation's freed slot, offered to the waiting list
};

class BookingRepo {
public:
    explicit BookingRepo(Database& db, RandomSource random = {});

    // Reception books a slot for an existing referral. SlotTaken when booked, SlotHeld when a patient
    // holds it unexpired. A new or contacted referral moves to booked. Every booking takes the request
    // off the waiting list, and a slot offered to it meanwhile passes to the next waiting request.
    core::Result<core::Booking> Book(core::ReferralId referral, const core::Slot& slot, std::string_view actor,
                                     core::UnixSeconds now);

    // The kiosk's path: turns the hold of `token` into a booking, creating the referral in the same
    // transaction, and returns only after COMMIT. HoldExpired when the hold lapsed and someone else
    // took the slot (or the hold is gone); SlotTaken when the slot is booked although the hold stands.
    // A lapsed hold that nobody else wanted still books.
    core::Result<BookedReferral> BookHeldSlot(std::string_view token, const core::Referral& referral,
                                              const PublicKey& key, std::string_view actor, core::UnixSeconds now);
    core::Result<core::Booking> BookHeldSlot(std::string_view token, core::ReferralId referral, std::string_view actor,
                                             core::UnixSeconds now);

    core::Result<core::Booking> Get(core::BookingId id) const;  // with history; NotFound
    core::Result<std::vector<core::Booking>> List(const BookingFilter& filter = {}) const;

    // InvalidInput when core::CanChange refuses; history and "booking.status" audit commit with it.
    // A cancellation of a live booking offers the freed slot to the waiting list in the same
    // transaction (see WaitingRepo); ChangeStatusAndOffer also returns that offer for the caller to say.
    core::Result<core::Booking> ChangeStatus(core::BookingId id, core::BookingStatus to, std::string_view actor,
                                             core::UnixSeconds now);
    // With the practice's `zone`, a slot the plan no longer has (a day closed since) is not offered.
    core::Result<BookingChange> ChangeStatusAndOffer(core::BookingId id, core::BookingStatus to, std::string_view actor,
                                                     core::UnixSeconds now, const core::TimeZone* zone = nullptr);

private:
    Database& m_db;
    RandomSource m_random;
};

}  // namespace htk::store
