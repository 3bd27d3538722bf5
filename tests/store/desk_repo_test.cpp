// Reception's desk: one request in full, requests taken by phone or at the counter, and bookings of
// exactly the slots the kiosks would offer - refused clearly, with nothing changed, when they cannot be.
#include <doctest/doctest.h>

#include <algorithm>

#include "store/audit_repo.h"
#include "store/booking_repo.h"
#include "store/desk_repo.h"
#include "store/referral_repo.h"
#include "store/slot_repo.h"
#include "store/waiting_repo.h"
#include "store_fixture.h"

using namespace htk;
using test::Must;

namespace {

const char* kPassphrase = "correct horse battery staple";
const core::LocalDate kTuesday{2026, 3, 3};
const core::LocalDate kSaturday{2026, 3, 7};

core::Referral Tasked() {
    core::Referral r;
    r.route = core::Route::TaskedByGp;
    r.reasons = {core::Reason::LongTermCondition, core::Reason::EatingBetter};
    r.preferred_language = "ku";
    r.contact = core::ContactMethod::Phone;
    r.best_times = {core::BestTime::Afternoon};
    r.consent_version = std::string(store::kDeskConsent);
    r.patient.name = "Rojda Nimûne";
    r.patient.phone = "+447700900321";
    return r;
}

struct DeskPractice : test::Practice {
    store::PublicKey pub = Must(store::CreatePracticeKeys(db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1));
    core::UnixSeconds now = test::Monday0800();

    store::SlotStart At(core::LocalDate day, int hour) const { return {trainer, test::At(day, hour)}; }

    int Count(const std::string& table) {
        auto stmt = Must(store::Statement::Prepare(db, "SELECT count(*) FROM " + table));
        REQUIRE(Must(stmt.Step()));
        return static_cast<int>(stmt.Int(0));
    }
};

}  // namespace

TEST_CASE("a receptionist takes a tasked referral by phone: sealed, consent by word, waiting for the trainer's call") {
    DeskPractice p;
    const auto made = Must(store::DeskRepo(p.db).Create(Tasked(), p.pub, std::nullopt, p.zone, "staff:Tomasz", p.now));
    CHECK_FALSE(made.booking);
    CHECK(made.referral.status == core::ReferralStatus::New);
    const auto back = Must(store::ReferralRepo(p.db).Get(made.referral.id));
    CHECK(back.route == core::Route::TaskedByGp);
    CHECK(back.consent_version == "desk");
    CHECK(back.patient == core::PatientDetails{});
    const auto key = Must(store::Unlock(p.db, "Rukhsana", kPassphrase, p.now));
    CHECK(Must(store::ReferralRepo(p.db).Reveal(made.referral.id, key, p.now)).name == "Rojda Nimûne");
    const auto audit = Must(store::AuditRepo(p.db).List({.action = "referral.create"}));
    REQUIRE(audit.size() == 1);
    CHECK(audit[0].actor == "staff:Tomasz");
}

TEST_CASE("a GP-booked request is created and its slot booked in one go") {
    DeskPractice p;
    auto r = Tasked();
    r.route = core::Route::BookedByGp;
    const auto made = Must(store::DeskRepo(p.db).Create(r, p.pub, p.At(kTuesday, 10), p.zone, "staff:Tomasz", p.now));
    REQUIRE(made.booking);
    CHECK(made.booking->slot == p.SlotAt(p.trainer, kTuesday, 10));
    CHECK(made.referral.status == core::ReferralStatus::Booked);
    CHECK(Must(store::ReferralRepo(p.db).Get(made.referral.id)).status == core::ReferralStatus::Booked);
}

TEST_CASE("a request whose slot cannot be booked is not created at all") {
    DeskPractice p;
    const auto other = Must(store::DeskRepo(p.db).Create(Tasked(), p.pub, p.At(kTuesday, 10), p.zone, "staff:T", p.now));
    const int referrals = p.Count("referrals"), audit = p.Count("audit_log");
    auto made = store::DeskRepo(p.db).Create(Tasked(), p.pub, p.At(kTuesday, 10), p.zone, "staff:T", p.now);
    REQUIRE_FALSE(made.ok());
    CHECK(made.error().code == core::Errc::SlotTaken);
    made = store::DeskRepo(p.db).Create(Tasked(), p.pub, p.At(kSaturday, 10), p.zone, "staff:T", p.now);
    REQUIRE_FALSE(made.ok());
    CHECK(made.error().code == core::Errc::InvalidInput);
    auto bad = Tasked();
    bad.reasons.clear();
    CHECK(store::DeskRepo(p.db).Create(bad, p.pub, std::nullopt, p.zone, "staff:T", p.now).error().code ==
          core::Errc::InvalidInput);
    CHECK(p.Count("referrals") == referrals);
    CHECK(p.Count("audit_log") == audit);
    CHECK(other.booking);
}

