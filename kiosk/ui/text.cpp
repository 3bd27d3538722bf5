// Text through kiosk/text. The heavier weights are separate font sets whose entries are the bold
// files themselves, as the engine resolves a family name to its Regular face only.
#include "ui/text.h"

#include <fontconfig/fontconfig.h>

#include <strings.h>

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

// The file of `family` at `weight`, or the family name itself when it has no such face of its own
// (fontconfig would otherwise answer with another family, or the regular file again).
std::string WeightedEntry(const std::string& family, int weight) {
    FcPattern* pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
    FcPatternAddInteger(pattern, FC_WEIGHT, weight);
    FcPatternAddInteger(pattern, FC_SLANT, FC_SLANT_ROMAN);
    FcPatternAddInteger(pattern, FC_WIDTH, FC_WIDTH_NORMAL);
    FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result = FcResultNoMatch;
    FcPattern* match = FcFontMatch(nullptr, pattern, &result);
    FcPatternDestroy(pattern);
    std::string entry = family;
    if (!match) return entry;
    bool same_family = false;
    FcChar8* name = nullptr;
    for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &name) == FcResultMatch; ++i)
        if (strcasecmp(reinterpret_cast<const char*>(name), family.c_str()) == 0) same_family = true;
    int matched_weight = FC_WEIGHT_REGULAR;
    int index = 0;
    FcChar8* file = nullptr;
    FcPatternGetInteger(match, FC_WEIGHT, 0, &matched_weight);
    FcPatternGetInteger(match, FC_INDEX, 0, &index);
    // The engine opens a file entry at face 0, so a face inside a collection stays a family name.
    if (same_family && matched_weight >= weight - 20 && index == 0 &&
        FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch)
        entry = reinterpret_cast<const char*>(file);
    FcPatternDestroy(match);
    return entry;
}

text::Style StyleOf(const Ctx& ctx, TextSize size, ImU32 colour, const Faces* faces) {
    const TextFace& face = theme::kFaces[static_cast<std::size_t>(size)];
    return text::Style{.font_set = (faces ? *faces : ctx.faces).For(face.weight), .size = face.pixels, .colour = colour};
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
        for (auto& family : heavy.families) family = WeightedEntry(family, weight);
        return engine.AddFontSet(heavy);
    };
    faces.semibold = weighted(FC_WEIGHT_DEMIBOLD);
    faces.bold = weighted(FC_WEIGHT_BOLD);
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

}  // namespace htk::ui
