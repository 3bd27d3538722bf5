// The waiting list: a cancelled slot goes first to the patients who found none, in their language
// where the trainer speaks it; reception accepts or declines for them, and an unanswered offer lapses.
#include <doctest/doctest.h>

#include <algorithm>

#include "store/audit_repo.h"
#include "store/booking_repo.h"
#include "store/desk_repo.h"
#include "store/plan_repo.h"
#include "store/referral_repo.h"
#include "store/slot_repo.h"
#include "store/waiting_repo.h"
#include "store_fixture.h"

using namespace htk;
using test::Must;

namespace {

const char* kPassphrase = "correct horse battery staple";
const core::LocalDate kMonday{2026, 3, 2};
const core::LocalDate kWednesday{2026, 3, 4};

struct WaitingPractice : test::Practice {
    store::PublicKey pub = Must(store::CreatePracticeKeys(db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1));
    core::UnixSeconds now = test::Monday0800();

    // A patient who found no free slot at the kiosk, `hours_ago` before now.
    core::Referral Waiting(const std::string& language, int hours_ago) {
        core::Referral r;
        r.reasons = {core::Reason::EatingBetter};
        r.preferred_language = language;
        r.consent_version = language + "@1";
        r.waiting_list = true;
        return Must(store::ReferralRepo(db).Create(r, pub, "kiosk:kiosk-1", now - hours_ago * 3600));
    }

    // A booking of `slot` for a request that is not waiting.
    core::BookingId Booked(const core::Slot& slot) {
        core::Referral r;
        r.reasons = {core::Reason::MovingMore};
        r.preferred_language = "en-GB";
        r.consent_version = "en-GB@1";
        const auto id = Must(store::ReferralRepo(db).Create(r, pub, "kiosk:kiosk-1", now - 100 * 3600)).id;
        return Must(store::BookingRepo(db).Book(id, slot, "kiosk:kiosk-1", now - 99 * 3600)).id;
    }

    std::optional<store::WaitingOffer> Cancel(core::BookingId id) {
        return Must(store::BookingRepo(db).ChangeStatusAndOffer(id, core::BookingStatus::CancelledByPatient,
                                                                "staff:Tomasz", now))
            .offer;
    }

    bool Free(const core::Slot& slot, core::UnixSeconds at) {
        const auto free = Must(store::SlotRepo(db).FreeSlots(zone, at));
        return std::find(free.begin(), free.end(), slot) != free.end();
    }

    std::size_t Audited(const std::string& action) {
        return Must(store::AuditRepo(db).List({.action = action})).size();
    }
};

}  // namespace

TEST_CASE("a cancelled slot is offered first to the oldest waiting patient whose language the trainer speaks") {
    WaitingPractice p;  // the trainer speaks tr, ku and en
    const auto somali = p.Waiting("so", 30);
    const auto turkish = p.Waiting("tr", 20);
    p.Waiting("ku", 10);
    const auto slot = p.SlotAt(p.trainer, kWednesday, 10);
    const auto booking = p.Booked(slot);

    const auto offer = p.Cancel(booking);
    REQUIRE(offer);
    CHECK(offer->referral == turkish.id);
    CHECK(offer->reference == turkish.reference);
    CHECK(offer->language == "tr");
    CHECK(offer->trainer_speaks);
    CHECK(offer->slot == slot);
    CHECK(offer->expires_at == p.now + store::kOfferSeconds);  // a day: the slot is two days off

    CHECK_FALSE(p.Free(slot, p.now));  // the kiosks do not show it meanwhile
    const auto offers = Must(store::WaitingRepo(p.db).Offers(p.now));
    REQUIRE(offers.size() == 1);
    CHECK(offers[0].referral == turkish.id);
    CHECK(Must(store::WaitingRepo(p.db).OfferFor(turkish.id, p.now)));
    CHECK_FALSE(Must(store::WaitingRepo(p.db).OfferFor(somali.id, p.now)));

    const auto audit = Must(store::AuditRepo(p.db).List({.action = "waiting.offer"}));
    REQUIRE(audit.size() == 1);
    CHECK(audit[0].subject == "referral:" + std::to_string(turkish.id));
    CHECK(audit[0].detail == "trainer:" + std::to_string(p.trainer) + " start:" + std::to_string(slot.start));
    CHECK(audit[0].actor == "staff:Tomasz");

    // Nobody else can book it while it stands, the kiosk's way or the desk's.
    const auto other = p.Waiting("so", 1);
    auto taken = store::BookingRepo(p.db).Book(other.id, slot, "staff:Tomasz", p.now);
    REQUIRE_FALSE(taken.ok());
    CHECK(taken.error().code == core::Errc::SlotHeld);
    CHECK(store::SlotRepo(p.db).HoldSlot(slot, "kiosk-session-1", p.now).error().code == core::Errc::SlotHeld);
}

