// Reports as CSV, the export for the clinical system and the purge. The store reads and deletes; this
// file turns figures and rows into bytes, and never keeps a patient's details longer than one row.
#include "admin/reports.h"

#include <cstdio>
#include <initializer_list>
#include <set>
#include <utility>

#include "admin/files.h"
#include "admin/verb_util.h"
#include "store/audit_repo.h"
#include "store/settings_repo.h"

namespace htk::admin {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr core::UnixSeconds kDay = 86400;

// A '+' and digits only is a number to a spreadsheet, never a formula that calls anything, so an
// E.164 phone number is left as the clinical system needs it rather than given an apostrophe.
bool IsE164(std::string_view v) {
    if (v.size() < 8 || v.size() > 16 || v[0] != '+' || v[1] == '0') return false;
    for (const char c : v.substr(1))
        if (c < '0' || c > '9') return false;
    return true;
}

// Appends `value` as one cell, with no temporary copy: cells may hold a patient's details.
void AppendCell(std::string& out, std::string_view value) {
    const bool formula = !value.empty() && std::string_view("=+-@\t\r").find(value[0]) != std::string_view::npos &&
                         !IsE164(value);
    const bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos;
    if (quote) out += '"';
    if (formula) out += '\'';
    for (const char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    if (quote) out += '"';
}

// Appends cells to `out`, the first one without a comma before it when it starts the row.
void Cells(std::string& out, std::initializer_list<std::string_view> cells, bool starts_row = true) {
    for (const auto cell : cells) {
        if (!starts_row) out += ',';
        starts_row = false;
        AppendCell(out, cell);
    }
}

void Row(std::string& out, std::initializer_list<std::string_view> cells) {
    Cells(out, cells);
    out += "\r\n";
}

std::string Rate(double rate) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.4f", rate);
    return buf;
}

// One figure a row: the practice and the period on every row, so sheets from several practices and
// periods stack into one table.
class FigureRows {
public:
    FigureRows(std::string& out, std::string_view practice, const store::ReportFigures& f)
        : m_out(out), m_practice(practice), m_from(f.from.Iso()), m_to(f.to.Iso()) {}

    void Add(std::string_view section, std::string_view week, std::string_view key, std::string_view value) {
        Cells(m_out, {m_practice, m_from, m_to, section, week, key, value});
        m_out += "\r\n";
    }
    void Add(std::string_view section, std::string_view week, std::string_view key, int value) {
        Add(section, week, key, std::to_string(value));
    }

    // Every reason and route of the domain, zeros included, so each week has the same rows in a pivot table.
    void Week(std::string_view week, const store::WeekFigures& w) {
        Add("requests", week, "all", w.requests);
        for (const auto reason : core::AllReasons()) {
            const auto it = w.by_reason.find(reason);
            Add("reason", week, core::Key(reason), it == w.by_reason.end() ? 0 : it->second);
        }
        for (const auto& [language, n] : w.by_language) Add("language", week, language, n);
        for (const auto route : core::AllRoutes()) {
            const auto it = w.by_route.find(route);
            Add("route", week, core::Key(route), it == w.by_route.end() ? 0 : it->second);
        }
    }

private:
    std::string& m_out;
    std::string_view m_practice;
    std::string m_from;
    std::string m_to;
};

}  // namespace

// ---- reports --------------------------------------------------------------------------------------

DateRange DefaultReportRange(core::LocalDate today) {
    const auto monday = today.AddDays(-today.Weekday());
    return {monday.AddDays(-28), today.AddDays(1)};
}

std::string CsvCell(std::string_view value) {
    std::string cell;
    AppendCell(cell, value);
    return cell;
}

std::string ReportCsv(const store::ReportFigures& f, std::string_view practice) {
    std::string out(kBom);
    Row(out, {"practice", "from", "to", "section", "week", "key", "value"});
    FigureRows rows(out, practice, f);
    for (const auto& w : f.weeks) rows.Week(w.monday.Iso(), w);
    rows.Week("total", f.total);
    for (const auto status : core::AllBookingStatuses()) rows.Add("bookings", "total", core::Key(status), f.Bookings(status));
    rows.Add("funnel", "total", "requests", f.funnel_requests);
    rows.Add("funnel", "total", "booked", f.funnel_booked);
    rows.Add("funnel", "total", "attended", f.funnel_attended);
    const auto rate = f.DidNotAttendRate();
    rows.Add("did_not_attend_rate", "total", "rate", rate ? Rate(*rate) : "");
    for (const auto& [language, n] : f.interpreter_by_language) rows.Add("interpreter", "total", language, n);
    return out;
}

