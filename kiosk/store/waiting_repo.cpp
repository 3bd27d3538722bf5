// Offers of freed slots to the waiting list. An offer is a row of slot_holds under the request's
// offer token, so the kiosks' FreeSlots skips it and the bookings' UNIQUE index still has the last word.
#include "store/waiting_repo.h"

#include <algorithm>
#include <functional>

#include "store/booking_repo.h"
#include "store/internal.h"
#include "store/settings_repo.h"
#include "store/slot_repo.h"
#include "store/trainer_repo.h"

namespace htk::store {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

constexpr std::string_view kOfferPrefix = "offer:referral:";

std::string SlotDetail(const core::Slot& slot) {
    return "trainer:" + std::to_string(slot.trainer) + " start:" + std::to_string(slot.start);
}

struct OfferRow {
    core::Slot slot;
    core::UnixSeconds expires_at = 0;
};

// The hold under a request's offer token, lapsed or not.
Result<std::optional<OfferRow>> OfferRowOf(Database& db, core::ReferralId referral) {
    auto stmt = Statement::Prepare(db, "SELECT trainer_id, start_at, end_at, expires_at FROM slot_holds WHERE token = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, OfferToken(referral));
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return std::optional<OfferRow>();
    return std::optional<OfferRow>(OfferRow{{stmt->Int(0), stmt->Int(1), stmt->Int(2)}, stmt->Int(3)});
}

Result<std::vector<WaitingOffer>> ReadOffers(Database& db, std::string_view where,
                                             const std::function<void(Statement&)>& bind) {
    auto stmt = Statement::Prepare(db,
                                   "SELECT r.id, r.reference, r.language, h.trainer_id, h.start_at, h.end_at, h.expires_at "
                                   "FROM slot_holds h JOIN referrals r ON r.id = CAST(substr(h.token, " +
                                       std::to_string(kOfferPrefix.size() + 1) + ") AS INTEGER) "
                                       "WHERE substr(h.token, 1, " + std::to_string(kOfferPrefix.size()) + ") = '" +
                                       std::string(kOfferPrefix) + "' " + std::string(where) +
                                       " ORDER BY h.start_at, h.trainer_id");
    if (!stmt) return stmt.error();
    bind(*stmt);
    std::vector<WaitingOffer> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) break;
        WaitingOffer o;
        o.referral = stmt->Int(0);
        o.reference = stmt->Text(1);
        o.language = stmt->Text(2);
        o.slot = {stmt->Int(3), stmt->Int(4), stmt->Int(5)};
        o.expires_at = stmt->Int(6);
        out.push_back(std::move(o));
    }
    for (auto& o : out) {
        auto t = TrainerRepo(db).Get(o.slot.trainer);
        if (!t) return t.error();
        o.trainer_speaks = t->Speaks(o.language);
    }
    return out;
}

Result<core::Referral> RequireReferral(Database& db, core::ReferralId referral) {
    return ReferralRepo(db).Get(referral);
}

// The standing offer of a request: NotFound when there is none, HoldExpired when it lapsed.
Result<OfferRow> StandingOffer(Database& db, core::ReferralId referral, core::UnixSeconds now) {
    auto r = RequireReferral(db, referral);
    if (!r) return r.error();
    auto offer = OfferRowOf(db, referral);
    if (!offer) return offer.error();
    if (!*offer) return Fail(Errc::NotFound, "no slot is offered to " + r->reference);
    if ((*offer)->expires_at <= now)
        return Fail(Errc::HoldExpired, "the slot offered to " + r->reference + " was not taken up in time; it is free again");
    return **offer;
}

Result<bool> SlotBusy(Database& db, const core::Slot& slot, core::UnixSeconds now) {
    auto stmt = Statement::Prepare(db,
                                   "SELECT 1 FROM bookings WHERE trainer_id = ?1 AND start_at < ?2 AND end_at > ?3 "
                                   "AND status NOT IN ('cancelled_by_patient', 'cancelled_by_practice') "
                                   "UNION ALL SELECT 1 FROM slot_holds WHERE trainer_id = ?1 AND start_at < ?2 "
                                   "AND end_at > ?3 AND expires_at > ?4");
    if (!stmt) return stmt.error();
    stmt->Bind(1, slot.trainer).Bind(2, slot.end).Bind(3, slot.start).Bind(4, now);
    return stmt->Step();
}

