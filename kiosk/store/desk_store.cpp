// Reception's requests on the practice's own file: see desk_store.h.
#include "store/desk_store.h"

#include <algorithm>
#include <map>

#include "store/booking_repo.h"
#include "store/desk_repo.h"
#include "store/internal.h"
#include "store/referral_repo.h"
#include "store/report_repo.h"
#include "store/slot_repo.h"
#include "store/trainer_repo.h"
#include "store/waiting_repo.h"

namespace htk::store {

using core::Errc;
using core::Fail;
using core::Result;

Result<std::vector<DeskListItem>> FileDeskStore::List(const DeskListFilter& filter) {
    // One row per request with its newest booking that holds a slot, as the server's list has it.
    auto stmt = Statement::Prepare(
        m_db,
        "SELECT r.id, r.reference, r.route, r.reasons, r.language, r.interpreter, r.contact, r.best_times, r.consent_version, "
        "r.created_at, r.status, r.waiting_list, b.id, b.trainer_id, b.start_at, b.end_at, b.status, t.display_name "
        "FROM referrals r LEFT JOIN bookings b ON b.id = (SELECT x.id FROM bookings x WHERE x.referral_id = r.id "
        "AND x.status NOT IN ('cancelled_by_patient', 'cancelled_by_practice') ORDER BY x.start_at DESC LIMIT 1) "
        "LEFT JOIN trainers t ON t.id = b.trainer_id "
        "WHERE (?1 IS NULL OR r.status = ?1) AND (?2 IS NULL OR r.reference = ?2) "
        "ORDER BY r.created_at DESC, r.id DESC LIMIT ?3");
    if (!stmt) return stmt.error();
    if (filter.status) stmt->Bind(1, core::Key(*filter.status));
    if (filter.reference) stmt->Bind(2, *filter.reference);
    stmt->Bind(3, static_cast<std::int64_t>(filter.limit));
    std::vector<DeskListItem> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) return out;
        const Statement& s = *stmt;
        auto referral = ReferralFromColumns({.id = s.Int(0), .reference = s.Text(1), .route = s.Text(2), .reasons = s.Text(3),
                                             .language = s.Text(4), .interpreter = s.Int(5) != 0, .contact = s.Text(6),
                                             .best_times = s.Text(7), .consent_version = s.Text(8), .created_at = s.Int(9),
                                             .status = s.Text(10), .waiting_list = s.Int(11) != 0});
        if (!referral) return referral.error();
        DeskListItem item{referral->id, "", std::move(*referral), std::nullopt};
        if (!s.IsNull(12)) {
            const auto status = core::ParseBookingStatus(s.Text(16));
            if (!status) return Fail(Errc::NotADatabase, "a booking holds an unknown status");
            item.booking = DeskBooking{s.Int(12), {s.Int(13), s.Int(14), s.Int(15)}, s.Text(17), *status};
        }
        out.push_back(std::move(item));
    }
}

Result<void> FileDeskStore::Move(std::int64_t id, core::ReferralStatus from, core::ReferralStatus to, std::string_view actor,
                                 core::UnixSeconds now) {
    auto tx = Transaction::Begin(m_db);  // the status read and the move are one step: no desk slips between
    if (!tx) return tx.error();
    auto current = internal::ReferralStatusOf(m_db, id);
    if (!current) return current.error();
    if (*current != from) return Fail(Errc::Busy, "another desk changed it first: it is " + std::string(core::Key(*current)) + " now");
    if (auto moved = ReferralRepo(m_db).ChangeStatus(id, to, actor, now); !moved) return moved.error();
    return tx->Commit();
}

Result<void> FileDeskStore::MoveBooking(std::int64_t booking, core::BookingStatus from, core::BookingStatus to, std::string_view actor,
                                        core::UnixSeconds now) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    BookingRepo bookings(m_db);
    auto current = bookings.Get(booking);
    if (!current) return current.error();
    if (current->status != from)
        return Fail(Errc::Busy, "another desk changed it first: it is " + std::string(core::Key(current->status)) + " now");
    // A cancellation offers the freed slot to the waiting list in the same transaction.
    if (auto moved = bookings.ChangeStatusAndOffer(booking, to, actor, now, &m_zone); !moved) return moved.error();
    return tx->Commit();
}

