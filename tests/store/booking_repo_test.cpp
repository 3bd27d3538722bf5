// Bookings: no slot is ever booked twice, not by two kiosks racing, not by two threads, not by raw
// SQL; holds lapse by themselves; status changes follow the domain's rules with history and audit.
#include <doctest/doctest.h>

#include <latch>
#include <thread>

#include "store/audit_repo.h"
#include "store/booking_repo.h"
#include "store/referral_repo.h"
#include "store/settings_repo.h"
#include "store/slot_repo.h"
#include "store_fixture.h"

using namespace htk;
using test::Must;

namespace {

const char* kPassphrase = "correct horse battery staple";
const core::LocalDate kTuesday{2026, 3, 3};

core::Referral Request() {
    core::Referral r;
    r.reasons = {core::Reason::StoppingSmoking};
    r.preferred_language = "so";
    r.consent_version = "2026-01";
    r.patient.name = "Tusaale Bukaan";
    return r;
}

struct KeyedPractice : test::Practice {
    store::PublicKey pub = Must(store::CreatePracticeKeys(db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1));
    core::ReferralId NewReferral() { return Must(store::ReferralRepo(db).Create(Request(), pub, "kiosk:kiosk-1", 1000)).id; }
};

int LiveBookings(store::Database& db) {
    auto stmt = Must(store::Statement::Prepare(
        db, "SELECT count(*) FROM bookings WHERE status NOT IN ('cancelled_by_patient', 'cancelled_by_practice')"));
    REQUIRE(Must(stmt.Step()));
    return static_cast<int>(stmt.Int(0));
}

}  // namespace

TEST_CASE("reception books a slot: the booking is requested, the request becomes booked, all on the record") {
    KeyedPractice p;
    const auto referral = p.NewReferral();
    const auto slot = p.SlotAt(p.trainer, kTuesday, 10);
    const auto booking = Must(store::BookingRepo(p.db).Book(referral, slot, "staff:Tomasz", 5000));
    CHECK(booking.status == core::BookingStatus::Requested);
    CHECK(booking.slot == slot);
    const auto back = Must(store::BookingRepo(p.db).Get(booking.id));
    CHECK(back.referral == referral);
    REQUIRE(back.history.size() == 1);
    CHECK(back.history[0].actor == "staff:Tomasz");
    CHECK(back.history[0].at == 5000);
    CHECK(Must(store::ReferralRepo(p.db).Get(referral)).status == core::ReferralStatus::Booked);
    CHECK(Must(store::AuditRepo(p.db).List({.action = "booking.create"})).size() == 1);
}

TEST_CASE("two kiosks racing for the same slot: one books it, the other is told it was taken") {
    KeyedPractice p;
    auto kiosk_a = Must(store::Open(p.path));
    auto kiosk_b = Must(store::Open(p.path));
    const auto slot = p.SlotAt(p.trainer, kTuesday, 10);
    const auto ra = Must(store::ReferralRepo(kiosk_a).Create(Request(), p.pub, "kiosk:a", 1000)).id;
    const auto rb = Must(store::ReferralRepo(kiosk_b).Create(Request(), p.pub, "kiosk:b", 1000)).id;

    auto first = store::BookingRepo(kiosk_a).Book(ra, slot, "kiosk:a", 2000);
    auto second = store::BookingRepo(kiosk_b).Book(rb, slot, "kiosk:b", 2000);
    CHECK(first.ok());
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == core::Errc::SlotTaken);
    CHECK(LiveBookings(p.db) == 1);
    CHECK(Must(store::ReferralRepo(p.db).Get(rb)).status == core::ReferralStatus::New);  // nothing half-done
}

