// What reception does with a practice's requests, on either backend: the practice's own SQLite file
// (FileDeskStore, here) or the shared PostgreSQL database (pg::ServerDeskStore). One interface, one
// set of rules: a move is made only from the status the desk last read, a request with a live booking
// is not closed, reception is offered the slots past the practice's minimum notice, and every reveal
// is audited on the practice's file before the details exist in memory. tests/pg/desk_store_test.cpp
// runs one suite on both.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/booking.h"
#include "core/referral.h"
#include "core/result.h"
#include "core/slots.h"
#include "core/time.h"
#include "store/database.h"
#include "store/referral_repo.h"
#include "store/report_repo.h"
#include "store/sealing.h"

namespace htk::store {

struct DeskBooking {
    std::int64_t id = 0;  // the backend's
    core::Slot slot;
    std::string trainer;  // display name
    core::BookingStatus status = core::BookingStatus::Requested;
};

struct DeskListItem {
    std::int64_t id = 0;                 // the backend's
    std::string origin;                  // "kiosk:kiosk-1" on the server; empty on the practice's file
    core::Referral referral;             // patient empty
    std::optional<DeskBooking> booking;  // its newest booking that still holds a slot
};

struct DeskListFilter {
    std::optional<core::ReferralStatus> status;
    std::optional<std::string> reference;  // exactly as shown ("ABC-DEFG")
    int limit = 500;
};

struct DeskFreeSlot {
    core::Slot slot;
    std::string trainer;                 // display name
    std::vector<std::string> languages;  // BCP 47 tags the trainer speaks
};

struct DeskStatusEvent {
    core::UnixSeconds at = 0;
    std::string by;  // the member of staff, kiosk or login that made the change
    core::ReferralStatus from = core::ReferralStatus::New;
    core::ReferralStatus to = core::ReferralStatus::New;
};

// A slot freed by a cancellation and offered to a request on the waiting list (store::WaitingOffer on the
// file, pg::ServerOffer on the server): kept from every kiosk and desk until the patient answers or it lapses.
struct DeskOffer {
    std::int64_t id = 0;              // the request's, the backend's
    std::string reference;
    std::string origin;               // as DeskListItem's
    std::string language;             // the request's preferred language
    core::Slot slot;
    std::string trainer;              // display name
    bool trainer_speaks = false;      // false: the session will need an interpreter
    core::UnixSeconds expires_at = 0; // a day, or the slot's start less the minimum notice if sooner
};

// How a change the server made, but the practice file could not audit, is said (the error's detail
// begins with it): the change stands, and the missing audit line is named.
inline constexpr std::string_view kMadeButNotAudited = "made on the server, but not written to this desk's audit log: ";

enum class DeskBooked {
    Booked,   // the slot is the request's now
    Already,  // the request held that very slot already (a retry after a lost answer): nothing changed
};

class DeskStore {
public:
    virtual ~DeskStore() = default;

    // Newest first.
    virtual core::Result<std::vector<DeskListItem>> List(const DeskListFilter& filter) = 0;
    // Moves request `id` from `from`, as the desk last read it, to `to`. Busy when it is no longer at
    // `from` (another desk moved it first); InvalidInput when core::CanChange refuses, or when it would
    // close or cancel a request whose booking is requested or confirmed; NotFound. Nothing changes on failure.
    virtual core::Result<void> Move(std::int64_t id, core::ReferralStatus from, core::ReferralStatus to, std::string_view actor,
                                    core::UnixSeconds now) = 0;
    // The same for booking `booking`: confirmed, attended, did not attend, cancelled (which frees its slot).
    virtual core::Result<void> MoveBooking(std::int64_t booking, core::BookingStatus from, core::BookingStatus to,
                                           std::string_view actor, core::UnixSeconds now) = 0;
    // The free slots of request `id`'s practice that start at least the practice's minimum notice
    // after `now`, by start then trainer, the first `limit`.
    virtual core::Result<std::vector<DeskFreeSlot>> FreeSlots(std::int64_t id, core::UnixSeconds now, int limit) = 0;
    // Books one of those slots for request `id`, which moves a new or contacted request to booked.
    // SlotTaken when another request has it (SlotHeld when a patient at a kiosk holds it on the file).
    virtual core::Result<DeskBooked> Book(std::int64_t id, const core::Slot& slot, std::string_view actor,
                                          core::UnixSeconds now) = 0;
    // The request's status changes, oldest first (its creation is not one).
    virtual core::Result<std::vector<DeskStatusEvent>> History(std::int64_t id) = 0;
    // Opens the request's details with `key`: "sealed.reveal" by "staff:<name>" is on the practice's
    // audit log first.
    virtual core::Result<core::PatientDetails> Reveal(std::int64_t id, const UnlockedKey& key, core::UnixSeconds now) = 0;
    // A member of staff's note on request `id`, sealed to the practice's `key` (the text may name the
    // patient); "referral.note" with the note's id, never its text, on the practice's audit log.
    // InvalidInput for a note CheckNote refuses; NotFound. The note's id.
    virtual core::Result<std::int64_t> AddNote(std::int64_t id, std::string_view text, const PublicKey& key, std::string_view actor,
                                               core::UnixSeconds now) = 0;
    // Its notes, oldest first, opened with `key`; "sealed.reveal" (detail "notes") on the practice's
    // audit log first when there are any. NotFound.
    virtual core::Result<std::vector<ReferralNote>> Notes(std::int64_t id, const UnlockedKey& key, core::UnixSeconds now) = 0;
    // The practice's report of local dates [from, to) in `zone`, by ReportRepo's rules (store::FiguresBuilder).
    virtual core::Result<ReportFigures> Figures(core::LocalDate from, core::LocalDate to, const core::TimeZone& zone) = 0;

