// The one place that draws and measures text: every widget and screen calls these, and these call
// kiosk/text (bidi, line breaking, font fallback, shaping). Nothing else in kiosk/ui touches glyphs.
#pragma once
#include <imgui.h>

#include <cstddef>
#include <string_view>

#include "i18n/catalog.h"
#include "text/engine.h"
#include "ui/rect.h"
#include "ui/theme.h"

namespace htk::ui {

struct Ctx;

// One language pack's fonts in the weights the theme uses.
struct Faces {
    text::FontSetId regular;
    text::FontSetId semibold;
    text::FontSetId bold;
    text::FontSetId For(Weight weight) const;
    bool operator==(const Faces&) const = default;
};

// The pack's font families, language and direction as font sets. The heavier weights use each
// family's face nearest to 600 and 700 (the engine asks fontconfig), else its regular face.
Faces AddFaces(text::Engine& engine, const i18n::Catalog& pack);

// Logical alignment: Start is the left edge in a left-to-right paragraph and the right edge in a
// right-to-left one.
enum class Align { Start, Centre, End };

// Size of `text` at `size`, wrapped to `wrap_width` when it is > 0. `faces`: another language's
// fonts (a language's own name in the picker); default the session's.
ImVec2 MeasureText(const Ctx& ctx, std::string_view text, TextSize size, float wrap_width = 0.0f,
                   const Faces* faces = nullptr);

// Draws `text` wrapped to the width of `rect`, each line aligned per `align`, the block centred
// vertically in `rect` (it may overflow a rect that is too small; layouts measure first). `key`:
// the catalog key the text is for, recorded with how it fitted (the pack lint's fit check).
void DrawText(const Ctx& ctx, std::string_view text, const Rect& rect, Align align, TextSize size, ImU32 colour,
              const Faces* faces = nullptr, std::string_view key = {});

// Where a text field's caret goes before byte `index` of `text`, laid out as DrawText(..., Align::Start,
// size, ...) lays it out in `rect`: its top and height.
struct CaretPos {
    ImVec2 top;
    float height = 0;
};
CaretPos CaretAt(const Ctx& ctx, std::string_view text, const Rect& rect, TextSize size, std::size_t index);
// The inverse, laid out the same way: the logical byte offset of the caret stop nearest to `point`
// (where a finger lifted in a text field). A point beyond the text gives the stop at that end.
std::size_t IndexAt(const Ctx& ctx, std::string_view text, const Rect& rect, TextSize size, ImVec2 point);

}  // namespace htk::ui
