// ht-admin db: set up and watch the shared PostgreSQL database (issue 9). Each verb connects with
// --server (a libpq connection string; a service name keeps passwords out of shell history) as a
// login that may do what it asks; the server's own privileges decide, not this tool.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <ostream>
#include <span>
#include <vector>

#include "admin/json.h"
#include "admin/reports.h"
#include "admin/kiosk_contacts.h"
#include "admin/verb_util.h"
#include "admin/verbs.h"
#include "store/audit_repo.h"
#include "store/pg/connection.h"
#include "store/pg/desk_store.h"
#include "store/pg/forwarder.h"
#include "store/pg/publish.h"
#include "store/pg/reports.h"
#include "store/pg/requests.h"
#include "store/pg/schema.h"

namespace htk::admin {

using core::Errc;
using core::Fail;
using core::Result;
namespace pg = store::pg;

namespace {

Result<pg::Connection> Connect(const Session& s) {
    auto server = Required(s, "server", "a libpq connection string, e.g. \"service=htk\" or postgresql://host/db");
    if (!server) return server.error();
    return pg::Connection::Open(*server, "ht-admin");
}

// Connect, then refuse a server whose schema is older or newer than this release (what to do is in the error).
Result<pg::Connection> ConnectToSchema(const Session& s) {
    auto db = Connect(s);
    if (!db) return db.error();
    if (auto v = pg::CheckSchema(*db); !v) return v.error();
    return db;
}

// Runs the GRANT that makes `login` a member of `group`; the identifier is quoted by the server (%I).
Result<void> GrantGroup(pg::Connection& db, std::string_view group, const std::string& login) {
    auto exists = db.Query("SELECT 1 FROM pg_roles WHERE rolname = $1", {pg::Text(login)});
    if (!exists) return exists.error();
    if (exists->Count() == 0)
        return Fail(Errc::NotFound, "no login role '" + login + "' on the server: create it first (CREATE ROLE ... LOGIN)");
    auto sql = db.Query("SELECT format('GRANT %I TO %I', $1::text, $2::text)", {pg::Text(group), pg::Text(login)});
    if (!sql) return sql.error();
    return db.Exec(sql->Text(0, 0));
}

// Registers a machine's login (`insert` with `params`) and makes it a member of `group`, in one transaction.
Result<void> Register(pg::Connection& db, std::string_view insert, std::span<const pg::Param> params, std::string_view group,
                      const std::string& login) {
    if (auto v = pg::CheckSchema(db); !v) return v.error();
    if (auto r = db.Exec("BEGIN"); !r) return r;
    auto registered = [&]() -> Result<void> {
        if (auto added = db.Query(insert, params); !added) return added.error();
        return GrantGroup(db, group, login);
    }();
    if (!registered) {
        (void)db.Exec("ROLLBACK");
        return registered;
    }
    return db.Exec("COMMIT");
}

Result<std::int64_t> PracticeOption(const Session& s) {
    auto v = Required(s, "practice", "the practice's id on the server, from 'ht-admin db init --practice-name'");
    if (!v) return v.error();
    return ParsePositive(*v, "practice");
}

}  // namespace

Result<void> VerbDbInit(Session& s) {
    auto db = Connect(s);
    if (!db) return db.error();
    auto version = pg::Init(*db);
    if (!version) return version.error();
    std::optional<std::int64_t> practice;
    if (auto name = s.args.Option("practice-name")) {
        const std::string zone = s.args.Option("time-zone").value_or("Europe/London");
        if (!s.env.make_zone(zone)) return Fail(Errc::InvalidInput, "unknown time zone '" + zone + "'");
        auto found = db->Query("SELECT id FROM htk.practices WHERE name = $1", {pg::Text(*name)});
        if (!found) return found.error();
        if (found->Count() > 0) {
            practice = found->Int(0, 0);
        } else {
            auto made = db->Query("INSERT INTO htk.practices (name, time_zone) VALUES ($1, $2) RETURNING id",
                                  {pg::Text(*name), pg::Text(zone)});
            if (!made) return made.error();
            practice = made->Int(0, 0);
        }
    }
    if (s.json) {
        JsonObject j;
        j.Add("schema_version", *version);
        if (practice) j.Add("practice", *practice);
        s.env.out << j.Str() << "\n";
    } else {
        s.env.out << "schema version " << *version << " on PostgreSQL " << db->ServerVersion() << "\n";
        if (practice) s.env.out << "practice id " << *practice << "\n";
    }
    return {};
}

Result<void> VerbDbAddKiosk(Session& s) {
    auto practice = PracticeOption(s);
    if (!practice) return practice.error();
    auto kiosk = Required(s, "kiosk", "the kiosk's id, as in its config's [kiosk] id");
    if (!kiosk) return kiosk.error();
    auto login = Required(s, "login", "the login role the kiosk connects as");
    if (!login) return login.error();
    auto db = Connect(s);
    if (!db) return db.error();
    const pg::Param params[] = {pg::Int(*practice), pg::Text(*kiosk), pg::Text(*login)};
    if (auto r = Register(*db, "INSERT INTO htk.kiosks (practice_id, kiosk_id, db_role) VALUES ($1, $2, $3)", params,
                          pg::kKioskRole, *login);
        !r)
        return r;
    s.env.out << "kiosk " << *kiosk << " of practice " << *practice << " connects as " << *login << "\n";
    return {};
}

Result<void> VerbDbAddDesk(Session& s) {
    auto practice = PracticeOption(s);
    if (!practice) return practice.error();
    auto login = Required(s, "login", "the login role the desk connects as");
    if (!login) return login.error();
    auto db = Connect(s);
    if (!db) return db.error();
    const pg::Param params[] = {pg::Text(*login), pg::Int(*practice)};
    if (auto r = Register(*db, "INSERT INTO htk.desks (db_role, practice_id) VALUES ($1, $2)", params, pg::kDeskRole, *login); !r)
        return r;
    s.env.out << "desk login " << *login << " works for practice " << *practice << "\n";
    return {};
}

Result<void> VerbDbKiosks(Session& s) {
    auto db = ConnectToSchema(s);
    if (!db) return db.error();
    auto kiosks = ListKiosks(*db);
    if (!kiosks) return kiosks.error();
    std::vector<std::string> json;
    for (const KioskContact& k : *kiosks) {
        if (s.json) {
            JsonObject j;
            j.Add("practice", k.practice).Add("kiosk", k.kiosk);
            if (k.Never()) j.AddNull("last_contact");
            else j.Add("last_contact", *k.last_contact);
            j.Add("silent", k.Silent()).Add("backlog", k.backlog).Add("rejected", k.rejected);
            json.push_back(j.Str());
            continue;
        }
        s.env.out << k.practice << "  " << k.kiosk << "  "
                  << (k.Never() ? std::string("never heard from") : "last contact " + std::to_string(k.age_seconds) + " s ago")
                  << (k.Silent() && !k.Never() ? "  NOT HEARD FROM" : "") << "  backlog " << k.backlog;
        if (k.rejected > 0) s.env.out << "  REFUSED BY THE SERVER " << k.rejected << " (see the kiosk's log)";
        s.env.out << "\n";
    }
    if (s.json) s.env.out << JsonArray(json) << "\n";
    return {};
}

namespace {

std::string Percent(std::optional<double> rate) {
    if (!rate) return "-";
    char text[16];
    std::snprintf(text, sizeof text, "%.1f%%", *rate * 100.0);
    return text;
}

// `text` and spaces to `width` characters (UTF-8: a character is a byte that does not continue one).
std::string Column(std::string_view text, std::size_t width, bool right) {
    std::size_t chars = 0;
    for (const char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    const std::string fill(chars < width ? width - chars : 0, ' ');
    return right ? fill + std::string(text) : std::string(text) + fill;
}

// A table of the practices' figures, a line each, then the service's whole report; a desk's login
// sees one practice, whose whole report it prints. JSON: each practice's report, then the service's
// ("all practices").
Result<void> PrintServiceReport(Session& s, pg::Connection& db, std::optional<core::LocalDate> from, std::optional<core::LocalDate> to,
                                const std::string& zone_id) {
    auto zone = s.env.make_zone(zone_id);
    if (!zone) return Fail(Errc::InvalidInput, "--zone must be an IANA time zone such as Europe/London, not '" + zone_id + "'");
    const auto range = DefaultReportRange(zone->ToLocal(s.env.now()).date);
    auto practices = pg::FiguresByPractice(db, from.value_or(range.from), to.value_or(range.to), *zone);
    if (!practices) return practices.error();
    const bool one = practices->size() == 2;  // one practice, and the sum
    std::vector<std::string> json;
    std::size_t width = std::string_view("practice").size();
    for (const pg::PracticeFigures& p : *practices) width = std::max(width, Column(p.practice, 0, false).size());
    if (!s.json && !one)
        s.env.out << Column("practice", width, false) << "  requests  booked  attended  did not attend  interpreter\n";
    for (const pg::PracticeFigures& p : *practices) {
        store::PracticeSettings named;
        named.name = p.practice.empty() ? (one ? practices->front().practice : "all practices") : p.practice;
        named.time_zone = zone_id;
        const store::ReportFigures& f = p.figures;
        int interpreter = 0;
        for (const auto& [language, n] : f.interpreter_by_language) interpreter += n;
        if (s.json) {
            if (!one || p.practice.empty()) json.push_back(ReportJson(f, named));
        } else if (!p.practice.empty()) {
            if (!one)
                s.env.out << Column(p.practice, width, false) << "  " << Column(std::to_string(f.total.requests), 8, true) << "  "
                          << Column(std::to_string(f.funnel_booked), 6, true) << "  " << Column(std::to_string(f.funnel_attended), 8, true)
                          << "  " << Column(Percent(f.DidNotAttendRate()), 14, true) << "  " << Column(std::to_string(interpreter), 11, true)
                          << "\n";
        } else {
            if (!one) s.env.out << "\n";
            PrintReport(s.env.out, f, named);
        }
    }
    if (s.json) s.env.out << JsonArray(json) << "\n";
    return {};
}

}  // namespace

// Requests per practice and status: every practice for a manager's login, one's own for a desk's
// (row-level security decides, not this query). With --from or --to, each practice's report of that
// range by the rules `reports show` keeps on a practice's file, then the service's: the whole of it.
Result<void> VerbDbReport(Session& s) {
    auto from = DateOption(s, "from");
    if (!from) return from.error();
    auto to = DateOption(s, "to");
    if (!to) return to.error();
    const std::string zone_id = s.args.Option("zone").value_or("Europe/London");
    auto db = ConnectToSchema(s);
    if (!db) return db.error();
    if (*from || *to) return PrintServiceReport(s, *db, *from, *to, zone_id);
    auto rows = db->Query("SELECT p.name, r.status, count(*) FROM htk.referrals r JOIN htk.practices p ON p.id = r.practice_id "
                          "GROUP BY p.name, r.status ORDER BY p.name, r.status");
    if (!rows) return rows.error();
    std::vector<std::string> json;
    for (int i = 0; i < rows->Count(); ++i) {
        if (s.json) json.push_back(JsonObject().Add("practice", rows->Text(i, 0)).Add("status", rows->Text(i, 1)).Add("requests", rows->Int(i, 2)).Str());
        else s.env.out << rows->Text(i, 0) << "  " << rows->Text(i, 1) << "  " << rows->Int(i, 2) << "\n";
    }
    if (s.json) s.env.out << JsonArray(json) << "\n";
    return {};
}

Result<void> VerbDbPublish(Session& s) {
    std::optional<std::int64_t> practice;
    if (s.args.Option("practice")) {
        auto p = PracticeOption(s);
        if (!p) return p.error();
        practice = *p;
    }
    auto local = s.Db();
    if (!local) return local.error();
    auto zone = s.Zone();
    if (!zone) return zone.error();
    auto db = ConnectToSchema(s);
    if (!db) return db.error();
    auto done = pg::PublishPractice(**local, *db, practice, **zone, s.env.now(), s.actor);
    if (!done) return done.error();
    if (s.json) {
        s.env.out << JsonObject()
                         .Add("trainers", static_cast<std::int64_t>(done->trainers))
                         .Add("slots", static_cast<std::int64_t>(done->slots))
                         .Add("added", done->published.added)
                         .Add("withdrawn", done->published.withdrawn)
                         .Add("kept_booked", done->published.kept_booked)
                         .Str()
                  << "\n";
    } else {
        s.env.out << PublishedText(*done) << "\n";
    }
    if (done->newly_shared)
        s.env.err << "From now on this practice's times are booked on the shared database: this file takes no new bookings "
                     "(book in the desk app's From kiosks view, ht-admin desk --server)\n";
    return {};
}

Result<void> VerbDbSend(Session& s) {
    auto conninfo = Required(s, "server", "a libpq connection string, e.g. \"service=htk\" or postgresql://host/db");
    if (!conninfo) return conninfo.error();
    auto local = s.Db();
    if (!local) return local.error();
    pg::ForwarderOptions options;
    options.database = (*local)->Path();
    options.conninfo = *conninfo;
    options.actor = s.actor;
    options.desk = true;
    options.wall = s.env.now;
    options.log = [&s](const std::string& line) { s.env.err << "ht-admin: " << line << "\n"; };
    const int batch = options.batch;
    pg::Forwarder sender(std::move(options));
    long sent = 0;
    for (;;) {  // a batch at a time, until none is left due
        auto n = sender.RunOnce();
        if (!n) return n.error();
        sent += *n;
        if (*n < batch) break;
    }
    auto left = store::ForwardRepo(**local).Count();
    if (!left) return left.error();
    s.env.out << "sent " << sent << (sent == 1 ? " request" : " requests") << " to the shared database";
    if (left->rejected > 0) s.env.out << "; " << left->rejected << " refused by the server stay here (the log above says why)";
    s.env.out << "\n";
    return {};
}

namespace {

// The one request --reference (and --origin, where two kiosks drew the same reference) names.
Result<pg::ServerRequest> OneRequest(Session& s, pg::Connection& db) {
    auto reference = Required(s, "reference", "the request's reference, as ht-admin db requests shows it");
    if (!reference) return reference.error();
    pg::ServerRequestFilter filter;
    filter.reference = *reference;
    auto found = pg::ListRequests(db, filter);
    if (!found) return found.error();
    const auto origin = s.args.Option("origin");
    std::erase_if(*found, [&](const pg::ServerRequest& r) { return origin && r.origin != *origin; });
    if (found->empty()) return Fail(Errc::NotFound, "no request " + *reference + (origin ? " from " + *origin : "") + " for this login");
    if (found->size() > 1) return Fail(Errc::InvalidInput, "two kiosks drew the reference " + *reference + ": add --origin (see db requests)");
    return std::move(found->front());
}

}  // namespace

// The requests the practice's kiosks forwarded, as reception works through them on a machine of its
// own: this machine's practice file holds the staff's keys, and each reveal is audited here first.
Result<void> VerbDbRequests(Session& s) {
    pg::ServerRequestFilter filter;
    auto status = StatusOption(s);
    if (!status) return status.error();
    filter.status = *status;
    auto limit = LimitOption(s);
    if (!limit) return limit.error();
    if (*limit) filter.limit = **limit;
    auto zone = s.Zone();
    if (!zone) return zone.error();
    auto local = s.Db();
    if (!local) return local.error();
    auto db = ConnectToSchema(s);
    if (!db) return db.error();
    auto requests = pg::ListRequests(*db, filter);
    if (!requests) return requests.error();
    const bool reveal = s.args.Flag("reveal");
    std::vector<std::string> items;
    for (pg::ServerRequest& r : *requests) {
        std::optional<core::PatientDetails> details;
        if (reveal) {
            // Recorded before the details exist in memory: no reveal goes unaudited.
            const core::AuditEntry entry{0, s.env.now(), s.actor, "sealed.reveal", pg::AuditSubject(r), ""};
            if (auto a = store::AuditRepo(**local).Append(entry); !a) return a.error();
            auto opened = store::Open(r.sealed, s.Key());
            if (!opened) return opened.error();
            details = std::move(*opened);
        }
        if (s.json) {
            auto j = RequestJson(r.referral, **zone);
            j.Add("origin", r.origin).Add("practice", r.practice);
            if (r.booking) j.Add("booked", LocalIso(r.booking->start, **zone)).Add("trainer", r.trainer);
            if (details) j.AddRaw("patient", PatientJson(*details));
            items.push_back(j.Str());
        } else {
            s.env.out << RequestLine(r.referral, **zone) << "  from " << r.origin << "\n";
            if (details) PrintPatient(s.env.out, *details);
            if (r.booking) s.env.out << "    booked: " << Local(r.booking->start, **zone) << " with " << r.trainer << "\n";
        }
        if (details) core::Wipe(*details);
    }
    EndRequestList(s, items, requests->empty(), !reveal);
    return {};
}

Result<void> VerbDbSetStatus(Session& s) {
    auto to = StatusOption(s, true);
    if (!to) return to.error();
    auto local = s.Db();
    if (!local) return local.error();
    auto db = ConnectToSchema(s);
    if (!db) return db.error();
    auto r = OneRequest(s, *db);
    if (!r) return r.error();
    const core::ReferralStatus from = r->referral.status;
    // From the status just read: another desk's change in between is refused, not overwritten.
    if (auto moved = pg::ServerDeskStore(*db, **local).Move(r->id, from, **to, s.actor, s.env.now()); !moved) return moved;
    s.env.out << r->referral.reference << " from " << r->origin << ": " << core::Key(from) << " -> " << core::Key(**to) << "\n";
    return {};
}

Result<void> VerbDbNote(Session& s) {
    auto local = s.Db();
    if (!local) return local.error();
    auto db = ConnectToSchema(s);
    if (!db) return db.error();
    auto r = OneRequest(s, *db);
    if (!r) return r.error();
    auto text = ReadNote(s);
    if (!text) return text.error();
    auto note = pg::ServerDeskStore(*db, **local).AddNote(r->id, *text, s.Key().Public(), s.actor, s.env.now());
    core::Wipe(*text);
    if (!note) return note.error();
    if (s.json)
        s.env.out << JsonObject().Add("reference", r->referral.reference).Add("origin", r->origin).Add("note", *note).Str() << "\n";
    else
        s.env.out << "Note " << *note << " added to " << r->referral.reference << " from " << r->origin << " (sealed)\n";
    return {};
}

}  // namespace htk::admin
