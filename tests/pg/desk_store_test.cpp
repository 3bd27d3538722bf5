// Reception's store interface (store::DeskStore) on both of its backends, by one suite: a desk on the
// practice's own SQLite file, where its kiosk writes too, and a desk on the shared PostgreSQL database,
// where the practice's kiosk forwards what it stored locally. Each case runs the same steps and
// assertions on both, from the same practice plan. On PostgreSQL the plan is published as `ht-admin db
// publish` does, and the desk's audit log is the practice file that holds the staff's keys.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <set>

#include "app/kiosk_store.h"
#include "i18n/time_zone.h"
#include "pg_fixture.h"
#include "store/audit_repo.h"
#include "store/desk_store.h"
#include "store/forward_repo.h"
#include "store/referral_repo.h"
#include "store/settings_repo.h"
#include "store/pg/desk_store.h"
#include "store/pg/forwarder.h"
#include "store/pg/publish.h"
#include "store/pg/reports.h"
#include "store/pg/requests.h"
#include "tests/support/kiosk.h"

using namespace htk;
using core::Errc;
using core::ReferralStatus;
using test::Must;
namespace pg = store::pg;

namespace {

constexpr core::UnixSeconds kNow = test::kStartWall;  // Monday 08:00 UTC
constexpr const char* kStaff = "staff:Rukhsana";

// One backend: the practice's kiosk, two desks, and the practice's file (keys and the desks' audit log).
class Backend {
public:
    virtual ~Backend() = default;
    virtual const char* Name() const = 0;
    virtual app::KioskStore& Kiosk() = 0;
    virtual store::DeskStore& Desk() = 0;
    virtual store::DeskStore& OtherDesk() = 0;  // a second desk, on its own connection
    virtual void Refresh(core::UnixSeconds /*now*/) {}  // what the kiosk's forwarding worker does between patients
    store::Database& PracticeFile() { return m_practice.db; }

    // A patient's request at the kiosk, made `minutes` after kNow; its reference.
    std::string Submit(int n, int minutes) { return Submit(test::SampleReferral(n), minutes); }
    std::string Submit(const core::Referral& referral, int minutes) {
        const std::string reference = Must(Kiosk().Submit(referral, kNow + 60 * minutes));
        Refresh(kNow + 60 * minutes);
        return reference;
    }
    // The desk's list entry for `reference`.
    store::DeskListItem Find(const std::string& reference) {
        store::DeskListFilter f;
        f.reference = reference;
        auto found = Must(Desk().List(f));
        REQUIRE(found.size() == 1);
        return found.front();
    }
    long Audited(const std::string& action) {
        store::AuditFilter f;
        f.actor = kStaff;
        f.action = action;
        return static_cast<long>(Must(store::AuditRepo(m_practice.db).List(f)).size());
    }
    store::UnlockedKey Key() { return Must(store::Unlock(m_practice.db, "Rukhsana", "correct horse battery staple", kNow)); }

protected:
    test::LocalKiosk m_practice;  // the practice's file: keys, plan, audit log
    std::unique_ptr<core::TimeZone> m_zone = i18n::MakeTimeZone("UTC");
};

class FileBackend final : public Backend {
public:
    FileBackend() {
        test::AddPlan(m_practice.db);
        m_kiosk.emplace(m_kiosk_db, *m_zone, m_practice.key, "kiosk:kiosk-1");
    }
    const char* Name() const override { return "SQLite"; }
    app::KioskStore& Kiosk() override { return *m_kiosk; }
    store::DeskStore& Desk() override { return m_desk; }
    store::DeskStore& OtherDesk() override { return m_other; }

private:
    store::Database m_kiosk_db = Must(store::Open(m_practice.path));  // the kiosk on the same file
    store::Database m_other_db = Must(store::Open(m_practice.path));
    std::optional<app::SqliteKioskStore> m_kiosk;
    store::FileDeskStore m_desk{m_practice.db, *m_zone};
    store::FileDeskStore m_other{m_other_db, *m_zone};
};

class ServerBackend final : public Backend {
public:
    ServerBackend() {
        const auto practice = m_server.AddPractice("Chapeltown");
        test::AddPlan(m_practice.db);
        Must(pg::Publish(m_server.owner, practice, Must(pg::ReadPlan(m_practice.db, *m_zone, kNow))));
        const std::string kiosk = m_server.AddKiosk(practice, "kiosk-1");
        pg::ForwarderOptions o;
        o.database = m_kiosk_file.path;
        o.conninfo = kiosk;
        o.slots = m_slots;
        o.steady = [] { return 1000.0; };
        o.wall = [this] { return m_wall; };
        m_forwarder = std::make_unique<pg::Forwarder>(std::move(o));
        // The kiosk seals to the practice's public key: only the practice file's staff can open.
        m_kiosk.emplace(m_kiosk_file.db, *m_zone, m_practice.key, "kiosk",
                        app::Forwarding{.queued = [] {}, .server = kiosk, .slots = m_slots, .steady = [] { return 1000.0; }});
        m_desk_db = Must(pg::Connection::Open(m_server.AddDesk(practice, "reception"), "test desk"));
        m_other_db = Must(pg::Connection::Open(m_server.AddDesk(practice, "reception_upstairs"), "test desk"));
        Refresh(kNow);
    }
    const char* Name() const override { return "PostgreSQL"; }
    app::KioskStore& Kiosk() override { return *m_kiosk; }
    store::DeskStore& Desk() override { return m_desk; }
    store::DeskStore& OtherDesk() override { return m_other; }
    void Refresh(core::UnixSeconds now) override {
        m_wall = now;
        Must(m_forwarder->RunOnce());
    }

private:
    test::Server m_server;
    core::UnixSeconds m_wall = kNow;  // the forwarder's clock: it forwards what was made by then
    test::LocalKiosk m_kiosk_file;  // the kiosk's own file, where it writes first
    std::shared_ptr<pg::SlotCache> m_slots = std::make_shared<pg::SlotCache>();
    std::unique_ptr<pg::Forwarder> m_forwarder;
    std::optional<app::SqliteKioskStore> m_kiosk;
    pg::Connection m_desk_db, m_other_db;
    store::Database m_other_file = Must(store::Open(m_practice.path));  // the second desk's connection to its file
    pg::ServerDeskStore m_desk{m_desk_db, m_practice.db};
    pg::ServerDeskStore m_other{m_other_db, m_other_file};
};

void OnBothBackends(const std::function<void(Backend&)>& body) { test::OnBothBackends<FileBackend, ServerBackend>(body); }

template <class T>
Errc CodeOf(const core::Result<T>& r) { return r ? Errc::Internal : r.error().code; }

// A request on the server as a kiosk of `practice` would have forwarded it (sealed details of zeros); its id.
std::int64_t ForwardedRequest(test::Server& server, std::int64_t practice, const std::string& reference, const std::string& language,
                           core::UnixSeconds at, const std::string& reasons = "moving") {
    return std::stoll(server.cluster->Scalar(
        "INSERT INTO htk.referrals (uid, practice_id, origin, reference, route, reasons, language, interpreter, waiting_list, contact, "
        "best_times, consent_version, created_at, sealed) VALUES (gen_random_uuid(), " + std::to_string(practice) + ", 'kiosk:k', '" +
        reference + "', 'self', '" + reasons + "', '" + language + "', false, false, 'phone', '', 'v1', " + std::to_string(at) +
        ", decode(repeat('00', 64), 'hex')) RETURNING id"));
}

}  // namespace

