// `ht-admin demo`: a believable practice for trying the kiosk. Patients' names are clearly fictional
// ("example patient" in each language), phones are in Ofcom's drama range (07700 900xxx), and the
// database is built under a temporary name and moved into place last: never a half-made demo.
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <system_error>

#include "admin/admin.h"
#include "admin/files.h"
#include "core/reference.h"
#include "core/slots.h"
#include "store/audit_repo.h"
#include "store/booking_repo.h"
#include "store/plan_repo.h"
#include "store/referral_repo.h"
#include "store/settings_repo.h"
#include "store/slot_repo.h"
#include "store/trainer_repo.h"

namespace htk::admin {

namespace fs = std::filesystem;
using core::BookingStatus;
using core::Errc;
using core::Fail;
using core::ReferralStatus;
using core::Result;

namespace {

constexpr const char* kKiosk = "kiosk:kiosk-1";
constexpr const char* kTimeZone = "Europe/London";
constexpr core::UnixSeconds kHour = 3600;
constexpr core::UnixSeconds kDay = 86400;

struct DemoTrainer {
    const char* name;
    std::vector<std::string> languages;
    std::array<const char*, 7> weekly;  // Monday first
};

const std::vector<DemoTrainer>& Trainers() {
    static const std::vector<DemoTrainer> trainers{
        {"Ayşe Demir", {"tr", "ku", "en"},
         {"09:00-17:00/12:30-13:30", "09:00-17:00/12:30-13:30", "09:00-17:00/12:30-13:30", "09:00-17:00/12:30-13:30",
          "09:00-17:00/12:30-13:30", "off", "off"}},
        {"Hodan Warsame", {"so", "ar", "en"},
         {"09:00-17:00/12:30-13:00", "09:00-17:00/12:30-13:00", "13:00-19:00/16:00-16:30", "09:00-17:00/12:30-13:00",
          "off", "off", "off"}},
        {"Imran Hussain", {"ur", "pa", "en"},
         {"off", "10:00-18:00/13:00-14:00", "10:00-18:00/13:00-14:00", "10:00-18:00/13:00-14:00",
          "10:00-18:00/13:00-14:00", "09:00-13:00", "off"}},
        {"Nasreen Begum", {"bn", "syl", "en"},
         {"09:00-15:00/12:00-12:30", "off", "09:00-15:00/12:00-12:30", "off", "09:00-15:00/12:00-12:30", "off", "off"}},
        {"Katarzyna Nowak", {"pl", "ru", "en"},
         {"12:00-20:00/16:00-16:30", "12:00-20:00/16:00-16:30", "12:00-20:00/16:00-16:30", "12:00-20:00/16:00-16:30",
          "off", "off", "off"}},
    };
    return trainers;
}

// How each demo request's story ends: together they cover every referral and booking status.
enum class Story { New, Contacted, Requested, Confirmed, Attended, DidNotAttend, CancelledByPatient, CancelledByPractice };

struct DemoRequest {
    Story story;
    std::size_t trainer;  // index into Trainers(), for the booking
    core::Route route;
    std::set<core::Reason> reasons;
    const char* language;
    bool interpreter;
    core::ContactMethod contact;
    std::set<core::BestTime> best_times;
    int days;  // future stories: the booking this many days ahead; past ones: this many days ago
    core::PatientDetails patient;
};

core::PatientDetails Patient(const char* name, core::LocalDate dob, const char* phone, const char* email,
                             const char* address, const char* note) {
    return {name, dob, phone, email, address, note};
}

std::vector<DemoRequest> Requests() {
    using core::BestTime;
    using core::ContactMethod;
    using core::Reason;
    using core::Route;
    return {
        {Story::New, 0, Route::SelfReferral, {Reason::StoppingSmoking}, "tr", true, ContactMethod::Phone,
         {BestTime::Morning}, 0,
         Patient("Ayşe Örnek", {1968, 5, 14}, "+447700900101", "", "1 Örnek Sokak, Leeds LS7 0AA",
                 "Örnek not: sabahları arayın")},
        {Story::Contacted, 1, Route::TaskedByGp, {Reason::LowMood}, "so", true, ContactMethod::Phone,
         {BestTime::Afternoon}, 0,
         Patient("Tusaale Bukaan", {1985, 11, 2}, "+447700900102", "", "2 Example Road, Leeds LS7 0AB", "")},
        {Story::Requested, 2, Route::SelfReferral, {Reason::LongTermCondition, Reason::EatingBetter}, "ur", false,
         ContactMethod::Phone, {BestTime::Morning, BestTime::Evening}, 3,
         Patient("نمونہ مریض", {1959, 3, 30}, "+447700900103", "", "3 Example Road, Leeds LS7 0AB", "")},
        {Story::Confirmed, 2, Route::BookedByGp, {Reason::LosingWeight, Reason::MovingMore}, "pa-Guru", true,
         ContactMethod::Letter, {}, 6,
         Patient("ਨਮੂਨਾ ਮਰੀਜ਼", {1972, 8, 19}, "+447700900104", "", "4 Example Road, Leeds LS7 0AB", "")},
        {Story::Attended, 3, Route::SelfReferral, {Reason::ChronicPain}, "bn", false, ContactMethod::CallIn,
         {BestTime::Morning}, 7,
         Patient("নমুনা রোগী", {1964, 1, 9}, "+447700900105", "", "5 Example Road, Leeds LS7 0AB", "")},
        {Story::DidNotAttend, 4, Route::Signposted, {Reason::DrinkingLess}, "pl", false, ContactMethod::Phone,
         {BestTime::Evening}, 5,
         Patient("Jan Przykładowy", {1990, 6, 21}, "+447700900106", "jan.przykladowy@example.org",
                 "6 Example Road, Leeds LS7 0AB", "")},
        {Story::CancelledByPatient, 1, Route::SelfReferral, {Reason::MovingMore}, "ar", true, ContactMethod::Phone,
         {BestTime::Afternoon}, 4,
         Patient("مريض تجريبي", {1979, 12, 1}, "+447700900107", "", "7 Example Road, Leeds LS7 0AB", "")},
        {Story::CancelledByPractice, 0, Route::TaskedByGp, {Reason::SomethingElse}, "en", false, ContactMethod::Phone,
         {BestTime::Morning, BestTime::Afternoon}, 8,
         Patient("Demo Patient", {1955, 9, 17}, "+447700900108", "demo.patient@example.org",
                 "8 Example Road, Leeds LS7 0AB", "Fictional demo record")},
        {Story::New, 4, Route::SelfReferral, {Reason::EatingBetter, Reason::LosingWeight}, "pl", false,
         ContactMethod::Letter, {}, 0,
         Patient("Anna Przykładowa", {1988, 2, 28}, "", "", "9 Example Road, Leeds LS7 0AB", "")},
    };
}

core::UnixSeconds StartOfDay(const core::TimeZone& zone, core::LocalDate d) {
    for (int minute = 0; minute < 24 * 60; minute += 15)
        if (auto t = zone.ToUtc({d, minute})) return *t;
    return d.DaysSinceEpoch() * kDay;
}

// A slot the plan gave on a past working day at or before `days_ago`, late enough in the day to be
// a plausible second session.
Result<core::Slot> PastSlot(store::Database& db, core::TrainerId trainer, const core::TimeZone& zone,
                            core::UnixSeconds now, int days_ago) {
    auto plan = store::PlanRepo(db).Load(trainer);
    if (!plan) return plan.error();
    const core::SlotRules one_day{60, 60, 0, 1};
    const auto today = zone.ToLocal(now).date;
    for (int k = days_ago; k < days_ago + 14; ++k) {
        const auto date = today.AddDays(-k);
        const auto slots = core::GenerateSlots(*plan, {}, one_day, zone, StartOfDay(zone, date));
        if (!slots.empty()) return slots[std::min<std::size_t>(1, slots.size() - 1)];
    }
    return Fail(Errc::Internal, "the demo plan of trainer " + std::to_string(trainer) + " has no past slot");
}

Result<core::Slot> FutureSlot(store::Database& db, core::TrainerId trainer, const core::TimeZone& zone,
                              core::UnixSeconds now, int days_ahead) {
    auto free = store::SlotRepo(db).FreeSlots(zone, now, trainer);
    if (!free) return free.error();
    const auto earliest = StartOfDay(zone, zone.ToLocal(now).date.AddDays(days_ahead));
    for (const auto& s : *free)
        if (s.start >= earliest) return s;
    if (!free->empty()) return free->back();
    return Fail(Errc::Internal, "the demo plan of trainer " + std::to_string(trainer) + " has no free slot");
}

core::LocalDate NextWeekdayFrom(core::LocalDate d, std::initializer_list<int> weekdays) {
    while (std::find(weekdays.begin(), weekdays.end(), d.Weekday()) == weekdays.end()) d = d.AddDays(1);
    return d;
}

std::string MakePassphrase() {
    // Rejection sampling keeps every character equally likely: 240 is the largest multiple of 20 below 256.
    constexpr auto& alphabet = core::kReferenceAlphabet;
    std::string out = "demo";
    int taken = 0;
    while (taken < 20) {
        std::array<std::uint8_t, 32> bytes{};
        store::RandomBytes(bytes);
        for (auto b : bytes) {
            if (b >= 240 || taken == 20) continue;
            if (taken % 5 == 0) out += '-';
            out += alphabet[b % alphabet.size()];
            ++taken;
        }
    }
    return out;
}

Result<void> Tell(store::Database& db, core::ReferralId id, ReferralStatus to, const std::string& actor,
                  core::UnixSeconds at) {
    auto r = store::ReferralRepo(db).ChangeStatus(id, to, actor, at);
    if (!r) return r.error();
    return {};
}

Result<void> Move(store::Database& db, core::BookingId id, BookingStatus to, const std::string& actor,
                  core::UnixSeconds at) {
    auto r = store::BookingRepo(db).ChangeStatus(id, to, actor, at);
    if (!r) return r.error();
    return {};
}

Result<void> PlayStory(store::Database& db, const DemoRequest& d, core::TrainerId trainer, const store::PublicKey& key,
                       const core::TimeZone& zone, core::UnixSeconds now, const std::string& staff) {
    const bool past = d.story == Story::Attended || d.story == Story::DidNotAttend;
    core::Slot slot{};
    if (d.story != Story::New && d.story != Story::Contacted) {
        auto s = past ? PastSlot(db, trainer, zone, now, d.days) : FutureSlot(db, trainer, zone, now, d.days);
        if (!s) return s.error();
        slot = *s;
    }
    // Requests arrive a few days before their booking is made and well before any past session.
    const core::UnixSeconds created = past ? slot.start - 6 * kDay : now - (2 + static_cast<int>(d.story)) * kHour * 5;
    core::Referral r;
    r.route = d.route;
    r.reasons = d.reasons;
    r.preferred_language = d.language;
    r.interpreter = d.interpreter;
    r.contact = d.contact;
    r.best_times = d.best_times;
    r.consent_version = "2026-01";
    r.patient = d.patient;
    const std::string maker = d.route == core::Route::SelfReferral ? kKiosk : staff;
    auto made = store::ReferralRepo(db).Create(r, key, maker, created);
    core::Wipe(r.patient);
    if (!made) return made.error();
    const auto id = made->id;

    switch (d.story) {
        case Story::New: return {};
        case Story::Contacted: return Tell(db, id, ReferralStatus::Contacted, staff, created + kHour);
        default: break;
    }
    auto booked = store::BookingRepo(db).Book(id, slot, maker, created + 60);
    if (!booked) return booked.error();
    const auto b = booked->id;
    switch (d.story) {
        case Story::Requested: return {};
        case Story::Confirmed: return Move(db, b, BookingStatus::Confirmed, staff, created + 2 * kHour);
        case Story::Attended:
        case Story::DidNotAttend: {
            if (auto m = Move(db, b, BookingStatus::Confirmed, staff, created + 2 * kHour); !m) return m;
            const auto outcome = d.story == Story::Attended ? BookingStatus::Attended : BookingStatus::DidNotAttend;
            if (auto m = Move(db, b, outcome, "staff:" + std::string(Trainers()[d.trainer].name), slot.end + 300); !m)
                return m;
            return Tell(db, id, ReferralStatus::Closed, staff, slot.end + 600);
        }
        case Story::CancelledByPatient:
            if (auto m = Move(db, b, BookingStatus::CancelledByPatient, staff, created + 3 * kHour); !m) return m;
            return Tell(db, id, ReferralStatus::Cancelled, staff, created + 3 * kHour + 60);
        case Story::CancelledByPractice:
            if (auto m = Move(db, b, BookingStatus::Confirmed, staff, created + kHour); !m) return m;
            if (auto m = Move(db, b, BookingStatus::CancelledByPractice, staff, created + 4 * kHour); !m) return m;
            return Tell(db, id, ReferralStatus::Contacted, staff, created + 4 * kHour + 60);
        default: return {};
    }
}

Result<store::PublicKey> Populate(store::Database& db, const core::TimeZone& zone, core::UnixSeconds now,
                                  const std::string& passphrase) {
    const std::string staff = "staff:" + std::string(kDemoStaff);
    auto tx = store::Transaction::Begin(db);
    if (!tx) return tx.error();
    store::PracticeSettings settings;
    settings.name = std::string(kDemoPractice);
    settings.time_zone = kTimeZone;
    if (auto r = store::SettingsRepo(db).Save(settings); !r) return r.error();
    auto key = store::CreatePracticeKeys(db, kDemoStaff, store::StaffRole::Manager, passphrase, now);
    if (!key) return key.error();

    std::vector<core::TrainerId> ids;
    for (const auto& t : Trainers()) {
        core::Trainer trainer;
        trainer.display_name = t.name;
        trainer.languages = t.languages;
        auto id = store::TrainerRepo(db).Add(trainer);
        if (!id) return id.error();
        ids.push_back(*id);
        for (int d = 0; d < 7; ++d) {
            const auto hours = core::ParseDayHours(t.weekly[static_cast<std::size_t>(d)]);
            if (!hours) return Fail(Errc::Internal, std::string("demo hours of ") + t.name + " do not parse");
            if (auto r = store::PlanRepo(db).SetWeekday(*id, d, *hours); !r) return r.error();
        }
    }

    // One trainer on leave, one on a half day, one practice-wide training day: all within four weeks.
    const auto today = zone.ToLocal(now).date;
    const auto leave = NextWeekdayFrom(today.AddDays(9), {0, 1, 2, 3, 4});
    if (auto r = store::PlanRepo(db).SetException(ids[0], leave, std::nullopt); !r) return r.error();
    const auto half_day = NextWeekdayFrom(today.AddDays(4), {0, 1, 3});
    if (auto r = store::PlanRepo(db).SetException(ids[1], half_day, core::ParseDayHours("09:00-12:00")); !r)
        return r.error();
    const auto training = NextWeekdayFrom(today.AddDays(12), {0, 1, 2, 3, 4});
    if (auto r = store::PlanRepo(db).BlockDay({training, "Staff training day"}); !r) return r.error();

    for (const auto& d : Requests())
        if (auto r = PlayStory(db, d, ids[d.trainer], *key, zone, now, staff); !r) return r.error();

    if (auto r = store::AuditRepo(db).Append({0, now, "admin-cli", "demo.create", "practice", ""}); !r) return r.error();
    if (auto r = tx->Commit(); !r) return r.error();
    return key;
}

void RemoveDatabaseFiles(const fs::path& p) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(fs::path(p.string() + suffix), ec);
}

}  // namespace