TEST_CASE("reception books a free slot for a waiting request: booked, and off the waiting list") {
    DeskPractice p;
    auto r = Tasked();
    r.waiting_list = true;
    const auto id = Must(store::ReferralRepo(p.db).Create(r, p.pub, "kiosk:kiosk-1", p.now - 3600)).id;
    const auto booking = Must(store::DeskRepo(p.db).Book(id, p.At(kTuesday, 14), p.zone, "staff:Tomasz", p.now));
    CHECK(booking.slot == p.SlotAt(p.trainer, kTuesday, 14));
    CHECK(booking.status == core::BookingStatus::Requested);
    const auto after = Must(store::ReferralRepo(p.db).Get(id));
    CHECK(after.status == core::ReferralStatus::Booked);
    CHECK_FALSE(after.waiting_list);
    CHECK(Must(store::WaitingRepo(p.db).List()).empty());
}

TEST_CASE("a slot already taken or held is refused with its reason, and nothing changes") {
    DeskPractice p;
    const auto id = Must(store::ReferralRepo(p.db).Create(Tasked(), p.pub, "kiosk:kiosk-1", 1)).id;
    const auto first = Must(store::ReferralRepo(p.db).Create(Tasked(), p.pub, "kiosk:kiosk-1", 1)).id;
    Must(store::BookingRepo(p.db).Book(first, p.SlotAt(p.trainer, kTuesday, 10), "staff:T", p.now));
    Must(store::SlotRepo(p.db).HoldSlot(p.SlotAt(p.trainer, kTuesday, 11), "kiosk-session-1", p.now));
    const int bookings = p.Count("bookings"), audit = p.Count("audit_log");

    auto taken = store::DeskRepo(p.db).Book(id, p.At(kTuesday, 10), p.zone, "staff:Tomasz", p.now);
    REQUIRE_FALSE(taken.ok());
    CHECK(taken.error().code == core::Errc::SlotTaken);
    auto held = store::DeskRepo(p.db).Book(id, p.At(kTuesday, 11), p.zone, "staff:Tomasz", p.now);
    REQUIRE_FALSE(held.ok());
    CHECK(held.error().code == core::Errc::SlotHeld);
    CHECK(held.error().detail.find("2026-03-02 08:05") != std::string::npos);  // held until, practice time
    CHECK(p.Count("bookings") == bookings);
    CHECK(p.Count("audit_log") == audit);
    CHECK(Must(store::ReferralRepo(p.db).Get(id)).status == core::ReferralStatus::New);
}

TEST_CASE("only slots the plan offers now can be booked at the desk") {
    DeskPractice p;
    const auto id = Must(store::ReferralRepo(p.db).Create(Tasked(), p.pub, "kiosk:kiosk-1", 1)).id;
    const auto code = [&](store::SlotStart s) {
        auto r = store::DeskRepo(p.db).Book(id, s, p.zone, "staff:Tomasz", p.now);
        return r.ok() ? std::string("ok") : std::string(core::ErrcName(r.error().code));
    };
    CHECK(code(p.At(kSaturday, 10)) == "invalid_input");                    // not working
    CHECK(code(p.At(kTuesday, 12)) == "invalid_input");                     // crosses lunch
    CHECK(code({p.trainer, test::At(kTuesday, 10, 30)}) == "invalid_input"); // not a slot start
    CHECK(code(p.At(kTuesday.AddDays(14), 10)) == "invalid_input");         // past the horizon
    auto past = store::DeskRepo(p.db).Book(id, p.At(core::LocalDate{2026, 3, 2}, 9), p.zone, "staff:T", p.now + 7200);
    CHECK(past.error().code == core::Errc::InvalidInput);                    // already over
    CHECK(code({p.trainer + 40, test::At(kTuesday, 10)}) == "not_found");
    auto refused = store::DeskRepo(p.db).Book(id, p.At(kSaturday, 10), p.zone, "staff:Tomasz", p.now);
    CHECK(refused.error().detail.find("2026-03-07 10:00") != std::string::npos);
    CHECK(store::DeskRepo(p.db).Book(id + 90, p.At(kTuesday, 10), p.zone, "staff:T", p.now).error().code ==
          core::Errc::NotFound);
    Must(store::TrainerRepo(p.db).SetActive(p.trainer, false));
    CHECK(code(p.At(kTuesday, 10)) == "invalid_input");
    Must(store::TrainerRepo(p.db).SetActive(p.trainer, true));
    Must(store::ReferralRepo(p.db).ChangeStatus(id, core::ReferralStatus::Closed, "staff:T", p.now));
    CHECK(code(p.At(kTuesday, 10)) == "invalid_input");
    CHECK(p.Count("bookings") == 0);
}