TEST_CASE("desk store, both backends: the list is newest first, filtered by status and reference, each request with its booking") {
    OnBothBackends([](Backend& b) {
        const std::string first = b.Submit(1, 0);
        const std::string second = b.Submit(2, 5);
        // A patient books at the kiosk: the request arrives with its booking.
        const auto slot = Must(b.Kiosk().FreeSlots("ur", kNow + 600)).front().slot;
        Must(b.Kiosk().Hold(slot, "session-one", kNow + 600));
        const std::string booked = Must(test::BookNow(b.Kiosk(), "session-one", test::SampleReferral(3), kNow + 600));
        b.Refresh(kNow + 600);

        const auto all = Must(b.Desk().List({}));
        REQUIRE(all.size() == 3);
        CHECK(all[0].referral.reference == booked);
        CHECK(all[1].referral.reference == second);
        CHECK(all[2].referral.reference == first);
        CHECK(all[2].referral.patient.name.empty());  // the list never holds the details
        REQUIRE(all[0].booking);
        CHECK(all[0].booking->slot == slot);
        CHECK(all[0].booking->trainer == "Bilal Ahmed");
        CHECK(all[0].booking->status == core::BookingStatus::Requested);
        CHECK(all[0].referral.status == ReferralStatus::Booked);
        CHECK_FALSE(all[1].booking);

        store::DeskListFilter fresh;
        fresh.status = ReferralStatus::New;
        const auto news = Must(b.Desk().List(fresh));
        REQUIRE(news.size() == 2);
        CHECK(news[0].referral.reference == second);
        store::DeskListFilter limited;
        limited.limit = 1;
        CHECK(Must(b.Desk().List(limited)).size() == 1);
        store::DeskListFilter nobody;
        nobody.reference = "ZZZ-ZZZZ";
        CHECK(Must(b.Desk().List(nobody)).empty());
        CHECK(b.Find(first).id == all[2].id);
    });
}

