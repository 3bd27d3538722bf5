// A manager's reports, the export for re-keying into the clinical system and the retention purge, as
// a library: `ht-admin reports|export|purge` and the desk app call these and only lay out the results.
#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/referral.h"
#include "core/result.h"
#include "core/time.h"
#include "store/database.h"
#include "store/report_repo.h"
#include "store/retention_repo.h"
#include "store/sealing.h"

namespace htk::admin {

// ---- reports --------------------------------------------------------------------------------------

struct DateRange {
    core::LocalDate from;
    core::LocalDate to;  // exclusive
};

// The four complete weeks (Monday to Sunday) before today's week, and today's week up to today.
DateRange DefaultReportRange(core::LocalDate today);

// The figures as CSV for a commissioner's spreadsheet, in long format: one row per figure with the
// columns practice, from, to, section, week, key, value (README.md, "Report CSV"). UTF-8 with BOM, CRLF.
std::string ReportCsv(const store::ReportFigures& figures, std::string_view practice);

// ---- export ---------------------------------------------------------------------------------------

struct ExportOptions {
    std::filesystem::path file;                     // written whole or not at all, mode 0600
    std::optional<core::LocalDate> from;            // requests created on or after this local date
    std::optional<core::LocalDate> to;              // ...and before this one
    std::optional<core::ReferralStatus> status;
    const store::UnlockedKey* identifying = nullptr;  // a manager's key: adds name, date_of_birth, phone, email, address, note
    std::function<void(int rows)> progress;         // after each row, inside the read transaction (a progress bar)
};

struct ExportSummary {
    int rows = 0;
    bool identifying = false;
};

// Reads the requests in one snapshot (a kiosk's write never waits for it), writes the CSV (README.md,
// "Export columns") through a temp file beside `file`, records "export" in the audit log, then moves
// the file into place. Forbidden when `identifying` is not a manager's key. A failure leaves no file;
// only a rename failing after the audit entry leaves that entry (an attempt recorded, never hidden).
core::Result<ExportSummary> ExportRequests(store::Database& db, const core::TimeZone& zone, const ExportOptions& options,
                                           std::string_view actor, core::UnixSeconds now);

// One CSV cell: RFC 4180 quoting, and a cell a spreadsheet would run as a formula (= + - @ TAB CR
// first) is prefixed with an apostrophe, except an E.164 number such as +447700900123.
std::string CsvCell(std::string_view value);

// ---- purge ----------------------------------------------------------------------------------------

struct PurgeOptions {
    std::optional<int> older_than_days;  // default: the practice's retention_days
    bool dry_run = false;                // list what would go; change nothing
};

struct PurgeOutcome {
    int older_than_days = 0;
    core::UnixSeconds cutoff = 0;  // closed or cancelled before this instant
    store::PurgeResult result;     // with dry_run only `purged` is filled: what would go
};

// Removes requests closed or cancelled more than the given days ago (default: the practice's
// retention), with their bookings and histories, and audits "purge"; open requests are never touched.
core::Result<PurgeOutcome> PurgeClosed(store::Database& db, const PurgeOptions& options, std::string_view actor,
                                       core::UnixSeconds now);

}  // namespace htk::admin
