// Reception's requests on the shared database: see desk_store.h.
#include "store/pg/desk_store.h"

#include "store/audit_repo.h"
#include "store/forward_repo.h"
#include "store/pg/booking.h"
#include "store/pg/reports.h"
#include "store/pg/requests.h"

namespace htk::store::pg {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

// The one row `sql` finds for `id`; NotFound when this login cannot see it.
Result<Rows> OneRow(Connection& server, std::string_view sql, std::int64_t id) {
    auto rows = server.Query(sql, {Int(id)});
    if (!rows) return rows.error();
    if (rows->Count() != 1) return Fail(Errc::NotFound, "not found for this login");
    return rows;
}

// How the desk's audit log names request `id` on the server (AuditSubject).
Result<std::string> Request(Connection& server, std::int64_t id) {
    auto row = OneRow(server, "SELECT origin, reference FROM htk.referrals WHERE id = $1", id);
    if (!row) return row.error();
    return AuditSubject(row->Text(0, 0), row->Text(0, 1));
}

Result<std::string> RequestOfBooking(Connection& server, std::int64_t booking) {
    auto row = OneRow(server, "SELECT r.origin, r.reference FROM htk.bookings b JOIN htk.referrals r ON r.id = b.referral_id WHERE b.id = $1",
                      booking);
    if (!row) return row.error();
    return AuditSubject(row->Text(0, 0), row->Text(0, 1));
}

// The server made the change: the practice's audit log says so. Were this to fail, the change stands
// and the caller hears why the line is missing.
Result<void> Audit(Database& local, core::UnixSeconds now, std::string_view actor, std::string_view action, const std::string& subject,
                   const std::string& detail) {
    auto a = AuditRepo(local).Append({0, now, std::string(actor), std::string(action), subject, detail});
    if (!a) return Fail(a.error().code, std::string(kMadeButNotAudited) + a.error().detail);
    return {};
}

}  // namespace

Result<std::vector<DeskListItem>> ServerDeskStore::List(const DeskListFilter& filter) {
    ServerRequestFilter f;
    f.status = filter.status;
    f.reference = filter.reference;
    f.limit = filter.limit;
    auto requests = ListRequests(m_server, f);
    if (!requests) return requests.error();
    std::vector<DeskListItem> out;
    out.reserve(requests->size());
    for (ServerRequest& r : *requests) {
        DeskListItem item{r.id, std::move(r.origin), std::move(r.referral), std::nullopt};
        item.referral.id = r.id;
        if (r.booking) item.booking = DeskBooking{r.booking_id, *r.booking, std::move(r.trainer), r.booking_status};
        out.push_back(std::move(item));
    }
    return out;
}

Result<void> ServerDeskStore::Move(std::int64_t id, core::ReferralStatus from, core::ReferralStatus to, std::string_view actor,
                                   core::UnixSeconds now) {
    return Move(id, from, to, actor, now, {});
}

Result<void> ServerDeskStore::Move(std::int64_t id, core::ReferralStatus from, core::ReferralStatus to, std::string_view actor,
                                   core::UnixSeconds now, std::string_view action) {
    auto named = Request(m_server, id);
    if (!named) return named.error();
    // Audited once: an attempt whose answer was lost returned before its audit line.
    if (auto moved = SetRequestStatus(m_server, id, from, to, action, now); !moved) return moved;
    return Audit(m_local, now, actor, "referral.status", *named, std::string(core::Key(from)) + "->" + std::string(core::Key(to)));
}

Result<void> ServerDeskStore::MoveBooking(std::int64_t booking, core::BookingStatus from, core::BookingStatus to, std::string_view actor,
                                          core::UnixSeconds now) {
    return MoveBooking(booking, from, to, actor, now, {});
}

Result<void> ServerDeskStore::MoveBooking(std::int64_t booking, core::BookingStatus from, core::BookingStatus to, std::string_view actor,
                                          core::UnixSeconds now, std::string_view action) {
    auto named = RequestOfBooking(m_server, booking);
    if (!named) return named.error();
    if (auto moved = SetBookingStatus(m_server, booking, from, to, action, now); !moved) return moved;
    return Audit(m_local, now, actor, "booking.status", *named,
                 "booking " + std::to_string(booking) + ": " + std::string(core::Key(from)) + "->" + std::string(core::Key(to)));
}

