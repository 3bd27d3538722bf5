// Booking rows and their history. Every path that creates a booking goes through InsertBooking,
// inside a BEGIN IMMEDIATE transaction, with the partial UNIQUE index as the final word.
#include "store/booking_repo.h"

#include <functional>

#include "store/internal.h"
#include "store/settings_repo.h"
#include "store/trainer_repo.h"

namespace htk::store {

using core::BookingStatus;
using core::Errc;
using core::Fail;
using core::Result;

namespace {

constexpr std::string_view kLive = "status NOT IN ('cancelled_by_patient', 'cancelled_by_practice')";

Result<void> InsertHistory(Database& db, core::BookingId id, BookingStatus status, std::string_view actor,
                           core::UnixSeconds at) {
    auto stmt = Statement::Prepare(db, "INSERT INTO booking_status_history (booking_id, status, at, actor) VALUES (?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->Bind(1, id).Bind(2, core::Key(status)).Bind(3, at).Bind(4, actor);
    return stmt->Run();
}

Result<bool> LiveBookingOverlaps(Database& db, const core::Slot& slot) {
    auto stmt = Statement::Prepare(db, "SELECT 1 FROM bookings WHERE trainer_id = ? AND start_at < ? AND end_at > ? AND " +
                                           std::string(kLive));
    if (!stmt) return stmt.error();
    stmt->Bind(1, slot.trainer).Bind(2, slot.end).Bind(3, slot.start);
    return stmt->Step();
}

Result<void> LoadHistory(Database& db, core::Booking& b) {
    auto stmt = Statement::Prepare(db, "SELECT status, at, actor FROM booking_status_history WHERE booking_id = ? ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->Bind(1, b.id);
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) return {};
        const auto status = core::ParseBookingStatus(stmt->Text(0));
        if (!status) return Fail(Errc::NotADatabase, "booking history holds an unknown status");
        b.history.push_back({*status, stmt->Int(1), stmt->Text(2)});
    }
}

Result<std::vector<core::Booking>> Query(Database& db, std::string_view where,
                                         const std::function<void(Statement&)>& bind) {
    auto stmt = Statement::Prepare(
        db, "SELECT id, referral_id, trainer_id, start_at, end_at, status FROM bookings" + std::string(where));
    if (!stmt) return stmt.error();
    bind(*stmt);
    std::vector<core::Booking> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) break;
        core::Booking b;
        b.id = stmt->Int(0);
        b.referral = stmt->Int(1);
        b.slot = {stmt->Int(2), stmt->Int(3), stmt->Int(4)};
        const auto status = core::ParseBookingStatus(stmt->Text(5));
        if (!status) return Fail(Errc::NotADatabase, "booking " + std::to_string(b.id) + " has an unknown status");
        b.status = *status;
        out.push_back(std::move(b));
    }
    for (auto& b : out)
        if (auto r = LoadHistory(db, b); !r) return r.error();
    return out;
}

// The slot a token's hold is for, if it may still be booked.
Result<core::Slot> ClaimHold(Database& db, std::string_view token, core::UnixSeconds now) {
    auto stmt = Statement::Prepare(db, "SELECT trainer_id, start_at, end_at, expires_at FROM slot_holds WHERE token = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, token);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return Fail(Errc::HoldExpired, "the hold lapsed and the slot went to someone else");
    const core::Slot slot{stmt->Int(0), stmt->Int(1), stmt->Int(2)};
    const bool lapsed = stmt->Int(3) <= now;
    auto booked = LiveBookingOverlaps(db, slot);
    if (!booked) return booked.error();
    if (*booked)
        return lapsed ? Fail(Errc::HoldExpired, "the hold lapsed and the slot went to someone else")
                      : Fail(Errc::SlotTaken, "the slot is already booked");
    return slot;
}

Result<void> DeleteHolds(Database& db, std::string_view sql, const std::function<void(Statement&)>& bind) {
    auto stmt = Statement::Prepare(db, sql);
    if (!stmt) return stmt.error();
    bind(*stmt);
    return stmt->Run();
}

}  // namespace