TEST_CASE("two threads racing for the same slot on their own connections: exactly one wins") {
    KeyedPractice p;
    const auto slot = p.SlotAt(p.trainer, kTuesday, 11);
    constexpr int kRacers = 4;
    std::vector<core::ReferralId> referrals;
    for (int i = 0; i < kRacers; ++i) referrals.push_back(p.NewReferral());
    std::vector<store::Database> connections;
    for (int i = 0; i < kRacers; ++i) connections.push_back(Must(store::Open(p.path)));

    std::latch start(kRacers);
    std::vector<core::Errc> codes(kRacers, core::Errc::Internal);
    std::vector<bool> won(kRacers, false);
    std::vector<std::thread> threads;
    for (int i = 0; i < kRacers; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            auto r = store::BookingRepo(connections[static_cast<std::size_t>(i)])
                         .Book(referrals[static_cast<std::size_t>(i)], slot, "kiosk:" + std::to_string(i), 2000);
            won[static_cast<std::size_t>(i)] = r.ok();
            if (!r.ok()) codes[static_cast<std::size_t>(i)] = r.error().code;
        });
    }
    for (auto& t : threads) t.join();
    CHECK(std::count(won.begin(), won.end(), true) == 1);
    for (int i = 0; i < kRacers; ++i)
        if (!won[static_cast<std::size_t>(i)]) CHECK(codes[static_cast<std::size_t>(i)] == core::Errc::SlotTaken);
    CHECK(LiveBookings(p.db) == 1);
}

TEST_CASE("two threads each holding then booking the same slot: one booking, one clear refusal") {
    KeyedPractice p;
    const auto slot = p.SlotAt(p.trainer, kTuesday, 14);
    auto a = Must(store::Open(p.path));
    auto b = Must(store::Open(p.path));
    std::latch start(2);
    core::Result<store::BookedReferral> ra = core::Fail(core::Errc::Internal);
    core::Result<store::BookedReferral> rb = core::Fail(core::Errc::Internal);
    auto run = [&](store::Database& db, std::string token, core::Result<store::BookedReferral>& out) {
        start.arrive_and_wait();
        auto hold = store::SlotRepo(db).HoldSlot(slot, token, 2000);
        if (!hold) {
            out = hold.error();
            return;
        }
        out = store::BookingRepo(db).BookHeldSlot(token, Request(), p.pub, "kiosk:" + token, 2010);
    };
    std::thread ta(run, std::ref(a), "token-aaaa", std::ref(ra));
    std::thread tb(run, std::ref(b), "token-bbbb", std::ref(rb));
    ta.join();
    tb.join();
    CHECK(ra.ok() != rb.ok());
    const auto& loser = ra.ok() ? rb : ra;
    REQUIRE_FALSE(loser.ok());
    // Held while the winner typed, or already booked if the winner was that quick.
    CHECK((loser.error().code == core::Errc::SlotHeld || loser.error().code == core::Errc::SlotTaken));
    CHECK(LiveBookings(p.db) == 1);
    CHECK(Must(store::ReferralRepo(p.db).List()).size() == 1);  // the loser's request was not half-stored
}

TEST_CASE("the database refuses a second live booking even from raw SQL, and allows it once cancelled") {
    KeyedPractice p;
    const auto referral = p.NewReferral();
    const auto booking = Must(store::BookingRepo(p.db).Book(referral, p.SlotAt(p.trainer, kTuesday, 10), "staff:T", 1));
    const std::string insert = "INSERT INTO bookings (referral_id, trainer_id, start_at, end_at, status) VALUES (" +
                               std::to_string(referral) + ", " + std::to_string(p.trainer) + ", " +
                               std::to_string(booking.slot.start) + ", " + std::to_string(booking.slot.end) + ", ";
    auto raw = p.db.Exec(insert + "'confirmed')");
    REQUIRE_FALSE(raw.ok());
    CHECK(raw.error().detail.find("UNIQUE") != std::string::npos);
    Must(p.db.Exec(insert + "'cancelled_by_practice')"));  // cancelled rows do not hold the slot
    Must(store::BookingRepo(p.db).ChangeStatus(booking.id, core::BookingStatus::CancelledByPatient, "staff:T", 2));
    Must(p.db.Exec(insert + "'requested')"));
    CHECK(LiveBookings(p.db) == 1);
}

