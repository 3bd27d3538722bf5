// The manager's verbs of ht-admin: reports show, export and purge. Each parses its options, calls
// admin/reports.h (which the desk app calls too) and lays the result out as text or --json.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <ostream>
#include <type_traits>
#include <vector>

#include "admin/files.h"
#include "admin/json.h"
#include "admin/reports.h"
#include "admin/verb_util.h"
#include "admin/verbs.h"
#include "store/settings_repo.h"

namespace htk::admin {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

constexpr std::string_view kStatuses = "new, contacted, booked, closed or cancelled";

std::string Percent(double rate) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f%%", rate * 100);
    return buf;
}

std::string Pad(std::string_view text, std::size_t width, bool right) {
    const std::size_t n = text.size() < width ? width - text.size() : 0;
    return right ? std::string(n, ' ') + std::string(text) : std::string(text) + std::string(n, ' ');
}

template <class K>
int CountOf(const std::map<K, int>& m, const K& key) {
    const auto it = m.find(key);
    return it == m.end() ? 0 : it->second;
}

template <class K>
std::string JsonCounts(const std::map<K, int>& m) {
    JsonObject j;
    for (const auto& [key, n] : m) {
        if constexpr (std::is_same_v<K, std::string>) j.Add(key, n);
        else j.Add(core::Key(key), n);
    }
    return j.Str();
}

std::string WeekJson(const store::WeekFigures& w, bool with_week) {
    JsonObject j;
    if (with_week) j.Add("week", w.monday.Iso());
    return j.Add("days", w.days)
        .Add("requests", w.requests)
        .AddRaw("reasons", JsonCounts(w.by_reason))
        .AddRaw("languages", JsonCounts(w.by_language))
        .AddRaw("routes", JsonCounts(w.by_route))
        .Str();
}

}  // namespace

std::string ReportJson(const store::ReportFigures& f, const store::PracticeSettings& practice) {
    std::vector<std::string> weeks;
    for (const auto& w : f.weeks) weeks.push_back(WeekJson(w, true));
    JsonObject bookings;
    for (const auto status : core::AllBookingStatuses()) bookings.Add(core::Key(status), f.Bookings(status));
    JsonObject j;
    j.Add("practice", practice.name)
        .Add("time_zone", practice.time_zone)
        .Add("from", f.from.Iso())
        .Add("to", f.to.Iso())
        .AddRaw("weeks", JsonArray(weeks))
        .AddRaw("total", WeekJson(f.total, false))
        .AddRaw("bookings", bookings.Str())
        .AddRaw("funnel", JsonObject()
                              .Add("requests", f.funnel_requests)
                              .Add("booked", f.funnel_booked)
                              .Add("attended", f.funnel_attended)
                              .Str());
    if (const auto rate = f.DidNotAttendRate()) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%.4f", *rate);
        j.AddRaw("did_not_attend_rate", buf);
    } else {
        j.AddNull("did_not_attend_rate");
    }
    return j.AddRaw("interpreter", JsonCounts(f.interpreter_by_language)).Str();
}

namespace {

// Weeks across, figures down: five weeks and a total fit a terminal, nine reasons would not.
class WeekTable {
public:
    WeekTable(std::ostream& out, const store::ReportFigures& f) : m_out(out), m_f(f) {}

    void Head(std::string_view title) {
        m_out << Pad(title, kLabel, false);
        for (const auto& w : m_f.weeks) m_out << "  " << w.monday.Iso();
        m_out << "  " << Pad("total", kCell, true) << "\n";
    }
    template <class Get>
    void Line(std::string_view label, Get get) {
        m_out << Pad(label, kLabel, false);
        for (const auto& w : m_f.weeks) m_out << "  " << Pad(std::to_string(get(w)), kCell, true);
        m_out << "  " << Pad(std::to_string(get(m_f.total)), kCell, true) << "\n";
    }

private:
    static constexpr std::size_t kLabel = 24;
    static constexpr std::size_t kCell = 10;
    std::ostream& m_out;
    const store::ReportFigures& m_f;
};

}  // namespace

