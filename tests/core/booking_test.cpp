// Status transitions of bookings and referrals, trainers' languages.
#include <doctest/doctest.h>

#include "core/booking.h"
#include "core/trainer.h"

using namespace htk::core;

TEST_CASE("a booking goes requested, confirmed, then attended or did not attend") {
    CHECK(CanChange(BookingStatus::Requested, BookingStatus::Confirmed));
    CHECK(CanChange(BookingStatus::Confirmed, BookingStatus::Attended));
    CHECK(CanChange(BookingStatus::Confirmed, BookingStatus::DidNotAttend));
    CHECK(CanChange(BookingStatus::Requested, BookingStatus::CancelledByPatient));
    CHECK(CanChange(BookingStatus::Confirmed, BookingStatus::CancelledByPractice));
    CHECK_FALSE(CanChange(BookingStatus::Requested, BookingStatus::Attended));
    CHECK_FALSE(CanChange(BookingStatus::Attended, BookingStatus::Confirmed));
    CHECK_FALSE(CanChange(BookingStatus::CancelledByPatient, BookingStatus::Confirmed));
    CHECK(HoldsSlot(BookingStatus::Attended));
    CHECK_FALSE(HoldsSlot(BookingStatus::CancelledByPractice));
    for (auto s : AllBookingStatuses()) CHECK(ParseBookingStatus(Key(s)) == s);
}

TEST_CASE("referral statuses, routes and reasons round-trip through their keys") {
    CHECK(CanChange(ReferralStatus::New, ReferralStatus::Contacted));
    CHECK_FALSE(CanChange(ReferralStatus::Closed, ReferralStatus::New));
    for (auto s : AllReferralStatuses()) CHECK(ParseReferralStatus(Key(s)) == s);
    for (auto r : AllReasons()) CHECK(ParseReason(Key(r)) == r);
    for (auto r : AllRoutes()) CHECK(ParseRoute(Key(r)) == r);
    CHECK(AllReasons().size() == 9);
    CHECK_FALSE(ParseReason("astrology"));
}

TEST_CASE("a trainer speaks a language by its primary subtag") {
    Trainer t{1, "Ayesha", {"ur", "pa-Guru", "en-GB"}, true};
    CHECK(t.Speaks("pa"));
    CHECK(t.Speaks("UR"));
    CHECK(t.Speaks("en"));
    CHECK_FALSE(t.Speaks("ar"));
    CHECK(LooksLikeLanguageTag("zh-Hans"));
    CHECK(LooksLikeLanguageTag("ckb"));
    CHECK_FALSE(LooksLikeLanguageTag("english"));
    CHECK_FALSE(LooksLikeLanguageTag("e"));
}

TEST_CASE("wiping patient details clears every field") {
    PatientDetails d{"Ayşe Yılmaz", LocalDate{1980, 1, 2}, "+447400123456", "a@example.org", "1 Road", "note"};
    Wipe(d);
    CHECK(d == PatientDetails{});
}