TEST_CASE("a practice whose times are booked on its shared database takes no new booking in its file, even from raw SQL") {
    KeyedPractice p;
    const auto first = p.NewReferral();
    const auto booking = Must(store::BookingRepo(p.db).Book(first, p.SlotAt(p.trainer, kTuesday, 10), "staff:T", 1));
    CHECK_FALSE(Must(store::SettingsRepo(p.db).SharedSince()));
    Must(store::SettingsRepo(p.db).MarkShared(100));  // `db publish` put its plan on the server
    Must(store::SettingsRepo(p.db).MarkShared(200));
    CHECK(Must(store::SettingsRepo(p.db).SharedSince()) == std::optional<core::UnixSeconds>(100));  // the first time stays

    const auto second = p.NewReferral();
    auto refused = store::BookingRepo(p.db).Book(second, p.SlotAt(p.trainer, kTuesday, 11), "staff:T", 2);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == core::Errc::InvalidInput);
    CHECK(refused.error().detail.find("From kiosks view") != std::string::npos);  // says where to book instead
    auto raw = p.db.Exec("INSERT INTO bookings (referral_id, trainer_id, start_at, end_at, status) VALUES (" + std::to_string(second) + ", " +
                         std::to_string(p.trainer) + ", 1, 2, 'requested')");
    REQUIRE_FALSE(raw);
    CHECK(raw.error().detail.find("shared database") != std::string::npos);
    CHECK(LiveBookings(p.db) == 1);
    // A booking made before still moves on, here.
    CHECK(Must(store::BookingRepo(p.db).ChangeStatus(booking.id, core::BookingStatus::Confirmed, "staff:T", 3)).status ==
          core::BookingStatus::Confirmed);
}

TEST_CASE("a patient's hold keeps the slot from others until it lapses, then anyone may take it") {
    KeyedPractice p;
    store::SlotRepo slots(p.db);
    const auto slot = p.SlotAt(p.trainer, kTuesday, 10);
    const auto now = test::Monday0800();
    const auto hold = Must(slots.HoldSlot(slot, "patient-one", now, 300));
    CHECK(hold.expires_at == now + 300);

    auto other = slots.HoldSlot(slot, "patient-two", now + 100, 300);
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code == core::Errc::SlotHeld);
    auto desk = store::BookingRepo(p.db).Book(p.NewReferral(), slot, "staff:T", now + 100);
    REQUIRE_FALSE(desk.ok());
    CHECK(desk.error().code == core::Errc::SlotHeld);

    Must(slots.HoldSlot(slot, "patient-two", now + 301, 300));  // the first hold lapsed at now + 300
    const auto requests_before = Must(store::ReferralRepo(p.db).List()).size();
    auto late = store::BookingRepo(p.db).BookHeldSlot("patient-one", Request(), p.pub, "kiosk:kiosk-1", now + 302);
    REQUIRE_FALSE(late.ok());
    CHECK(late.error().code == core::Errc::HoldExpired);
    const auto booked = Must(store::BookingRepo(p.db).BookHeldSlot("patient-two", Request(), p.pub, "kiosk:kiosk-2", now + 310));
    CHECK(booked.booking.slot == slot);
    CHECK(booked.referral.status == core::ReferralStatus::Booked);
    CHECK(Must(store::ReferralRepo(p.db).Get(booked.referral.id)).status == core::ReferralStatus::Booked);
    CHECK_FALSE(Must(slots.HoldFor("patient-two")));  // the hold became the booking
    // Patient one's request was not stored half-booked; patient two's was stored whole.
    CHECK(Must(store::ReferralRepo(p.db).List()).size() == requests_before + 1);
}

TEST_CASE("a lapsed hold that nobody else wanted still books") {
    KeyedPractice p;
    const auto slot = p.SlotAt(p.trainer, kTuesday, 15);
    const auto now = test::Monday0800();
    Must(store::SlotRepo(p.db).HoldSlot(slot, "slow-typist", now, 60));
    const auto booked = Must(store::BookingRepo(p.db).BookHeldSlot("slow-typist", Request(), p.pub, "kiosk:kiosk-1", now + 600));
    CHECK(booked.booking.slot == slot);
}