Result<std::vector<DeskFreeSlot>> FileDeskStore::FreeSlots(std::int64_t id, core::UnixSeconds now, int limit) {
    auto tx = Transaction::Begin(m_db, Transaction::Kind::Deferred);  // one snapshot
    if (!tx) return tx.error();
    if (auto status = internal::ReferralStatusOf(m_db, id); !status) return status.error();
    auto slots = SlotRepo(m_db).FreeSlots(m_zone, now);
    if (!slots) return slots.error();
    auto trainers = TrainerRepo(m_db).List();
    if (!trainers) return trainers.error();
    std::map<core::TrainerId, const core::Trainer*> by_id;
    for (const auto& t : *trainers) by_id[t.id] = &t;
    std::sort(slots->begin(), slots->end(), [](const core::Slot& a, const core::Slot& b) {
        return a.start != b.start ? a.start < b.start : a.trainer < b.trainer;
    });
    std::vector<DeskFreeSlot> out;
    for (const auto& slot : *slots) {
        if (static_cast<int>(out.size()) >= limit) break;
        const auto t = by_id.find(slot.trainer);
        if (t == by_id.end()) continue;  // FreeSlots offers active trainers only
        out.push_back({slot, t->second->display_name, t->second->languages});
    }
    return out;
}

Result<DeskBooked> FileDeskStore::Book(std::int64_t id, const core::Slot& slot, std::string_view actor, core::UnixSeconds now) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    BookingFilter mine;
    mine.referral = id;
    auto held = BookingRepo(m_db).List(mine);
    if (!held) return held.error();
    for (const auto& b : *held)
        if (core::HoldsSlot(b.status) && b.slot.trainer == slot.trainer && b.slot.start == slot.start) return DeskBooked::Already;
    // DeskRepo::Book: the slot must be one FreeSlots offers now (or the one offered to this request).
    if (auto booked = DeskRepo(m_db).Book(id, {slot.trainer, slot.start}, m_zone, actor, now); !booked) return booked.error();
    if (auto c = tx->Commit(); !c) return c.error();
    return DeskBooked::Booked;
}

Result<std::vector<DeskStatusEvent>> FileDeskStore::History(std::int64_t id) {
    auto changes = ReferralRepo(m_db).History(id);
    if (!changes) return changes.error();
    // The file keeps each status a request reached, its creation first; the server keeps each move.
    std::vector<DeskStatusEvent> out;
    for (std::size_t i = 1; i < changes->size(); ++i)
        out.push_back({(*changes)[i].at, (*changes)[i].actor, (*changes)[i - 1].to, (*changes)[i].to});
    return out;
}

Result<core::PatientDetails> FileDeskStore::Reveal(std::int64_t id, const UnlockedKey& key, core::UnixSeconds now) {
    return ReferralRepo(m_db).Reveal(id, key, now);
}

Result<std::int64_t> FileDeskStore::AddNote(std::int64_t id, std::string_view text, const PublicKey& key, std::string_view actor,
                                            core::UnixSeconds now) {
    return ReferralRepo(m_db).AddNote(id, text, key, actor, now);
}

Result<std::vector<ReferralNote>> FileDeskStore::Notes(std::int64_t id, const UnlockedKey& key, core::UnixSeconds now) {
    return ReferralRepo(m_db).Notes(id, key, now);
}

Result<ReportFigures> FileDeskStore::Figures(core::LocalDate from, core::LocalDate to, const core::TimeZone& zone) {
    return ReportRepo(m_db).Figures(from, to, zone);
}

namespace {

Result<DeskOffer> ToDeskOffer(Database& db, WaitingOffer o) {
    auto trainer = TrainerRepo(db).Get(o.slot.trainer);
    if (!trainer) return trainer.error();
    return DeskOffer{o.referral, std::move(o.reference), "", std::move(o.language), o.slot, trainer->display_name, o.trainer_speaks,
                     o.expires_at};
}

}  // namespace

Result<std::vector<DeskOffer>> FileDeskStore::Offers(core::UnixSeconds now) {
    auto tx = Transaction::Begin(m_db, Transaction::Kind::Deferred);  // one snapshot
    if (!tx) return tx.error();
    auto offers = WaitingRepo(m_db).Offers(now);
    if (!offers) return offers.error();
    std::vector<DeskOffer> out;
    out.reserve(offers->size());
    for (WaitingOffer& o : *offers) {
        auto d = ToDeskOffer(m_db, std::move(o));
        if (!d) return d.error();
        out.push_back(std::move(*d));
    }
    return out;
}

Result<void> FileDeskStore::AcceptOffer(std::int64_t id, std::string_view actor, core::UnixSeconds now) {
    auto booked = WaitingRepo(m_db).Accept(id, actor, now);
    if (!booked) return booked.error();
    return {};
}

Result<std::optional<DeskOffer>> FileDeskStore::DeclineOffer(std::int64_t id, std::string_view actor, core::UnixSeconds now) {
    auto next = WaitingRepo(m_db).Decline(id, actor, now);
    if (!next) return next.error();
    if (!*next) return std::optional<DeskOffer>();
    auto d = ToDeskOffer(m_db, std::move(**next));
    if (!d) return d.error();
    return std::optional<DeskOffer>(std::move(*d));
}

}  // namespace htk::store
