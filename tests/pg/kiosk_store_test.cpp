// The kiosk's store interface (app::KioskStore) on both of its backends, by one suite: a kiosk on its
// own SQLite file, and a kiosk whose slots and bookings are the shared PostgreSQL database's (its
// requests still written locally first). Each case runs the same steps and assertions on both, from
// the same practice plan: on PostgreSQL it is published as `ht-admin db publish` does.
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "app/kiosk_store.h"
#include "i18n/time_zone.h"
#include "pg_fixture.h"
#include "store/pg/booking.h"
#include "store/pg/forwarder.h"
#include "store/pg/publish.h"
#include "store/plan_repo.h"
#include "store/slot_repo.h"
#include "store/trainer_repo.h"
#include "tests/support/kiosk.h"

using namespace htk;
using test::Must;
namespace pg = store::pg;

namespace {

constexpr core::UnixSeconds kNow = test::kStartWall;  // Monday 08:00 UTC
constexpr const char* kLive = "status NOT IN ('cancelled_by_patient', 'cancelled_by_practice')";

long CountOf(store::Database& db, const std::string& sql) {
    auto stmt = Must(store::Statement::Prepare(db, sql));
    REQUIRE(Must(stmt.Step()));
    return stmt.Int(0);
}

// One backend: two kiosks of one practice (two sessions reaching for one slot), and what is stored.
class Backend {
public:
    virtual ~Backend() = default;
    virtual const char* Name() const = 0;
    virtual app::KioskStore& First() = 0;
    virtual app::KioskStore& Second() = 0;
    virtual void Refresh() {}                        // what the forwarding worker does between patients
    virtual long LiveBookings() = 0;                 // over the practice, wherever they are authoritative
    virtual long Requests() = 0;                     // stored, after a Refresh
    virtual long BookedRequestsWith(const std::string& reference) = 0;
};

class SqliteBackend final : public Backend {
public:
    SqliteBackend() {
        test::AddPlan(m_local.db);
        m_first.emplace(m_local.db, *m_zone, m_local.key, "kiosk:kiosk-1");
        m_second.emplace(m_second_db, *m_zone, m_local.key, "kiosk:kiosk-2");
    }
    const char* Name() const override { return "SQLite"; }
    app::KioskStore& First() override { return *m_first; }
    app::KioskStore& Second() override { return *m_second; }
    long LiveBookings() override { return CountOf(m_local.db, std::string("SELECT count(*) FROM bookings WHERE ") + kLive); }
    long Requests() override { return CountOf(m_local.db, "SELECT count(*) FROM referrals"); }
    long BookedRequestsWith(const std::string& reference) override {
        return CountOf(m_local.db, "SELECT count(*) FROM bookings b JOIN referrals r ON r.id = b.referral_id WHERE r.reference = '" + reference + "'");
    }

private:
    test::LocalKiosk m_local;
    store::Database m_second_db = Must(store::Open(m_local.path));  // a second kiosk on the same file
    std::unique_ptr<core::TimeZone> m_zone = i18n::MakeTimeZone("UTC");
    std::optional<app::SqliteKioskStore> m_first, m_second;
};

class PostgresBackend final : public Backend {
public:
    PostgresBackend() {
        const auto practice = m_server.AddPractice("Chapeltown");
        test::AddPlan(m_plan.db);
        Must(pg::Publish(m_server.owner, practice, Must(pg::ReadPlan(m_plan.db, *m_zone, kNow))));
        m_first.Start(m_server.AddKiosk(practice, "kiosk-1"), *m_zone, m_slots);
        m_second.Start(m_server.AddKiosk(practice, "kiosk-2"), *m_zone, m_slots);
        Refresh();
    }
    const char* Name() const override { return "PostgreSQL"; }
    app::KioskStore& First() override { return *m_first.store; }
    app::KioskStore& Second() override { return *m_second.store; }
    void Refresh() override {
        Must(m_first.forwarder->RunOnce());
        Must(m_second.forwarder->RunOnce());
    }
    long LiveBookings() override { return std::stol(m_server.cluster->Scalar(std::string("SELECT count(*) FROM htk.bookings WHERE ") + kLive)); }
    long Requests() override { return m_server.Count(); }
    long BookedRequestsWith(const std::string& reference) override {
        return std::stol(m_server.cluster->Scalar("SELECT count(*) FROM htk.bookings b JOIN htk.referrals r ON r.id = b.referral_id "
                                                  "WHERE r.reference = '" + reference + "'"));
    }

private:
    struct Kiosk {
        test::LocalKiosk local;
        std::unique_ptr<pg::Forwarder> forwarder;
        std::optional<app::SqliteKioskStore> store;
        void Start(const std::string& conninfo, const core::TimeZone& zone, const std::shared_ptr<pg::SlotCache>& slots) {
            pg::ForwarderOptions o;
            o.database = local.path;
            o.conninfo = conninfo;
            o.slots = slots;
            o.steady = [] { return 1000.0; };
            o.wall = [] { return kNow; };
            forwarder = std::make_unique<pg::Forwarder>(std::move(o));
            store.emplace(local.db, zone, local.key, "kiosk", app::Forwarding{.queued = [] {}, .server = conninfo, .slots = slots,
                                                                              .steady = [] { return 1000.0; }});
        }
    };
    test::Server m_server;
    test::LocalKiosk m_plan;  // the practice's own file, where `ht-admin plans` keeps the plan
    std::unique_ptr<core::TimeZone> m_zone = i18n::MakeTimeZone("UTC");
    std::shared_ptr<pg::SlotCache> m_slots = std::make_shared<pg::SlotCache>();
    Kiosk m_first, m_second;
};

void OnBothBackends(const std::function<void(Backend&)>& body) { test::OnBothBackends<SqliteBackend, PostgresBackend>(body); }

core::Result<std::string> BookNow(app::KioskStore& store, std::string_view token, int n, core::UnixSeconds now = kNow) {
    return test::BookNow(store, token, test::SampleReferral(n), now);
}

core::Errc CodeOf(const core::Result<std::string>& r) { return r ? core::Errc::Internal : r.error().code; }

}  // namespace