void PrintReport(std::ostream& out, const store::ReportFigures& f, const store::PracticeSettings& practice) {
    out << practice.name << ": " << f.from.Iso() << " to " << f.to.AddDays(-1).Iso() << " (" << f.total.days
        << " days, " << practice.time_zone << ")\n\n";
    WeekTable table(out, f);
    table.Head("Requests, week from");
    table.Line("all requests", [](const store::WeekFigures& w) { return w.requests; });
    out << "By reason (a request with two reasons counts under both)\n";
    for (const auto reason : core::AllReasons())
        if (CountOf(f.total.by_reason, reason) > 0)
            table.Line("  " + std::string(core::Key(reason)),
                       [&](const store::WeekFigures& w) { return CountOf(w.by_reason, reason); });
    out << "By language\n";
    for (const auto& [language, n] : f.total.by_language)
        table.Line("  " + language, [&](const store::WeekFigures& w) { return CountOf(w.by_language, language); });
    out << "By route\n";
    for (const auto route : core::AllRoutes())
        if (CountOf(f.total.by_route, route) > 0)
            table.Line("  " + std::string(core::Key(route)),
                       [&](const store::WeekFigures& w) { return CountOf(w.by_route, route); });

    out << "\nBookings by status (slots in the range)\n";
    for (const auto status : core::AllBookingStatuses())
        out << "  " << Pad(core::Key(status), 22, false) << Pad(std::to_string(f.Bookings(status)), 6, true) << "\n";
    out << "Requests of the range that were booked, and attended\n"
        << "  " << Pad("requests", 22, false) << Pad(std::to_string(f.funnel_requests), 6, true) << "\n"
        << "  " << Pad("booked", 22, false) << Pad(std::to_string(f.funnel_booked), 6, true) << "\n"
        << "  " << Pad("attended", 22, false) << Pad(std::to_string(f.funnel_attended), 6, true) << "\n";
    const int dna = f.Bookings(core::BookingStatus::DidNotAttend);
    const int outcomes = dna + f.Bookings(core::BookingStatus::Attended);
    if (const auto rate = f.DidNotAttendRate())
        out << "Did not attend: " << Percent(*rate) << " (" << dna << " of " << outcomes << " bookings with an outcome)\n";
    else
        out << "Did not attend: none to report (no booking in the range has an outcome yet)\n";
    out << "Interpreter asked for, by language" << (f.interpreter_by_language.empty() ? ": none" : "") << "\n";
    for (const auto& [language, n] : f.interpreter_by_language)
        out << "  " << Pad(language, 22, false) << Pad(std::to_string(n), 6, true) << "\n";
}


// ---- reports --------------------------------------------------------------------------------------

Result<void> VerbReportsShow(Session& s) {
    auto from = DateOption(s, "from");
    if (!from) return from.error();
    auto to = DateOption(s, "to");
    if (!to) return to.error();
    auto zone = s.Zone();
    if (!zone) return zone.error();
    auto db = s.Db();
    if (!db) return db.error();
    auto practice = store::SettingsRepo(**db).Get();
    if (!practice) return practice.error();
    const auto range = DefaultReportRange((*zone)->ToLocal(s.env.now()).date);
    auto figures = store::ReportRepo(**db).Figures(from->value_or(range.from), to->value_or(range.to), **zone);
    if (!figures) return figures.error();
    const auto csv = s.args.Option("csv");
    if (csv)
        if (auto w = WriteFileAtomic(*csv, ReportCsv(*figures, practice->name), 0644); !w) return w.error();
    if (s.json) {
        s.env.out << ReportJson(*figures, *practice) << "\n";
        return {};
    }
    PrintReport(s.env.out, *figures, *practice);
    if (csv) s.env.out << "\nThe same figures are in " << *csv << " (CSV).\n";
    return {};
}

// ---- export ---------------------------------------------------------------------------------------