Result<void> DeleteOffer(Database& db, core::ReferralId referral) {
    auto stmt = Statement::Prepare(db, "DELETE FROM slot_holds WHERE token = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, OfferToken(referral));
    return stmt->Run();
}

}  // namespace

std::string OfferToken(core::ReferralId referral) { return std::string(kOfferPrefix) + std::to_string(referral); }

// ---- internal -----------------------------------------------------------------------------------

Result<std::optional<WaitingOffer>> internal::OfferFreedSlot(Database& db, const core::Slot& slot, std::string_view actor,
                                                             core::UnixSeconds now, const core::TimeZone* zone) {
    using None = std::optional<WaitingOffer>;
    auto rules = SettingsRepo(db).Rules();
    if (!rules) return rules.error();
    const core::UnixSeconds latest = slot.start - rules->min_notice_minutes * 60LL;
    if (latest <= now) return None();
    auto trainer = TrainerRepo(db).Get(slot.trainer);
    if (!trainer) return trainer.error();
    if (!trainer->active) return None();
    auto busy = SlotBusy(db, slot, now);
    if (!busy) return busy.error();
    if (*busy) return None();
    if (zone) {  // only a slot the plan still offers: not one on a day closed since it was booked
        auto free = SlotRepo(db).FreeSlots(*zone, now, slot.trainer);
        if (!free) return free.error();
        if (std::find(free->begin(), free->end(), slot) == free->end()) return None();
    }

    auto stmt = Statement::Prepare(
        db,
        "SELECT r.id, r.reference, r.language FROM referrals r WHERE r.waiting_list = 1 "
        "AND r.status IN ('new', 'contacted') "
        "AND NOT EXISTS (SELECT 1 FROM slot_holds h WHERE h.token = ?1 || r.id AND h.expires_at > ?2) "
        "AND NOT EXISTS (SELECT 1 FROM offer_declines d WHERE d.referral_id = r.id AND d.trainer_id = ?3 "
        "AND d.start_at = ?4) ORDER BY r.created_at, r.id");
    if (!stmt) return stmt.error();
    stmt->Bind(1, kOfferPrefix).Bind(2, now).Bind(3, slot.trainer).Bind(4, slot.start);
    std::optional<WaitingOffer> first, speaker;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) break;
        WaitingOffer o;
        o.referral = stmt->Int(0);
        o.reference = stmt->Text(1);
        o.language = stmt->Text(2);
        o.trainer_speaks = trainer->Speaks(o.language);
        if (!first) first = o;
        if (o.trainer_speaks) {
            speaker = std::move(o);
            break;
        }
    }
    std::optional<WaitingOffer> offer = speaker ? speaker : first;
    if (!offer) return None();
    offer->slot = slot;
    offer->expires_at = std::min(now + kOfferSeconds, latest);

    // A lapsed hold on this slot, or an older lapsed offer to this request, makes way.
    auto del = Statement::Prepare(db, "DELETE FROM slot_holds WHERE token = ?1 OR (trainer_id = ?2 AND start_at = ?3)");
    if (!del) return del.error();
    del->Bind(1, OfferToken(offer->referral)).Bind(2, slot.trainer).Bind(3, slot.start);
    if (auto r = del->Run(); !r) return r.error();
    auto ins = Statement::Prepare(db,
                                  "INSERT INTO slot_holds (trainer_id, start_at, end_at, token, expires_at) "
                                  "VALUES (?, ?, ?, ?, ?)");
    if (!ins) return ins.error();
    ins->Bind(1, slot.trainer).Bind(2, slot.start).Bind(3, slot.end).Bind(4, OfferToken(offer->referral))
        .Bind(5, offer->expires_at);
    if (auto r = ins->Run(); !r) return r.error();
    if (auto r = Audit(db, now, actor, "waiting.offer", ReferralSubject(offer->referral), SlotDetail(slot)); !r)
        return r.error();
    return offer;
}