// ---- export ---------------------------------------------------------------------------------------

Result<ExportSummary> ExportRequests(store::Database& db, const core::TimeZone& zone, const ExportOptions& o,
                                     std::string_view actor, core::UnixSeconds now) {
    const bool identifying = o.identifying != nullptr;
    if (identifying && o.identifying->Role() != store::StaffRole::Manager)
        return Fail(Errc::Forbidden, "only a manager may export names and contact details");
    if (o.from && o.to && *o.to <= *o.from)
        return Fail(Errc::InvalidInput, "the export's end (" + o.to->Iso() + ") must be after its start (" + o.from->Iso() + ")");
    const auto name = o.file.filename().string();
    std::error_code ec;
    if (name.empty() || name == "." || name == ".." || std::filesystem::is_directory(o.file, ec))
        return Fail(Errc::InvalidInput, o.file.string() + " is a directory; give the export a file name");

    auto file = StagedFile::Create(o.file, 0600);
    if (!file) return file.error();
    std::string header(kBom);
    Cells(header, {"reference", "created", "status", "route", "reasons", "language", "interpreter", "waiting_list",
                   "contact", "best_times", "booking_trainer", "booking_start", "booking_status"});
    if (identifying) Cells(header, {"name", "date_of_birth", "phone", "email", "address", "note"}, false);
    header += "\r\n";
    if (auto r = file->Append(header); !r) return r.error();

    store::ExportFilter filter;
    if (o.from) filter.from = core::LocalDayStart(zone, *o.from);
    if (o.to) filter.to = core::LocalDayStart(zone, *o.to);
    filter.status = o.status;
    int written = 0;
    auto rows = store::ReportRepo(db).ForEachRequest(filter, identifying, [&](const store::ExportRow& row) -> Result<void> {
        const auto& r = row.referral;
        const auto* b = row.booking ? &*row.booking : nullptr;
        std::string line;
        line.reserve(1024);  // grown in place: fewer freed copies of a patient's details
        Cells(line, {r.reference, LocalIso(r.created_at, zone), core::Key(r.status), core::Key(r.route),
                     Join(Keys(r.reasons), ","), r.preferred_language, r.interpreter ? "yes" : "no",
                     r.waiting_list ? "yes" : "no", core::Key(r.contact), Join(Keys(r.best_times), ","),
                     b ? row.trainer_name : "", b ? LocalIso(b->slot.start, zone) : "", b ? core::Key(b->status) : ""});
        if (identifying) {
            auto details = store::Open(row.sealed, *o.identifying);
            if (!details) return details.error();
            Cells(line, {details->name, details->date_of_birth ? details->date_of_birth->Iso() : "", details->phone,
                         details->email, details->address, details->note},
                  false);
            core::Wipe(*details);
        }
        line += "\r\n";
        auto appended = file->Append(line);
        core::Wipe(line);
        if (!appended) return appended;
        ++written;
        if (o.progress) o.progress(written);
        return {};
    });
    if (!rows) return rows.error();
    if (auto r = file->Sync(); !r) return r.error();
    // Recorded before the file takes its name: an export nobody can find is better than one nobody logged.
    const core::AuditEntry entry{0, now, std::string(actor), "export", name,
                                 "rows=" + std::to_string(*rows) + " identifying=" + (identifying ? "yes" : "no")};
    if (auto r = store::AuditRepo(db).Append(entry); !r) return r.error();
    if (auto r = file->Commit(); !r) return r.error();
    return ExportSummary{*rows, identifying};
}

// ---- purge ----------------------------------------------------------------------------------------

Result<PurgeOutcome> PurgeClosed(store::Database& db, const PurgeOptions& o, std::string_view actor, core::UnixSeconds now) {
    PurgeOutcome out;
    if (o.older_than_days) {
        out.older_than_days = *o.older_than_days;
    } else {
        auto settings = store::SettingsRepo(db).Get();
        if (!settings) return settings.error();
        out.older_than_days = settings->retention_days;
    }
    if (out.older_than_days < 1 || out.older_than_days > 36500)
        return Fail(Errc::InvalidInput, "--older-than must be 1 to 36500 days, not " + std::to_string(out.older_than_days));
    out.cutoff = now - out.older_than_days * kDay;
    if (o.dry_run) {
        auto due = store::RetentionRepo(db).Due(out.cutoff);
        if (!due) return due.error();
        out.result.purged = std::move(*due);
        return out;
    }
    auto purged = store::RetentionRepo(db).Purge(out.cutoff, actor, now);
    if (!purged) return purged.error();
    out.result = std::move(*purged);
    return out;
}

}  // namespace htk::admin
