// Shared set-up for the store suites: a unique temp directory removed afterwards, and a practice
// database with trainers and a plan. Never touches the user's real data directory.
#pragma once
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

#include "core/time.h"
#include "store/database.h"
#include "store/plan_repo.h"
#include "store/sealing.h"
#include "store/settings_repo.h"
#include "store/trainer_repo.h"
#include "tests/temp_dir.h"

namespace htk::test {

namespace fs = std::filesystem;

inline std::vector<char> ReadBytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void WriteBytes(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
}

// Monday 2 March 2026, 08:00 UTC: a quiet week with no clock change.
inline core::UnixSeconds Monday0800() { return core::LocalDate{2026, 3, 2}.DaysSinceEpoch() * 86400 + 8 * 3600; }
inline core::UnixSeconds At(core::LocalDate d, int hour, int minute = 0) {
    return d.DaysSinceEpoch() * 86400 + hour * 3600 + minute * 60;
}

template <class T>
T Must(core::Result<T> r) {
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : std::string(core::ErrcName(r.error().code)) + ": " + r.error().detail));
    return std::move(r).value();
}
inline void Must(core::Result<void> r) {
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : std::string(core::ErrcName(r.error().code)) + ": " + r.error().detail));
}

// A practice in UTC with one trainer working Monday to Friday 09:00-17:00 with lunch 12:30-13:30.
struct Practice {
    TempDir dir;
    fs::path path = dir.File("kiosk.db");
    store::Database db = Must(store::Open(path));
    core::TrainerId trainer = 0;
    core::FixedZone zone{0};

    Practice() {
        store::PracticeSettings s;
        s.name = "Chapeltown Health Centre";
        s.time_zone = "UTC";
        s.rules.min_notice_minutes = 0;
        s.rules.horizon_days = 7;
        Must(store::SettingsRepo(db).Save(s));
        trainer = AddTrainer("Ayşe Demir", {"tr", "ku", "en"});
    }

    core::TrainerId AddTrainer(const std::string& name, std::vector<std::string> languages) {
        core::Trainer t;
        t.display_name = name;
        t.languages = std::move(languages);
        const auto id = Must(store::TrainerRepo(db).Add(t));
        const auto hours = core::ParseDayHours("09:00-17:00/12:30-13:30");
        REQUIRE(hours);
        for (int d = 0; d < 5; ++d) Must(store::PlanRepo(db).SetWeekday(id, d, *hours));
        return id;
    }

    core::Slot SlotAt(core::TrainerId who, core::LocalDate day, int hour) const {
        return {who, At(day, hour), At(day, hour) + 3600};
    }
};

}  // namespace htk::test