TEST_CASE("desk store, both backends: a move is made from the status the desk read, a stale one is refused, and the history keeps each") {
    OnBothBackends([](Backend& b) {
        const auto request = b.Find(b.Submit(1, 0));
        Must(b.Desk().Move(request.id, ReferralStatus::New, ReferralStatus::Contacted, kStaff, kNow + 60));
        // The other desk read it as new: its change is refused, and nothing is overwritten.
        const auto stale = b.OtherDesk().Move(request.id, ReferralStatus::New, ReferralStatus::Cancelled, kStaff, kNow + 70);
        CHECK(CodeOf(stale) == Errc::Busy);
        CHECK(stale.error().detail == "another desk changed it first: it is contacted now");
        CHECK(b.Find(request.referral.reference).referral.status == ReferralStatus::Contacted);
        // A move the workflow has no arrow for, and a request that is not there.
        CHECK(CodeOf(b.Desk().Move(request.id, ReferralStatus::Contacted, ReferralStatus::New, kStaff, kNow + 80)) == Errc::InvalidInput);
        CHECK(CodeOf(b.Desk().Move(request.id + 1000, ReferralStatus::New, ReferralStatus::Contacted, kStaff, kNow + 80)) ==
              Errc::NotFound);
        Must(b.OtherDesk().Move(request.id, ReferralStatus::Contacted, ReferralStatus::Closed, kStaff, kNow + 90));

        const auto history = Must(b.Desk().History(request.id));
        REQUIRE(history.size() == 2);
        CHECK(history[0].from == ReferralStatus::New);
        CHECK(history[0].to == ReferralStatus::Contacted);
        CHECK(history[1].from == ReferralStatus::Contacted);
        CHECK(history[1].to == ReferralStatus::Closed);
        CHECK_FALSE(history[0].by.empty());
        CHECK(b.Audited("referral.status") == 2);  // each change made, on the practice's audit log
    });
}

TEST_CASE("desk store, both backends: reception books a free time past the notice, a time a kiosk took is refused, and the booking moves") {
    OnBothBackends([](Backend& b) {
        const auto request = b.Find(b.Submit(1, 0));
        const auto slots = Must(b.Desk().FreeSlots(request.id, kNow, 60));
        // 4 Mondays x 3 + 4 Tuesdays x 2, less Monday 09:00 (inside the two hours' notice), by start.
        REQUIRE(slots.size() == 19);
        CHECK(slots.front().slot.start == kNow + 2 * 3600);  // Monday 10:00
        CHECK(slots.front().trainer == "Ayşe Demir");
        CHECK(slots.front().languages == std::vector<std::string>{"tr", "ku"});
        CHECK(std::is_sorted(slots.begin(), slots.end(), [](const auto& x, const auto& y) { return x.slot.start < y.slot.start; }));
        CHECK(Must(b.Desk().FreeSlots(request.id, kNow, 5)).size() == 5);
        CHECK(Must(b.OtherDesk().FreeSlots(request.id, kNow, 60)).size() == 19);

        // A patient at the kiosk takes the first time after the desk read the list (at 08:00: 10:00
        // is just past the notice, which the server checks again at booking).
        Must(b.Kiosk().Hold(slots[0].slot, "session-one", kNow));
        Must(test::BookNow(b.Kiosk(), "session-one", test::SampleReferral(2), kNow));
        b.Refresh(kNow);
        const auto taken = b.Desk().Book(request.id, slots[0].slot, kStaff, kNow + 120);
        REQUIRE_FALSE(taken.ok());
        CHECK(taken.error().code == Errc::SlotTaken);
        CHECK(Must(b.Desk().FreeSlots(request.id, kNow, 60)).size() == 18);

        // A time listed while it was free and past the notice, booked once the notice has reached it:
        // refused on both backends (the server's desk_book checks the notice again, schema v5).
        const auto late = b.Find(b.Submit(3, 0));
        const auto too_soon = b.Desk().Book(late.id, slots[2].slot, kStaff, slots[2].slot.start - 3600);
        REQUIRE_FALSE(too_soon.ok());
        CHECK(too_soon.error().code == Errc::InvalidInput);
        CHECK(Must(b.Desk().Book(late.id, slots[2].slot, kStaff, slots[2].slot.start - 2 * 3600)) == store::DeskBooked::Booked);

        CHECK(Must(b.Desk().Book(request.id, slots[1].slot, kStaff, kNow + 120)) == store::DeskBooked::Booked);
        CHECK(Must(b.OtherDesk().Book(request.id, slots[1].slot, kStaff, kNow + 130)) == store::DeskBooked::Already);
        auto booked = b.Find(request.referral.reference);
        CHECK(booked.referral.status == ReferralStatus::Booked);
        REQUIRE(booked.booking);
        CHECK(booked.booking->slot == slots[1].slot);
        CHECK(booked.booking->status == core::BookingStatus::Requested);

        // Not closed while the booking is live; its outcome first.
        CHECK(CodeOf(b.Desk().Move(request.id, ReferralStatus::Booked, ReferralStatus::Closed, kStaff, kNow + 140)) == Errc::InvalidInput);
        Must(b.Desk().MoveBooking(booked.booking->id, core::BookingStatus::Requested, core::BookingStatus::Confirmed, kStaff, kNow + 150));
        CHECK(CodeOf(b.OtherDesk().MoveBooking(booked.booking->id, core::BookingStatus::Requested, core::BookingStatus::CancelledByPractice,
                                               kStaff, kNow + 160)) == Errc::Busy);
        Must(b.Desk().MoveBooking(booked.booking->id, core::BookingStatus::Confirmed, core::BookingStatus::Attended, kStaff, kNow + 170));
        Must(b.Desk().Move(request.id, ReferralStatus::Booked, ReferralStatus::Closed, kStaff, kNow + 180));

        const auto closed = b.Find(request.referral.reference);
        CHECK(closed.referral.status == ReferralStatus::Closed);
        REQUIRE(closed.booking);
        CHECK(closed.booking->status == core::BookingStatus::Attended);
        const auto history = Must(b.Desk().History(request.id));
        REQUIRE(history.size() == 2);
        CHECK(history[0].to == ReferralStatus::Booked);
        CHECK(history[1].to == ReferralStatus::Closed);
        CHECK(b.Audited("booking.create") == 2);
        CHECK(b.Audited("booking.status") == 2);
    });
}

