// The verbs of ht-admin. Each checks its input before touching the database, changes it through the
// store's repositories, writes an audit entry for what staff changed, and prints text or --json.
#include "admin/verbs.h"
#include "admin/verb_util.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <set>
#include <ostream>

#include "admin/files.h"
#include "admin/json.h"
#include "core/booking.h"
#include "core/reference.h"
#include "core/strings.h"
#include "store/audit_repo.h"
#include "store/booking_repo.h"
#include "store/plan_repo.h"
#include "store/referral_repo.h"
#include "store/settings_repo.h"
#include "store/slot_repo.h"
#include "store/trainer_repo.h"

namespace htk::admin {

namespace fs = std::filesystem;
using core::Errc;
using core::Fail;
using core::Result;

namespace {

constexpr std::array<std::string_view, 7> kDayNames{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDayNames{"monday", "tuesday", "wednesday", "thursday",
                                                        "friday", "saturday", "sunday"};

// ---- input ----------------------------------------------------------------------------------------




Result<core::TrainerId> RequiredTrainer(const Session& s) {
    auto v = Required(s, "trainer", "a trainer id from 'ht-admin trainers list'");
    if (!v) return v.error();
    return ParsePositive(*v, "trainer");
}

Result<core::LocalDate> ParseDate(std::string_view text, std::string_view option) {
    const auto d = core::LocalDate::ParseIso(text);
    if (!d) return Fail(Errc::InvalidInput, "--" + std::string(option) + " must be a date such as 2026-12-24, not '" +
                                                std::string(text) + "'");
    return *d;
}

std::optional<int> ParseWeekday(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (int d = 0; d < 7; ++d) {
        const auto& name = kLongDayNames[static_cast<std::size_t>(d)];
        if (lower == name || (lower.size() == 3 && name.substr(0, 3) == lower)) return d;
    }
    return std::nullopt;
}

// "mon", "mon,wed", "mon-fri", "monday".
Result<std::vector<int>> ParseWeekdays(std::string_view text) {
    std::vector<int> days;
    for (const auto& item : core::SplitNonEmpty(text)) {
        const auto dash = item.find('-');
        const auto first = ParseWeekday(item.substr(0, dash));
        const auto last = dash == std::string::npos ? first : ParseWeekday(item.substr(dash + 1));
        if (!first || !last || *last < *first)
            return Fail(Errc::InvalidInput, "--day must be days such as mon, mon,wed or mon-fri, not '" + std::string(text) + "'");
        for (int d = *first; d <= *last; ++d)
            if (std::find(days.begin(), days.end(), d) == days.end()) days.push_back(d);
    }
    if (days.empty()) return Fail(Errc::InvalidInput, "--day is empty");
    return days;
}

Result<core::DayHours> ParseHours(std::string_view text) {
    const auto h = core::ParseDayHours(text);
    if (!h || (h->Empty() && text != "off" && text != "-"))
        return Fail(Errc::InvalidInput, "--hours must be like 09:00-17:00/12:30-13:00 (hours, then breaks) or off, not '" +
                                            std::string(text) + "'");
    return *h;
}

// ---- output ---------------------------------------------------------------------------------------






std::string TrainerJson(const core::Trainer& t) {
    return JsonObject()
        .Add("id", t.id)
        .Add("name", t.display_name)
        .AddRaw("languages", JsonStringArray(t.languages))
        .Add("active", t.active)
        .Str();
}


Result<void> Audit(Session& s, store::Database& db, std::string_view action, std::string_view subject,
                   std::string_view detail) {
    auto r = store::AuditRepo(db).Append(
        {0, s.env.now(), s.actor, std::string(action), std::string(subject), std::string(detail)});
    if (!r) return r.error();
    return {};
}

// Whose passphrase: --staff, or the only member of staff there is.
Result<std::string> StaffName(Session& s, store::Database& db) {
    if (auto v = s.args.Option("staff"); v && !v->empty()) return *v;
    auto staff = store::ListStaff(db);
    if (!staff) return staff.error();
    if (staff->size() == 1) return staff->front().name;
    if (staff->empty()) return Fail(Errc::NotFound, db.Path() + " has no staff keys yet (run ht-admin init)");
    return Fail(Errc::InvalidInput, "say whose passphrase with --staff NAME");
}

Result<store::UnlockedKey> UnlockAs(Session& s, store::Database& db) {
    auto staff = StaffName(s, db);
    if (!staff) return staff.error();
    auto pass = s.passphrase.Read("Passphrase for " + *staff + ": ");
    if (!pass) return pass.error();
    auto key = store::Unlock(db, *staff, *pass, s.env.now());
    core::Wipe(*pass);
    return key;
}

}  // namespace

// ---- Session --------------------------------------------------------------------------------------

Result<store::Database*> Session::Db() {
    if (!m_db) {
        auto db = store::Open(database, {.create = false});
        if (!db) {
            if (db.error().code == Errc::NotFound)
                return Fail(Errc::NotFound, database.string() + ": no such database (create one with ht-admin init or ht-admin demo)");
            return db.error();
        }
        m_db = std::move(*db);
    }
    return &*m_db;
}

Result<void> Session::Unlock(Access access, std::string_view command) {
    if (access == Access::Open || m_key) return {};
    auto db = Db();
    if (!db) return db.error();
    auto key = UnlockAs(*this, **db);
    if (!key) return key.error();
    actor = "staff:" + key->Staff();
    if (access == Access::Manager && key->Role() != store::StaffRole::Manager) {
        if (auto r = Audit(*this, **db, "access.denied", std::string(command), "receptionist"); !r) return r;
        return Fail(Errc::Forbidden, "'" + std::string(command) + "' is for managers; " + key->Staff() + " is a receptionist");
    }
    m_key = std::move(*key);
    return {};
}

Result<std::unique_ptr<core::TimeZone>> Session::Zone() {
    auto db = Db();
    if (!db) return db.error();
    auto settings = store::SettingsRepo(**db).Get();
    if (!settings) return settings.error();
    auto zone = env.make_zone(settings->time_zone);
    if (!zone) return Fail(Errc::BadConfig, database.string() + ": unknown time zone '" + settings->time_zone + "'");
    return zone;
}

// ---- init -----------------------------------------------------------------------------------------

Result<store::PublicKey> Init(const InitOptions& o, std::string_view passphrase, const Env& env) {
    if (o.practice_name.empty() || o.practice_name.size() > 200 || o.practice_name.find_first_of("\r\n") != std::string::npos)
        return Fail(Errc::InvalidInput, "the practice name must be one line of 1 to 200 characters");
    if (o.staff_name.empty() || o.staff_name.size() > 100)
        return Fail(Errc::InvalidInput, "the staff name must be 1 to 100 characters");
    if (passphrase.size() < store::kMinPassphraseLength)
        return Fail(Errc::InvalidInput, "the passphrase must be at least " + std::to_string(store::kMinPassphraseLength) +
                                            " characters; nothing was changed");
    if (!env.make_zone(o.time_zone)) return Fail(Errc::InvalidInput, "unknown time zone '" + o.time_zone + "'");
    if (o.database.empty()) return Fail(Errc::InvalidInput, "no database path");

    std::error_code ec;
    const bool existed = fs::exists(o.database, ec);
    if (auto r = CreateDirectories(o.database.parent_path(), 0700); !r) return r.error();
    auto opened = store::Open(o.database);
    if (!opened) return opened.error();
    store::Database db = std::move(*opened);
    auto fail = [&](core::Error e) -> Result<store::PublicKey> {
        db = store::Database();
        if (!existed)
            for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(fs::path(o.database.string() + suffix), ec);
        return e;
    };

    store::SettingsRepo settings(db);
    auto current = settings.Get();
    if (current && current->public_key)
        return fail(Fail(Errc::InvalidInput, o.database.string() + " is already set up for '" + current->name +
                                                 "'; nothing was changed"));
    if (!current && current.error().code != Errc::NotFound) return fail(current.error());
    store::PracticeSettings s = current ? *current : store::PracticeSettings{};
    s.name = o.practice_name;
    s.time_zone = o.time_zone;

    const auto now = env.now();
    auto tx = store::Transaction::Begin(db);
    if (!tx) return fail(tx.error());
    if (auto r = settings.Save(s); !r) return fail(r.error());
    auto pub = store::CreatePracticeKeys(db, o.staff_name, store::StaffRole::Manager, passphrase, now);
    if (!pub) return fail(pub.error());
    if (auto r = store::AuditRepo(db).Append({0, now, "staff:" + o.staff_name, "practice.init", "practice", o.time_zone}); !r)
        return fail(r.error());
    if (o.kiosk_config) {
        if (auto r = WriteKioskConfig(*o.kiosk_config, {o.practice_name, o.time_zone, *pub, o.kiosk_id, o.database, o.locales}); !r)
            return fail(r.error());
    }
    if (auto r = tx->Commit(); !r) {
        if (o.kiosk_config) fs::remove(*o.kiosk_config, ec);
        return fail(r.error());
    }
    return *pub;
}

Result<void> VerbInit(Session& s) {
    InitOptions o;
    o.database = s.database;
    auto practice = Required(s, "practice", "the practice's name, e.g. \"Chapeltown Health Centre\"");
    if (!practice) return practice.error();
    o.practice_name = *practice;
    auto staff = Required(s, "staff", "the first member of staff, who becomes a manager");
    if (!staff) return staff.error();
    o.staff_name = *staff;
    if (auto tz = s.args.Option("time-zone")) o.time_zone = *tz;
    if (auto kc = s.args.Option("kiosk-config")) o.kiosk_config = fs::path(*kc);
    if (auto id = s.args.Option("kiosk-id")) o.kiosk_id = *id;
    if (auto dir = s.args.Option("locales")) o.locales = *dir;
    if (!s.env.make_zone(o.time_zone)) return Fail(Errc::InvalidInput, "unknown time zone '" + o.time_zone + "'");

    auto pass = s.passphrase.ReadNew("New passphrase for " + o.staff_name + ": ");
    if (!pass) return pass.error();
    auto pub = Init(o, *pass, s.env);
    core::Wipe(*pass);
    if (!pub) return pub.error();
    const auto b64 = store::PublicKeyToBase64(*pub);
    if (s.json) {
        JsonObject j;
        j.Add("database", s.database.string()).Add("practice", o.practice_name).Add("time_zone", o.time_zone)
            .Add("staff", o.staff_name).Add("public_key", b64);
        if (o.kiosk_config) j.Add("kiosk_config", o.kiosk_config->string());
        s.env.out << j.Str() << "\n";
    } else {
        s.env.out << "Set up '" << o.practice_name << "' (" << o.time_zone << ") in " << s.database.string() << "\n"
                  << "Manager: " << o.staff_name << "\n"
                  << "Public key for kiosk.conf: " << b64 << "\n";
        if (o.kiosk_config) s.env.out << "Kiosk config written to " << o.kiosk_config->string() << "\n";
    }
    return {};
}

// ---- demo -----------------------------------------------------------------------------------------

Result<void> VerbDemo(Session& s) {
    if (s.args.Option("database"))
        return Fail(Errc::InvalidInput, "demo writes DIR/kiosk.db; --database does not apply (use --data-dir DIR)");
    auto dir = Required(s, "data-dir", "where to create the demo practice");
    if (!dir) return dir.error();
    auto demo = CreateDemo(*dir, s.env);
    if (!demo) return demo.error();
    if (s.json) {
        s.env.out << JsonObject()
                         .Add("database", demo->database.string())
                         .Add("config", demo->config.string())
                         .Add("passphrase_file", demo->passphrase_file.string())
                         .Add("staff", demo->staff_name)
                         .Add("public_key", store::PublicKeyToBase64(demo->public_key))
                         .Str()
                  << "\n";
    } else {
        s.env.out << "Demo practice '" << kDemoPractice << "' created\n"
                  << "  database:   " << demo->database.string() << "\n"
                  << "  config:     " << demo->config.string() << "\n"
                  << "  staff:      " << demo->staff_name << "\n"
                  << "  passphrase: " << demo->passphrase << "  (demo only; also in " << demo->passphrase_file.string()
                  << ")\n";
    }
    core::Wipe(demo->passphrase);
    return {};
}

// ---- staff ----------------------------------------------------------------------------------------

Result<void> VerbStaffAdd(Session& s) {
    auto name = Required(s, "name", "the new member of staff");
    if (!name) return name.error();
    const auto role = store::ParseStaffRole(s.args.Option("role").value_or("receptionist"));
    if (!role) return Fail(Errc::InvalidInput, "--role must be receptionist or manager");
    auto db = s.Db();
    if (!db) return db.error();
    auto pass = s.passphrase.ReadNew("New passphrase for " + *name + ": ");
    if (!pass) return pass.error();
    auto r = store::AddStaffKey(**db, s.Key(), *name, *role, *pass, s.env.now());
    core::Wipe(*pass);
    if (!r) return r;
    if (s.json)
        s.env.out << JsonObject().Add("staff", *name).Add("role", store::Key(*role)).Str() << "\n";
    else
        s.env.out << "Added " << store::Key(*role) << " " << *name << "\n";
    return {};
}

Result<void> VerbStaffList(Session& s) {
    auto db = s.Db();
    if (!db) return db.error();
    auto staff = store::ListStaff(**db);
    if (!staff) return staff.error();
    if (s.json) {
        std::vector<std::string> items;
        for (const auto& m : *staff) items.push_back(JsonObject().Add("name", m.name).Add("role", store::Key(m.role)).Str());
        s.env.out << JsonArray(items) << "\n";
        return {};
    }
    for (const auto& m : *staff) s.env.out << m.name << "  " << store::Key(m.role) << "\n";
    if (staff->empty()) s.env.out << "No staff yet.\n";
    return {};
}

// ---- trainers -------------------------------------------------------------------------------------

Result<void> VerbTrainersAdd(Session& s) {
    auto name = Required(s, "name", "the trainer's name as the practice writes it");
    if (!name) return name.error();
    core::Trainer t;
    t.display_name = *name;
    t.languages = core::SplitNonEmpty(s.args.Option("languages").value_or(""));
    t.active = !s.args.Flag("inactive");
    auto db = s.Db();
    if (!db) return db.error();
    auto id = store::TrainerRepo(**db).Add(t);
    if (!id) return id.error();
    t.id = *id;
    if (auto r = Audit(s, **db, "trainer.add", "trainer:" + std::to_string(*id), Join(t.languages, ",")); !r) return r;
    if (s.json)
        s.env.out << TrainerJson(t) << "\n";
    else
        s.env.out << "Added trainer " << *id << ": " << t.display_name << " (" << Join(t.languages, ", ") << ")"
                  << (t.active ? "" : ", inactive") << "\n";
    return {};
}

Result<void> VerbTrainersList(Session& s) {
    auto db = s.Db();
    if (!db) return db.error();
    auto trainers = store::TrainerRepo(**db).List();
    if (!trainers) return trainers.error();
    if (s.json) {
        std::vector<std::string> items;
        for (const auto& t : *trainers) items.push_back(TrainerJson(t));
        s.env.out << JsonArray(items) << "\n";
        return {};
    }
    if (trainers->empty()) s.env.out << "No trainers yet: add one with ht-admin trainers add --name NAME --languages tr,ku\n";
    for (const auto& t : *trainers)
        s.env.out << t.id << "  " << t.display_name << "  [" << Join(t.languages, ", ") << "]"
                  << (t.active ? "" : "  (inactive)") << "\n";
    return {};
}

static Result<void> SetActive(Session& s, bool active) {
    auto id = RequiredTrainer(s);
    if (!id) return id.error();
    auto db = s.Db();
    if (!db) return db.error();
    if (auto r = store::TrainerRepo(**db).SetActive(*id, active); !r) return r;
    if (auto r = Audit(s, **db, active ? "trainer.activate" : "trainer.deactivate", "trainer:" + std::to_string(*id), "");
        !r)
        return r;
    if (s.json)
        s.env.out << JsonObject().Add("id", *id).Add("active", active).Str() << "\n";
    else
        s.env.out << "Trainer " << *id << (active ? " is taking bookings\n" : " is no longer taking bookings\n");
    return {};
}

Result<void> VerbTrainersActivate(Session& s) { return SetActive(s, true); }
Result<void> VerbTrainersDeactivate(Session& s) { return SetActive(s, false); }

Result<void> VerbTrainersLanguages(Session& s) {
    auto id = RequiredTrainer(s);
    if (!id) return id.error();
    auto languages = Required(s, "languages", "comma-separated language tags, e.g. so,ar,en");
    if (!languages) return languages.error();
    const auto tags = core::SplitNonEmpty(*languages);
    auto db = s.Db();
    if (!db) return db.error();
    if (auto r = store::TrainerRepo(**db).SetLanguages(*id, tags); !r) return r;
    if (auto r = Audit(s, **db, "trainer.languages", "trainer:" + std::to_string(*id), Join(tags, ",")); !r) return r;
    if (s.json)
        s.env.out << JsonObject().Add("id", *id).AddRaw("languages", JsonStringArray(tags)).Str() << "\n";
    else
        s.env.out << "Trainer " << *id << " speaks " << Join(tags, ", ") << "\n";
    return {};
}

// ---- plans ----------------------------------------------------------------------------------------

Result<void> VerbPlansSet(Session& s) {
    auto trainer = RequiredTrainer(s);
    if (!trainer) return trainer.error();
    const auto day = s.args.Option("day");
    const auto date = s.args.Option("date");
    if (day.has_value() == date.has_value())
        return Fail(Errc::InvalidInput, "give either --day (weekly hours) or --date (an exception), not both or neither");
    auto hours_text = Required(s, "hours", "e.g. 09:00-17:00/12:30-13:00, or off");
    if (!hours_text) return hours_text.error();
    auto hours = ParseHours(*hours_text);
    if (!hours) return hours.error();

    auto db = s.Db();
    if (!db) return db.error();
    store::PlanRepo plans(**db);
    const std::string subject = "trainer:" + std::to_string(*trainer);
    const std::string formatted = core::FormatDayHours(*hours);
    if (day) {
        auto days = ParseWeekdays(*day);
        if (!days) return days.error();
        auto tx = store::Transaction::Begin(**db);
        if (!tx) return tx.error();
        std::vector<std::string> names;
        for (int d : *days) {
            if (auto r = plans.SetWeekday(*trainer, d, *hours); !r) return r;
            names.emplace_back(kDayNames[static_cast<std::size_t>(d)]);
        }
        if (auto r = Audit(s, **db, "plan.weekly", subject, Join(names, ",") + "=" + formatted); !r) return r;
        if (auto r = tx->Commit(); !r) return r;
        if (s.json)
            s.env.out << JsonObject().Add("trainer", *trainer).AddRaw("days", JsonStringArray(names)).Add("hours", formatted).Str() << "\n";
        else
            s.env.out << "Trainer " << *trainer << ", " << Join(names, ", ") << ": " << formatted << "\n";
        return {};
    }
    auto d = ParseDate(*date, "date");
    if (!d) return d.error();
    auto tx = store::Transaction::Begin(**db);
    if (!tx) return tx.error();
    if (auto r = plans.SetException(*trainer, *d, hours->Empty() ? std::nullopt : std::optional(*hours)); !r) return r;
    if (auto r = Audit(s, **db, "plan.exception", subject, d->Iso() + "=" + formatted); !r) return r;
    if (auto r = tx->Commit(); !r) return r;
    if (s.json)
        s.env.out << JsonObject().Add("trainer", *trainer).Add("date", d->Iso()).Add("hours", formatted).Str() << "\n";
    else
        s.env.out << "Trainer " << *trainer << ", " << d->Iso() << ": " << formatted << "\n";
    return {};
}

Result<void> VerbPlansClear(Session& s) {
    auto trainer = RequiredTrainer(s);
    if (!trainer) return trainer.error();
    auto date_text = Required(s, "date", "the exception's date");
    if (!date_text) return date_text.error();
    auto d = ParseDate(*date_text, "date");
    if (!d) return d.error();
    auto db = s.Db();
    if (!db) return db.error();
    if (auto r = store::PlanRepo(**db).ClearException(*trainer, *d); !r) return r;
    if (auto r = Audit(s, **db, "plan.exception_cleared", "trainer:" + std::to_string(*trainer), d->Iso()); !r) return r;
    if (s.json)
        s.env.out << JsonObject().Add("trainer", *trainer).Add("date", d->Iso()).Add("cleared", true).Str() << "\n";
    else
        s.env.out << "Trainer " << *trainer << " works the usual hours on " << d->Iso() << " again\n";
    return {};
}

Result<void> VerbPlansBlock(Session& s) {
    auto date_text = Required(s, "date", "the day the practice is closed");
    if (!date_text) return date_text.error();
    auto d = ParseDate(*date_text, "date");
    if (!d) return d.error();
    const std::string reason = s.args.Option("reason").value_or("");
    auto db = s.Db();
    if (!db) return db.error();
    if (auto r = store::PlanRepo(**db).BlockDay({*d, reason}); !r) return r;
    if (auto r = Audit(s, **db, "plan.block", "practice", d->Iso()); !r) return r;
    if (s.json)
        s.env.out << JsonObject().Add("date", d->Iso()).Add("reason", reason).Str() << "\n";
    else
        s.env.out << "No bookings on " << d->Iso() << (reason.empty() ? "" : " (" + reason + ")") << "\n";
    return {};
}

Result<void> VerbPlansUnblock(Session& s) {
    auto date_text = Required(s, "date", "the blocked day to open again");
    if (!date_text) return date_text.error();
    auto d = ParseDate(*date_text, "date");
    if (!d) return d.error();
    auto db = s.Db();
    if (!db) return db.error();
    if (auto r = store::PlanRepo(**db).UnblockDay(*d); !r) return r;
    if (auto r = Audit(s, **db, "plan.unblock", "practice", d->Iso()); !r) return r;
    if (s.json)
        s.env.out << JsonObject().Add("date", d->Iso()).Add("blocked", false).Str() << "\n";
    else
        s.env.out << d->Iso() << " is open for bookings again\n";
    return {};
}

Result<void> VerbPlansShow(Session& s) {
    auto only = OptionalPositive(s, "trainer");
    if (!only) return only.error();
    auto db = s.Db();
    if (!db) return db.error();
    std::vector<core::Trainer> trainers;
    if (*only) {
        auto t = store::TrainerRepo(**db).Get(**only);
        if (!t) return t.error();
        trainers.push_back(std::move(*t));
    } else {
        auto all = store::TrainerRepo(**db).List();
        if (!all) return all.error();
        trainers = std::move(*all);
    }
    auto blocked = store::PlanRepo(**db).BlockedDays();
    if (!blocked) return blocked.error();

    std::vector<std::string> items;
    for (const auto& t : trainers) {
        auto plan = store::PlanRepo(**db).Load(t.id);
        if (!plan) return plan.error();
        if (s.json) {
            JsonObject weekly;
            for (std::size_t d = 0; d < 7; ++d)
                weekly.Add(kLongDayNames[d].substr(0, 3), core::FormatDayHours(plan->weekly[d]));
            std::vector<std::string> exceptions;
            for (const auto& e : plan->exceptions)
                exceptions.push_back(JsonObject().Add("date", e.date.Iso())
                                         .Add("hours", e.hours ? core::FormatDayHours(*e.hours) : "off").Str());
            items.push_back(JsonObject().Add("trainer", t.id).Add("name", t.display_name)
                                .AddRaw("weekly", weekly.Str()).AddRaw("exceptions", JsonArray(exceptions)).Str());
            continue;
        }
        s.env.out << "Trainer " << t.id << ": " << t.display_name << (t.active ? "" : " (inactive)") << "\n";
        for (std::size_t d = 0; d < 7; ++d)
            s.env.out << "  " << kDayNames[d] << "  " << core::FormatDayHours(plan->weekly[d]) << "\n";
        for (const auto& e : plan->exceptions)
            s.env.out << "  " << e.date.Iso() << "  " << (e.hours ? core::FormatDayHours(*e.hours) : "off") << "\n";
    }
    if (s.json) {
        std::vector<std::string> days;
        for (const auto& b : *blocked) days.push_back(JsonObject().Add("date", b.date.Iso()).Add("reason", b.reason).Str());
        s.env.out << JsonObject().AddRaw("plans", JsonArray(items)).AddRaw("blocked_days", JsonArray(days)).Str() << "\n";
        return {};
    }
    s.env.out << "Blocked days:" << (blocked->empty() ? " none" : "") << "\n";
    for (const auto& b : *blocked) s.env.out << "  " << b.date.Iso() << "  " << b.reason << "\n";
    return {};
}

// ---- slots ----------------------------------------------------------------------------------------

Result<void> VerbSlotsList(Session& s) {
    auto trainer = OptionalPositive(s, "trainer");
    if (!trainer) return trainer.error();
    auto days = OptionalPositive(s, "days");
    if (!days) return days.error();
    if (*days && **days > 366) return Fail(Errc::InvalidInput, "--days must be 1 to 366");
    auto zone = s.Zone();
    if (!zone) return zone.error();
    auto db = s.Db();
    if (!db) return db.error();
    auto trainers = store::TrainerRepo(**db).List();
    if (!trainers) return trainers.error();
    std::optional<int> horizon;
    if (*days) horizon = static_cast<int>(**days);
    auto slots = store::SlotRepo(**db).FreeSlots(**zone, s.env.now(), *trainer, horizon);
    if (!slots) return slots.error();
    if (s.json) {
        std::vector<std::string> items;
        for (const auto& slot : *slots)
            items.push_back(JsonObject()
                                .Add("trainer", slot.trainer)
                                .Add("trainer_name", TrainerName(*trainers, slot.trainer))
                                .Add("start", LocalIso(slot.start, **zone))
                                .Add("end", LocalIso(slot.end, **zone))
                                .Add("start_utc", slot.start)
                                .Add("end_utc", slot.end)
                                .Str());
        s.env.out << JsonArray(items) << "\n";
        return {};
    }
    if (slots->empty()) s.env.out << "No free slots.\n";
    core::LocalDate last{0, 0, 0};
    for (const auto& slot : *slots) {
        const auto start = (*zone)->ToLocal(slot.start);
        const auto end = (*zone)->ToLocal(slot.end);
        if (start.date != last) {
            s.env.out << kDayNames[static_cast<std::size_t>(start.date.Weekday())] << " " << start.date.Iso() << "\n";
            last = start.date;
        }
        s.env.out << "  " << core::FormatClock(start.minute_of_day) << "-" << core::FormatClock(end.minute_of_day)
                  << "  " << slot.trainer << " " << TrainerName(*trainers, slot.trainer) << "\n";
    }
    return {};
}

// ---- requests: request_verbs.cpp -------------------------------------------------------------------

// ---- bookings -------------------------------------------------------------------------------------

Result<void> VerbBookingsList(Session& s) {
    auto days = OptionalPositive(s, "days");
    if (!days) return days.error();
    auto trainer = OptionalPositive(s, "trainer");
    if (!trainer) return trainer.error();
    std::optional<core::BookingStatus> status;
    if (auto v = s.args.Option("status")) {
        status = core::ParseBookingStatus(*v);
        if (!status) return Fail(Errc::InvalidInput, "--status must be one of requested, confirmed, attended, "
                                                     "did_not_attend, cancelled_by_patient, cancelled_by_practice");
    }
    auto zone = s.Zone();
    if (!zone) return zone.error();
    core::LocalDate from = (*zone)->ToLocal(s.env.now()).date;
    if (auto v = s.args.Option("from")) {
        auto d = ParseDate(*v, "from");
        if (!d) return d.error();
        from = *d;
    }
    const int span = *days ? static_cast<int>(std::min<std::int64_t>(**days, 366)) : 7;
    auto db = s.Db();
    if (!db) return db.error();
    auto trainers = store::TrainerRepo(**db).List();
    if (!trainers) return trainers.error();
    store::BookingFilter f;
    auto day_start = [&](core::LocalDate d) { return core::LocalDayStart(**zone, d); };
    f.from = day_start(from);
    f.to = day_start(from.AddDays(span));
    f.trainer = *trainer;
    f.status = status;
    auto bookings = store::BookingRepo(**db).List(f);
    if (!bookings) return bookings.error();
    std::vector<std::string> items;
    for (const auto& b : *bookings) {
        auto r = store::ReferralRepo(**db).Get(b.referral);
        if (!r) return r.error();
        if (s.json) {
            items.push_back(JsonObject()
                                .Add("id", b.id)
                                .Add("reference", r->reference)
                                .Add("trainer", b.slot.trainer)
                                .Add("trainer_name", TrainerName(*trainers, b.slot.trainer))
                                .Add("start", LocalIso(b.slot.start, **zone))
                                .Add("end", LocalIso(b.slot.end, **zone))
                                .Add("status", core::Key(b.status))
                                .Add("language", r->preferred_language)
                                .Add("interpreter", r->interpreter)
                                .Str());
            continue;
        }
        s.env.out << b.id << "  " << Local(b.slot.start, **zone) << "  " << TrainerName(*trainers, b.slot.trainer) << "  "
                  << r->reference << "  " << core::Key(b.status) << "  " << r->preferred_language
                  << (r->interpreter ? " +interpreter" : "") << "\n";
    }
    if (s.json)
        s.env.out << JsonArray(items) << "\n";
    else if (bookings->empty())
        s.env.out << "No bookings from " << from.Iso() << " for " << span << " days.\n";
    return {};
}

// ---- audit ----------------------------------------------------------------------------------------

Result<void> VerbAuditList(Session& s) {
    auto limit = OptionalPositive(s, "limit");
    if (!limit) return limit.error();
    store::AuditFilter f;
    f.action = s.args.Option("action").value_or("");
    f.actor = s.args.Option("actor").value_or("");
    f.subject = s.args.Option("subject").value_or("");
    f.limit = *limit ? static_cast<int>(**limit) : 100;
    auto db = s.Db();
    if (!db) return db.error();
    auto entries = store::AuditRepo(**db).List(f);
    if (!entries) return entries.error();
    // The audit log must stay readable when the time zone is broken, so fall back to UTC.
    std::unique_ptr<core::TimeZone> zone;
    if (auto z = s.Zone(); z) zone = std::move(*z);
    else zone = std::make_unique<core::FixedZone>(0);
    std::vector<std::string> items;
    for (const auto& e : *entries) {
        if (s.json) {
            items.push_back(JsonObject().Add("id", e.id).Add("at", LocalIso(e.at, *zone)).Add("at_utc", e.at)
                                .Add("actor", e.actor).Add("action", e.action).Add("subject", e.subject)
                                .Add("detail", e.detail).Str());
            continue;
        }
        s.env.out << Local(e.at, *zone) << "  " << e.actor << "  " << e.action << "  " << e.subject
                  << (e.detail.empty() ? "" : "  " + e.detail) << "\n";
    }
    if (s.json) s.env.out << JsonArray(items) << "\n";
    return {};
}

}  // namespace htk::admin
