// Booking status transitions and keys.
#include "core/booking.h"

#include <array>

namespace htk::core {

namespace {
constexpr std::array kStatuses{BookingStatus::Requested,    BookingStatus::Confirmed,
                               BookingStatus::Attended,     BookingStatus::DidNotAttend,
                               BookingStatus::CancelledByPatient, BookingStatus::CancelledByPractice};
constexpr std::array<std::string_view, 6> kKeys{"requested", "confirmed",           "attended",
                                                "did_not_attend", "cancelled_by_patient", "cancelled_by_practice"};
}  // namespace

bool CanChange(BookingStatus from, BookingStatus to) {
    using S = BookingStatus;
    const bool cancel = to == S::CancelledByPatient || to == S::CancelledByPractice;
    switch (from) {
        case S::Requested: return to == S::Confirmed || cancel;
        case S::Confirmed: return to == S::Attended || to == S::DidNotAttend || cancel;
        default: return false;
    }
}

bool HoldsSlot(BookingStatus s) {
    return s != BookingStatus::CancelledByPatient && s != BookingStatus::CancelledByPractice;
}

std::string_view Key(BookingStatus s) {
    for (std::size_t i = 0; i < kStatuses.size(); ++i)
        if (kStatuses[i] == s) return kKeys[i];
    return {};
}

std::optional<BookingStatus> ParseBookingStatus(std::string_view key) {
    for (std::size_t i = 0; i < kStatuses.size(); ++i)
        if (kKeys[i] == key) return kStatuses[i];
    return std::nullopt;
}

std::span<const BookingStatus> AllBookingStatuses() { return kStatuses; }

}  // namespace htk::core