// A patient who found no free time at the kiosk, on the waiting list, in `language`.
core::Referral Waiting(int n, const char* language) {
    core::Referral r = test::SampleReferral(n);
    r.preferred_language = language;
    r.waiting_list = true;
    return r;
}

bool Lists(const std::vector<store::DeskFreeSlot>& slots, const core::Slot& slot) {
    return std::any_of(slots.begin(), slots.end(), [&](const auto& s) { return s.slot == slot; });
}
bool Lists(const std::vector<app::FreeSlot>& slots, const core::Slot& slot) {
    return std::any_of(slots.begin(), slots.end(), [&](const auto& s) { return s.slot == slot; });
}

TEST_CASE("desk store, both backends: a cancelled time is offered to the waiting list, kept from everyone else, declined on, taken up or lapsed") {
    OnBothBackends([](Backend& b) {
        const auto booked = b.Find(b.Submit(1, 0));
        const auto slots = Must(b.Desk().FreeSlots(booked.id, kNow, 60));
        const core::Slot freed = slots[1].slot;  // Monday 11:00 with Ayşe (Turkish, Kurdish)
        REQUIRE(slots[1].trainer == "Ayşe Demir");
        Must(b.Desk().Book(booked.id, freed, kStaff, kNow + 60));
        const auto polish = b.Find(b.Submit(Waiting(2, "pl"), 1));   // waiting first
        const auto turkish = b.Find(b.Submit(Waiting(3, "tr"), 2));  // then one whose language Ayşe speaks
        CHECK(Must(b.Desk().Offers(kNow + 300)).empty());

        // The cancellation offers the time to the waiting request Ayşe can speak with, before the older one.
        const auto booking = b.Find(booked.referral.reference).booking;
        REQUIRE(booking);
        Must(b.Desk().MoveBooking(booking->id, core::BookingStatus::Requested, core::BookingStatus::CancelledByPatient, kStaff, kNow + 600));
        auto offers = Must(b.OtherDesk().Offers(kNow + 600));
        REQUIRE(offers.size() == 1);
        CHECK(offers[0].id == turkish.id);
        CHECK(offers[0].reference == turkish.referral.reference);
        CHECK(offers[0].slot == freed);
        CHECK(offers[0].trainer == "Ayşe Demir");
        CHECK(offers[0].trainer_speaks);
        CHECK(offers[0].expires_at == freed.start - 2 * 3600);  // sooner than a day: the notice before 11:00

        // Kept from every kiosk and desk while it stands.
        b.Refresh(kNow + 700);
        CHECK_FALSE(Lists(Must(b.Kiosk().FreeSlots("tr", kNow + 700)), freed));
        CHECK_FALSE(Lists(Must(b.Desk().FreeSlots(polish.id, kNow + 700, 60)), freed));
        const auto held = b.OtherDesk().Book(polish.id, freed, kStaff, kNow + 700);
        REQUIRE_FALSE(held.ok());
        CHECK(held.error().code == Errc::SlotHeld);

        // Declined: offered to the next, who has not declined it, with an interpreter's need said.
        CHECK(CodeOf(b.Desk().AcceptOffer(polish.id, kStaff, kNow + 750)) == Errc::NotFound);
        const auto next = Must(b.Desk().DeclineOffer(turkish.id, kStaff, kNow + 800));
        REQUIRE(next);
        CHECK(next->id == polish.id);
        CHECK_FALSE(next->trainer_speaks);
        CHECK(CodeOf(b.Desk().DeclineOffer(turkish.id, kStaff, kNow + 810)) == Errc::NotFound);

        // Taken up: booked, off the waiting list, the offer gone.
        Must(b.OtherDesk().AcceptOffer(polish.id, kStaff, kNow + 900));
        const auto took = b.Find(polish.referral.reference);
        CHECK(took.referral.status == ReferralStatus::Booked);
        CHECK_FALSE(took.referral.waiting_list);
        REQUIRE(took.booking);
        CHECK(took.booking->slot == freed);
        CHECK(Must(b.Desk().Offers(kNow + 900)).empty());

        // Cancelled again: the one still waiting declined this time, so nobody is offered it; it is free.
        Must(b.Desk().MoveBooking(took.booking->id, core::BookingStatus::Requested, core::BookingStatus::CancelledByPractice, kStaff,
                                  kNow + 1000));
        CHECK(Must(b.Desk().Offers(kNow + 1000)).empty());
        CHECK(Lists(Must(b.Desk().FreeSlots(turkish.id, kNow + 1000, 60)), freed));

        // Another time freed a week ahead is offered for a day; taken up after that, it has lapsed and is free to anyone.
        const core::Slot later = slots[5].slot;
        const auto other = b.Find(b.Submit(4, 20));
        Must(b.Desk().Book(other.id, later, kStaff, kNow + 1200));
        Must(b.Desk().MoveBooking(b.Find(other.referral.reference).booking->id, core::BookingStatus::Requested,
                                  core::BookingStatus::CancelledByPatient, kStaff, kNow + 1300));
        offers = Must(b.Desk().Offers(kNow + 1300));
        REQUIRE(offers.size() == 1);
        CHECK(offers[0].id == turkish.id);
        CHECK(offers[0].expires_at == kNow + 1300 + 86400);
        const core::UnixSeconds lapsed = kNow + 1300 + 86400;
        CHECK(CodeOf(b.Desk().AcceptOffer(turkish.id, kStaff, lapsed)) == Errc::HoldExpired);
        CHECK(CodeOf(b.Desk().DeclineOffer(turkish.id, kStaff, lapsed)) == Errc::HoldExpired);
        CHECK(Must(b.Desk().Offers(lapsed)).empty());
        CHECK(Lists(Must(b.Desk().FreeSlots(other.id, lapsed, 60)), later));

        // A waiting request that is cancelled passes its offer on: here, to nobody, so the time is free.
        Must(b.Desk().Book(other.id, later, kStaff, lapsed + 100));
        Must(b.Desk().MoveBooking(b.Find(other.referral.reference).booking->id, core::BookingStatus::Requested,
                                  core::BookingStatus::CancelledByPatient, kStaff, lapsed + 200));
        REQUIRE(Must(b.Desk().Offers(lapsed + 200)).size() == 1);
        Must(b.Desk().Move(turkish.id, ReferralStatus::New, ReferralStatus::Cancelled, kStaff, lapsed + 300));
        CHECK(Must(b.Desk().Offers(lapsed + 300)).empty());
        CHECK(Lists(Must(b.Desk().FreeSlots(other.id, lapsed + 300, 60)), later));

        CHECK(b.Audited("waiting.accept") == 1);
        CHECK(b.Audited("waiting.decline") == 1);
    });
}

