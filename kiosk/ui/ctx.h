// What every screen and widget draws with: the session's catalog and fonts, the text engine, and
// where widgets record themselves. Plain references; a Ctx lives for one frame.
#pragma once
#include <imgui.h>

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

    const theme::Palette& C() const { return *colours; }

    bool RightToLeft() const { return catalog.Dir() == i18n::Direction::RightToLeft; }
    std::string Text(std::string_view key) const { return catalog.Get(key); }
};

}  // namespace htk::ui
