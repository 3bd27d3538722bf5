// Free slots = generated slots minus live bookings and unexpired holds. Holds are advisory to other
// kiosks; what makes a double booking impossible is the bookings table's partial UNIQUE index.
#include "store/slot_repo.h"

#include <algorithm>
#include <functional>

#include "store/internal.h"
#include "store/plan_repo.h"
#include "store/settings_repo.h"
#include "store/trainer_repo.h"

namespace htk::store {

using core::Errc;
using core::Fail;
using core::Result;

Result<bool> internal::SlotBooked(Database& db, const core::Slot& slot) {
    auto stmt = Statement::Prepare(db,
                                   "SELECT 1 FROM bookings WHERE trainer_id = ? AND start_at < ? AND end_at > ? "
                                   "AND status NOT IN ('cancelled_by_patient', 'cancelled_by_practice')");
    if (!stmt) return stmt.error();
    stmt->Bind(1, slot.trainer).Bind(2, slot.end).Bind(3, slot.start);
    return stmt->Step();
}

namespace {

constexpr core::UnixSeconds kKeepLapsedHolds = 86400;  // lapsed holds linger a day so their holder gets HoldExpired

struct Interval {
    core::UnixSeconds start, end;
};

Result<std::vector<Interval>> BusyIntervals(Database& db, core::TrainerId trainer, core::UnixSeconds now,
                                            core::UnixSeconds from, core::UnixSeconds to) {
    auto stmt = Statement::Prepare(
        db,
        "SELECT start_at, end_at FROM bookings WHERE trainer_id = ?1 AND end_at > ?3 AND start_at < ?4 "
        "AND status NOT IN ('cancelled_by_patient', 'cancelled_by_practice') "
        "UNION ALL SELECT start_at, end_at FROM slot_holds WHERE trainer_id = ?1 AND expires_at > ?2 "
        "AND end_at > ?3 AND start_at < ?4");
    if (!stmt) return stmt.error();
    stmt->Bind(1, trainer).Bind(2, now).Bind(3, from).Bind(4, to);
    std::vector<Interval> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back({stmt->Int(0), stmt->Int(1)});
    }
}

Result<std::optional<SlotHold>> ReadHold(Database& db, std::string_view where, const std::function<void(Statement&)>& bind) {
    auto stmt = Statement::Prepare(db, "SELECT trainer_id, start_at, end_at, token, expires_at FROM slot_holds " +
                                           std::string(where));
    if (!stmt) return stmt.error();
    bind(*stmt);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return std::optional<SlotHold>();
    return std::optional<SlotHold>(SlotHold{{stmt->Int(0), stmt->Int(1), stmt->Int(2)}, stmt->Text(3), stmt->Int(4)});
}

}  // namespace

Result<std::vector<core::Slot>> SlotRepo::FreeSlots(const core::TimeZone& zone, core::UnixSeconds now,
                                                    std::optional<core::TrainerId> trainer,
                                                    std::optional<int> horizon_days) const {
    // One read transaction, so the plan, the bookings and the holds are a single snapshot.
    auto tx = Transaction::Begin(m_db, Transaction::Kind::Deferred);
    if (!tx) return tx.error();
    auto rules = SettingsRepo(m_db).Rules();
    if (!rules) return rules.error();
    if (horizon_days) rules->horizon_days = *horizon_days;
    if (auto r = core::Validate(*rules); !r) return r.error();
    auto blocked = PlanRepo(m_db).BlockedDays();
    if (!blocked) return blocked.error();

    std::vector<core::Trainer> trainers;
    if (trainer) {
        auto t = TrainerRepo(m_db).Get(*trainer);
        if (!t) return t.error();
        if (t->active) trainers.push_back(std::move(*t));
    } else {
        auto all = TrainerRepo(m_db).List(false);
        if (!all) return all.error();
        trainers = std::move(*all);
    }

    std::vector<core::Slot> out;
    for (const auto& t : trainers) {
        auto plan = PlanRepo(m_db).Load(t.id);
        if (!plan) return plan.error();
        auto slots = core::GenerateSlots(*plan, *blocked, *rules, zone, now);
        if (slots.empty()) continue;
        auto busy = BusyIntervals(m_db, t.id, now, slots.front().start, slots.back().end);
        if (!busy) return busy.error();
        for (const auto& s : slots) {
            const bool taken = std::any_of(busy->begin(), busy->end(),
                                           [&](const Interval& b) { return b.start < s.end && s.start < b.end; });
            if (!taken) out.push_back(s);
        }
    }
    std::sort(out.begin(), out.end(), [](const core::Slot& a, const core::Slot& b) {
        return a.start != b.start ? a.start < b.start : a.trainer < b.trainer;
    });
    return out;
}