Result<core::Booking> internal::InsertBooking(Database& db, core::ReferralId referral, const core::Slot& slot,
                                              std::string_view actor, core::UnixSeconds now) {
    if (slot.end <= slot.start) return Fail(Errc::InvalidInput, "a slot must end after it starts");
    if (actor.empty()) return Fail(Errc::InvalidInput, "a booking needs an actor");
    auto shared = SettingsRepo(db).SharedSince();  // the file's trigger refuses it too; this says how to book instead
    if (!shared) return shared.error();
    if (*shared)
        return Fail(Errc::InvalidInput, "this practice's times are booked on its shared database, where its plan is published: "
                                        "book in the desk app's From kiosks view (ht-admin desk --server)");
    auto status = ReferralStatusOf(db, referral);
    if (!status) return status.error();
    if (*status == core::ReferralStatus::Closed || *status == core::ReferralStatus::Cancelled)
        return Fail(Errc::InvalidInput, "referral " + std::to_string(referral) + " is " +
                                            std::string(core::Key(*status)) + " and cannot be booked");
    if (auto t = TrainerRepo(db).Get(slot.trainer); !t) return t.error();
    auto overlap = LiveBookingOverlaps(db, slot);
    if (!overlap) return overlap.error();
    if (*overlap) return Fail(Errc::SlotTaken, "the slot is already booked");

    auto stmt = Statement::Prepare(db,
                                   "INSERT INTO bookings (referral_id, trainer_id, start_at, end_at, status) "
                                   "VALUES (?, ?, ?, ?, 'requested')");
    if (!stmt) return stmt.error();
    stmt->Bind(1, referral).Bind(2, slot.trainer).Bind(3, slot.start).Bind(4, slot.end);
    if (auto r = stmt->Run(); !r) {
        if (stmt->IsUniqueViolation()) return Fail(Errc::SlotTaken, "the slot is already booked");
        return r.error();
    }
    core::Booking b;
    b.id = db.LastInsertId();
    b.referral = referral;
    b.slot = slot;
    b.status = BookingStatus::Requested;
    b.history.push_back({BookingStatus::Requested, now, std::string(actor)});
    if (auto r = InsertHistory(db, b.id, BookingStatus::Requested, actor, now); !r) return r.error();
    if (auto r = Audit(db, now, actor, "booking.create", BookingSubject(b.id),
                       ReferralSubject(referral) + " trainer:" + std::to_string(slot.trainer));
        !r)
        return r.error();
    if (*status != core::ReferralStatus::Booked)
        if (auto r = MoveReferral(db, referral, *status, core::ReferralStatus::Booked, actor, now); !r) return r.error();
    auto off = Statement::Prepare(db, "UPDATE referrals SET waiting_list = 0 WHERE id = ? AND waiting_list = 1");
    if (!off) return off.error();
    off->Bind(1, referral);
    if (auto r = off->Run(); !r) return r.error();
    if (auto r = WithdrawOffer(db, referral, slot, actor, now); !r) return r.error();
    return b;
}

BookingRepo::BookingRepo(Database& db, RandomSource random) : m_db(db), m_random(std::move(random)) {
    if (!m_random) m_random = [](std::span<std::uint8_t> out) { RandomBytes(out); };
}

Result<core::Booking> BookingRepo::Book(core::ReferralId referral, const core::Slot& slot, std::string_view actor,
                                        core::UnixSeconds now) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto held = Statement::Prepare(m_db, "SELECT 1 FROM slot_holds WHERE trainer_id = ? AND start_at = ? AND expires_at > ?");
    if (!held) return held.error();
    held->Bind(1, slot.trainer).Bind(2, slot.start).Bind(3, now);
    auto row = held->Step();
    if (!row) return row.error();
    if (*row) return Fail(Errc::SlotHeld, "a patient is holding the slot");
    auto b = internal::InsertBooking(m_db, referral, slot, actor, now);
    if (!b) return b.error();
    // The lapsed hold's owner now learns HoldExpired rather than finding the slot still "theirs".
    if (auto r = DeleteHolds(m_db, "DELETE FROM slot_holds WHERE trainer_id = ? AND start_at = ?",
                             [&](Statement& s) { s.Bind(1, slot.trainer).Bind(2, slot.start); });
        !r)
        return r.error();
    if (auto c = tx->Commit(); !c) return c.error();
    return b;
}

