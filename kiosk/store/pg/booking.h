// Slots and bookings on the shared PostgreSQL database, where they are authoritative (issue 9): the
// server's partial UNIQUE index decides between kiosks and desks that reach for one slot at once.
// Each call is one round trip inside the server's own transaction (htk.kiosk_book, htk.desk_book).
#pragma once
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/booking.h"
#include "core/result.h"
#include "core/slots.h"
#include "core/time.h"
#include "store/forward_repo.h"
#include "store/pg/connection.h"

namespace htk::store::pg {

struct ServerSlot {
    core::Slot slot;
    std::string trainer;                 // display name
    std::vector<std::string> languages;  // BCP 47 tags the trainer speaks
};

// The server's free slots as the forwarding worker last read them, for the kiosk's UI thread, which
// never waits on the network: it shows this list, and the server decides at booking time.
class SlotCache {
public:
    void Put(std::vector<ServerSlot> slots, double at);
    // The slots read at most `max_age` seconds before `now` (steady clock); nullopt when older or never.
    std::optional<std::vector<ServerSlot>> Get(double now, double max_age) const;

private:
    mutable std::mutex m_mutex;
    std::vector<ServerSlot> m_slots;
    std::optional<double> m_at;
};

enum class BookOutcome {
    Booked,   // the slot is this request's; the request is stored with it
    Taken,    // another kiosk or the desk has it (or it left the plan); nothing was stored
    Already,  // this request was stored before (a retry after a lost answer); nothing changed
    TooSoon,  // the desk's only: the slot is free but inside the practice's minimum notice from `now`
    Held,     // the desk's only: the slot is offered to another request on the waiting list
};

// The calling kiosk's practice's free slots from `now`, by start then trainer.
core::Result<std::vector<ServerSlot>> KioskFreeSlots(Connection& db, core::UnixSeconds now);
// Books `slot` for the new request `request` (its uid makes a retry safe).
core::Result<BookOutcome> KioskBook(Connection& db, const core::Slot& slot, const Outgoing& request);
// The free slots of the practice of request `referral` (the server's id) from `now` plus the practice's
// minimum notice, by start then trainer, the first `limit`: what reception offers a patient who asked
// to be called back.
core::Result<std::vector<ServerSlot>> DeskFreeSlots(Connection& db, std::int64_t referral, core::UnixSeconds now, int limit);
// The desk books `slot` for its practice's request `referral` (the server's id) at `now`, the desk's
// clock. NotFound: no such request.
core::Result<BookOutcome> DeskBook(Connection& db, std::int64_t referral, const core::Slot& slot, core::UnixSeconds now);

// A slot freed by a cancellation and offered to one of the practice's waiting requests (schema v7): the
// server keeps it off every kiosk and desk until reception hears back or the offer lapses.
struct ServerOffer {
    std::int64_t referral = 0;        // the server's id
    std::string reference, origin, language;
    core::Slot slot;
    std::string trainer;              // display name
    bool trainer_speaks = false;      // false: the session will need an interpreter
    core::UnixSeconds expires_at = 0;
};
// The offers of the login's practice (a manager's: every practice's) that stand at `now`, by start;
// with `referral`, that request's only.
core::Result<std::vector<ServerOffer>> DeskOffers(Connection& db, core::UnixSeconds now, std::optional<std::int64_t> referral = {});
// The patient takes up the slot offered to `referral`: DeskBook's outcomes; NotFound when nothing is
// offered to it, HoldExpired when the offer lapsed.
core::Result<BookOutcome> DeskAcceptOffer(Connection& db, std::int64_t referral, core::UnixSeconds now);
// The patient declines: the request is not offered that slot again, which goes to the next waiting
// request, whose server id this is (nullopt: nobody waits for it, and it is free to anyone). Errors as above.
core::Result<std::optional<std::int64_t>> DeskDeclineOffer(Connection& db, std::int64_t referral, core::UnixSeconds now);

// One of the desk login's practice's slots in a week, with its live booking if it has one: the desk's
// Week view on the shared database. Sealed details never come into it: a reference and where it came from.
struct WeekSlot {
    core::Slot slot;
    std::string trainer;                 // display name
    std::int64_t booking = 0;            // the server's id; 0: free
    core::BookingStatus status = core::BookingStatus::Requested;
    std::string reference, origin;       // the booked request's
    std::string offered_to;              // free, but offered to this waiting request (its reference)
};

// Slots starting in [from, to), by start then trainer, each free one with the offer standing on it at
// `now`. A desk's login only (its own practice):
// Forbidden for any other, whose practice would be ambiguous.
core::Result<std::vector<WeekSlot>> DeskWeek(Connection& db, core::UnixSeconds from, core::UnixSeconds to, core::UnixSeconds now);

}  // namespace htk::store::pg
