// Purging requests past the practice's retention. bookings.referral_id has no cascade, so their
// bookings go first; histories (and anything else declared ON DELETE CASCADE) follow the rows.
#include "store/retention_repo.h"

#include "store/internal.h"

namespace htk::store {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

constexpr std::string_view kDue =
    "SELECT r.id, r.reference, r.status, h.closed_at FROM referrals r "
    "JOIN (SELECT referral_id, max(at) AS closed_at FROM referral_status_history "
    "      WHERE status IN ('closed', 'cancelled') GROUP BY referral_id) h ON h.referral_id = r.id "
    "WHERE r.status IN ('closed', 'cancelled') AND h.closed_at < ?1 ORDER BY h.closed_at, r.id";

Result<std::int64_t> CountOf(Database& db, std::string_view sql, core::ReferralId id) {
    auto stmt = Statement::Prepare(db, sql);
    if (!stmt) return stmt.error();
    stmt->Bind(1, id);
    auto row = stmt->Step();
    if (!row) return row.error();
    return *row ? stmt->Int(0) : 0;
}

Result<void> Delete(Database& db, std::string_view sql, core::ReferralId id) {
    auto stmt = Statement::Prepare(db, sql);
    if (!stmt) return stmt.error();
    stmt->Bind(1, id);
    return stmt->Run();
}

std::string UtcIso(core::UnixSeconds t) {
    const auto l = core::FixedZone(0).ToLocal(t);
    return l.date.Iso() + "T" + core::FormatClock(l.minute_of_day) + "Z";
}

}  // namespace

Result<std::vector<PurgeCandidate>> RetentionRepo::Due(core::UnixSeconds cutoff) const {
    auto stmt = Statement::Prepare(m_db, kDue);
    if (!stmt) return stmt.error();
    stmt->Bind(1, cutoff);
    std::vector<PurgeCandidate> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) return out;
        const auto status = core::ParseReferralStatus(stmt->Text(2));
        if (!status) return Fail(Errc::NotADatabase, "referral " + std::to_string(stmt->Int(0)) + " has an unknown status");
        out.push_back({stmt->Int(0), stmt->Text(1), *status, stmt->Int(3)});
    }
}

Result<PurgeResult> RetentionRepo::Purge(core::UnixSeconds cutoff, std::string_view actor, core::UnixSeconds now) {
    if (actor.empty()) return Fail(Errc::InvalidInput, "a purge needs an actor");
    if (m_db.InTransaction())  // the checkpoint after it is the connection's, not a savepoint's
        return Fail(Errc::Internal, "a purge runs in its own transaction");
    // Database::Open set secure_delete, so the deleted rows' bytes are zeroed in their pages.

    PurgeResult result;
    {
        auto tx = Transaction::Begin(m_db);
        if (!tx) return tx.error();
        auto due = Due(cutoff);
        if (!due) return due.error();
        for (const auto& c : *due) {
            auto history = CountOf(m_db, "SELECT count(*) FROM referral_status_history WHERE referral_id = ?", c.id);
            if (!history) return history.error();
            auto booking_history = CountOf(m_db,
                                           "SELECT count(*) FROM booking_status_history WHERE booking_id IN "
                                           "(SELECT id FROM bookings WHERE referral_id = ?)",
                                           c.id);
            if (!booking_history) return booking_history.error();
            if (auto r = Delete(m_db, "DELETE FROM bookings WHERE referral_id = ?", c.id); !r) return r.error();
            result.bookings += m_db.Changes();
            if (auto r = Delete(m_db, "DELETE FROM referrals WHERE id = ? AND status IN ('closed', 'cancelled')", c.id); !r)
                return r.error();
            if (m_db.Changes() != 1) return Fail(Errc::Busy, "referral " + std::to_string(c.id) + " changed meanwhile");
            result.status_changes += static_cast<int>(*history + *booking_history);
        }
        result.purged = std::move(*due);
        if (auto r = internal::Audit(m_db, now, actor, "purge", "referrals",
                                     "referrals=" + std::to_string(result.purged.size()) +
                                         " bookings=" + std::to_string(result.bookings) +
                                         " history=" + std::to_string(result.status_changes) +
                                         " closed_before=" + UtcIso(cutoff));
            !r)
            return r.error();
        if (auto c = tx->Commit(); !c) return c.error();
    }
    if (!result.purged.empty()) {
        auto stmt = Statement::Prepare(m_db, "PRAGMA wal_checkpoint(TRUNCATE)");
        if (!stmt) return stmt.error();
        auto row = stmt->Step();
        if (!row) return row.error();
        result.checkpointed = *row && stmt->Int(0) == 0;
    }
    return result;
}

}  // namespace htk::store