Result<DemoResult> CreateDemo(const fs::path& data_dir, const Env& env) {
    try {
        if (data_dir.empty()) return Fail(Errc::InvalidInput, "--data-dir is empty");
        std::error_code ec;
        const fs::path dir = fs::absolute(data_dir, ec).lexically_normal();
        if (ec) return Fail(Errc::InvalidInput, data_dir.string() + ": " + ec.message());
        DemoResult out;
        out.database = dir / "kiosk.db";
        out.config = dir / "kiosk.conf";
        out.passphrase_file = dir / "demo-passphrase";
        out.staff_name = std::string(kDemoStaff);
        if (fs::exists(fs::symlink_status(out.database, ec)))
            return Fail(Errc::InvalidInput, out.database.string() + " already exists; nothing was changed");
        if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
            return Fail(Errc::InvalidInput, dir.string() + " is not a directory; nothing was changed");
        auto zone = env.make_zone(kTimeZone);
        if (!zone) return Fail(Errc::BadConfig, std::string("the time zone database does not know ") + kTimeZone);

        if (auto r = CreateDirectories(dir, 0700); !r) return r.error();
        if (::chmod(dir.c_str(), 0700) != 0)
            return Fail(Errc::ReadOnly, dir.string() + ": cannot restrict the directory to its owner");

        const fs::path partial = dir / ".kiosk.db.partial";
        RemoveDatabaseFiles(partial);  // left by a demo that was killed halfway
        const auto now = env.now();
        out.passphrase = MakePassphrase();
        {
            auto db = store::Open(partial);
            if (!db) return db.error();
            auto key = Populate(*db, *zone, now, out.passphrase);
            if (!key) {
                *db = store::Database();
                RemoveDatabaseFiles(partial);
                return key.error();
            }
            out.public_key = *key;
        }
        if (fs::exists(partial.string() + "-wal", ec)) {
            RemoveDatabaseFiles(partial);
            return Fail(Errc::Io, partial.string() + ": the write-ahead log was not checkpointed");
        }
        auto fail = [&](core::Error e) -> Result<DemoResult> {
            RemoveDatabaseFiles(partial);
            fs::remove(out.passphrase_file, ec);
            fs::remove(out.config, ec);
            return e;
        };
        if (auto r = WriteFileAtomic(out.passphrase_file, out.passphrase + "\n", 0600); !r) return fail(r.error());
        if (auto r = WriteKioskConfig(out.config, {std::string(kDemoPractice), kTimeZone, out.public_key, "kiosk-1",
                                                   out.database, {}});
            !r)
            return fail(r.error());
        if (auto r = RenameDurably(partial, out.database); !r) return fail(r.error());
        return out;
    } catch (const std::exception& e) {  // std::filesystem and allocation; tier 3 -> tier 2
        return Fail(Errc::Internal, std::string("demo: ") + e.what());
    }
}

}  // namespace htk::admin
