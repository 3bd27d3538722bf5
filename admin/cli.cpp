// ht-admin's command line: the table of verbs, their help, dispatch and exit codes. A failure is
// one line on stderr naming the file or option at fault (and a JSON object on stdout with --json).
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <ctime>
#include <ostream>
#include <vector>

#include "admin/admin.h"
#include "admin/args.h"
#include "admin/json.h"
#include "admin/verbs.h"
#include "i18n/time_zone.h"

namespace htk::admin {

namespace fs = std::filesystem;
using core::Errc;
using core::Fail;
using core::Result;

namespace {

struct Command {
    std::string_view name;  // "trainers add"
    std::vector<std::string_view> options;
    Verb verb;
    Access access;  // Open: no passphrase (set-up, and pack files, which are guarded by signatures instead)
    std::string_view synopsis;
    std::string_view help;
    std::size_t max_words = 0;  // positional arguments after the command's own words (tags, folders)
};

const std::vector<Command>& Commands() {
    static const std::vector<Command> commands{
        {"init", {"practice", "time-zone", "kiosk-config", "kiosk-id", "locales"}, VerbInit, Access::Open,
         "init --practice NAME --staff NAME [--time-zone ZONE] [--kiosk-config FILE] [--kiosk-id ID] [--locales DIR]",
         "Create the database if needed, the practice and its key pair. The secret key is kept\n"
         "encrypted under the passphrase of --staff, who becomes the first manager. Prints the public\n"
         "key for the kiosk's config, and writes that config with --kiosk-config FILE (with\n"
         "--locales DIR, its language packs folder: the appliance's is /var/lib/ht-kiosk/locales).\n"
         "Time zone: an IANA id, default Europe/London."},
        {"demo", {"data-dir"}, VerbDemo, Access::Open, "demo --data-dir DIR",
         "Create a demo practice in DIR (made 0700): DIR/kiosk.db with trainers, four weeks of plans,\n"
         "requests and bookings in every status; DIR/kiosk.conf for ht-kiosk; and a random staff\n"
         "passphrase in DIR/demo-passphrase (0600; demo only). Refused if DIR/kiosk.db exists."},
        {"desk", {"tab", "select", "screenshot", "lock-minutes", "window", "server"}, VerbDesk, Access::Open,
         "desk [--staff NAME --passphrase-fd N] [--tab T] [--select REF] [--lock-minutes N] [--window WxH] [--server CONNINFO] [--screenshot FILE]",
         "Open the reception desk app: the list of requests with filters, search and each request's\n"
         "detail, a trainer's week of slots, the waiting list's offers, and for managers trainers and\n"
         "hours, reports and the audit log. It asks for a passphrase itself, or unlocks at once with\n"
         "--staff and --passphrase-fd, and locks after --lock-minutes without use (default 5).\n"
         "--tab requests|forwarded|week|waiting|trainers|reports|audit|kiosks and --select REF (or new, the\n"
         "form for a request taken at the desk) choose what it opens on; --server CONNINFO (the shared\n"
         "PostgreSQL database, as for 'db kiosks') adds two views, re-read every 10 s: From kiosks, the\n"
         "newest 500 requests the kiosks forwarded, each opened with the staff member's key (audited here),\n"
         "booked into a free time there and its booking moved on, its status moved on the server (a\n"
         "second desk's stale change is refused) and its history there;\n"
         "and Kiosks, each kiosk's last contact and backlog, one not heard from for 2 minutes or with\n"
         "refused requests marked. With --server the practice's times are the server's: a request taken\n"
         "at the desk is sent there (kept here while it cannot be) and booked there, the Week view shows\n"
         "the server's week, and a manager publishes the plan from Trainers & hours;\n"
         "--screenshot FILE saves one settled frame as a PNG and exits."},
        {"staff add", {"name", "role"}, VerbStaffAdd, Access::Manager, "staff add --name NAME [--role receptionist|manager] [--staff MANAGER]",
         "Give another member of staff their own passphrase. A manager unlocks the key first; then\n"
         "the new passphrase is asked for (twice on a terminal; the next line with --passphrase-fd)."},
        {"staff list", {}, VerbStaffList, Access::Staff, "staff list", "List the staff who hold a passphrase, and their roles."},
        {"trainers add", {"name", "languages", "inactive"}, VerbTrainersAdd, Access::Manager,
         "trainers add --name NAME [--languages TAG,TAG] [--inactive]",
         "Add a health trainer with the languages they speak (BCP 47 tags such as tr, so, pa-Guru)."},
        {"trainers list", {}, VerbTrainersList, Access::Staff, "trainers list", "List trainers, their ids and languages."},
        {"trainers activate", {"trainer"}, VerbTrainersActivate, Access::Manager, "trainers activate --trainer N",
         "Offer a trainer's slots again."},
        {"trainers deactivate", {"trainer"}, VerbTrainersDeactivate, Access::Manager, "trainers deactivate --trainer N",
         "Stop offering a trainer's slots (their bookings stay)."},
        {"trainers languages", {"trainer", "languages"}, VerbTrainersLanguages, Access::Manager,
         "trainers languages --trainer N --languages TAG,TAG", "Replace the languages a trainer speaks."},
        {"plans set", {"trainer", "day", "date", "hours"}, VerbPlansSet, Access::Manager,
         "plans set --trainer N (--day DAYS | --date YYYY-MM-DD) --hours HOURS",
         "Set weekly hours (--day mon, mon,wed or mon-fri) or the hours of one date (an exception).\n"
         "HOURS: 09:00-17:00/12:30-13:00 (working hours, then breaks after '/'; several ranges\n"
         "comma-separated), or off."},
        {"plans clear", {"trainer", "date"}, VerbPlansClear, Access::Manager, "plans clear --trainer N --date YYYY-MM-DD",
         "Remove a date exception: the trainer works their usual hours that day."},
        {"plans block", {"date", "reason"}, VerbPlansBlock, Access::Manager, "plans block --date YYYY-MM-DD [--reason TEXT]",
         "Close the practice for bookings on a day (bank holiday, training day)."},
        {"plans unblock", {"date"}, VerbPlansUnblock, Access::Manager, "plans unblock --date YYYY-MM-DD", "Open a blocked day again."},
        {"plans show", {"trainer"}, VerbPlansShow, Access::Staff, "plans show [--trainer N]",
         "Show weekly hours, exceptions and the practice's blocked days."},
        {"slots list", {"trainer", "days"}, VerbSlotsList, Access::Staff, "slots list [--trainer N] [--days N]",
         "List free slots in the practice's time zone, from now to the booking horizon (or N days)."},
        {"requests list", {"status", "limit", "reveal", "route", "reason", "language", "interpreter", "waiting-list", "period"},
         VerbRequestsList, Access::Staff,
         "requests list [--status S] [--route R] [--reason KEY] [--language TAG] [--interpreter] [--waiting-list] "
         "[--period today|week|all] [--limit N] [--reveal]",
         "List requests, newest first, with their bookings. Names and contact details are sealed;\n"
         "--reveal shows them, and each reveal is written to the audit log. Filters: --route self|gp_booked|\n"
         "gp_tasked|signposted, --reason (one of the request's reasons: long_term_condition, chronic_pain,\n"
         "low_mood, eating, moving, weight, drinking, smoking, other), --language (same primary language:\n"
         "pa finds pa-Guru), --interpreter, --waiting-list, --period (created today, or this week from\n"
         "Monday to Sunday, in the practice's time zone; default all)."},
        {"requests show", {"reference"}, VerbRequestsShow, Access::Staff, "requests show --reference REF",
         "Everything about one request: its answers and the patient's details (revealed, and the reveal\n"
         "audited), its status history, bookings with their histories, staff notes, a slot offered to it\n"
         "from the waiting list, and the audit trail of the request and its bookings."},
        {"requests add", {"route", "reasons", "language", "interpreter", "contact", "best-times", "trainer", "start"},
         VerbRequestsAdd, Access::Staff,
         "requests add --route R --reasons KEY,KEY --language TAG [--interpreter] [--contact phone|letter|call_in] "
         "[--best-times morning,afternoon,evening] [--trainer N --start \"YYYY-MM-DD HH:MM\"] < DETAILS",
         "Take a request at the desk (by phone, from a GP, at the counter). Reception records the patient's\n"
         "consent by word: the request's consent version is 'desk'. The patient's details are read from\n"
         "standard input, never from the command line, one a line:\n"
         "  name: ...              (required)\n"
         "  date_of_birth: YYYY-MM-DD  (required)\n"
         "  phone: ...             (a UK number; required with --contact phone, the default)\n"
         "  email: ...   address: ...  (address required with --contact letter)   note: ...\n"
         "They are checked as the kiosk checks them and sealed. With --trainer and --start (local time; see\n"
         "'slots list') the slot is booked in the same step, as for a GP-booked patient; if it cannot be,\n"
         "nothing is created. Without, the request waits for the trainer's call."},
        {"requests note", {"reference"}, VerbRequestsNote, Access::Staff, "requests note --reference REF < NOTE",
         "Add a staff note to a request, read from standard input (up to 2000 characters). Notes may name\n"
         "the patient, so they are sealed like the details; 'requests show' reveals them."},
        {"requests set-status", {"reference", "status"}, VerbRequestsSetStatus, Access::Staff,
         "requests set-status --reference REF --status new|contacted|booked|closed|cancelled",
         "Move a request along; changes the domain does not allow are refused."},
        {"bookings list", {"from", "days", "trainer", "status"}, VerbBookingsList, Access::Staff,
         "bookings list [--from YYYY-MM-DD] [--days N] [--trainer N] [--status S]",
         "List bookings from a day (default today) for N days (default 7)."},
        {"bookings add", {"reference", "trainer", "start"}, VerbBookingsAdd, Access::Staff,
         "bookings add --reference REF --trainer N --start \"YYYY-MM-DD HH:MM\"",
         "Book a slot for a request, in the practice's local time. Only a slot 'slots list' offers now (or\n"
         "the slot offered to this very request from the waiting list) can be booked. A slot already taken,\n"
         "or held by a patient at a kiosk or for another waiting request, is refused (exit 1) and nothing\n"
         "changes. Booking takes the request off the waiting list."},
        {"bookings set-status", {"booking", "status"}, VerbBookingsSetStatus, Access::Staff,
         "bookings set-status --booking N --status confirmed|attended|did_not_attend|cancelled_by_patient|cancelled_by_practice",
         "Record what happened to a booking; changes the domain does not allow are refused. A cancelled\n"
         "slot that is still ahead by more than the minimum notice is offered first to the waiting list:\n"
         "held for the oldest waiting request in a language the trainer speaks (else the oldest, with an\n"
         "interpreter) for a day at most. The offer is printed; answer it with 'waiting accept|decline'."},
        {"waiting list", {}, VerbWaitingList, Access::Staff, "waiting list",
         "Patients who found no free slot at the kiosk and wait for one (new or contacted), oldest first,\n"
         "with any slot offered to them."},
        {"waiting offers", {}, VerbWaitingOffers, Access::Staff, "waiting offers",
         "Freed slots held for the waiting list, and until when. An offer nobody answers lapses and the\n"
         "slot is free to the kiosks again."},
        {"waiting accept", {"reference"}, VerbWaitingAccept, Access::Staff, "waiting accept --reference REF",
         "The patient takes the slot offered to them: it is booked for their request."},
        {"waiting decline", {"reference"}, VerbWaitingDecline, Access::Staff, "waiting decline --reference REF",
         "The patient cannot take the slot offered to them: it is offered to the next waiting request that\n"
         "has not declined it, or freed when there is none. The patient keeps their place on the list."},
        {"audit list", {"action", "actor", "subject", "limit"}, VerbAuditList, Access::Manager,
         "audit list [--action A] [--actor A] [--subject S] [--limit N]",
         "Show the audit log, newest first. --action ending in '.' matches a prefix (referral.)."},
        {"packs lint", {"source"}, VerbPacksLint, Access::Open, "packs lint [TAG...] [--source DIR]",
         "Check language pack sources (default: every pack of the source tree) against English: missing\n"
         "and extra keys, MessageFormat syntax, argument names, CLDR plural categories, characters the\n"
         "pack's fonts cannot draw, keyboard layouts, the manifest. Each finding names file:line and key.\n"
         "Exits 0 only when clean.", 64},
        {"packs build", {"source", "out"}, VerbPacksBuild, Access::Open, "packs build TAG --out DIR [--source DIR]",
         "Compile a source pack with genrb (Debian's icu-devtools) into DIR/TAG, ready to sign and install.", 1},
        {"db init", {"server", "practice-name", "time-zone"}, VerbDbInit, Access::Open,
         "db init --server CONNINFO [--practice-name NAME [--time-zone ZONE]]",
         "Set up or upgrade the shared PostgreSQL database several kiosks and desks use: applies the schema's\n"
         "pending migrations in one transaction and creates the group roles htk_kiosk, htk_desk and\n"
         "htk_manager (run it as the database's owner, with CREATEROLE). With --practice-name, adds that\n"
         "practice (or finds it) and prints its id. CONNINFO is a libpq connection string or URI; prefer\n"
         "service=NAME (~/.pg_service.conf) with the password in ~/.pgpass, and sslmode=verify-full."},
        {"db add-kiosk", {"server", "practice", "kiosk", "login"}, VerbDbAddKiosk, Access::Open,
         "db add-kiosk --server CONNINFO --practice ID --kiosk KIOSK-ID --login ROLE",
         "Register a kiosk: the login role it connects as (create it first with CREATE ROLE ... LOGIN)\n"
         "joins htk_kiosk, which may forward requests as that kiosk and report its backlog, nothing else."},
        {"db add-desk", {"server", "practice", "login"}, VerbDbAddDesk, Access::Open,
         "db add-desk --server CONNINFO --practice ID --login ROLE",
         "Register a reception login: it joins htk_desk and sees its own practice's requests only."},
        {"db kiosks", {"server"}, VerbDbKiosks, Access::Open, "db kiosks --server CONNINFO",
         "Each kiosk's last contact and backlog (requests it holds, not yet on the server), and any the\n"
         "server refused. A kiosk not heard from for 2 minutes is marked."},
        {"db report", {"server", "from", "to", "zone"}, VerbDbReport, Access::Open,
         "db report --server CONNINFO [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--zone IANA]",
         "Requests per practice and status: the whole service for a manager's login (htk_manager), one\n"
         "practice for a desk's. With --from or --to (the other defaults as in 'reports show'): each\n"
         "practice's requests, bookings, did-not-attend rate and interpreter requests in the range, then\n"
         "the whole service's report by week, reason, language and route. Dates are local to --zone\n"
         "(default Europe/London)."},
        {"db publish", {"server", "practice"}, VerbDbPublish, Access::Open, "db publish --server CONNINFO [--practice ID]",
         "Publish this practice's trainers and their slots (from 'plans', to the booking horizon) to the\n"
         "shared database, where kiosks and desks book them; the minimum notice goes with them and the\n"
         "server applies it. Slots that left the plan are withdrawn unless booked: those stay and are\n"
         "counted, for reception to move. Run it after changing plans. A desk's login publishes its own\n"
         "practice (no --practice); a manager's names one."},
        {"db send", {"server"}, VerbDbSend, Access::Open, "db send --server CONNINFO",
         "Send the requests taken on this machine and waiting for the shared database (see 'requests add'\n"
         "once the plan is published) through this desk's login, as the desk app with --server does: each\n"
         "once, however often it is run; this file's copy goes once the server has it. One the server\n"
         "refuses stays here, with its reason."},
        {"db requests", {"server", "status", "limit", "reveal"}, VerbDbRequests, Access::Staff,
         "db requests --server CONNINFO [--status STATUS] [--limit N] [--reveal]",
         "The requests the practice's kiosks sent to the shared database, newest first, each with the kiosk\n"
         "it came from and its booking. A desk's login sees its own practice's only. --reveal unlocks names\n"
         "and contact details with your key from this machine's practice file; each reveal is audited there."},
        {"db note", {"server", "reference", "origin"}, VerbDbNote, Access::Staff,
         "db note --server CONNINFO --reference REF [--origin kiosk:ID] < NOTE",
         "Add a staff note to a request on the shared database, read from standard input (up to 2000\n"
         "characters), sealed to the practice's key; this file's audit log says who added it. The desk's\n"
         "From kiosks view shows the notes."},
        {"db set-status", {"server", "reference", "origin", "status"}, VerbDbSetStatus, Access::Staff,
         "db set-status --server CONNINFO --reference REF --status STATUS [--origin kiosk:ID]",
         "Move a request on the shared database along new -> contacted -> booked -> closed (or cancelled),\n"
         "only from where it is now: another desk's change meanwhile is refused, not overwritten. Audited here."},
        {"packs list", {"locales"}, VerbPacksList, Access::Open, "packs list [--locales DIR]",
         "List the installed packs: version, and whether a native speaker has reviewed them."},
        {"packs install", {"locales", "service-key"}, VerbPacksInstall, Access::Open,
         "packs install PACK_DIR [--locales DIR] [--service-key BASE64]",
         "Verify a compiled pack, stage it beside the live packs and swap it in atomically; the previous\n"
         "version is kept for rollback. With --service-key, unsigned or altered packs are refused.\n"
         "A running kiosk picks the new pack up between patient sessions.", 1},
        {"packs rollback", {"locales"}, VerbPacksRollback, Access::Open, "packs rollback TAG [--locales DIR]",
         "Swap the live pack and its kept previous version back, atomically.", 1},
        {"packs keygen", {"out"}, VerbPacksKeygen, Access::Open, "packs keygen --out FILE",
         "Create the service's ed25519 signing key pair: the secret key goes to FILE (0600), the public\n"
         "key is printed for the kiosks' configuration."},
        {"packs sign", {"key"}, VerbPacksSign, Access::Open, "packs sign PACK_DIR --key FILE",
         "Sign every file of a compiled pack with the service's secret key.", 1},
        {"packs verify", {"service-key"}, VerbPacksVerify, Access::Open, "packs verify PACK_DIR --service-key BASE64",
         "Check a pack's signature.", 1},
        {"packs export", {"source", "csv", "locales"}, VerbPacksExport, Access::Open, "packs export TAG --csv FILE [--source DIR] [--locales DIR]",
         "Write a pack as CSV for a translation agency: UTF-8 with BOM, a row per key with the English\n"
         "source, a note for the translator, about how many characters fit where the string is shown\n"
         "(measured on the kiosk's screens in English), and the current translation.", 1},
        {"packs import", {"source", "dry-run"}, VerbPacksImport, Access::Open, "packs import TAG FILE.csv [--source DIR] [--dry-run]",
         "Read a translated CSV back into the pack's source. Reports new, changed and invalid rows and\n"
         "applies nothing if any row is invalid.", 2},
        {"reports show", {"from", "to", "csv"}, VerbReportsShow, Access::Manager,
         "reports show [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--csv FILE]",
         "Figures for commissioners over local dates [from, to): requests per week (weeks start on Monday)\n"
         "by reason (a request with two reasons counts under both), language and route; bookings whose\n"
         "slot falls in the range by status; how many requests of the range were booked and attended; the\n"
         "did-not-attend rate; interpreters asked for by language. Default: the last four complete weeks\n"
         "and this week up to today. --csv FILE also writes the figures as CSV (README.md, \"Report CSV\")."},
        {"export", {"csv", "from", "to", "status", "identifying"}, VerbExport, Access::Manager,
         "export --csv FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--status S] [--identifying]",
         "Write requests created in [from, to) as CSV for re-keying into the clinical system: UTF-8 with\n"
         "BOM, CRLF, one row per request with its newest booking (README.md, \"Export columns\"). Names,\n"
         "dates of birth and contact details only with --identifying. The file is written whole or not at\n"
         "all, mode 0600, and every export is recorded in the audit log."},
        {"purge", {"older-than", "dry-run"}, VerbPurge, Access::Manager, "purge [--older-than DAYS] [--dry-run]",
         "Remove requests closed or cancelled more than DAYS ago (default: the practice's retention,\n"
         "365 days), with their bookings, history and notes; the freed space is overwritten. Open requests\n"
         "are never touched. --dry-run lists what would go and changes nothing."},
    };
    return commands;
}

constexpr std::string_view kGlobalHelp =
    "Global options:\n"
    "  --database PATH     the kiosk database (default: $XDG_DATA_HOME/ht-kiosk/kiosk.db,\n"
    "                      else ~/.local/share/ht-kiosk/kiosk.db)\n"
    "  --staff NAME        whose passphrase unlocks the practice key\n"
    "  --passphrase-fd N   read passphrases from file descriptor N, one a line (for scripts);\n"
    "                      otherwise they are asked for on the terminal with echo off.\n"
    "                      Passphrases are never accepted as arguments.\n"
    "  --json              machine-readable output\n"
    "  --help              help on any command\n"
    "Exit codes: 0 ok, 1 failure (a wrong passphrase, too many of them, or a command\n"
    "the staff member's role does not allow), 2 usage or bad input\n"
    "(a bad, newer or read-only database file: nothing on disk is changed).\n";

std::vector<std::string_view> Groups() {
    std::vector<std::string_view> groups;
    for (const auto& c : Commands()) {
        const auto group = c.name.substr(0, c.name.find(' '));
        if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
    }
    return groups;
}

std::string GroupHelp(std::string_view group) {
    std::string out = "Usage:\n";
    for (const auto& c : Commands())
        if (c.name.substr(0, c.name.find(' ')) == group) out += "  ht-admin " + std::string(c.synopsis) + "\n";
    out += "Run 'ht-admin " + std::string(group) + " COMMAND --help' for one command.\n";
    return out;
}

std::string_view WhoMay(Access access) {
    switch (access) {
        case Access::Open: return "";
        case Access::Staff: return "Who: any member of staff, with their passphrase.\n";
        case Access::Manager: return "Who: a manager, with their passphrase.\n";
    }
    return "";
}

std::string CommandHelp(const Command& c) {
    return "Usage: ht-admin " + std::string(c.synopsis) + "\n\n" + std::string(c.help) + "\n" +
           std::string(WhoMay(c.access)) + "\n" + std::string(kGlobalHelp);
}

int Report(Env& env, bool json, const core::Error& e, bool usage_hint, std::string_view help_for) {
    env.err << "ht-admin: " << e.detail << "\n";
    if (usage_hint) env.err << "Try 'ht-admin " << help_for << (help_for.empty() ? "" : " ") << "--help'.\n";
    if (json) env.out << JsonObject().Add("error", core::ErrcName(e.code)).Add("detail", e.detail).Str() << "\n";
    return ExitCode(e.code);
}

}  // namespace

Env::Env(std::ostream& out_stream, std::ostream& err_stream)
    : out(out_stream),
      err(err_stream),
      now([] { return static_cast<core::UnixSeconds>(std::time(nullptr)); }),
      make_zone([](std::string_view id) { return i18n::MakeTimeZone(id); }) {}

int ExitCode(Errc code) {
    switch (code) {
        case Errc::InvalidInput:
        case Errc::NotFound:
        case Errc::NotADatabase:
        case Errc::SchemaTooNew:
        case Errc::SchemaTooOld:
        case Errc::ReadOnly:
        case Errc::BadConfig: return 2;
        case Errc::WrongPassphrase:
        case Errc::TooManyAttempts:
        case Errc::Forbidden: return 1;
        default: return 1;
    }
}

std::string Usage() {
    std::string out =
        "ht-admin: the Health Trainer Kiosk's tool for reception and practice managers.\n\n"
        "Usage: ht-admin [global options] COMMAND [options]\n\n"
        "Commands:\n";
    for (const auto& c : Commands()) out += "  " + std::string(c.synopsis) + "\n";
    out += "\n";
    out += kGlobalHelp;
    return out;
}

fs::path DefaultDatabasePath() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg == '/')
        return fs::path(xdg) / "ht-kiosk" / "kiosk.db";
    if (const char* home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".local" / "share" / "ht-kiosk" / "kiosk.db";
    return {};
}

