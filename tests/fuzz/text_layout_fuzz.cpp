// Fuzz target: kiosk/text over random Unicode, with the shipped packs' real fonts (fontconfig). The
// input is read either as bytes (invalid UTF-8 included) or as code points drawn from the scripts the
// kiosk ships; each case measures, wraps to a width from the input, ellipsizes, draws into an
// ImDrawList on in-memory glyph pages, and maps caret index <-> x both ways. The engine, its font sets
// and the ImGui context are made once per process.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "fuzz_input.h"
#include "i18n/catalog.h"
#include "text/detail/utf.h"
#include "text/engine.h"
#include "text/glyph_texture.h"
#include "text/utf8.h"
#include "tests/text/test_util.h"

namespace {

using htk::fuzz::Input;
using namespace htk::text;

struct Set {
    FontSetId id;
    Direction direction;
};

struct World {
    htk::test::DrawScope scope;  // an ImGui context and a draw list, as the text suites have them
    MemoryTextureBackend textures;
    std::unique_ptr<Engine> engine;
    std::vector<Set> sets;
    float ellipsis_width = 0;  // widest "…" of any set at the largest size used, for bounds

    World() {
        // Small pages, so that evicting and re-rasterising glyphs is exercised too.
        EngineOptions options;
        options.page_size = 512;
        options.max_pages = 3;
        options.warn = [](std::string_view) {};  // missing glyphs are expected here
        engine = std::make_unique<Engine>(textures, options);
        // Every shipped pack's font set, as its manifest gives it, then two a broken pack could give.
        for (const std::string& tag : htk::i18n::InstalledPacks(htk::i18n::DefaultLocalesDir())) {
            auto m = htk::i18n::LoadManifest(htk::i18n::DefaultLocalesDir() / tag);
            if (!m) continue;
            const Direction d = m->direction == htk::i18n::Direction::RightToLeft ? Direction::Rtl : Direction::Ltr;
            sets.push_back({engine->AddFontSet({.families = m->fonts, .language = m->tag, .direction = d}), d});
            sets.push_back({engine->AddFontSet({.families = m->fonts, .language = m->tag, .direction = d, .weight = 700}), d});
        }
        if (sets.size() < 4) htk::fuzz::Fail("no compiled packs to take font sets from");
        sets.push_back({engine->AddFontSet({.families = {"No Such Family", "/no/such/font.ttf"}}), Direction::Auto});
        sets.push_back({engine->AddFontSet({.families = {}, .language = "x-bogus-"}), Direction::Auto});
    }
};

// Code points of the shipped scripts and what sits between them: ranges to draw from.
struct Range {
    char32_t first, last;
};
constexpr Range kRanges[] = {
    {0x20, 0x7E},       {0x20, 0x20},      {0x30, 0x39},       {0xA0, 0x17F},   {0x218, 0x21B},   // Latin, digits, ş ț ą
    {0x300, 0x36F},                                                                               // combining marks
    {0x600, 0x6FF},     {0x621, 0x64A},    {0x64B, 0x65F},     {0x6F0, 0x6F9},  {0x750, 0x77F},   // Arabic, harakat
    {0xFB50, 0xFDFF},   {0xFE70, 0xFEFF},                                                         // presentation forms
    {0x980, 0x9FF},     {0x995, 0x9B9},    {0x9CD, 0x9CD},                                        // Bengali, virama
    {0xA00, 0xA7F},     {0xA15, 0xA39},    {0xA4D, 0xA4D},                                        // Gurmukhi
    {0x1200, 0x139F},                                                                             // Ethiopic
    {0x4E00, 0x9FFF},   {0x3000, 0x303F},  {0xFF01, 0xFF5E},                                      // CJK
    {0x200B, 0x200F},   {0x202A, 0x202E},  {0x2066, 0x2069},   {0x2028, 0x2029}, {0x61C, 0x61C},  // bidi, ZWJ
    {0x0A, 0x0A},       {0x09, 0x0D},      {0x85, 0x85},                                          // line breaks
    {0x2010, 0x2027},   {0x2026, 0x2026},  {0xFE0F, 0xFE0F},   {0x1F600, 0x1F64F},                // punctuation, emoji
    {0xE000, 0xE0FF},   {0xFFF0, 0xFFFF},  {0xD7FC, 0xD7FF},   {0x10FFF0, 0x10FFFF},              // private, unassigned
};

std::string CodePoints(Input& in) {
    std::string out;
    while (!in.Empty()) {
        const Range& r = in.PickFrom(kRanges);
        const char32_t span = r.last - r.first + 1;
        const char32_t cp = r.first + static_cast<char32_t>(in.Bits(2) % span);
        const std::size_t repeat = 1 + (in.Byte() >= 240 ? in.Byte() % 64 : 0);  // long words and runs
        for (std::size_t i = 0; i < repeat; ++i) htk::text::AppendUtf8(out, cp);
    }
    return out;
}

bool Finite(ImVec2 v) { return std::isfinite(v.x) && std::isfinite(v.y); }

// Byte offsets where a code point starts (as the engine decodes, ill-formed sequences included), and the end.
std::vector<bool> Boundaries(std::string_view text) {
    std::vector<bool> at(text.size() + 1, false);
    std::size_t pos = 0;
    while (pos < text.size()) {
        at[pos] = true;
        htk::text::detail::DecodeOne(text, pos);
    }
    at[text.size()] = true;
    return at;
}

// Pure one-direction text in a paragraph of that direction: there a tap on the caret finds the caret.
bool OneDirection(std::string_view text, Direction paragraph) {
    bool ascii = true, arabic = true, letters = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char32_t c = htk::text::detail::DecodeOne(text, pos);
        const bool space = c == U' ';
        ascii = ascii && (space || (c > 0x20 && c < 0x7F));
        arabic = arabic && (space || (c >= 0x621 && c <= 0x64A));
        letters = letters || !space;
    }
    if (!letters) return false;
    return (ascii && paragraph == Direction::Ltr) || (arabic && paragraph == Direction::Rtl);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World world;
    Engine& engine = *world.engine;
    Input in(data, size);

