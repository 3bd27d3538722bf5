// Screen names; the order of AllScreens() is the order --list-screens prints.
#include "ui/screens/screen.h"

#include <array>

namespace htk::ui {
namespace {

constexpr std::array kScreens{Screen::Attract,     Screen::Language, Screen::Home,      Screen::Reception,
                              Screen::Reasons,     Screen::Crisis,   Screen::Note,      Screen::Name,
                              Screen::DateOfBirth, Screen::Phone,    Screen::Contact,   Screen::ContactLanguage,
                              Screen::Times,       Screen::Consent,  Screen::Review,    Screen::Sent,
                              Screen::Slots,       Screen::SlotLost, Screen::NoSlots,   Screen::Help,
                              Screen::MoreTime,    Screen::Failure};

}  // namespace

std::string_view ScreenName(Screen s) {
    switch (s) {
        case Screen::Attract: return "attract";
        case Screen::Language: return "language";
        case Screen::Home: return "home";
        case Screen::Reception: return "reception";
        case Screen::Reasons: return "reasons";
        case Screen::Crisis: return "crisis";
        case Screen::Note: return "note";
        case Screen::Name: return "name";
        case Screen::DateOfBirth: return "date_of_birth";
        case Screen::Phone: return "phone";
        case Screen::Contact: return "contact";
        case Screen::ContactLanguage: return "contact_language";
        case Screen::Times: return "times";
        case Screen::Consent: return "consent";
        case Screen::Review: return "review";
        case Screen::Sent: return "sent";
        case Screen::Slots: return "slots";
        case Screen::SlotLost: return "slot_lost";
        case Screen::NoSlots: return "no_slots";
        case Screen::Help: return "help";
        case Screen::MoreTime: return "more_time";
        case Screen::Failure: return "failure";
    }
    return "attract";
}

std::optional<Screen> ParseScreen(std::string_view name) {
    for (Screen s : kScreens)
        if (ScreenName(s) == name) return s;
    return std::nullopt;
}

std::span<const Screen> AllScreens() { return kScreens; }

}  // namespace htk::ui
