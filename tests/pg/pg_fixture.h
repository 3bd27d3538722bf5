// Shared set-up for the PostgreSQL suites: a private server with the kiosk schema (test::PgCluster +
// store::pg::Init), login roles made as a DBA would, and kiosks' local SQLite databases.
#pragma once
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/kiosk_store.h"
#include "core/referral.h"
#include "store/database.h"
#include "store/pg/connection.h"
#include "store/pg/schema.h"
#include "store/plan_repo.h"
#include "store/sealing.h"
#include "store/settings_repo.h"
#include "store/trainer_repo.h"
#include "tests/store/store_fixture.h"  // test::Must
#include "tests/support/pg_cluster.h"
#include "tests/temp_dir.h"

namespace htk::test {

inline constexpr const char* kLoginPassword = "kiosk-test-password";

// A server with the schema applied and practices added by the owner (the superuser here).
struct Server {
    Server() {
        REQUIRE_MESSAGE(PgCluster::Available(), "PostgreSQL 15 is not installed: apt-get install postgresql-15 (image/packages-dev.txt)");
        cluster = std::make_unique<PgCluster>();
        owner = Must(store::pg::Connection::Open(cluster->ConnInfo(), "test"));
        Must(store::pg::Init(owner));
    }
    std::int64_t AddPractice(const std::string& name) {
        return std::stoll(cluster->Scalar("INSERT INTO htk.practices (name, time_zone) VALUES ('" + name + "', 'UTC') RETURNING id"));
    }
    // A login role in `group`, registered as kiosk `kiosk` of `practice` (what `ht-admin db add-kiosk` does).
    std::string AddKiosk(std::int64_t practice, const std::string& kiosk) {
        std::string login = "login_" + kiosk;
        std::replace(login.begin(), login.end(), '-', '_');  // a plain identifier: no quoting needed below
        cluster->Exec("CREATE ROLE " + login + " LOGIN PASSWORD '" + kLoginPassword + "' IN ROLE htk_kiosk");
        cluster->Exec("INSERT INTO htk.kiosks (practice_id, kiosk_id, db_role) VALUES (" + std::to_string(practice) + ", '" +
                      kiosk + "', '" + login + "')");
        return cluster->ConnInfo(login, kLoginPassword);
    }
    // A desk's login for `practice`, as `ht-admin db add-desk` registers one.
    std::string AddDesk(std::int64_t practice, const std::string& login) {
        cluster->Exec("CREATE ROLE " + login + " LOGIN PASSWORD '" + kLoginPassword + "' IN ROLE htk_desk;"
                      "INSERT INTO htk.desks VALUES ('" + login + "', " + std::to_string(practice) + ")");
        return cluster->ConnInfo(login, kLoginPassword);
    }
    // The references the server holds from `origin`, sorted and comma-joined (one query: each Scalar is a new connection).
    std::string References(const std::string& origin) const {
        return cluster->Scalar("SELECT coalesce(string_agg(reference, ',' ORDER BY reference), '') FROM htk.referrals WHERE origin = '" + origin + "'");
    }
    long Count(const std::string& where = "true") const {
        return std::stol(cluster->Scalar("SELECT count(*) FROM htk.referrals WHERE " + where));
    }

    std::unique_ptr<PgCluster> cluster;
    store::pg::Connection owner;
};

// A kiosk's own SQLite database with its practice and key, as `ht-admin init` leaves it.
struct LocalKiosk {
    TempDir dir;
    std::filesystem::path path = dir.File("kiosk.db");
    store::Database db = Must(store::Open(path));
    store::PublicKey key{};
    LocalKiosk() {
        store::PracticeSettings s;
        s.name = "Chapeltown Health Centre";
        s.time_zone = "UTC";
        Must(store::SettingsRepo(db).Save(s));
        key = Must(store::CreatePracticeKeys(db, "Rukhsana", store::StaffRole::Manager, "correct horse battery staple", 1));
    }
};

// The practice's plan: Ayşe (Turkish, Kurdish) Mondays 09:00-12:00, Bilal (Urdu, Punjabi) Tuesdays 14:00-16:00.
inline void AddPlan(store::Database& db) {
    const auto add = [&](const char* name, std::vector<std::string> languages, int weekday, int from, int to) {
        core::Trainer t;
        t.display_name = name;
        t.languages = std::move(languages);
        const auto id = Must(store::TrainerRepo(db).Add(t));
        core::DayHours hours;
        hours.open.push_back({from * 60, to * 60});
        Must(store::PlanRepo(db).SetWeekday(id, weekday, hours));
    };
    add("Ayşe Demir", {"tr", "ku"}, 0, 9, 12);
    add("Bilal Ahmed", {"ur", "pa"}, 1, 14, 16);
}

// Books as the App does: a server booking answers Busy until its thread has the server's answer.
inline core::Result<std::string> BookNow(app::KioskStore& store, std::string_view token, const core::Referral& referral,
                                         core::UnixSeconds now) {
    for (int i = 0; i < 2000; ++i) {
        auto booked = store.Book(token, referral, now);
        if (booked || booked.error().code != core::Errc::Busy) return booked;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return core::Fail(core::Errc::Busy, "no answer in 10 s");
}

// Runs `body` on a fresh SQLite backend, then on a fresh PostgreSQL one, each named in a failure's context:
// the same steps and assertions on both (tests/pg/*_store_test.cpp).
template <class OnFile, class OnServer, class Body>
void OnBothBackends(Body&& body) {
    {
        OnFile file;
        const std::string backend = file.Name();
        CAPTURE(backend);
        body(file);
    }
    {
        OnServer server;
        const std::string backend = server.Name();
        CAPTURE(backend);
        body(server);
    }
}

inline std::string Joined(std::vector<std::string> references) {
    std::sort(references.begin(), references.end());
    std::string out;
    for (const auto& r : references) out += (out.empty() ? "" : ",") + r;
    return out;
}

inline core::Referral SampleReferral(int n) {
    core::Referral r;
    r.route = core::Route::SelfReferral;
    r.reasons = {core::Reason::MovingMore};
    r.preferred_language = n % 2 ? "ur" : "pl";
    r.contact = core::ContactMethod::Phone;
    r.best_times = {core::BestTime::Morning};
    r.consent_version = "2026-01";
    r.patient.name = "Patient " + std::to_string(n);
    r.patient.phone = "+447700900456";
    return r;
}

}  // namespace htk::test
