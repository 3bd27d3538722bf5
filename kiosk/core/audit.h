// The audit trail: who did what, when, to which record. Never holds what identifies a patient.
#pragma once
#include <cstdint>
#include <string>

#include "core/time.h"

namespace htk::core {

struct AuditEntry {
    std::int64_t id = 0;
    UnixSeconds at = 0;
    std::string actor;    // "kiosk:<id>", "staff:<name>", "admin-cli"
    std::string action;   // "referral.create", "booking.status", "sealed.reveal", "export", ...
    std::string subject;  // "referral:12", "booking:7", a file name for an export
    std::string detail;   // e.g. "new->contacted"; ids and codes only
};

}  // namespace htk::core