TEST_CASE("a hold whose slot reception booked after it lapsed reports the hold expired") {
    KeyedPractice p;
    const auto slot = p.SlotAt(p.trainer, kTuesday, 16);
    const auto now = test::Monday0800();
    Must(store::SlotRepo(p.db).HoldSlot(slot, "slow-typist", now, 60));
    Must(store::BookingRepo(p.db).Book(p.NewReferral(), slot, "staff:T", now + 61));
    auto late = store::BookingRepo(p.db).BookHeldSlot("slow-typist", Request(), p.pub, "kiosk:kiosk-1", now + 62);
    REQUIRE_FALSE(late.ok());
    CHECK(late.error().code == core::Errc::HoldExpired);
}

TEST_CASE("a booked slot cannot be held, and an unexpired hold on a booked slot reports it taken") {
    KeyedPractice p;
    const auto slot = p.SlotAt(p.trainer, kTuesday, 9);
    const auto now = test::Monday0800();
    Must(store::SlotRepo(p.db).HoldSlot(slot, "patient-one", now, 300));
    // Raw SQL stands in for a booking that bypassed the hold (another release, a manual fix).
    Must(p.db.Exec("INSERT INTO bookings (referral_id, trainer_id, start_at, end_at) VALUES (" +
                   std::to_string(p.NewReferral()) + ", " + std::to_string(p.trainer) + ", " +
                   std::to_string(slot.start) + ", " + std::to_string(slot.end) + ")"));
    auto book = store::BookingRepo(p.db).BookHeldSlot("patient-one", Request(), p.pub, "kiosk:kiosk-1", now + 10);
    REQUIRE_FALSE(book.ok());
    CHECK(book.error().code == core::Errc::SlotTaken);
    auto hold = store::SlotRepo(p.db).HoldSlot(slot, "patient-two", now + 400, 300);
    REQUIRE_FALSE(hold.ok());
    CHECK(hold.error().code == core::Errc::SlotTaken);
}

TEST_CASE("holding a second slot lets go of the first, and a released hold frees the slot at once") {
    KeyedPractice p;
    store::SlotRepo slots(p.db);
    const auto now = test::Monday0800();
    const auto ten = p.SlotAt(p.trainer, kTuesday, 10);
    const auto eleven = p.SlotAt(p.trainer, kTuesday, 11);
    Must(slots.HoldSlot(ten, "patient-one", now));
    Must(slots.HoldSlot(eleven, "patient-one", now + 5));
    CHECK(Must(slots.HoldFor("patient-one"))->slot == eleven);
    Must(slots.HoldSlot(ten, "patient-two", now + 6));
    Must(slots.ReleaseHold("patient-two"));
    Must(slots.HoldSlot(ten, "patient-three", now + 7));
}

TEST_CASE("holds refuse nonsense: short tokens, past slots, unknown trainers") {
    KeyedPractice p;
    store::SlotRepo slots(p.db);
    const auto now = test::Monday0800();
    const auto slot = p.SlotAt(p.trainer, kTuesday, 10);
    CHECK(slots.HoldSlot(slot, "short", now).error().code == core::Errc::InvalidInput);
    CHECK(slots.HoldSlot(slot, "patient-one", slot.start + 1).error().code == core::Errc::InvalidInput);
    CHECK(slots.HoldSlot(slot, "patient-one", now, 0).error().code == core::Errc::InvalidInput);
    CHECK(slots.HoldSlot(p.SlotAt(999, kTuesday, 10), "patient-one", now).error().code == core::Errc::NotFound);
    Must(store::TrainerRepo(p.db).SetActive(p.trainer, false));
    CHECK(slots.HoldSlot(slot, "patient-one", now).error().code == core::Errc::NotFound);
    CHECK(store::BookingRepo(p.db).BookHeldSlot("never-held", Request(), p.pub, "kiosk:kiosk-1", now).error().code ==
          core::Errc::HoldExpired);
}

