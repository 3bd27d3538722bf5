// Text through kiosk/text: every string the kiosk draws or measures goes through here. The heavier
// weights are font sets of their own (the engine picks each family's nearest face).
#include "ui/text.h"

#include <cmath>

#include "ui/ctx.h"

namespace htk::ui {
namespace {

text::Align ToEngine(Align a) {
    switch (a) {
        case Align::Start: return text::Align::Start;
        case Align::Centre: return text::Align::Centre;
        case Align::End: return text::Align::End;
    }
    return text::Align::Start;
}

text::Style StyleOf(const Ctx& ctx, TextSize size, ImU32 colour, const Faces* faces) {
    const TextFace& face = theme::kFaces[static_cast<std::size_t>(size)];
    return text::Style{.font_set = (faces ? *faces : ctx.faces).For(face.weight), .size = face.pixels * ctx.text_scale, .colour = colour};
}

}  // namespace

text::FontSetId Faces::For(Weight weight) const {
    switch (weight) {
        case Weight::Regular: return regular;
        case Weight::SemiBold: return semibold;
        case Weight::Bold: return bold;
    }
    return regular;
}

Faces AddFaces(text::Engine& engine, const i18n::Catalog& pack) {
    text::FontSetSpec spec{pack.Fonts(), pack.Tag(),
                           pack.Dir() == i18n::Direction::RightToLeft ? text::Direction::Rtl : text::Direction::Ltr};
    Faces faces;
    faces.regular = engine.AddFontSet(spec);
    auto weighted = [&](int weight) {
        text::FontSetSpec heavy = spec;
        heavy.weight = weight;
        return engine.AddFontSet(heavy);
    };
    faces.semibold = weighted(600);
    faces.bold = weighted(700);
    return faces;
}

ImVec2 MeasureText(const Ctx& ctx, std::string_view s, TextSize size, float wrap_width, const Faces* faces) {
    // Whole pixels, rounded up: a box made exactly this wide must not wrap the text it was measured for.
    const ImVec2 measured = ctx.engine.Measure(s, StyleOf(ctx, size, theme::kInk, faces), wrap_width).size;
    return {std::ceil(measured.x), std::ceil(measured.y)};
}

void DrawText(const Ctx& ctx, std::string_view s, const Rect& rect, Align align, TextSize size, ImU32 colour,
              const Faces* faces, std::string_view key) {
    const text::Style style = StyleOf(ctx, size, colour, faces);
    const text::DrawOptions options{.align = ToEngine(align), .valign = text::VAlign::Middle, .wrap = true};
    const text::DrawResult drawn = ctx.engine.Draw(ImGui::GetWindowDrawList(), text::Box{rect.min, rect.max}, s, style, options);
    if (ctx.rects.KeepsTexts())
        ctx.rects.RecordText({style.font_set, std::string(s), std::string(key), rect, drawn.size, drawn.truncated});
}

CaretPos CaretAt(const Ctx& ctx, std::string_view s, const Rect& rect, TextSize size, std::size_t index) {
    const text::DrawOptions options{.align = text::Align::Start, .valign = text::VAlign::Middle, .wrap = true};
    const text::Caret caret =
        ctx.engine.CaretAt(text::Box{rect.min, rect.max}, s, StyleOf(ctx, size, theme::kInk, nullptr), options, index);
    return {caret.top, caret.height};
}

std::size_t IndexAt(const Ctx& ctx, std::string_view s, const Rect& rect, TextSize size, ImVec2 point) {
    const text::DrawOptions options{.align = text::Align::Start, .valign = text::VAlign::Middle, .wrap = true};
    return ctx.engine.IndexAt(text::Box{rect.min, rect.max}, s, StyleOf(ctx, size, theme::kInk, nullptr), options, point);
}

}  // namespace htk::ui
