// Reception's composite actions. Each begins one IMMEDIATE transaction and composes the
// repositories' steps inside it, so a refused booking leaves no half-made request behind.
#include "store/desk_repo.h"

#include <algorithm>

#include "store/audit_repo.h"
#include "store/forward_repo.h"
#include "store/internal.h"
#include "store/settings_repo.h"
#include "store/slot_repo.h"
#include "store/trainer_repo.h"

namespace htk::store {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

// Everything about the request but the sealed parts.
Result<RequestDetail> ReadDetail(Database& db, core::ReferralId id, core::UnixSeconds now) {
    RequestDetail d;
    ReferralRepo referrals(db);
    auto r = referrals.Get(id);
    if (!r) return r.error();
    d.referral = std::move(*r);
    auto history = referrals.History(id);
    if (!history) return history.error();
    d.history = std::move(*history);
    BookingFilter bf;
    bf.referral = id;
    auto bookings = BookingRepo(db).List(bf);
    if (!bookings) return bookings.error();
    d.bookings = std::move(*bookings);
    auto notes = referrals.Notes(id);
    if (!notes) return notes.error();
    d.notes = std::move(*notes);
    auto offer = WaitingRepo(db).OfferFor(id, now);
    if (!offer) return offer.error();
    d.offer = std::move(*offer);

    std::string sql = "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE subject IN (?";
    for (std::size_t i = 0; i < d.bookings.size(); ++i) sql += ", ?";
    sql += ") ORDER BY id";
    auto stmt = Statement::Prepare(db, sql);
    if (!stmt) return stmt.error();
    stmt->Bind(1, internal::ReferralSubject(id));
    for (std::size_t i = 0; i < d.bookings.size(); ++i)
        stmt->Bind(static_cast<int>(i) + 2, internal::BookingSubject(d.bookings[i].id));
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) break;
        d.audit.push_back({stmt->Int(0), stmt->Int(1), stmt->Text(2), stmt->Text(3), stmt->Text(4), stmt->Text(5)});
    }
    return d;
}

Result<core::UnixSeconds> LiveHoldExpiry(Database& db, const core::Slot& slot, core::UnixSeconds now) {
    auto stmt = Statement::Prepare(db,
                                   "SELECT expires_at FROM slot_holds WHERE trainer_id = ? AND start_at < ? AND end_at > ? "
                                   "AND expires_at > ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, slot.trainer).Bind(2, slot.end).Bind(3, slot.start).Bind(4, now);
    auto row = stmt->Step();
    if (!row) return row.error();
    return *row ? stmt->Int(0) : core::UnixSeconds{0};
}

std::string LocalText(const core::TimeZone& zone, core::UnixSeconds t) {
    const auto l = zone.ToLocal(t);
    return l.date.Iso() + " " + core::FormatClock(l.minute_of_day);
}

// Why reception cannot have this slot: booked, held, or simply not one the plan offers now.
core::Error Refusal(Database& db, SlotStart want, const core::TimeZone& zone, core::UnixSeconds now) {
    auto rules = SettingsRepo(db).Rules();
    const int minutes = rules ? rules->session_minutes : 60;
    const core::Slot slot{want.trainer, want.start, want.start + minutes * 60LL};
    auto booked = internal::SlotBooked(db, slot);
    if (!booked) return booked.error();
    if (*booked) return Fail(Errc::SlotTaken, "the slot is already booked");
    auto held = LiveHoldExpiry(db, slot, now);
    if (!held) return held.error();
    if (*held)
        return Fail(Errc::SlotHeld, "the slot is held until " + LocalText(zone, *held) +
                                        " (a patient at a kiosk, or an offer to the waiting list)");
    auto trainer = TrainerRepo(db).Get(want.trainer);
    if (!trainer) return trainer.error();
    if (!trainer->active)
        return Fail(Errc::InvalidInput, "trainer " + std::to_string(want.trainer) + " is not taking bookings");
    return Fail(Errc::InvalidInput, "trainer " + std::to_string(want.trainer) + " has no free slot starting " +
                                        LocalText(zone, want.start) + " (see ht-admin slots list --trainer " +
                                        std::to_string(want.trainer) + ")");
}

Result<core::Booking> BookInside(Database& db, core::ReferralId referral, SlotStart want, const core::TimeZone& zone,
                                 std::string_view actor, core::UnixSeconds now) {
    if (auto t = TrainerRepo(db).Get(want.trainer); !t) return t.error();
    auto status = internal::ReferralStatusOf(db, referral);
    if (!status) return status.error();
    if (*status == core::ReferralStatus::Closed || *status == core::ReferralStatus::Cancelled) {
        auto r = ReferralRepo(db).Get(referral);
        return Fail(Errc::InvalidInput, (r ? r->reference : "the request") + " is " + std::string(core::Key(*status)) +
                                            " and cannot be booked");
    }
    // The slot offered to this very request from the waiting list.
    auto offer = SlotRepo(db).HoldFor(OfferToken(referral));
    if (!offer) return offer.error();
    if (*offer && (*offer)->slot.trainer == want.trainer && (*offer)->slot.start == want.start &&
        (*offer)->expires_at > now) {
        auto b = BookingRepo(db).BookHeldSlot(OfferToken(referral), referral, actor, now);
        if (!b) return b.error();
        if (auto r = internal::Audit(db, now, actor, "waiting.accept", internal::ReferralSubject(referral),
                                     internal::BookingSubject(b->id));
            !r)
            return r.error();
        return b;
    }
    auto free = SlotRepo(db).FreeSlots(zone, now, want.trainer);
    if (!free) return free.error();
    const auto it = std::find_if(free->begin(), free->end(), [&](const core::Slot& s) { return s.start == want.start; });
    if (it == free->end()) return Refusal(db, want, zone, now);
    // BookingRepo::Book: it also clears a lapsed hold on the slot, and the UNIQUE index has the last word.
    return BookingRepo(db).Book(referral, *it, actor, now);
}

}  // namespace