TEST_CASE("kiosk store, both backends: the same plan offers the same free slots, the language's trainers first, none inside the notice") {
    std::vector<std::vector<app::FreeSlot>> lists;
    OnBothBackends([&](Backend& b) {
        const auto urdu = Must(b.First().FreeSlots("ur", kNow));
        // 4 Mondays x 3 + 4 Tuesdays x 2, less Monday 09:00 (inside the two hours' notice).
        REQUIRE(urdu.size() == 19);
        CHECK(urdu.front().trainer == "Bilal Ahmed");
        CHECK(urdu.front().speaks);
        CHECK(urdu.front().slot.start == kNow + 86400 + 6 * 3600);  // Tuesday 14:00
        CHECK(urdu[8].trainer == "Ayşe Demir");
        CHECK_FALSE(urdu[8].speaks);
        CHECK(urdu[8].slot.start == kNow + 2 * 3600);  // Monday 10:00: 09:00 is too soon
        lists.push_back(urdu);
    });
    REQUIRE(lists.size() == 2);
    CHECK(lists[0] == lists[1]);
}

TEST_CASE("kiosk store, both backends: a booked slot is one booking with its request, and leaves both kiosks' lists") {
    OnBothBackends([](Backend& b) {
        const auto slots = Must(b.First().FreeSlots("ur", kNow));
        const core::Slot chosen = slots.front().slot;
        Must(b.First().Hold(chosen, "session-one", kNow));
        const std::string reference = Must(BookNow(b.First(), "session-one", 1));
        CHECK(reference.size() == 8);
        b.Refresh();
        CHECK(b.LiveBookings() == 1);
        CHECK(b.BookedRequestsWith(reference) == 1);
        CHECK(b.Requests() == 1);
        for (app::KioskStore* kiosk : {&b.First(), &b.Second()}) {
            const auto after = Must(kiosk->FreeSlots("ur", kNow));
            CHECK(after.size() == slots.size() - 1);
            CHECK(std::none_of(after.begin(), after.end(), [&](const app::FreeSlot& s) { return s.slot == chosen; }));
        }
    });
}

