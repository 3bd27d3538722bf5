// The kiosk's screens by name: what --screen, --list-screens and the test harness use.
#pragma once
#include <optional>
#include <span>
#include <string_view>

namespace htk::ui {

enum class Screen {
    Attract, Language, Home, Reception,
    // A request: self-referral, and the details of a booking.
    Reasons, Crisis, Note, Name, DateOfBirth, Phone, Contact, ContactLanguage, Times, Consent, Review, Sent,
    // Booking.
    Slots, SlotLost, NoSlots,
    // Messages over any screen.
    Help, MoreTime, Failure,
};

std::string_view ScreenName(Screen s);                     // "attract", "language", ...
std::optional<Screen> ParseScreen(std::string_view name);
std::span<const Screen> AllScreens();

}  // namespace htk::ui
