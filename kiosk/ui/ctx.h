// What every screen and widget draws with: the session's catalog and fonts, the text engine, and
// where widgets record themselves. Plain references; a Ctx lives for one frame.
#pragma once
#include <imgui.h>

#include <string>
#include <string_view>

#include "i18n/catalog.h"
#include "text/engine.h"
#include "ui/text.h"
#include "ui/widget_rects.h"

namespace htk::ui {

struct Ctx {
    const i18n::Catalog& catalog;  // the session's language pack (English fallback per string)
    text::Engine& engine;          // every glyph goes through it (ui/text.h)
    Faces faces;                   // the session language's fonts
    WidgetRects& rects;            // where each keyed widget was drawn this frame
    ImVec2 display;                // screen size in pixels

    bool RightToLeft() const { return catalog.Dir() == i18n::Direction::RightToLeft; }
    std::string Text(std::string_view key) const { return catalog.Get(key); }
};

}  // namespace htk::ui