    const Set& set = world.sets[in.Pick(world.sets.size())];
    Style style;
    style.font_set = set.id;
    constexpr float kSizes[] = {12, 16, 24, 32, 40, 48, 64, 4, 300, -1, 0};
    style.size = in.PickFrom(kSizes);
    const std::uint8_t dir = in.Byte();
    if (dir % 4) style.direction = dir % 4 == 1 ? Direction::Ltr : dir % 4 == 2 ? Direction::Rtl : Direction::Auto;
    style.line_spacing = 0.5f + static_cast<float>(in.Byte() % 8) * 0.25f;
    const std::uint8_t bits = in.Byte();
    DrawOptions options;
    options.align = static_cast<Align>(bits % 3);
    options.valign = static_cast<VAlign>((bits >> 2) % 3);
    options.wrap = (bits & 16) != 0;
    options.ellipsize = (bits & 32) != 0;
    options.max_lines = (bits & 64) ? in.Byte() % 4 : 0;
    const float width = static_cast<float>(in.Bits(2) % 1600) - 20.0f;  // a few boxes are empty or inverted
    const Box box{ImVec2(100, 50), ImVec2(100 + width, 50 + static_cast<float>(in.Byte()) * 4.0f)};
    const ImVec2 tap(static_cast<float>(in.Bits(2) % 2000) - 100.0f, static_cast<float>(in.Bits(2) % 1000));
    const std::string text = in.Bool() ? CodePoints(in) : std::string(in.Rest());
    // The case, for a failed check: enough to rebuild it in a doctest.
    const auto what = [&] {
        std::string t;
        for (unsigned char c : text) {
            char hex[8];
            std::snprintf(hex, sizeof hex, c >= 0x20 && c < 0x7F && c != '\\' ? "%c" : "\\x%02X", c);
            t += hex;
        }
        return "set " + std::to_string(set.id.value) + ", size " + std::to_string(style.size) + ", direction " +
               std::to_string(dir % 4) + ", align " + std::to_string(bits % 3) + "/" + std::to_string((bits >> 2) % 3) +
               ", wrap " + std::to_string(options.wrap) + ", ellipsize " + std::to_string(options.ellipsize) +
               ", max_lines " + std::to_string(options.max_lines) + ", box " + std::to_string(width) + "x" +
               std::to_string(box.max.y - box.min.y) + ", text \"" + t + "\"";
    };

    // What a text field keeps of what was typed: valid UTF-8, unchanged the second time.
    const std::string clean = SanitizeUtf8(text);
    HTK_FUZZ_CHECK(htk::fuzz::IsUtf8(clean) && SanitizeUtf8(clean) == clean, what());
    if (htk::fuzz::IsUtf8(text)) HTK_FUZZ_CHECK(clean == text, what());