int Run(std::span<const std::string> argv, Env& env) {
    try {
        auto parsed = ParseArgs(argv);
        const bool json_hint = std::find(argv.begin(), argv.end(), "--json") != argv.end();
        if (!parsed) return Report(env, json_hint, parsed.error(), true, "");
        const Args& args = *parsed;
        const bool help = args.Flag("help") || (!args.words.empty() && args.words[0] == "help");
        auto words = args.words;
        if (!words.empty() && words[0] == "help") {
            words.erase(words.begin());
            if (words.empty()) {
                env.out << Usage();
                return 0;
            }
        }
        if (words.empty()) {
            if (help) {
                env.out << Usage();
                return 0;
            }
            env.err << Usage();
            return 2;
        }
        const auto groups = Groups();
        if (std::find(groups.begin(), groups.end(), words[0]) == groups.end())
            return Report(env, args.Flag("json"), Fail(Errc::InvalidInput, "unknown command '" + words[0] + "'"), true, "");

        const Command* command = nullptr;
        std::size_t used = 1;
        for (const auto& c : Commands())
            if (c.name == words[0]) command = &c;
        if (!command) {
            if (words.size() < 2) {
                if (help) {
                    env.out << GroupHelp(words[0]);
                    return 0;
                }
                env.err << "ht-admin: '" << words[0] << "' needs a command.\n" << GroupHelp(words[0]);
                return 2;
            }
            const std::string name = words[0] + " " + words[1];
            for (const auto& c : Commands())
                if (c.name == name) command = &c;
            if (!command)
                return Report(env, args.Flag("json"), Fail(Errc::InvalidInput, "unknown command '" + name + "'"), true, words[0]);
            used = 2;
        }
        if (help) {
            env.out << CommandHelp(*command);
            return 0;
        }
        const std::string help_for(command->name);
        if (words.size() > used + command->max_words)
            return Report(env, args.Flag("json"), Fail(Errc::InvalidInput, "unexpected argument '" + words[used] + "'"),
                          true, help_for);
        if (auto r = args.Allow(command->options); !r) return Report(env, args.Flag("json"), r.error(), true, help_for);

        std::optional<int> fd;
        if (auto v = args.Option("passphrase-fd")) {
            int n = -1;
            const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
            if (ec != std::errc{} || end != v->data() + v->size() || n < 0)
                return Report(env, args.Flag("json"),
                              Fail(Errc::InvalidInput, "--passphrase-fd must be a file descriptor number, not '" + *v + "'"),
                              true, help_for);
            fd = n;
        }
        fs::path database = args.Option("database") ? fs::path(*args.Option("database")) : DefaultDatabasePath();
        if (database.empty())
            return Report(env, args.Flag("json"),
                          Fail(Errc::InvalidInput, "no database: set --database PATH (HOME is not set)"), true, help_for);
        const auto staff = args.Option("staff");
        Session session(args, env, database, PassphraseSource(fd), staff ? "staff:" + *staff : std::string("admin-cli"));
        if (auto r = session.Unlock(command->access, command->name); !r) return Report(env, session.json, r.error(), false, help_for);
        auto result = command->verb(session);
        if (!result) return Report(env, session.json, result.error(), false, help_for);
        return 0;
    } catch (const std::exception& e) {  // tier 3: nothing escapes as an exception
        env.err << "ht-admin: internal error: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace htk::admin
