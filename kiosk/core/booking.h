// A booking: one slot for one referral, with every status change, its time and its actor.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/referral.h"
#include "core/slots.h"

namespace htk::core {

using BookingId = std::int64_t;

// Requested -> Confirmed -> Attended | DidNotAttend; Requested or Confirmed -> Cancelled*.
enum class BookingStatus { Requested, Confirmed, Attended, DidNotAttend, CancelledByPatient, CancelledByPractice };

struct StatusChange {
    BookingStatus to = BookingStatus::Requested;
    UnixSeconds at = 0;
    std::string actor;  // "kiosk:<id>" or "staff:<name>"; never a patient's identity
};

struct Booking {
    BookingId id = 0;
    ReferralId referral = 0;
    Slot slot;
    BookingStatus status = BookingStatus::Requested;
    std::vector<StatusChange> history;  // oldest first; the first entry is the request itself
};

bool CanChange(BookingStatus from, BookingStatus to);
bool HoldsSlot(BookingStatus s);  // every status but a cancellation keeps the slot taken
std::string_view Key(BookingStatus s);
std::optional<BookingStatus> ParseBookingStatus(std::string_view key);
std::span<const BookingStatus> AllBookingStatuses();

}  // namespace htk::core
