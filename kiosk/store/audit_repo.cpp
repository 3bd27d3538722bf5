// Audit log reads and appends. Joins the caller's transaction when there is one, so a change and
// its audit entry commit together or not at all.
#include "store/audit_repo.h"

namespace htk::store {

using core::Errc;
using core::Fail;
using core::Result;

Result<std::int64_t> AuditRepo::Append(const core::AuditEntry& entry) {
    if (entry.actor.empty() || entry.action.empty()) return Fail(Errc::InvalidInput, "audit entry needs an actor and an action");
    auto stmt = Statement::Prepare(m_db, "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->Bind(1, entry.at).Bind(2, entry.actor).Bind(3, entry.action).Bind(4, entry.subject).Bind(5, entry.detail);
    if (auto r = stmt->Run(); !r) return r.error();
    return m_db.LastInsertId();
}

Result<std::vector<core::AuditEntry>> AuditRepo::List(const AuditFilter& f) const {
    std::string sql = "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE 1";
    if (f.from) sql += " AND at >= ?1";
    if (f.to) sql += " AND at < ?2";
    if (!f.actor.empty()) sql += " AND actor = ?3";
    if (!f.action.empty())
        sql += f.action.back() == '.' ? " AND substr(action, 1, length(?4)) = ?4" : " AND action = ?4";
    if (!f.subject.empty()) sql += " AND subject = ?5";
    sql += " ORDER BY at DESC, id DESC LIMIT ?6";
    auto stmt = Statement::Prepare(m_db, sql);
    if (!stmt) return stmt.error();
    if (f.from) stmt->Bind(1, *f.from);
    if (f.to) stmt->Bind(2, *f.to);
    if (!f.actor.empty()) stmt->Bind(3, f.actor);
    if (!f.action.empty()) stmt->Bind(4, f.action);
    if (!f.subject.empty()) stmt->Bind(5, f.subject);
    stmt->Bind(6, f.limit > 0 ? f.limit : 1000);
    std::vector<core::AuditEntry> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back({stmt->Int(0), stmt->Int(1), stmt->Text(2), stmt->Text(3), stmt->Text(4), stmt->Text(5)});
    }
    return out;
}

}  // namespace htk::store
