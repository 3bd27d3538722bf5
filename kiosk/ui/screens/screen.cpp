// Screen names; the order of AllScreens() is the order --list-screens prints.
#include "ui/screens/screen.h"

#include <array>

namespace htk::ui {
namespace {

constexpr std::array kScreens{Screen::Attract, Screen::Language, Screen::Home, Screen::Reception};

}  // namespace

std::string_view ScreenName(Screen s) {
    switch (s) {
        case Screen::Attract: return "attract";
        case Screen::Language: return "language";
        case Screen::Home: return "home";
        case Screen::Reception: return "reception";
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
