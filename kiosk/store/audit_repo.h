// The audit log: appended to inside the same transaction as the change it records; never updated
// or deleted (the schema's triggers refuse both). Entries hold ids and codes, never patient data.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/audit.h"
#include "core/result.h"
#include "store/database.h"

namespace htk::store {

struct AuditFilter {
    std::optional<core::UnixSeconds> from;  // inclusive
    std::optional<core::UnixSeconds> to;    // exclusive
    std::string actor;                      // exact match when not empty
    std::string action;                     // exact match, or a prefix when it ends in '.' ("referral.")
    std::string subject;                    // exact match when not empty
    int limit = 1000;                       // newest first
};

class AuditRepo {
public:
    explicit AuditRepo(Database& db) : m_db(db) {}
    core::Result<std::int64_t> Append(const core::AuditEntry& entry);  // entry.id is ignored
    core::Result<std::vector<core::AuditEntry>> List(const AuditFilter& filter = {}) const;

private:
    Database& m_db;
};

}  // namespace htk::store