TEST_CASE("with nobody waiting in a language the trainer speaks, the oldest waiting patient gets it with an interpreter") {
    WaitingPractice p;
    const auto somali = p.Waiting("so", 30);
    p.Waiting("ar", 20);
    const auto offer = p.Cancel(p.Booked(p.SlotAt(p.trainer, kWednesday, 11)));
    REQUIRE(offer);
    CHECK(offer->referral == somali.id);
    CHECK_FALSE(offer->trainer_speaks);
}

TEST_CASE("no offer when nobody waits, when the slot is too soon, or for requests that are no longer waiting") {
    WaitingPractice p;
    Must(store::SettingsRepo(p.db).SetRules({.session_minutes = 60, .interval_minutes = 60, .min_notice_minutes = 120,
                                             .horizon_days = 7}));
    const auto wednesday = p.SlotAt(p.trainer, kWednesday, 10);
    SUBCASE("nobody waiting: the slot is simply free again") {
        CHECK_FALSE(p.Cancel(p.Booked(wednesday)));
        CHECK(p.Free(wednesday, p.now));
        CHECK(p.Audited("waiting.offer") == 0);
    }
    SUBCASE("the slot starts within the minimum notice") {
        p.Waiting("tr", 5);
        const auto soon = p.SlotAt(p.trainer, kMonday, 9);  // now is 08:00; two hours' notice
        CHECK_FALSE(p.Cancel(p.Booked(soon)));
        CHECK(Must(store::WaitingRepo(p.db).Offers(p.now)).empty());
    }
    SUBCASE("booked, closed and cancelled requests are off the list") {
        const auto booked = p.Waiting("tr", 5);
        Must(store::BookingRepo(p.db).Book(booked.id, p.SlotAt(p.trainer, kWednesday, 14), "staff:T", p.now));
        const auto closed = p.Waiting("tr", 4);
        Must(store::ReferralRepo(p.db).ChangeStatus(closed.id, core::ReferralStatus::Closed, "staff:T", p.now));
        const auto contacted = p.Waiting("tr", 3);
        Must(store::ReferralRepo(p.db).ChangeStatus(contacted.id, core::ReferralStatus::Contacted, "staff:T", p.now));
        CHECK_FALSE(Must(store::ReferralRepo(p.db).Get(booked.id)).waiting_list);  // booking takes them off

        const auto list = Must(store::WaitingRepo(p.db).List());
        REQUIRE(list.size() == 1);
        CHECK(list[0].id == contacted.id);
        const auto offer = p.Cancel(p.Booked(wednesday));
        REQUIRE(offer);
        CHECK(offer->referral == contacted.id);
    }
    SUBCASE("an offer of a slot less than a day off expires at its start less the notice") {
        p.Waiting("tr", 5);
        const auto tomorrow = p.SlotAt(p.trainer, kMonday.AddDays(1), 9);  // 25 hours away
        const auto offer = p.Cancel(p.Booked(tomorrow));
        REQUIRE(offer);
        CHECK(offer->expires_at == tomorrow.start - 120 * 60);
    }
}

TEST_CASE("the waiting list is served oldest first") {
    WaitingPractice p;
    const auto b = p.Waiting("so", 10);
    const auto a = p.Waiting("tr", 20);
    const auto c = p.Waiting("bn", 5);
    const auto list = Must(store::WaitingRepo(p.db).List());
    REQUIRE(list.size() == 3);
    CHECK(list[0].id == a.id);
    CHECK(list[1].id == b.id);
    CHECK(list[2].id == c.id);
}

