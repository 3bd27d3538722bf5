// Does every string of a language pack fit its widget on every kiosk screen at the supported window
// sizes? The real App drawn headless (an ImGui context and the text engine, no window, no GL).
#pragma once
#include <imgui.h>

#include <array>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "ui/widget_rects.h"

namespace htk::app {

// The window sizes a kiosk is supported at: landscape and portrait full HD, and a 1280x800 panel.
inline const std::array<ImVec2, 3> kFitSizes{{{1920, 1080}, {1080, 1920}, {1280, 800}}};

struct Misfit {
    std::string key;     // the catalog key ("home.refer"), or the widget's ("language.tr" for an endonym)
    std::string screen;  // "home"
    ImVec2 window;       // the window size, e.g. 1280x800
    float too_wide = 0;  // pixels the drawn text exceeds its box by; 0 when within
    float too_tall = 0;
    float off_screen = 0;  // pixels of the text outside the window
    bool cut = false;      // the text engine dropped part of it
    std::string Describe() const;  // "42 px too tall for its box on home at 1280x800"
};

// Owns one headless ImGui context and text engine, reused across packs so fonts load once.
class FitChecker {
public:
    explicit FitChecker(std::filesystem::path compiled_locales);  // i18n::Catalog's layout
    ~FitChecker();
    FitChecker(const FitChecker&) = delete;
    FitChecker& operator=(const FitChecker&) = delete;

    // Every screen in `tag` at every kFitSizes, with every pack of the folder in the picker (the
    // longest list a practice can configure). NotFound when the folder lacks `tag` or en-GB.
    core::Result<std::vector<Misfit>> Check(const std::string& tag);

    // For each key drawn in `tag`, how many characters of that pack's text would fit where it is
    // shown at its tightest (screen and size): its length scaled by the room its box leaves, for the
    // translators' CSV. An estimate: scripts differ in width per character.
    core::Result<std::map<std::string, int>> FittingLengths(const std::string& tag);

private:
    using Visit = std::function<void(const ui::DrawnText&, ImVec2 window, std::string_view screen)>;
    core::Result<void> DrawEveryScreen(const std::string& tag, const Visit& visit);

    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace htk::app