Result<SlotHold> SlotRepo::HoldSlot(const core::Slot& slot, std::string_view token, core::UnixSeconds now,
                                    int hold_seconds) {
    if (token.size() < 8 || token.size() > 128) return Fail(Errc::InvalidInput, "a hold token must be 8 to 128 characters");
    if (hold_seconds < 1 || hold_seconds > 3600) return Fail(Errc::InvalidInput, "a hold lasts 1 second to 1 hour");
    if (slot.end <= slot.start) return Fail(Errc::InvalidInput, "a slot must end after it starts");
    if (slot.start <= now) return Fail(Errc::InvalidInput, "the slot has already started");

    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto t = TrainerRepo(m_db).Get(slot.trainer);
    if (!t) return t.error();
    if (!t->active) return Fail(Errc::NotFound, "trainer " + std::to_string(slot.trainer) + " is not taking bookings");

    auto booked = internal::SlotBooked(m_db, slot);
    if (!booked) return booked.error();
    if (*booked) return Fail(Errc::SlotTaken, "the slot is already booked");

    auto existing = ReadHold(m_db, "WHERE trainer_id = ? AND start_at = ?",
                             [&](Statement& s) { s.Bind(1, slot.trainer).Bind(2, slot.start); });
    if (!existing) return existing.error();
    if (*existing && (*existing)->token != token && (*existing)->expires_at > now)
        return Fail(Errc::SlotHeld, "another patient is holding the slot");

    auto del = Statement::Prepare(m_db,
                                  "DELETE FROM slot_holds WHERE token = ?1 OR (trainer_id = ?2 AND start_at = ?3) "
                                  "OR expires_at < ?4");
    if (!del) return del.error();
    del->Bind(1, token).Bind(2, slot.trainer).Bind(3, slot.start).Bind(4, now - kKeepLapsedHolds);
    if (auto r = del->Run(); !r) return r.error();

    SlotHold hold{slot, std::string(token), now + hold_seconds};
    auto ins = Statement::Prepare(m_db,
                                  "INSERT INTO slot_holds (trainer_id, start_at, end_at, token, expires_at) "
                                  "VALUES (?, ?, ?, ?, ?)");
    if (!ins) return ins.error();
    ins->Bind(1, slot.trainer).Bind(2, slot.start).Bind(3, slot.end).Bind(4, token).Bind(5, hold.expires_at);
    if (auto r = ins->Run(); !r) {
        if (ins->IsUniqueViolation()) return Fail(Errc::SlotHeld, "another patient is holding the slot");
        return r.error();
    }
    if (auto c = tx->Commit(); !c) return c.error();
    return hold;
}

Result<void> SlotRepo::ReleaseHold(std::string_view token) {
    auto stmt = Statement::Prepare(m_db, "DELETE FROM slot_holds WHERE token = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, token);
    return stmt->Run();
}

Result<std::optional<SlotHold>> SlotRepo::HoldFor(std::string_view token) const {
    return ReadHold(m_db, "WHERE token = ?", [&](Statement& s) { s.Bind(1, token); });
}

}  // namespace htk::store