TEST_CASE("reception accepts an offer for the patient: the slot is booked and they leave the waiting list") {
    WaitingPractice p;
    const auto turkish = p.Waiting("tr", 20);
    const auto slot = p.SlotAt(p.trainer, kWednesday, 10);
    REQUIRE(p.Cancel(p.Booked(slot)));
    const auto booking = Must(store::WaitingRepo(p.db).Accept(turkish.id, "staff:Tomasz", p.now + 600));
    CHECK(booking.referral == turkish.id);
    CHECK(booking.slot == slot);
    const auto after = Must(store::ReferralRepo(p.db).Get(turkish.id));
    CHECK(after.status == core::ReferralStatus::Booked);
    CHECK_FALSE(after.waiting_list);
    CHECK(Must(store::WaitingRepo(p.db).Offers(p.now + 600)).empty());
    CHECK(Must(store::WaitingRepo(p.db).List()).empty());
    CHECK_FALSE(Must(store::SlotRepo(p.db).HoldFor(store::OfferToken(turkish.id))));
    const auto accepted = Must(store::AuditRepo(p.db).List({.action = "waiting.accept"}));
    REQUIRE(accepted.size() == 1);
    CHECK(accepted[0].detail == "booking:" + std::to_string(booking.id));

    auto again = store::WaitingRepo(p.db).Accept(turkish.id, "staff:Tomasz", p.now + 700);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == core::Errc::NotFound);
    CHECK(again.error().detail.find(turkish.reference) != std::string::npos);
    CHECK(store::WaitingRepo(p.db).Accept(9999, "staff:Tomasz", p.now).error().code == core::Errc::NotFound);
}

TEST_CASE("a declined offer passes to the next waiting patient, never back, and is free when nobody is left") {
    WaitingPractice p;
    const auto somali = p.Waiting("so", 30);
    const auto turkish = p.Waiting("tr", 20);
    const auto kurdish = p.Waiting("ku", 10);
    const auto slot = p.SlotAt(p.trainer, kWednesday, 10);
    store::WaitingRepo waiting(p.db);
    REQUIRE(p.Cancel(p.Booked(slot))->referral == turkish.id);

    auto next = Must(waiting.Decline(turkish.id, "staff:Tomasz", p.now + 60));
    REQUIRE(next);
    CHECK(next->referral == kurdish.id);  // the next speaker
    CHECK(next->trainer_speaks);
    next = Must(waiting.Decline(kurdish.id, "staff:Tomasz", p.now + 120));
    REQUIRE(next);
    CHECK(next->referral == somali.id);   // then anyone, with an interpreter
    CHECK_FALSE(next->trainer_speaks);
    CHECK_FALSE(p.Free(slot, p.now + 120));
    next = Must(waiting.Decline(somali.id, "staff:Tomasz", p.now + 180));
    CHECK_FALSE(next);
    CHECK(p.Free(slot, p.now + 180));
    CHECK(Must(waiting.Offers(p.now + 180)).empty());

    CHECK(Must(waiting.List()).size() == 3);  // declining one slot keeps a patient's place
    CHECK(p.Audited("waiting.decline") == 3);
    CHECK(p.Audited("waiting.offer") == 3);
    CHECK(waiting.Decline(somali.id, "staff:Tomasz", p.now + 200).error().code == core::Errc::NotFound);

    // Another slot freed later goes to the oldest speaker again: a decline is for one slot only.
    const auto other = p.Cancel(p.Booked(p.SlotAt(p.trainer, kWednesday, 11)));
    REQUIRE(other);
    CHECK(other->referral == turkish.id);
}

TEST_CASE("an offer nobody answers lapses: the slot is free again and accepting it is refused") {
    WaitingPractice p;
    const auto turkish = p.Waiting("tr", 20);
    const auto slot = p.SlotAt(p.trainer, kWednesday, 10);
    const auto offer = p.Cancel(p.Booked(slot));
    REQUIRE(offer);
    const auto later = offer->expires_at;
    CHECK_FALSE(p.Free(slot, later - 1));
    CHECK(p.Free(slot, later));
    CHECK(Must(store::WaitingRepo(p.db).Offers(later)).empty());
    auto accept = store::WaitingRepo(p.db).Accept(turkish.id, "staff:Tomasz", later);
    REQUIRE_FALSE(accept.ok());
    CHECK(accept.error().code == core::Errc::HoldExpired);
    CHECK(store::WaitingRepo(p.db).Decline(turkish.id, "staff:Tomasz", later).error().code == core::Errc::HoldExpired);
    CHECK(Must(store::ReferralRepo(p.db).Get(turkish.id)).status == core::ReferralStatus::New);
    // A kiosk may take it now.
    CHECK(store::SlotRepo(p.db).HoldSlot(slot, "kiosk-session-9", later).ok());
}

