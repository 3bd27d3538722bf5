// Reception's requests on the shared PostgreSQL database (store::DeskStore): the server decides each
// move and booking in its own transaction (pg::SetRequestStatus, pg::DeskBook), and this desk's
// practice file, which holds the staff's keys, keeps the audit: every reveal before the details are
// opened, every change once the server made it.
#pragma once
#include <span>

#include "store/desk_store.h"
#include "store/pg/connection.h"
#include "store/pg/requests.h"

namespace htk::store::pg {

class ServerDeskStore final : public DeskStore {
public:
    // `local`: the desk's practice file, for the audit log.
    ServerDeskStore(Connection& server, Database& local) : m_server(server), m_local(local) {}

    core::Result<std::vector<DeskListItem>> List(const DeskListFilter& filter) override;
    core::Result<void> Move(std::int64_t id, core::ReferralStatus from, core::ReferralStatus to, std::string_view actor,
                            core::UnixSeconds now) override;
    // The same, as one move the caller may retry after a lost answer: `action` is its UUID (SetRequestStatus;
    // for a booking SetBookingStatus).
    core::Result<void> Move(std::int64_t id, core::ReferralStatus from, core::ReferralStatus to, std::string_view actor,
                            core::UnixSeconds now, std::string_view action);
    core::Result<void> MoveBooking(std::int64_t booking, core::BookingStatus from, core::BookingStatus to, std::string_view actor,
                                   core::UnixSeconds now) override;
    core::Result<void> MoveBooking(std::int64_t booking, core::BookingStatus from, core::BookingStatus to, std::string_view actor,
                                   core::UnixSeconds now, std::string_view action);
    core::Result<std::vector<DeskFreeSlot>> FreeSlots(std::int64_t id, core::UnixSeconds now, int limit) override;
    core::Result<DeskBooked> Book(std::int64_t id, const core::Slot& slot, std::string_view actor, core::UnixSeconds now) override;
    core::Result<std::vector<DeskStatusEvent>> History(std::int64_t id) override;
    core::Result<core::PatientDetails> Reveal(std::int64_t id, const UnlockedKey& key, core::UnixSeconds now) override;
    core::Result<std::int64_t> AddNote(std::int64_t id, std::string_view text, const PublicKey& key, std::string_view actor,
                                       core::UnixSeconds now) override;
    // The same, as one note the caller may send again after a lost answer: `uid` is its UUID (pg::AddNote).
    core::Result<std::int64_t> AddNote(std::int64_t id, std::string_view text, const PublicKey& key, std::string_view actor,
                                       core::UnixSeconds now, std::string_view uid);
    core::Result<std::vector<ReferralNote>> Notes(std::int64_t id, const UnlockedKey& key, core::UnixSeconds now) override;
    core::Result<ReportFigures> Figures(core::LocalDate from, core::LocalDate to, const core::TimeZone& zone) override;
    core::Result<std::vector<DeskOffer>> Offers(core::UnixSeconds now) override;
    core::Result<void> AcceptOffer(std::int64_t id, std::string_view actor, core::UnixSeconds now) override;
    core::Result<std::optional<DeskOffer>> DeclineOffer(std::int64_t id, std::string_view actor, core::UnixSeconds now) override;

private:
    Connection& m_server;
    Database& m_local;
};

// Opens the notes of request `id` (the server's, named `subject` as AuditSubject names it) with `key`:
// "sealed.reveal" (detail "notes") on the practice's audit log `local` first when there are any. The
// desk opens the notes its watcher read with this, as ServerDeskStore::Notes does.
core::Result<std::vector<ReferralNote>> OpenNotes(Database& local, std::string_view subject, std::int64_t id,
                                                  std::span<const ServerNote> notes, const UnlockedKey& key, core::UnixSeconds now);

}  // namespace htk::store::pg