Result<std::vector<DeskFreeSlot>> ServerDeskStore::FreeSlots(std::int64_t id, core::UnixSeconds now, int limit) {
    if (auto named = Request(m_server, id); !named) return named.error();  // NotFound, as on the file
    auto slots = DeskFreeSlots(m_server, id, now, limit);
    if (!slots) return slots.error();
    std::vector<DeskFreeSlot> out;
    out.reserve(slots->size());
    for (ServerSlot& s : *slots) out.push_back({s.slot, std::move(s.trainer), std::move(s.languages)});
    return out;
}

Result<DeskBooked> ServerDeskStore::Book(std::int64_t id, const core::Slot& slot, std::string_view actor, core::UnixSeconds now) {
    auto named = Request(m_server, id);
    if (!named) return named.error();
    auto outcome = DeskBook(m_server, id, slot, now);
    if (!outcome) return outcome.error();
    if (*outcome == BookOutcome::Taken) return Fail(Errc::SlotTaken, "another kiosk or desk booked that time first");
    if (*outcome == BookOutcome::TooSoon) return Fail(Errc::InvalidInput, "that time is inside the practice's minimum notice now");
    if (*outcome == BookOutcome::Held) return Fail(Errc::SlotHeld, "that time is offered to a patient on the waiting list");
    if (*outcome == BookOutcome::Already) return DeskBooked::Already;
    if (auto a = Audit(m_local, now, actor, "booking.create", *named,
                       "trainer:" + std::to_string(slot.trainer) + " start:" + std::to_string(slot.start));
        !a)
        return a.error();
    return DeskBooked::Booked;
}

Result<std::vector<DeskStatusEvent>> ServerDeskStore::History(std::int64_t id) {
    if (auto named = Request(m_server, id); !named) return named.error();
    auto events = StatusHistory(m_server, id);
    if (!events) return events.error();
    std::vector<DeskStatusEvent> out;
    out.reserve(events->size());
    for (StatusEvent& e : *events) out.push_back({e.at, std::move(e.by), e.from, e.to});
    return out;
}

Result<core::PatientDetails> ServerDeskStore::Reveal(std::int64_t id, const UnlockedKey& key, core::UnixSeconds now) {
    // The sealed details travel for a reveal only.
    auto row = OneRow(m_server, "SELECT origin, reference, sealed FROM htk.referrals WHERE id = $1", id);
    if (!row) return row.error();
    const std::string subject = AuditSubject(row->Text(0, 0), row->Text(0, 1));
    // The audit entry commits before the details exist in memory: no reveal goes unrecorded.
    if (auto a = AuditRepo(m_local).Append({0, now, "staff:" + key.Staff(), "sealed.reveal", subject, ""}); !a) return a.error();
    return Open(row->Bytea(0, 2), key);
}

Result<std::int64_t> ServerDeskStore::AddNote(std::int64_t id, std::string_view text, const PublicKey& key, std::string_view actor,
                                              core::UnixSeconds now) {
    return AddNote(id, text, key, actor, now, NewUuid());
}

Result<std::int64_t> ServerDeskStore::AddNote(std::int64_t id, std::string_view text, const PublicKey& key, std::string_view actor,
                                              core::UnixSeconds now, std::string_view uid) {
    if (actor.empty()) return Fail(Errc::InvalidInput, "a note needs an actor");
    if (auto r = CheckNote(text); !r) return r.error();
    auto sealed = SealText(text, key);
    if (!sealed) return sealed.error();
    auto named = Request(m_server, id);
    if (!named) return named.error();
    auto note = pg::AddNote(m_server, id, uid, actor, now, *sealed);
    if (!note) return note.error();
    if (auto a = Audit(m_local, now, actor, "referral.note", *named, "note:" + std::to_string(*note)); !a) return a.error();
    return note;
}

Result<std::vector<ReferralNote>> ServerDeskStore::Notes(std::int64_t id, const UnlockedKey& key, core::UnixSeconds now) {
    auto named = Request(m_server, id);
    if (!named) return named.error();
    auto notes = ListNotes(m_server, id);
    if (!notes) return notes.error();
    return OpenNotes(m_local, *named, id, *notes, key, now);
}