DeskRepo::DeskRepo(Database& db, RandomSource random) : m_db(db), m_random(std::move(random)) {
    if (!m_random) m_random = [](std::span<std::uint8_t> out) { RandomBytes(out); };
}

Result<RequestDetail> DeskRepo::Detail(core::ReferralId id, core::UnixSeconds now) const {
    auto tx = Transaction::Begin(m_db, Transaction::Kind::Deferred);  // one snapshot
    if (!tx) return tx.error();
    return ReadDetail(m_db, id, now);
}

Result<RequestDetail> DeskRepo::Detail(core::ReferralId id, const UnlockedKey& key, core::UnixSeconds now) {
    ReferralRepo referrals(m_db);
    auto patient = referrals.Reveal(id, key, now);
    if (!patient) return patient.error();
    auto notes = referrals.Notes(id, key, now);
    if (!notes) {
        core::Wipe(*patient);
        return notes.error();
    }
    auto d = Detail(id, now);
    if (!d) {
        core::Wipe(*patient);
        for (auto& n : *notes) core::Wipe(n.text);
        return d.error();
    }
    d->referral.patient = std::move(*patient);
    d->notes = std::move(*notes);  // the same rows: a note added meanwhile shows next time
    return d;
}

Result<DeskRequest> DeskRepo::Create(const core::Referral& r, const PublicKey& key, std::optional<SlotStart> slot,
                                     const core::TimeZone& zone, std::string_view actor, core::UnixSeconds now, bool forward) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto shared = SettingsRepo(m_db).SharedSince();
    if (!shared) return shared.error();
    auto made = internal::InsertReferral(m_db, m_random, r, key, actor, now);
    if (!made) return made.error();
    DeskRequest out{std::move(*made), std::nullopt};
    if (forward || *shared) {  // a shared practice's file keeps no request for itself: the server holds them
        if (auto queued = ForwardRepo(m_db).Enqueue(out.referral.id, now); !queued) return queued.error();
        out.queued = true;
    }
    if (slot) {
        auto b = BookInside(m_db, out.referral.id, *slot, zone, actor, now);
        if (!b) return b.error();
        out.booking = std::move(*b);
        out.referral.status = core::ReferralStatus::Booked;
        out.referral.waiting_list = false;
    }
    if (auto c = tx->Commit(); !c) return c.error();
    return out;
}

Result<core::Booking> DeskRepo::Book(core::ReferralId referral, SlotStart slot, const core::TimeZone& zone,
                                     std::string_view actor, core::UnixSeconds now) {
    if (actor.empty()) return Fail(Errc::InvalidInput, "a booking needs an actor");
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto b = BookInside(m_db, referral, slot, zone, actor, now);
    if (!b) return b.error();
    if (auto c = tx->Commit(); !c) return c.error();
    return b;
}

}  // namespace htk::store