TEST_CASE("desk store, both backends: a reveal is on the practice's audit log before the details are opened") {
    OnBothBackends([](Backend& b) {
        const auto request = b.Find(b.Submit(7, 0));
        CHECK(b.Audited("sealed.reveal") == 0);
        const auto key = b.Key();
        const auto patient = Must(b.Desk().Reveal(request.id, key, kNow + 60));
        CHECK(patient.name == "Patient 7");
        CHECK(patient.phone == "+447700900456");
        CHECK(b.Audited("sealed.reveal") == 1);
        CHECK(CodeOf([&]() -> core::Result<void> {
                  auto r = b.Desk().Reveal(request.id + 1000, key, kNow + 60);
                  if (!r) return r.error();
                  return {};
              }()) == Errc::NotFound);
        CHECK(b.Audited("sealed.reveal") == 1);  // nothing revealed, nothing audited
    });
}

TEST_CASE("desk store, both backends: the practice's report counts what its kiosk and its desk made, by the same rules") {
    OnBothBackends([](Backend& b) {
        auto referral = [](int n, core::Route route, std::set<core::Reason> reasons, bool interpreter) {
            core::Referral r = test::SampleReferral(n);
            r.route = route;
            r.reasons = std::move(reasons);
            r.interpreter = interpreter;
            return r;
        };
        auto submit = [&](const core::Referral& r, core::UnixSeconds at) {
            const std::string reference = Must(b.Kiosk().Submit(r, at));
            b.Refresh(at);
            return b.Find(reference);
        };
        // Two weeks from Monday 23 November: three requests in the first, one in the second, one the
        // Sunday before (outside), and a patient who booked at the kiosk.
        const auto r1 = submit(referral(1, core::Route::SelfReferral, {core::Reason::MovingMore}, true), kNow);
        const auto r2 = submit(referral(2, core::Route::TaskedByGp, {core::Reason::LowMood, core::Reason::StoppingSmoking}, false), kNow + 60);
        submit(referral(3, core::Route::SelfReferral, {core::Reason::MovingMore}, false), kNow + 7 * 86400 + 3600);
        submit(referral(5, core::Route::Signposted, {core::Reason::EatingBetter}, true), kNow - 86400);
        const auto slots = Must(b.Desk().FreeSlots(r1.id, kNow, 60));
        REQUIRE(slots.size() >= 4);  // [0] is 10:00, inside the notice once the clock passes 08:00
        Must(b.Kiosk().Hold(slots[3].slot, "at-the-kiosk", kNow + 120));
        Must(test::BookNow(b.Kiosk(), "at-the-kiosk", test::SampleReferral(4), kNow + 120));
        b.Refresh(kNow + 120);

        // Reception books the first two; one patient comes, the other does not.
        CHECK(Must(b.Desk().Book(r1.id, slots[1].slot, kStaff, kNow + 180)) == store::DeskBooked::Booked);
        CHECK(Must(b.Desk().Book(r2.id, slots[2].slot, kStaff, kNow + 190)) == store::DeskBooked::Booked);
        const auto b1 = b.Find(r1.referral.reference).booking;
        const auto b2 = b.Find(r2.referral.reference).booking;
        REQUIRE(b1);
        REQUIRE(b2);
        Must(b.Desk().MoveBooking(b1->id, core::BookingStatus::Requested, core::BookingStatus::Confirmed, kStaff, kNow + 200));
        Must(b.Desk().MoveBooking(b1->id, core::BookingStatus::Confirmed, core::BookingStatus::Attended, kStaff, slots[1].slot.end));
        Must(b.Desk().MoveBooking(b2->id, core::BookingStatus::Requested, core::BookingStatus::Confirmed, kStaff, kNow + 200));
        Must(b.Desk().MoveBooking(b2->id, core::BookingStatus::Confirmed, core::BookingStatus::DidNotAttend, kStaff, slots[2].slot.end));

        const auto zone = i18n::MakeTimeZone("UTC");
        const auto f = Must(b.Desk().Figures({2026, 11, 23}, {2026, 12, 7}, *zone));
        REQUIRE(f.weeks.size() == 2);
        CHECK(f.weeks[0].requests == 3);
        CHECK(f.weeks[1].requests == 1);
        CHECK(f.total.requests == 4);
        CHECK(f.total.by_reason.at(core::Reason::MovingMore) == 3);  // r1, r3 and the kiosk's booking
        CHECK(f.total.by_reason.at(core::Reason::LowMood) == 1);
        CHECK(f.total.by_reason.at(core::Reason::StoppingSmoking) == 1);
        CHECK_FALSE(f.total.by_reason.contains(core::Reason::EatingBetter));  // the Sunday before
        CHECK(f.total.by_language == std::map<std::string, int>{{"pl", 2}, {"ur", 2}});
        CHECK(f.total.by_route == std::map<core::Route, int>{{core::Route::SelfReferral, 3}, {core::Route::TaskedByGp, 1}});
        CHECK(f.interpreter_by_language == std::map<std::string, int>{{"ur", 1}});
        CHECK(f.Bookings(core::BookingStatus::Requested) == 1);
        CHECK(f.Bookings(core::BookingStatus::Attended) == 1);
        CHECK(f.Bookings(core::BookingStatus::DidNotAttend) == 1);
        REQUIRE(f.DidNotAttendRate());
        CHECK(*f.DidNotAttendRate() == doctest::Approx(0.5));
        CHECK(f.funnel_requests == 4);
        CHECK(f.funnel_booked == 3);
        CHECK(f.funnel_attended == 1);
        CHECK(CodeOf([&]() -> core::Result<void> {
                  auto r = b.Desk().Figures({2026, 12, 7}, {2026, 11, 23}, *zone);
                  if (!r) return r.error();
                  return {};
              }()) == Errc::InvalidInput);
    });
}