    // The waiting list. A cancellation (MoveBooking) offers the freed slot, past the practice's notice,
    // to the oldest request on it that is new or contacted, one whose language the trainer speaks first.
    // The offers that stand at `now`, by start.
    virtual core::Result<std::vector<DeskOffer>> Offers(core::UnixSeconds now) = 0;
    // The patient takes up the slot offered to request `id`: it is booked, and the request leaves the
    // waiting list ("waiting.accept"). NotFound: nothing is offered to it; HoldExpired: the offer lapsed.
    virtual core::Result<void> AcceptOffer(std::int64_t id, std::string_view actor, core::UnixSeconds now) = 0;
    // The patient declines ("waiting.decline"): the request stays on the list but is not offered that slot
    // again, which goes to the next request; its offer, or nullopt when the slot is free to anyone.
    virtual core::Result<std::optional<DeskOffer>> DeclineOffer(std::int64_t id, std::string_view actor, core::UnixSeconds now) = 0;
};

// The practice's own file: the repositories' transactions, rules and audit entries.
class FileDeskStore final : public DeskStore {
public:
    FileDeskStore(Database& db, const core::TimeZone& zone) : m_db(db), m_zone(zone) {}

    core::Result<std::vector<DeskListItem>> List(const DeskListFilter& filter) override;
    core::Result<void> Move(std::int64_t id, core::ReferralStatus from, core::ReferralStatus to, std::string_view actor,
                            core::UnixSeconds now) override;
    core::Result<void> MoveBooking(std::int64_t booking, core::BookingStatus from, core::BookingStatus to, std::string_view actor,
                                   core::UnixSeconds now) override;
    core::Result<std::vector<DeskFreeSlot>> FreeSlots(std::int64_t id, core::UnixSeconds now, int limit) override;
    core::Result<DeskBooked> Book(std::int64_t id, const core::Slot& slot, std::string_view actor, core::UnixSeconds now) override;
    core::Result<std::vector<DeskStatusEvent>> History(std::int64_t id) override;
    core::Result<core::PatientDetails> Reveal(std::int64_t id, const UnlockedKey& key, core::UnixSeconds now) override;
    core::Result<std::int64_t> AddNote(std::int64_t id, std::string_view text, const PublicKey& key, std::string_view actor,
                                       core::UnixSeconds now) override;
    core::Result<std::vector<ReferralNote>> Notes(std::int64_t id, const UnlockedKey& key, core::UnixSeconds now) override;
    core::Result<ReportFigures> Figures(core::LocalDate from, core::LocalDate to, const core::TimeZone& zone) override;
    core::Result<std::vector<DeskOffer>> Offers(core::UnixSeconds now) override;
    core::Result<void> AcceptOffer(std::int64_t id, std::string_view actor, core::UnixSeconds now) override;
    core::Result<std::optional<DeskOffer>> DeclineOffer(std::int64_t id, std::string_view actor, core::UnixSeconds now) override;

private:
    Database& m_db;
    const core::TimeZone& m_zone;
};

}  // namespace htk::store