TEST_CASE("the desk books the slot offered to this request, and refuses one offered to another") {
    DeskPractice p;
    auto waiting = Tasked();
    waiting.waiting_list = true;
    const auto first = Must(store::ReferralRepo(p.db).Create(waiting, p.pub, "kiosk:kiosk-1", p.now - 7200)).id;
    const auto second = Must(store::ReferralRepo(p.db).Create(waiting, p.pub, "kiosk:kiosk-1", p.now - 3600)).id;
    const auto someone = Must(store::ReferralRepo(p.db).Create(Tasked(), p.pub, "kiosk:kiosk-1", 1)).id;
    const auto booking = Must(store::BookingRepo(p.db).Book(someone, p.SlotAt(p.trainer, kTuesday, 10), "staff:T", p.now));
    const auto offer = Must(store::BookingRepo(p.db).ChangeStatusAndOffer(booking.id, core::BookingStatus::CancelledByPractice,
                                                                          "staff:T", p.now))
                           .offer;
    REQUIRE(offer);
    REQUIRE(offer->referral == first);

    auto refused = store::DeskRepo(p.db).Book(second, p.At(kTuesday, 10), p.zone, "staff:Tomasz", p.now);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == core::Errc::SlotHeld);
    const auto booked = Must(store::DeskRepo(p.db).Book(first, p.At(kTuesday, 10), p.zone, "staff:Tomasz", p.now));
    CHECK(booked.referral == first);
    CHECK(Must(store::WaitingRepo(p.db).Offers(p.now)).empty());
    CHECK(Must(store::AuditRepo(p.db).List({.action = "waiting.accept"})).size() == 1);
}

TEST_CASE("one request in full: history, bookings, notes, the audit trail and its offer - sealed or revealed") {
    DeskPractice p;
    auto r = Tasked();
    r.waiting_list = true;
    const auto made = Must(store::DeskRepo(p.db).Create(r, p.pub, std::nullopt, p.zone, "staff:Tomasz", p.now - 600));
    const auto id = made.referral.id;
    const auto booking = Must(store::DeskRepo(p.db).Book(id, p.At(kTuesday, 10), p.zone, "staff:Tomasz", p.now));
    Must(store::BookingRepo(p.db).ChangeStatus(booking.id, core::BookingStatus::CancelledByPatient, "staff:Tomasz", p.now + 60));
    Must(store::ReferralRepo(p.db).AddNote(id, "Rojda asked for a woman trainer.", p.pub, "staff:Tomasz", p.now + 120));
    const auto unrelated = Must(store::ReferralRepo(p.db).Create(Tasked(), p.pub, "kiosk:kiosk-1", p.now));
    Must(store::ReferralRepo(p.db).AddNote(unrelated.id, "Someone else's note", p.pub, "staff:Tomasz", p.now));

    const auto sealed = Must(store::DeskRepo(p.db).Detail(id, p.now + 180));
    CHECK(sealed.referral.reference == made.referral.reference);
    CHECK(sealed.referral.patient == core::PatientDetails{});
    REQUIRE(sealed.history.size() == 2);
    CHECK(sealed.history[1].to == core::ReferralStatus::Booked);
    REQUIRE(sealed.bookings.size() == 1);
    CHECK(sealed.bookings[0].status == core::BookingStatus::CancelledByPatient);
    CHECK(sealed.bookings[0].history.size() == 2);
    REQUIRE(sealed.notes.size() == 1);
    CHECK(sealed.notes[0].text.empty());
    CHECK_FALSE(sealed.offer);
    std::vector<std::string> actions;
    for (const auto& e : sealed.audit) actions.push_back(e.action);
    CHECK(actions == std::vector<std::string>{"referral.create", "booking.create", "referral.status", "booking.status",
                                              "referral.note"});
    CHECK(Must(store::AuditRepo(p.db).List({.action = "sealed.reveal"})).empty());

    const auto key = Must(store::Unlock(p.db, "Rukhsana", kPassphrase, p.now));
    const auto open = Must(store::DeskRepo(p.db).Detail(id, key, p.now + 240));
    CHECK(open.referral.patient.name == "Rojda Nimûne");
    REQUIRE(open.notes.size() == 1);
    CHECK(open.notes[0].text == "Rojda asked for a woman trainer.");
    REQUIRE(open.audit.size() == 7);  // the two reveals just made are on the trail
    CHECK(open.audit[5].action == "sealed.reveal");
    CHECK(open.audit[6].detail == "notes");

    CHECK(store::DeskRepo(p.db).Detail(id + 99, p.now).error().code == core::Errc::NotFound);
    CHECK(store::DeskRepo(p.db).Detail(id + 99, key, p.now).error().code == core::Errc::NotFound);
}

TEST_CASE("the detail of a waiting request shows the slot offered to it") {
    DeskPractice p;
    auto r = Tasked();
    r.waiting_list = true;
    const auto waiting = Must(store::ReferralRepo(p.db).Create(r, p.pub, "kiosk:kiosk-1", p.now - 600)).id;
    const auto someone = Must(store::ReferralRepo(p.db).Create(Tasked(), p.pub, "kiosk:kiosk-1", 1)).id;
    const auto booking = Must(store::BookingRepo(p.db).Book(someone, p.SlotAt(p.trainer, kTuesday, 10), "staff:T", p.now));
    Must(store::BookingRepo(p.db).ChangeStatus(booking.id, core::BookingStatus::CancelledByPractice, "staff:T", p.now));
    const auto detail = Must(store::DeskRepo(p.db).Detail(waiting, p.now));
    REQUIRE(detail.offer);
    CHECK(detail.offer->slot == p.SlotAt(p.trainer, kTuesday, 10));
    CHECK(detail.offer->trainer_speaks);  // the trainer speaks ku
    CHECK(detail.audit.back().action == "waiting.offer");
}