TEST_CASE("kiosk store, both backends: two kiosks reach for one slot: one booking, and the other patient is told it went, with nothing stored") {
    OnBothBackends([](Backend& b) {
        const core::Slot chosen = Must(b.First().FreeSlots("tr", kNow)).front().slot;
        Must(b.First().Hold(chosen, "session-one", kNow));
        // On one SQLite file the hold already keeps the slot from the second kiosk; on the shared
        // database holds are each kiosk's own, and the server decides at booking.
        auto second = b.Second().Hold(chosen, "session-two", kNow);
        if (second) CHECK(BookNow(b.Second(), "session-two", 2).ok());  // and books first
        else CHECK(second.error().code == core::Errc::SlotHeld);
        auto first = BookNow(b.First(), "session-one", 1);
        CHECK((second ? CodeOf(first) == core::Errc::SlotTaken : first.ok()));
        b.Refresh();
        CHECK(b.LiveBookings() == 1);
        CHECK(b.Requests() == 1);  // the loser's request was never stored
    });
}

TEST_CASE("kiosk store, both backends: a lapsed hold books a slot nobody took, and is told it went if someone did") {
    OnBothBackends([](Backend& b) {
        // Next week's slots: today's would come inside the notice as the clock moves on, which the
        // server checks again at booking and the SQLite store (trusting its own fresh list) does not.
        auto slots = Must(b.First().FreeSlots("pl", kNow));
        slots.erase(slots.begin(), slots.end() - 2);
        const core::UnixSeconds until = Must(b.First().Hold(slots[0].slot, "slow-patient", kNow));
        CHECK(until == kNow + store::kDefaultHoldSeconds);
        CHECK(BookNow(b.First(), "slow-patient", 1, until + 60).ok());  // late, but the slot was still free

        // Another hold lapses, and meanwhile the other kiosk books that slot.
        Must(b.First().Hold(slots[1].slot, "slower-patient", kNow));
        Must(b.Second().Hold(slots[1].slot, "quick-patient", until + 1));
        REQUIRE(BookNow(b.Second(), "quick-patient", 2, until + 1).ok());
        CHECK(CodeOf(BookNow(b.First(), "slower-patient", 3, until + 60)) == core::Errc::HoldExpired);
        b.First().Release("slower-patient");
        CHECK(CodeOf(BookNow(b.First(), "slower-patient", 3, until + 60)) == core::Errc::HoldExpired);  // released: no hold at all
        b.Refresh();
        CHECK(b.LiveBookings() == 2);
        CHECK(b.Requests() == 2);
    });
}

TEST_CASE("kiosk store, both backends: a request without a slot is stored whole, and the retention period is the practice's") {
    OnBothBackends([](Backend& b) {
        const std::string reference = Must(b.First().Submit(test::SampleReferral(3), kNow));
        CHECK(reference.size() == 8);
        b.Refresh();
        CHECK(b.Requests() == 1);
        CHECK(b.LiveBookings() == 0);
        CHECK(Must(b.First().RetentionMonths()) == 12);  // 365 days, the practice's default
    });
}

TEST_CASE("a kiosk on a file whose times are booked on the shared database, but not pointed at it, offers a call back instead of a slot") {
    test::LocalKiosk local;
    test::AddPlan(local.db);
    const auto zone = i18n::MakeTimeZone("UTC");
    app::SqliteKioskStore kiosk(local.db, *zone, local.key, "kiosk:kiosk-1");
    REQUIRE_FALSE(Must(kiosk.FreeSlots("ur", kNow)).empty());
    Must(store::SettingsRepo(local.db).MarkShared(kNow));  // `db publish` ran on this file
    auto slots = kiosk.FreeSlots("ur", kNow);
    REQUIRE_FALSE(slots);
    CHECK(slots.error().code == core::Errc::Unavailable);  // the kiosk's call-back path, as with the server away
    CHECK(Must(kiosk.Submit(test::SampleReferral(1), kNow)).size() == 8);  // a request without a slot is still taken
}