TEST_CASE("a waiting patient booked another way, or whose request is closed, gives up the offer to the next") {
    WaitingPractice p;
    const auto turkish = p.Waiting("tr", 20);
    const auto kurdish = p.Waiting("ku", 10);
    const auto slot = p.SlotAt(p.trainer, kWednesday, 10);
    REQUIRE(p.Cancel(p.Booked(slot))->referral == turkish.id);
    SUBCASE("booked into another slot") {
        Must(store::BookingRepo(p.db).Book(turkish.id, p.SlotAt(p.trainer, kWednesday, 14), "staff:Tomasz", p.now));
    }
    SUBCASE("request closed") {
        Must(store::ReferralRepo(p.db).ChangeStatus(turkish.id, core::ReferralStatus::Cancelled, "staff:Tomasz", p.now));
    }
    const auto offers = Must(store::WaitingRepo(p.db).Offers(p.now));
    REQUIRE(offers.size() == 1);
    CHECK(offers[0].referral == kurdish.id);
    CHECK(offers[0].slot == slot);
    CHECK(p.Audited("waiting.withdraw") == 1);
}

TEST_CASE("a patient already holding an offer is passed over for the next freed slot") {
    WaitingPractice p;
    const auto turkish = p.Waiting("tr", 20);
    const auto somali = p.Waiting("so", 10);
    REQUIRE(p.Cancel(p.Booked(p.SlotAt(p.trainer, kWednesday, 10)))->referral == turkish.id);
    const auto second = p.Cancel(p.Booked(p.SlotAt(p.trainer, kWednesday, 11)));
    REQUIRE(second);
    CHECK(second->referral == somali.id);
    CHECK(Must(store::WaitingRepo(p.db).Offers(p.now)).size() == 2);
}

TEST_CASE("a status change that is not a cancellation offers nothing") {
    WaitingPractice p;
    p.Waiting("tr", 20);
    const auto booking = p.Booked(p.SlotAt(p.trainer, kWednesday, 10));
    const auto change =
        Must(store::BookingRepo(p.db).ChangeStatusAndOffer(booking, core::BookingStatus::Confirmed, "staff:T", p.now));
    CHECK(change.booking.status == core::BookingStatus::Confirmed);
    CHECK_FALSE(change.offer);
    CHECK(p.Audited("waiting.offer") == 0);
}

TEST_CASE("a slot on a day the practice has closed since is not offered, though it was booked") {
    WaitingPractice p;
    p.Waiting("tr", 5);
    const auto slot = p.SlotAt(p.trainer, kWednesday, 10);
    const auto booking = p.Booked(slot);
    REQUIRE(store::PlanRepo(p.db).BlockDay({kWednesday, "Bank holiday"}).ok());
    const auto change = Must(store::BookingRepo(p.db).ChangeStatusAndOffer(booking, core::BookingStatus::CancelledByPractice,
                                                                           "staff:Tomasz", p.now, &p.zone));
    CHECK_FALSE(change.offer);
    CHECK(Must(store::WaitingRepo(p.db).Offers(p.now)).empty());
    CHECK_FALSE(p.Free(slot, p.now));  // nor free to anyone
}

TEST_CASE("a request with a live booking cannot be closed or cancelled until the booking's outcome is in") {
    WaitingPractice p;
    const auto slot = p.SlotAt(p.trainer, kWednesday, 10);
    const auto booking = p.Booked(slot);
    const auto referral = Must(store::BookingRepo(p.db).Get(booking)).referral;
    for (auto to : {core::ReferralStatus::Closed, core::ReferralStatus::Cancelled}) {
        const auto refused = store::ReferralRepo(p.db).ChangeStatus(referral, to, "staff:Tomasz", p.now);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == core::Errc::InvalidInput);
    }
    CHECK(Must(store::ReferralRepo(p.db).Get(referral)).status == core::ReferralStatus::Booked);
    Must(store::BookingRepo(p.db).ChangeStatus(booking, core::BookingStatus::CancelledByPatient, "staff:Tomasz", p.now));
    CHECK(Must(store::ReferralRepo(p.db).ChangeStatus(referral, core::ReferralStatus::Cancelled, "staff:Tomasz", p.now)).status ==
          core::ReferralStatus::Cancelled);
}