TEST_CASE("the service's report on the server: a manager's login counts every practice, a desk's login its own") {
    test::Server server;
    const auto chapeltown = server.AddPractice("Chapeltown");
    const auto harehills = server.AddPractice("Harehills");
    server.AddPractice("Seacroft");  // nothing in the range: listed with zeros
    const auto harehills_too = server.AddPractice("Harehills");  // a name two practices share: kept apart
    auto add = [&](std::int64_t practice, const std::string& reference, const std::string& language, core::UnixSeconds at) {
        ForwardedRequest(server, practice, reference, language, at, "moving,low_mood");
    };
    add(chapeltown, "AAA-AAAA", "ur", kNow);
    add(chapeltown, "AAA-AAAB", "bn", kNow + 86400);
    add(harehills, "BBB-BBBB", "so", kNow + 2 * 86400);
    add(harehills, "BBB-BBBC", "so", kNow + 30 * 86400);  // after the range
    add(harehills_too, "CCC-CCCC", "pl", kNow + 3 * 86400);
    server.cluster->Exec(std::string("CREATE ROLE service_manager LOGIN PASSWORD '") + test::kLoginPassword + "' IN ROLE htk_manager");
    auto manager = Must(pg::Connection::Open(server.cluster->ConnInfo("service_manager", test::kLoginPassword), "test manager"));
    auto desk = Must(pg::Connection::Open(server.AddDesk(chapeltown, "chapeltown_desk"), "test desk"));
    const auto zone = i18n::MakeTimeZone("Europe/London");

    const auto all = Must(pg::FiguresByPractice(manager, {2026, 11, 23}, {2026, 12, 7}, *zone));
    REQUIRE(all.size() == 5);  // four practices by name, then the service
    CHECK(all[0].practice == "Chapeltown");
    CHECK(all[0].figures.total.requests == 2);
    CHECK(all[0].figures.total.by_reason.at(core::Reason::LowMood) == 2);
    CHECK(all[1].practice == "Harehills");
    CHECK(all[1].figures.total.requests == 1);
    CHECK(all[1].figures.total.by_language == std::map<std::string, int>{{"so", 1}});
    CHECK(all[2].practice == "Harehills");
    CHECK(all[2].figures.total.by_language == std::map<std::string, int>{{"pl", 1}});
    CHECK(all[3].practice == "Seacroft");
    CHECK(all[3].figures.total.requests == 0);
    REQUIRE(all[3].figures.weeks.size() == 2);
    CHECK(all[4].practice.empty());
    CHECK(all[4].figures.total.requests == 4);
    CHECK(all[4].figures.funnel_requests == 4);
    CHECK(all[4].figures.total.by_language == std::map<std::string, int>{{"bn", 1}, {"pl", 1}, {"so", 1}, {"ur", 1}});

    const auto own = Must(pg::Figures(desk, {2026, 11, 23}, {2026, 12, 7}, *zone));
    CHECK(own.total.requests == 2);  // row-level security: Harehills' requests are not this desk's to count
    CHECK(own.total.by_language == std::map<std::string, int>{{"bn", 1}, {"ur", 1}});
}