Result<void> internal::WithdrawOffer(Database& db, core::ReferralId referral, std::optional<core::Slot> keep,
                                     std::string_view actor, core::UnixSeconds now) {
    auto offer = OfferRowOf(db, referral);
    if (!offer) return offer.error();
    if (!*offer) return {};
    const core::Slot slot = (*offer)->slot;
    if (keep && keep->trainer == slot.trainer && keep->start == slot.start) return {};
    if (auto r = DeleteOffer(db, referral); !r) return r;
    if ((*offer)->expires_at <= now) return {};  // lapsed: the slot was free to anyone already
    if (auto r = Audit(db, now, actor, "waiting.withdraw", ReferralSubject(referral), SlotDetail(slot)); !r) return r;
    auto next = OfferFreedSlot(db, slot, actor, now);
    if (!next) return next.error();
    return {};
}

// ---- WaitingRepo --------------------------------------------------------------------------------

Result<std::vector<core::Referral>> WaitingRepo::List() const {
    ReferralFilter f;
    f.waiting_list = true;
    f.limit = 100000;
    auto all = ReferralRepo(m_db).List(f);
    if (!all) return all.error();
    std::vector<core::Referral> out;
    for (auto& r : *all)
        if (r.status == core::ReferralStatus::New || r.status == core::ReferralStatus::Contacted) out.push_back(std::move(r));
    std::reverse(out.begin(), out.end());  // List is newest first; the waiting list is served oldest first
    return out;
}

Result<std::vector<WaitingOffer>> WaitingRepo::Offers(core::UnixSeconds now) const {
    return ReadOffers(m_db, "AND h.expires_at > ?1", [&](Statement& s) { s.Bind(1, now); });
}

Result<std::optional<WaitingOffer>> WaitingRepo::OfferFor(core::ReferralId referral, core::UnixSeconds now) const {
    auto list = ReadOffers(m_db, "AND h.expires_at > ?1 AND r.id = ?2", [&](Statement& s) { s.Bind(1, now).Bind(2, referral); });
    if (!list) return list.error();
    if (list->empty()) return std::optional<WaitingOffer>();
    return std::optional<WaitingOffer>(std::move(list->front()));
}

Result<core::Booking> WaitingRepo::Accept(core::ReferralId referral, std::string_view actor, core::UnixSeconds now) {
    if (actor.empty()) return Fail(Errc::InvalidInput, "accepting an offer needs an actor");
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto offer = StandingOffer(m_db, referral, now);
    if (!offer) return offer.error();
    auto booking = BookingRepo(m_db).BookHeldSlot(OfferToken(referral), referral, actor, now);
    if (!booking) return booking.error();
    if (auto r = internal::Audit(m_db, now, actor, "waiting.accept", internal::ReferralSubject(referral),
                                 internal::BookingSubject(booking->id));
        !r)
        return r.error();
    if (auto c = tx->Commit(); !c) return c.error();
    return booking;
}

Result<std::optional<WaitingOffer>> WaitingRepo::Decline(core::ReferralId referral, std::string_view actor,
                                                         core::UnixSeconds now) {
    if (actor.empty()) return Fail(Errc::InvalidInput, "declining an offer needs an actor");
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto offer = StandingOffer(m_db, referral, now);
    if (!offer) return offer.error();
    auto stmt = Statement::Prepare(m_db,
                                   "INSERT OR IGNORE INTO offer_declines (trainer_id, start_at, referral_id, at) "
                                   "VALUES (?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->Bind(1, offer->slot.trainer).Bind(2, offer->slot.start).Bind(3, referral).Bind(4, now);
    if (auto r = stmt->Run(); !r) return r.error();
    if (auto r = DeleteOffer(m_db, referral); !r) return r.error();
    if (auto r = internal::Audit(m_db, now, actor, "waiting.decline", internal::ReferralSubject(referral),
                                 SlotDetail(offer->slot));
        !r)
        return r.error();
    auto next = internal::OfferFreedSlot(m_db, offer->slot, actor, now);
    if (!next) return next.error();
    if (auto c = tx->Commit(); !c) return c.error();
    return next;
}

}  // namespace htk::store