    // Measure, unwrapped and wrapped, and what Inspect says of the same layout.
    const TextSize one_line = engine.Measure(text, style);
    HTK_FUZZ_CHECK(Finite(one_line.size) && one_line.size.x >= 0 && one_line.size.y > 0 && one_line.lines >= 1, what());
    const TextSize wrapped = engine.Measure(text, style, width);
    HTK_FUZZ_CHECK(Finite(wrapped.size) && wrapped.lines >= one_line.lines, what());
    const LayoutInfo info = engine.Inspect(text, style, width);
    HTK_FUZZ_CHECK(info.size.lines == wrapped.lines && static_cast<int>(info.lines.size()) == wrapped.lines, what());
    HTK_FUZZ_CHECK(info.size.size.x == wrapped.size.x && info.size.size.y == wrapped.size.y, what());
    const std::vector<bool> boundary = Boundaries(text);
    std::size_t previous_end = 0;
    float advances = 0;
    for (std::size_t k = 0; k < info.lines.size(); ++k) {
        const LineInfo& line = info.lines[k];
        HTK_FUZZ_CHECK(line.byte_begin == previous_end && line.byte_begin <= line.byte_end && line.byte_end <= text.size(), what());
        HTK_FUZZ_CHECK(boundary[line.byte_begin] && boundary[line.byte_end], what());
        previous_end = line.byte_end;
        HTK_FUZZ_CHECK(std::isfinite(line.width) && line.width >= 0 && line.width <= wrapped.size.x + 0.01f, what());
        for (const GlyphInfo& g : line.glyphs) {
            HTK_FUZZ_CHECK(g.byte_index >= line.byte_begin && g.byte_index < std::max(line.byte_end, line.byte_begin + 1), what());
            HTK_FUZZ_CHECK(boundary[g.byte_index] && Finite(g.pos) && std::isfinite(g.advance), what());
            advances += std::abs(g.advance);
        }
    }
    HTK_FUZZ_CHECK(info.truncated || previous_end == text.size(), what());

    // Draw: quads on live glyph pages, finite, texture coordinates inside the page.
    engine.NewFrame();
    world.scope.Reset();
    ImDrawList& list = *world.scope.List();
    const DrawResult drawn = engine.Draw(&list, box, text, style, options);
    HTK_FUZZ_CHECK(Finite(drawn.size) && drawn.lines >= 1, what());
    if (options.max_lines > 0) HTK_FUZZ_CHECK(drawn.lines <= options.max_lines, what());
    if (!options.ellipsize && !options.max_lines) {
        const TextSize same = engine.Measure(text, style, options.wrap ? width : 0.0f);
        HTK_FUZZ_CHECK(same.lines == drawn.lines && same.size.x == drawn.size.x && same.size.y == drawn.size.y, what());
    }
    HTK_FUZZ_CHECK(list.VtxBuffer.Size % 4 == 0 && list.IdxBuffer.Size == list.VtxBuffer.Size / 4 * 6, what());
    for (const ImDrawVert& v : list.VtxBuffer)
        HTK_FUZZ_CHECK(Finite(v.pos) && v.uv.x >= 0 && v.uv.x <= 1 && v.uv.y >= 0 && v.uv.y <= 1, what());
    for (const ImDrawCmd& cmd : list.CmdBuffer)
        if (cmd.ElemCount > 0) HTK_FUZZ_CHECK(world.textures.Find(cmd.TextureId) != nullptr, what());

    // Caret geometry both ways, at every caret stop (up to 64 of them) and at the tap.
    // Trailing spaces hang outside the box (left of it in right-to-left lines), so the caret's reach is
    // every advance of the text, the box and an ellipsis.
    const float reach = advances + std::abs(width) + 2.0f * std::max(4.0f, std::min(style.size, 512.0f)) + 2.0f;
    const bool exact = !options.ellipsize && !options.max_lines && !text.empty() &&
                       OneDirection(text, style.direction.value_or(set.direction) == Direction::Rtl ? Direction::Rtl
                                                                                                   : Direction::Ltr);
    std::size_t index = 0;
    for (int stops = 0; stops < 64; ++stops) {
        const Caret c = engine.CaretAt(box, text, style, options, index);
        HTK_FUZZ_CHECK(Finite(c.top) && std::isfinite(c.height) && c.height > 0 && c.line >= 0 && c.line < drawn.lines, what());
        HTK_FUZZ_CHECK(c.top.x >= box.min.x - reach && c.top.x <= box.min.x + reach,
                       what() + ", index " + std::to_string(index) + ": x " + std::to_string(c.top.x) + ", reach " +
                           std::to_string(reach));
        const std::size_t back = engine.IndexAt(box, text, style, options, ImVec2(c.top.x + 0.05f, c.top.y + c.height / 2));
        HTK_FUZZ_CHECK(back <= text.size() && boundary[back], what());
        if (exact) HTK_FUZZ_CHECK(back == index, what() + ", index " + std::to_string(index) + " came back as " + std::to_string(back));
        const std::size_t next = NextCaretStop(text, index);
        if (next >= text.size() && index >= text.size()) break;
        HTK_FUZZ_CHECK(next > index && boundary[next] && PrevCaretStop(text, next) == index, what());
        index = next;
    }
    const std::size_t at = engine.IndexAt(box, text, style, options, tap);
    HTK_FUZZ_CHECK(at <= text.size() && boundary[at], what());
    const Caret there = engine.CaretAt(box, text, style, options, at);
    HTK_FUZZ_CHECK(Finite(there.top) && there.line >= 0 && there.line < drawn.lines, what());
    return 0;
}
