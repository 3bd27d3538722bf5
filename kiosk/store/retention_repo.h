// Retention: requests closed or cancelled longer ago than the practice keeps them are removed with
// everything that hangs off them. Open requests are never touched, whatever their age.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/referral.h"
#include "core/result.h"
#include "core/time.h"
#include "store/database.h"

namespace htk::store {

// A request whose closure is older than the cutoff. Closure: the time of its last change to closed
// or cancelled in referral_status_history; a closed request without that row is never due.
struct PurgeCandidate {
    core::ReferralId id = 0;
    std::string reference;
    core::ReferralStatus status = core::ReferralStatus::Closed;
    core::UnixSeconds closed_at = 0;
};

struct PurgeResult {
    std::vector<PurgeCandidate> purged;  // oldest closure first
    int bookings = 0;                    // booking rows removed with them (their history cascades)
    int status_changes = 0;              // referral and booking history rows removed
    bool checkpointed = false;           // the WAL was folded back and truncated afterwards
};

class RetentionRepo {
public:
    explicit RetentionRepo(Database& db) : m_db(db) {}

    // Requests closed or cancelled before `cutoff`, oldest closure first. Reads only.
    core::Result<std::vector<PurgeCandidate>> Due(core::UnixSeconds cutoff) const;

    // Removes what Due(cutoff) lists, with their bookings, histories and anything else that cascades
    // from referrals, in one IMMEDIATE transaction with secure_delete on (freed pages are zeroed, so
    // sealed bytes do not linger in the file), and appends "purge" with the counts to the audit log.
    // Then checkpoints the WAL (TRUNCATE) so the overwritten pages reach the main file; a reader
    // still open may leave that for the next checkpoint (checkpointed = false).
    core::Result<PurgeResult> Purge(core::UnixSeconds cutoff, std::string_view actor, core::UnixSeconds now);

private:
    Database& m_db;
};

}  // namespace htk::store