Result<BookedReferral> BookingRepo::BookHeldSlot(std::string_view token, const core::Referral& referral,
                                                 const PublicKey& key, std::string_view actor, core::UnixSeconds now) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto slot = ClaimHold(m_db, token, now);
    if (!slot) return slot.error();
    auto r = internal::InsertReferral(m_db, m_random, referral, key, actor, now);
    if (!r) return r.error();
    auto b = internal::InsertBooking(m_db, r->id, *slot, actor, now);
    if (!b) return b.error();
    if (auto d = DeleteHolds(m_db, "DELETE FROM slot_holds WHERE token = ?", [&](Statement& s) { s.Bind(1, token); }); !d)
        return d.error();
    if (auto c = tx->Commit(); !c) return c.error();
    r->status = core::ReferralStatus::Booked;
    return BookedReferral{std::move(*r), std::move(*b)};
}

Result<core::Booking> BookingRepo::BookHeldSlot(std::string_view token, core::ReferralId referral,
                                                std::string_view actor, core::UnixSeconds now) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto slot = ClaimHold(m_db, token, now);
    if (!slot) return slot.error();
    auto b = internal::InsertBooking(m_db, referral, *slot, actor, now);
    if (!b) return b.error();
    if (auto d = DeleteHolds(m_db, "DELETE FROM slot_holds WHERE token = ?", [&](Statement& s) { s.Bind(1, token); }); !d)
        return d.error();
    if (auto c = tx->Commit(); !c) return c.error();
    return b;
}

Result<core::Booking> BookingRepo::Get(core::BookingId id) const {
    auto list = Query(m_db, " WHERE id = ?", [&](Statement& s) { s.Bind(1, id); });
    if (!list) return list.error();
    if (list->empty()) return Fail(Errc::NotFound, "no booking with id " + std::to_string(id));
    return std::move(list->front());
}

Result<std::vector<core::Booking>> BookingRepo::List(const BookingFilter& f) const {
    std::string where = " WHERE 1";
    if (f.from) where += " AND start_at >= ?1";
    if (f.to) where += " AND start_at < ?2";
    if (f.trainer) where += " AND trainer_id = ?3";
    if (f.referral) where += " AND referral_id = ?4";
    if (f.status) where += " AND status = ?5";
    where += " ORDER BY start_at, trainer_id, id LIMIT ?6";
    return Query(m_db, where, [&](Statement& s) {
        if (f.from) s.Bind(1, *f.from);
        if (f.to) s.Bind(2, *f.to);
        if (f.trainer) s.Bind(3, *f.trainer);
        if (f.referral) s.Bind(4, *f.referral);
        if (f.status) s.Bind(5, core::Key(*f.status));
        s.Bind(6, f.limit > 0 ? f.limit : 1000);
    });
}

Result<core::Booking> BookingRepo::ChangeStatus(core::BookingId id, BookingStatus to, std::string_view actor,
                                                core::UnixSeconds now) {
    auto change = ChangeStatusAndOffer(id, to, actor, now);
    if (!change) return change.error();
    return std::move(change->booking);
}

Result<BookingChange> BookingRepo::ChangeStatusAndOffer(core::BookingId id, BookingStatus to, std::string_view actor,
                                                        core::UnixSeconds now, const core::TimeZone* zone) {
    if (actor.empty()) return Fail(Errc::InvalidInput, "a status change needs an actor");
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto current = Get(id);
    if (!current) return current.error();
    const BookingStatus from = current->status;
    if (!core::CanChange(from, to))
        return Fail(Errc::InvalidInput, "booking " + std::to_string(id) + ": " + std::string(core::Key(from)) + " -> " +
                                            std::string(core::Key(to)) + " is not allowed");
    auto stmt = Statement::Prepare(m_db, "UPDATE bookings SET status = ? WHERE id = ? AND status = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, core::Key(to)).Bind(2, id).Bind(3, core::Key(from));
    if (auto r = stmt->Run(); !r) return r.error();
    if (auto r = InsertHistory(m_db, id, to, actor, now); !r) return r.error();
    if (auto r = internal::Audit(m_db, now, actor, "booking.status", internal::BookingSubject(id),
                                 std::string(core::Key(from)) + "->" + std::string(core::Key(to)));
        !r)
        return r.error();
    std::optional<WaitingOffer> offer;
    if (core::HoldsSlot(from) && !core::HoldsSlot(to)) {
        auto o = internal::OfferFreedSlot(m_db, current->slot, actor, now, zone);
        if (!o) return o.error();
        offer = std::move(*o);
    }
    if (auto c = tx->Commit(); !c) return c.error();
    auto after = Get(id);
    if (!after) return after.error();
    return BookingChange{std::move(*after), std::move(offer)};
}

}  // namespace htk::store
