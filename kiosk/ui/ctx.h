// What every screen and widget draws with: the session's catalog and fonts, the text engine, and
// where widgets record themselves. Plain references; a Ctx lives for one frame.
#pragma once
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <string_view>

#include "i18n/catalog.h"
#include "i18n/keyboard.h"
#include "text/engine.h"
#include "ui/theme.h"
#include "ui/text.h"
#include "ui/widget_rects.h"

namespace htk::ui {

class Pictograms;  // ui/pictograms.h

struct Ctx {
    const i18n::Catalog& catalog;  // the session's language pack (English fallback per string)
    text::Engine& engine;          // every glyph goes through it (ui/text.h)
    Faces faces;                   // the session language's fonts
    WidgetRects& rects;            // where each keyed widget was drawn this frame
    ImVec2 display;                // screen size in pixels
    const theme::Palette* colours = &theme::kStandard;  // kHighContrast after "Larger text"
    float text_scale = 1.0f;                             // theme::kLargerText after "Larger text"
    Pictograms* pictograms = nullptr;                    // null: text only (some tests)
    std::span<const i18n::Keyboard> keyboards;           // the session pack's on-screen layouts
    float pixels_per_mm = 0.0f;                          // the panel's density from the config; 0: not stated

    // The least height of an on-screen key: theme::MinKeyHeight, and never under 9 mm on a panel
    // whose density the config states.
    float MinKeyHeight() const {
        return std::max(theme::MinKeyHeight(display), std::ceil(theme::kMinTargetMm * pixels_per_mm));
    }

    const theme::Palette& C() const { return *colours; }

    bool RightToLeft() const { return catalog.Dir() == i18n::Direction::RightToLeft; }
    std::string Text(std::string_view key) const { return catalog.Get(key); }
};

}  // namespace htk::ui
