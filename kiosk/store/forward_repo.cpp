// forward_queue rows (migration v4) and the local copies they stand for.
#include "store/forward_repo.h"

#include <array>
#include <cstdint>
#include <cstdio>

#include "core/reference.h"
#include "store/internal.h"

namespace htk::store {

using core::Errc;
using core::Fail;
using core::Result;

std::string NewUuid() {
    std::array<std::uint8_t, 16> b{};
    RandomBytes(b);
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
    char out[37];
    std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                  b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return out;
}

Result<Outgoing> MakeOutgoing(const core::Referral& r, const PublicKey& key, core::UnixSeconds now) {
    if (r.reasons.empty() || r.consent_version.empty() || r.preferred_language.size() < 2)
        return Fail(Errc::InvalidInput, "a request needs reasons, a language and the consent version");
    auto sealed = Seal(r.patient, key);
    if (!sealed) return sealed.error();
    std::array<std::uint8_t, core::kReferenceDataLength> bytes{};
    RandomBytes(bytes);
    Outgoing o;
    o.uid = NewUuid();
    o.reference = core::MakeReference(bytes);
    o.route = core::Key(r.route);
    o.reasons = internal::JoinKeys(r.reasons);
    o.language = r.preferred_language;
    o.interpreter = r.interpreter;
    o.waiting_list = r.waiting_list;
    o.contact = core::Key(r.contact);
    o.best_times = internal::JoinKeys(r.best_times);
    o.consent_version = r.consent_version;
    o.created_at = now;
    o.sealed = std::move(*sealed);
    return o;
}

Result<std::string> ForwardRepo::Enqueue(core::ReferralId id, core::UnixSeconds now) {
    auto stmt = Statement::Prepare(m_db, "INSERT INTO forward_queue (referral_id, uid, queued_at, next_at) VALUES (?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    std::string uid = NewUuid();
    stmt->Bind(1, id).Bind(2, uid).Bind(3, now).Bind(4, now);
    if (auto r = stmt->Run(); !r) return r.error();
    return uid;
}

Result<std::vector<Outgoing>> ForwardRepo::Due(core::UnixSeconds now, int limit) const {
    auto stmt = Statement::Prepare(
        m_db,
        "SELECT r.id, q.uid, r.reference, r.route, r.reasons, r.language, r.interpreter, r.waiting_list, r.contact, "
        "r.best_times, r.consent_version, r.created_at, r.sealed, q.attempts FROM forward_queue q "
        "JOIN referrals r ON r.id = q.referral_id WHERE q.rejected IS NULL AND q.next_at <= ? "
        "ORDER BY q.referral_id LIMIT ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, now).Bind(2, limit);
    std::vector<Outgoing> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) return out;
        Outgoing o;
        o.id = stmt->Int(0);
        o.uid = stmt->Text(1);
        o.reference = stmt->Text(2);
        o.route = stmt->Text(3);
        o.reasons = stmt->Text(4);
        o.language = stmt->Text(5);
        o.interpreter = stmt->Int(6) != 0;
        o.waiting_list = stmt->Int(7) != 0;
        o.contact = stmt->Text(8);
        o.best_times = stmt->Text(9);
        o.consent_version = stmt->Text(10);
        o.created_at = stmt->Int(11);
        o.sealed = stmt->Blob(12);
        o.attempts = static_cast<int>(stmt->Int(13));
        out.push_back(std::move(o));
    }
}

Result<void> ForwardRepo::Confirm(std::span<const core::ReferralId> ids, std::string_view actor, core::UnixSeconds now) {
    if (ids.empty()) return {};
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto stmt = Statement::Prepare(m_db, "DELETE FROM referrals WHERE id = ? AND id IN (SELECT referral_id FROM forward_queue)");
    if (!stmt) return stmt.error();
    for (core::ReferralId id : ids) {
        stmt->Reset();
        stmt->Bind(1, id);
        if (auto r = stmt->Run(); !r) return r;
        if (m_db.Changes() == 1)
            if (auto r = internal::Audit(m_db, now, actor, "referral.forwarded", internal::ReferralSubject(id), ""); !r) return r;
    }
    return tx->Commit();
}

Result<void> ForwardRepo::Postpone(std::span<const core::ReferralId> ids, core::UnixSeconds next_at) {
    if (ids.empty()) return {};
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto stmt = Statement::Prepare(m_db, "UPDATE forward_queue SET attempts = attempts + 1, next_at = ? WHERE referral_id = ?");
    if (!stmt) return stmt.error();
    for (core::ReferralId id : ids) {
        stmt->Reset();
        stmt->Bind(1, next_at).Bind(2, id);
        if (auto r = stmt->Run(); !r) return r;
    }
    return tx->Commit();
}

Result<void> ForwardRepo::Reject(core::ReferralId id, std::string_view why, std::string_view actor, core::UnixSeconds now) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto stmt = Statement::Prepare(m_db, "UPDATE forward_queue SET attempts = attempts + 1, rejected = ? WHERE referral_id = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, why.empty() ? std::string_view("rejected") : why).Bind(2, id);
    if (auto r = stmt->Run(); !r) return r;
    if (m_db.Changes() != 1) return Fail(Errc::NotFound, "referral " + std::to_string(id) + " is not queued");
    if (auto r = internal::Audit(m_db, now, actor, "referral.forward_rejected", internal::ReferralSubject(id), why); !r) return r;
    return tx->Commit();
}

Result<Backlog> ForwardRepo::Count() const {
    auto stmt = Statement::Prepare(m_db,
                                   "SELECT count(*) FILTER (WHERE q.rejected IS NULL), count(*) FILTER (WHERE q.rejected IS NOT NULL), "
                                   "min(r.created_at) FILTER (WHERE q.rejected IS NULL) FROM forward_queue q "
                                   "JOIN referrals r ON r.id = q.referral_id");
    if (!stmt) return stmt.error();
    auto row = stmt->Step();
    if (!row) return row.error();
    Backlog out;
    if (!*row) return out;
    out.pending = static_cast<int>(stmt->Int(0));
    out.rejected = static_cast<int>(stmt->Int(1));
    if (!stmt->IsNull(2)) out.oldest = stmt->Int(2);
    return out;
}

Result<std::optional<std::string>> ForwardRepo::Queued(core::ReferralId id) const {
    auto stmt = Statement::Prepare(m_db, "SELECT coalesce(rejected, '') FROM forward_queue WHERE referral_id = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>(stmt->Text(0));
}

}  // namespace htk::store
