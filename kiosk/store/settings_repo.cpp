// The practice row. Validation mirrors the schema's CHECKs so that staff get a sentence, not a
// constraint name.
#include "store/settings_repo.h"

#include <cstring>

namespace htk::store {

using core::Errc;
using core::Fail;
using core::Result;

Result<PracticeSettings> SettingsRepo::Get() const {
    auto stmt = Statement::Prepare(m_db,
                                   "SELECT name, time_zone, public_key, session_minutes, interval_minutes, "
                                   "min_notice_minutes, horizon_days, retention_days FROM practice WHERE id = 1");
    if (!stmt) return stmt.error();
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return Fail(Errc::NotFound, m_db.Path() + ": the practice is not set up (run ht-admin init)");
    PracticeSettings s;
    s.name = stmt->Text(0);
    s.time_zone = stmt->Text(1);
    if (!stmt->IsNull(2)) {
        const auto blob = stmt->Blob(2);
        PublicKey key{};
        if (blob.size() != key.size()) return Fail(Errc::NotADatabase, m_db.Path() + ": the stored public key is damaged");
        std::memcpy(key.data(), blob.data(), key.size());
        s.public_key = key;
    }
    s.rules.session_minutes = static_cast<int>(stmt->Int(3));
    s.rules.interval_minutes = static_cast<int>(stmt->Int(4));
    s.rules.min_notice_minutes = static_cast<int>(stmt->Int(5));
    s.rules.horizon_days = static_cast<int>(stmt->Int(6));
    s.retention_days = static_cast<int>(stmt->Int(7));
    return s;
}

Result<void> SettingsRepo::Save(const PracticeSettings& s) {
    if (s.name.empty() || s.name.size() > 200) return Fail(Errc::InvalidInput, "practice name must be 1 to 200 characters");
    if (s.time_zone.empty() || s.time_zone.size() > 64) return Fail(Errc::InvalidInput, "time zone id is missing");
    if (auto r = core::Validate(s.rules); !r) return r;
    if (s.retention_days < 1 || s.retention_days > 36500) return Fail(Errc::InvalidInput, "retention must be 1 to 36500 days");
    auto stmt = Statement::Prepare(
        m_db,
        "INSERT INTO practice (id, name, time_zone, session_minutes, interval_minutes, min_notice_minutes, "
        "horizon_days, retention_days) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7) "
        "ON CONFLICT (id) DO UPDATE SET name = ?1, time_zone = ?2, session_minutes = ?3, interval_minutes = ?4, "
        "min_notice_minutes = ?5, horizon_days = ?6, retention_days = ?7");
    if (!stmt) return stmt.error();
    stmt->Bind(1, s.name)
        .Bind(2, s.time_zone)
        .Bind(3, s.rules.session_minutes)
        .Bind(4, s.rules.interval_minutes)
        .Bind(5, s.rules.min_notice_minutes)
        .Bind(6, s.rules.horizon_days)
        .Bind(7, s.retention_days);
    return stmt->Run();
}

Result<void> SettingsRepo::SetRules(const core::SlotRules& rules) {
    if (auto r = core::Validate(rules); !r) return r;
    auto stmt = Statement::Prepare(m_db,
                                   "UPDATE practice SET session_minutes = ?, interval_minutes = ?, "
                                   "min_notice_minutes = ?, horizon_days = ? WHERE id = 1");
    if (!stmt) return stmt.error();
    stmt->Bind(1, rules.session_minutes).Bind(2, rules.interval_minutes).Bind(3, rules.min_notice_minutes).Bind(4, rules.horizon_days);
    if (auto r = stmt->Run(); !r) return r;
    if (m_db.Changes() == 0) return Fail(Errc::NotFound, m_db.Path() + ": the practice is not set up (run ht-admin init)");
    return {};
}

Result<core::SlotRules> SettingsRepo::Rules() const {
    auto s = Get();
    if (s) return s->rules;
    if (s.error().code == Errc::NotFound) return core::SlotRules{};
    return s.error();
}

Result<std::optional<core::UnixSeconds>> SettingsRepo::SharedSince() const {
    auto stmt = Statement::Prepare(m_db, "SELECT shared_since FROM practice WHERE id = 1");
    if (!stmt) return stmt.error();
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row || stmt->IsNull(0)) return std::optional<core::UnixSeconds>();
    return std::optional<core::UnixSeconds>(stmt->Int(0));
}

Result<void> SettingsRepo::MarkShared(core::UnixSeconds now) {
    auto stmt = Statement::Prepare(m_db, "UPDATE practice SET shared_since = coalesce(shared_since, ?) WHERE id = 1");
    if (!stmt) return stmt.error();
    stmt->Bind(1, now);
    if (auto r = stmt->Run(); !r) return r;
    if (m_db.Changes() == 0) return Fail(Errc::NotFound, m_db.Path() + ": the practice is not set up (run ht-admin init)");
    return {};
}

}  // namespace htk::store