TEST_CASE("desk store, both backends: reception's notes are sealed, audited without their text, and opened only with a key") {
    OnBothBackends([](Backend& b) {
        const auto request = b.Find(b.Submit(1, 0));
        const auto other = b.Find(b.Submit(2, 5));
        const auto key = b.Key();
        const store::PublicKey pub = Must(store::SettingsRepo(b.PracticeFile()).Get()).public_key.value();
        CHECK(Must(b.Desk().Notes(request.id, key, kNow)).empty());
        CHECK(b.Audited("sealed.reveal") == 0);  // nothing to open, nothing audited

        const std::string urdu = "مریض نے شام کو فون کرنے کو کہا";  // the patient asked to be called in the evening
        const auto first = Must(b.Desk().AddNote(request.id, urdu, pub, kStaff, kNow + 60));
        const auto second = Must(b.OtherDesk().AddNote(request.id, "রোগী বাংলায় কথা বলতে চান\nLeft a voicemail", pub, kStaff, kNow + 120));
        CHECK(second > first);
        Must(b.Desk().AddNote(other.id, "someone else's", pub, kStaff, kNow + 130));
        CHECK(b.Audited("referral.note") == 3);

        const auto notes = Must(b.OtherDesk().Notes(request.id, key, kNow + 180));
        REQUIRE(notes.size() == 2);
        CHECK(notes[0].id == first);
        CHECK(notes[0].text == urdu);
        CHECK(notes[0].at == kNow + 60);
        CHECK(notes[0].actor == kStaff);
        CHECK(notes[1].text == "রোগী বাংলায় কথা বলতে চান\nLeft a voicemail");
        CHECK(b.Audited("sealed.reveal") == 1);

        // Refused as on one file, and nothing stored.
        CHECK(CodeOf([&]() -> core::Result<void> {
                  auto r = b.Desk().AddNote(request.id, " \n\t", pub, kStaff, kNow + 200);
                  if (!r) return r.error();
                  return {};
              }()) == Errc::InvalidInput);
        CHECK(CodeOf([&]() -> core::Result<void> {
                  auto r = b.Desk().AddNote(request.id, std::string(store::kMaxNoteLength + 1, 'x'), pub, kStaff, kNow + 200);
                  if (!r) return r.error();
                  return {};
              }()) == Errc::InvalidInput);
        CHECK(CodeOf([&]() -> core::Result<void> {
                  auto r = b.Desk().AddNote(request.id + 1000, "lost", pub, kStaff, kNow + 200);
                  if (!r) return r.error();
                  return {};
              }()) == Errc::NotFound);
        CHECK(b.Audited("referral.note") == 3);
        CHECK(Must(b.Desk().Notes(request.id, key, kNow + 240)).size() == 2);
    });
}

TEST_CASE("notes on the server: sealed bytes only, a desk reads its own practice's, a manager and a kiosk none") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown");
    const auto elsewhere = server.AddPractice("Harehills");
    test::LocalKiosk keys;
    const auto key = keys.key;
    const std::string text = "Ring after 5pm: Mrs Begum's daughter translates";
    const auto id = ForwardedRequest(server, practice, "ABC-DEFG", "bn", 1);
    auto desk = Must(pg::Connection::Open(server.AddDesk(practice, "reception"), "test desk"));
    auto other_desk = Must(pg::Connection::Open(server.AddDesk(elsewhere, "harehills_desk"), "test desk"));
    const std::string uid = store::NewUuid();
    const auto note = Must(pg::AddNote(desk, id, uid, kStaff, kNow, Must(store::SealText(text, key))));
    CHECK(Must(pg::AddNote(desk, id, uid, kStaff, kNow, Must(store::SealText(text, key)))) == note);  // sent again: kept once
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.referral_notes") == "1");
    CHECK(server.cluster->Scalar("SELECT position(convert_to('Begum', 'UTF8') IN sealed) FROM htk.referral_notes") == "0");
    CHECK(server.cluster->Scalar("SELECT by_login FROM htk.referral_notes") == "reception");
    CHECK(Must(pg::ListNotes(desk, id)).size() == 1);
    CHECK(Must(store::OpenText(Must(pg::ListNotes(desk, id)).front().sealed,
                               Must(store::Unlock(keys.db, "Rukhsana", "correct horse battery staple", kNow)))) == text);
    // Another practice's desk neither reads nor adds to it; no one edits or removes a note.
    CHECK(Must(pg::ListNotes(other_desk, id)).empty());
    CHECK(CodeOf([&]() -> core::Result<void> {
              auto r = pg::AddNote(other_desk, id, store::NewUuid(), kStaff, kNow, Must(store::SealText("x", key)));
              if (!r) return r.error();
              return {};
          }()) == Errc::NotFound);
    CHECK_FALSE(desk.Query("UPDATE htk.referral_notes SET actor = 'staff:someone'").ok());
    CHECK_FALSE(desk.Query("DELETE FROM htk.referral_notes").ok());
    CHECK_FALSE(desk.Query("INSERT INTO htk.referral_notes (practice_id, referral_id, uid, at, actor, sealed) VALUES (" +
                           std::to_string(practice) + ", " + std::to_string(id) + ", gen_random_uuid(), 1, 'staff:x', '\\x00')").ok());
    auto as_kiosk = Must(pg::Connection::Open(server.AddKiosk(practice, "waiting-room"), "test kiosk"));
    CHECK_FALSE(as_kiosk.Query("SELECT count(*) FROM htk.referral_notes").ok());
    server.cluster->Exec(std::string("CREATE ROLE notes_manager LOGIN PASSWORD '") + test::kLoginPassword + "' IN ROLE htk_manager");
    auto manager = Must(pg::Connection::Open(server.cluster->ConnInfo("notes_manager", test::kLoginPassword), "test manager"));
    CHECK_FALSE(manager.Query("SELECT count(*) FROM htk.referral_notes").ok());
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.referral_notes WHERE id = " + std::to_string(note)) == "1");
}