Result<void> VerbExport(Session& s) {
    const auto file = s.args.Option("csv");
    if (!file || file->empty()) return Fail(Errc::InvalidInput, "--csv FILE is required (where to write the export)");
    ExportOptions o;
    o.file = *file;
    auto from = DateOption(s, "from");
    if (!from) return from.error();
    o.from = *from;
    auto to = DateOption(s, "to");
    if (!to) return to.error();
    o.to = *to;
    if (auto v = s.args.Option("status")) {
        o.status = core::ParseReferralStatus(*v);
        if (!o.status) return Fail(Errc::InvalidInput, "--status must be " + std::string(kStatuses) + ", not '" + *v + "'");
    }
    if (s.args.Flag("identifying")) o.identifying = &s.Key();
    auto zone = s.Zone();
    if (!zone) return zone.error();
    auto db = s.Db();
    if (!db) return db.error();
    auto done = ExportRequests(**db, **zone, o, s.actor, s.env.now());
    if (!done) return done.error();
    if (s.json) {
        s.env.out << JsonObject().Add("file", *file).Add("rows", done->rows).Add("identifying", done->identifying).Str() << "\n";
        return {};
    }
    s.env.out << "Exported " << done->rows << (done->rows == 1 ? " request" : " requests") << " to " << *file
              << (done->identifying ? " with names and contact details (0600; recorded in the audit log).\n"
                                    : " without names or contact details (recorded in the audit log).\n");
    return {};
}

// ---- purge ----------------------------------------------------------------------------------------

Result<void> VerbPurge(Session& s) {
    PurgeOptions o;
    o.dry_run = s.args.Flag("dry-run");
    if (auto v = s.args.Option("older-than")) {
        int days = 0;
        const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), days);
        if (ec != std::errc{} || end != v->data() + v->size() || days < 1 || days > 36500)
            return Fail(Errc::InvalidInput, "--older-than must be a number of days from 1 to 36500, not '" + *v + "'");
        o.older_than_days = days;
    }
    auto zone = s.Zone();
    if (!zone) return zone.error();
    auto db = s.Db();
    if (!db) return db.error();
    auto done = PurgeClosed(**db, o, s.actor, s.env.now());
    if (!done) return done.error();
    const auto& purged = done->result.purged;
    const auto cutoff = Local(done->cutoff, **zone);
    if (s.json) {
        std::vector<std::string> items;
        for (const auto& c : purged)
            items.push_back(JsonObject()
                                .Add("reference", c.reference)
                                .Add("status", core::Key(c.status))
                                .Add("closed", (*zone)->ToLocal(c.closed_at).date.Iso())
                                .Str());
        JsonObject j;
        j.Add("dry_run", o.dry_run).Add("older_than_days", done->older_than_days).Add("closed_before", cutoff)
            .AddRaw("requests", JsonArray(items));
        if (!o.dry_run)
            j.Add("bookings", done->result.bookings).Add("history", done->result.status_changes)
                .Add("checkpointed", done->result.checkpointed);
        s.env.out << j.Str() << "\n";
        return {};
    }
    auto& out = s.env.out;
    const std::string rule = "closed or cancelled before " + cutoff + " (" + std::to_string(done->older_than_days) + " days ago)";
    if (purged.empty()) {
        out << "Nothing to remove: no request was " << rule << ".\n";
        return {};
    }
    if (o.dry_run)
        out << "Would remove " << purged.size() << (purged.size() == 1 ? " request " : " requests ") << rule
            << ", with their bookings and history (--dry-run: nothing was changed):\n";
    else
        out << "Removed " << purged.size() << (purged.size() == 1 ? " request " : " requests ") << rule << ", with "
            << done->result.bookings << (done->result.bookings == 1 ? " booking" : " bookings") << " and "
            << done->result.status_changes << " history entries:\n";
    for (const auto& c : purged)
        out << "  " << c.reference << "  " << Pad(core::Key(c.status), 9, false) << "  "
            << (*zone)->ToLocal(c.closed_at).date.Iso() << "\n";
    if (!o.dry_run && !done->result.checkpointed)
        out << "(Another program is reading the database: the removed bytes leave its write-ahead log at the next checkpoint.)\n";
    return {};
}

}  // namespace htk::admin