Result<std::vector<ReferralNote>> OpenNotes(Database& local, std::string_view subject, std::int64_t id, std::span<const ServerNote> notes,
                                            const UnlockedKey& key, core::UnixSeconds now) {
    std::vector<ReferralNote> out;
    if (notes.empty()) return out;
    // The audit entry commits before any text exists in memory: no reveal goes unrecorded.
    if (auto a = AuditRepo(local).Append({0, now, "staff:" + key.Staff(), "sealed.reveal", std::string(subject), "notes"}); !a)
        return a.error();
    for (const ServerNote& n : notes) {
        auto text = OpenText(n.sealed, key);
        if (!text) {
            for (auto& o : out) core::Wipe(o.text);
            return text.error();
        }
        out.push_back({n.id, id, n.at, n.actor, std::move(*text)});
    }
    return out;
}

namespace {

DeskOffer ToDeskOffer(ServerOffer o) {
    return {o.referral, std::move(o.reference), std::move(o.origin), std::move(o.language), o.slot, std::move(o.trainer),
            o.trainer_speaks, o.expires_at};
}

std::string SlotDetail(const core::Slot& slot) {  // as the file's waiting list says it
    return "trainer:" + std::to_string(slot.trainer) + " start:" + std::to_string(slot.start);
}

// The offer standing on request `id`, just made by the server.
Result<ServerOffer> StandingOffer(Connection& server, std::int64_t id, core::UnixSeconds now) {
    auto offers = DeskOffers(server, now, id);
    if (!offers) return offers.error();
    if (offers->empty()) return Fail(Errc::Internal, "the server's offer to the next request could not be read back");
    return std::move(offers->front());
}

}  // namespace

Result<std::vector<DeskOffer>> ServerDeskStore::Offers(core::UnixSeconds now) {
    auto offers = DeskOffers(m_server, now);
    if (!offers) return offers.error();
    std::vector<DeskOffer> out;
    out.reserve(offers->size());
    for (ServerOffer& o : *offers) out.push_back(ToDeskOffer(std::move(o)));
    return out;
}

Result<void> ServerDeskStore::AcceptOffer(std::int64_t id, std::string_view actor, core::UnixSeconds now) {
    if (actor.empty()) return Fail(Errc::InvalidInput, "accepting an offer needs an actor");
    auto named = Request(m_server, id);
    if (!named) return named.error();
    auto offer = DeskOffers(m_server, now, id);
    if (!offer) return offer.error();
    auto outcome = DeskAcceptOffer(m_server, id, now);  // the server's answer decides; the read above names the slot
    if (!outcome) return outcome.error();
    if (*outcome == BookOutcome::Taken) return Fail(Errc::SlotTaken, "another kiosk or desk booked that time first");
    if (*outcome == BookOutcome::Already) return {};  // accepted before, its answer lost: audited then
    if (*outcome != BookOutcome::Booked) return Fail(Errc::Internal, "the server could not book the slot offered");
    return Audit(m_local, now, actor, "waiting.accept", *named, offer->empty() ? "" : SlotDetail(offer->front().slot));
}

Result<std::optional<DeskOffer>> ServerDeskStore::DeclineOffer(std::int64_t id, std::string_view actor, core::UnixSeconds now) {
    if (actor.empty()) return Fail(Errc::InvalidInput, "declining an offer needs an actor");
    auto named = Request(m_server, id);
    if (!named) return named.error();
    auto offer = DeskOffers(m_server, now, id);
    if (!offer) return offer.error();
    auto next = DeskDeclineOffer(m_server, id, now);  // the server's answer decides (NotFound, HoldExpired); the read names the slot
    if (!next) return next.error();
    if (auto a = Audit(m_local, now, actor, "waiting.decline", *named, offer->empty() ? "" : SlotDetail(offer->front().slot)); !a)
        return a.error();
    if (!*next) return std::optional<DeskOffer>();
    auto offered = StandingOffer(m_server, **next, now);
    if (!offered) return offered.error();
    return std::optional<DeskOffer>(ToDeskOffer(std::move(*offered)));
}

Result<ReportFigures> ServerDeskStore::Figures(core::LocalDate from, core::LocalDate to, const core::TimeZone& zone) {
    return pg::Figures(m_server, from, to, zone);  // this desk's login sees its own practice's rows only
}

}  // namespace htk::store::pg