TEST_CASE("a status move retried after a lost answer is known on the server as made once, not refused as another desk's") {
    test::Server server;
    const auto practice = server.AddPractice("Chapeltown");
    const auto id = ForwardedRequest(server, practice, "ABC-DEFG", "ur", 1);
    auto desk = Must(pg::Connection::Open(server.AddDesk(practice, "reception"), "test desk"));
    auto other = Must(pg::Connection::Open(server.AddDesk(practice, "reception_upstairs"), "test desk"));
    const std::string action = store::NewUuid();

    // The first attempt commits, and its answer is lost on the way back; the desk asks again, the same move.
    Must(pg::SetRequestStatus(desk, id, ReferralStatus::New, ReferralStatus::Contacted, action));
    Must(pg::SetRequestStatus(desk, id, ReferralStatus::New, ReferralStatus::Contacted, action));
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.referral_events") == "1");
    CHECK(server.cluster->Scalar("SELECT action FROM htk.referral_events") == action);
    CHECK_FALSE(desk.InTransaction());

    // Another desk's move from what it last read is still refused, and so is a new move from a stale status.
    CHECK(CodeOf(pg::SetRequestStatus(other, id, ReferralStatus::New, ReferralStatus::Cancelled)) == Errc::Busy);
    CHECK(CodeOf(pg::SetRequestStatus(desk, id, ReferralStatus::New, ReferralStatus::Contacted)) == Errc::Busy);
    CHECK(CodeOf(pg::SetRequestStatus(desk, id, ReferralStatus::New, ReferralStatus::Cancelled, action)) == Errc::Busy);
    CHECK_FALSE(desk.InTransaction());
    Must(pg::SetRequestStatus(other, id, ReferralStatus::Contacted, ReferralStatus::Closed));
    CHECK(server.cluster->Scalar("SELECT count(*) FROM htk.referral_events WHERE action IS NOT NULL") == "2");  // every move has one
    CHECK(server.cluster->Scalar("SELECT status FROM htk.referrals") == "closed");

    // A booking's moves the same way, with a history of their own.
    const std::string p = std::to_string(practice);
    server.cluster->Exec("INSERT INTO htk.trainers (practice_id, id, display_name, languages) VALUES (" + p + ", 1, 'Ayşe', 'tr');"
                         "INSERT INTO htk.slots VALUES (" + p + ", 1, 1800000000, 1800003600)");
    const auto booking = std::stoll(server.cluster->Scalar("INSERT INTO htk.bookings (practice_id, trainer_id, start_at, end_at, referral_id, "
                                                           "booked_by) VALUES (" + p + ", 1, 1800000000, 1800003600, " +
                                                           std::to_string(id) + ", 'desk:reception') RETURNING id"));
    const std::string confirm = store::NewUuid();
    Must(pg::SetBookingStatus(desk, booking, core::BookingStatus::Requested, core::BookingStatus::Confirmed, confirm));
    Must(pg::SetBookingStatus(desk, booking, core::BookingStatus::Requested, core::BookingStatus::Confirmed, confirm));
    CHECK(CodeOf(pg::SetBookingStatus(other, booking, core::BookingStatus::Requested, core::BookingStatus::CancelledByPractice)) ==
          Errc::Busy);
    CHECK(server.cluster->Scalar("SELECT by_login || ' ' || from_status || '->' || to_status || ' ' || (action = '" + confirm +
                                 "') FROM htk.booking_events") == "reception requested->confirmed true");
    CHECK_FALSE(desk.Query("DELETE FROM htk.booking_events").ok());
}