TEST_CASE("a booking goes requested, confirmed, attended - each step with time and actor") {
    KeyedPractice p;
    store::BookingRepo bookings(p.db);
    const auto id = Must(bookings.Book(p.NewReferral(), p.SlotAt(p.trainer, kTuesday, 10), "kiosk:kiosk-1", 100)).id;
    Must(bookings.ChangeStatus(id, core::BookingStatus::Confirmed, "staff:Tomasz", 200));
    const auto done = Must(bookings.ChangeStatus(id, core::BookingStatus::Attended, "staff:Hodan", 300));
    CHECK(done.status == core::BookingStatus::Attended);
    REQUIRE(done.history.size() == 3);
    CHECK(done.history[0].to == core::BookingStatus::Requested);
    CHECK(done.history[1].to == core::BookingStatus::Confirmed);
    CHECK(done.history[1].actor == "staff:Tomasz");
    CHECK(done.history[2].at == 300);
    CHECK(done.history[2].actor == "staff:Hodan");
    const auto audit = Must(store::AuditRepo(p.db).List({.action = "booking.status"}));
    REQUIRE(audit.size() == 2);
    CHECK(audit[0].detail == "confirmed->attended");
    CHECK(audit[0].subject == "booking:" + std::to_string(id));
}

TEST_CASE("invalid booking changes are refused and change nothing") {
    KeyedPractice p;
    store::BookingRepo bookings(p.db);
    const auto id = Must(bookings.Book(p.NewReferral(), p.SlotAt(p.trainer, kTuesday, 10), "kiosk:kiosk-1", 100)).id;
    auto skip = bookings.ChangeStatus(id, core::BookingStatus::Attended, "staff:T", 200);
    REQUIRE_FALSE(skip.ok());
    CHECK(skip.error().code == core::Errc::InvalidInput);
    Must(bookings.ChangeStatus(id, core::BookingStatus::CancelledByPatient, "staff:T", 300));
    CHECK(bookings.ChangeStatus(id, core::BookingStatus::Confirmed, "staff:T", 400).error().code ==
          core::Errc::InvalidInput);
    const auto b = Must(bookings.Get(id));
    CHECK(b.status == core::BookingStatus::CancelledByPatient);
    CHECK(b.history.size() == 2);
    CHECK(Must(store::AuditRepo(p.db).List({.action = "booking.status"})).size() == 1);
    CHECK(bookings.ChangeStatus(id + 50, core::BookingStatus::Confirmed, "staff:T", 1).error().code ==
          core::Errc::NotFound);
}

TEST_CASE("a closed request cannot be booked, and a missing one is not found") {
    KeyedPractice p;
    const auto referral = p.NewReferral();
    Must(store::ReferralRepo(p.db).ChangeStatus(referral, core::ReferralStatus::Closed, "staff:T", 10));
    const auto slot = p.SlotAt(p.trainer, kTuesday, 10);
    CHECK(store::BookingRepo(p.db).Book(referral, slot, "staff:T", 20).error().code == core::Errc::InvalidInput);
    CHECK(store::BookingRepo(p.db).Book(referral + 9, slot, "staff:T", 20).error().code == core::Errc::NotFound);
    CHECK(LiveBookings(p.db) == 0);
}

TEST_CASE("bookings list by day, trainer and status") {
    KeyedPractice p;
    const auto other = p.AddTrainer("Imran Hussain", {"ur", "pa"});
    store::BookingRepo bookings(p.db);
    Must(bookings.Book(p.NewReferral(), p.SlotAt(p.trainer, kTuesday, 10), "staff:T", 1));
    Must(bookings.Book(p.NewReferral(), p.SlotAt(other, kTuesday, 10), "staff:T", 1));
    const auto wed = Must(bookings.Book(p.NewReferral(), p.SlotAt(other, kTuesday.AddDays(1), 9), "staff:T", 1));
    Must(bookings.ChangeStatus(wed.id, core::BookingStatus::Confirmed, "staff:T", 2));
    CHECK(Must(bookings.List()).size() == 3);
    CHECK(Must(bookings.List({.from = test::At(kTuesday, 0), .to = test::At(kTuesday, 24)})).size() == 2);
    CHECK(Must(bookings.List({.trainer = other})).size() == 2);
    CHECK(Must(bookings.List({.status = core::BookingStatus::Confirmed})).size() == 1);
}
