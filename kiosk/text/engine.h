// kiosk/text/engine.h: the text engine every widget draws through (bidi, line breaking, font fallback,
// shaping, glyph cache, quads for an ImDrawList). No HarfBuzz, FreeType, ICU or fontconfig type
// leaks from here; one Engine per UI thread, not thread-safe.
//
// 2026-11-23: after a set's own fonts, an installed font found by coverage draws what they lack
// (FontSetInfo::fallback); GlyphInfo::font can now be >= FontSetInfo::fonts.size(). Added Undrawable().
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "text/glyph_texture.h"

namespace htk::text {

// Text longer than this many code points is cut here before layout, so a runaway string costs
// bounded time and memory; the rest is neither measured nor drawn.
constexpr std::size_t kMaxCodePoints = 4096;

enum class Direction { Auto, Ltr, Rtl };  // paragraph direction; Auto: the first strong character, else LTR
enum class Align { Start, Centre, End };  // logical: Start is the right edge in a right-to-left paragraph
enum class VAlign { Top, Middle, Bottom };

struct FontSetId {
    std::uint32_t value = 0;  // 0 is never a valid set
    friend bool operator==(FontSetId, FontSetId) = default;
};

// A language pack's fonts: families in fallback order (or absolute paths to font files), the
// BCP 47 language tag given to the shaper and line breaker, and the pack's paragraph direction.
struct FontSetSpec {
    std::vector<std::string> families = {};  // e.g. {"Noto Nastaliq Urdu", "Noto Naskh Arabic", "Noto Sans"}
    std::string language = {};               // e.g. "ur", "ckb", "zh-Hant"; empty: none
    Direction direction = Direction::Auto;
    int weight = 400;                        // OpenType weight: 400 regular, 600 semibold, 700 bold; the
                                             // nearest face each family has is used
};

struct ResolvedFont {
    std::string requested;  // the family (or path) as the spec gave it; empty for a font found by coverage
    std::string family;     // the family fontconfig found
    std::string file;       // the font file
    int index = 0;          // face index inside a collection (.ttc)
};

struct FontSetInfo {
    std::vector<ResolvedFont> fonts;   // usable fonts in fallback order; one always covers Latin, digits, punctuation
    std::vector<std::string> missing;  // families or files that could not be used, each already warned about
    // Installed fonts outside the set that drew characters its fonts lack (an Urdu name in an English
    // session), in the order first needed; grows as text is laid out.
    std::vector<ResolvedFont> fallback;
};

struct Style {
    FontSetId font_set = {};
    float size = 32.0f;                    // pixel size (em height), clamped to [4, 512]
    ImU32 colour = IM_COL32(0, 0, 0, 255);
    std::optional<Direction> direction = std::nullopt;  // unset: the font set's direction
    float line_spacing = 1.0f;             // multiple of the fonts' natural line height
};

struct TextSize {
    ImVec2 size = {};  // widest line (trailing spaces excluded) and total height, in pixels
    int lines = 0;  // line count, at least 1
};

struct Box {
    ImVec2 min, max;  // max.x - min.x is the width to align, wrap and ellipsize in (<= 0: unbounded);
                      // max.y - min.y is used only for vertical alignment (<= 0: top)
};

struct DrawOptions {
    Align align = Align::Start;
    VAlign valign = VAlign::Top;
    bool wrap = true;        // break lines to the box width
    bool ellipsize = false;  // a line wider than the box ends with "…" at its logical end
    int max_lines = 0;       // > 0: keep this many lines; the last shows "…" if ellipsize and text was cut
};

struct DrawResult {
    ImVec2 size;             // what TextSize would say for the drawn layout
    int lines = 0;
    bool truncated = false;  // an ellipsis was drawn, lines were dropped or the text hit kMaxCodePoints
};

struct Caret {
    ImVec2 top;         // screen position of the caret's top end
    float height = 0;   // caret line height
    int line = 0;       // 0-based line index
    bool rtl = false;   // direction of the text the caret sits against (for a direction flag)
};

// What the engine made of a string, for tests, the pack lint and debugging.
struct GlyphInfo {
    std::uint32_t glyph = 0;     // glyph id in its font (0: .notdef, drawn as a placeholder box)
    int font = 0;                // index into FontSetInfo::fonts, then fallback: fonts.size() + k is fallback[k]
    std::size_t byte_index = 0;  // byte offset in the text of the cluster this glyph belongs to
    ImVec2 pos;                  // pen position + offset, relative to the line's left end and baseline
    float advance = 0;
};

struct LineInfo {
    std::size_t byte_begin = 0, byte_end = 0;  // logical range (end includes trailing spaces and newline)
    float width = 0;                            // without trailing spaces
    float top = 0, ascent = 0, descent = 0;     // relative to the layout's top
    bool rtl = false;                           // paragraph direction of this line
    std::vector<GlyphInfo> glyphs;              // in visual order, left to right
};

struct LayoutInfo {
    TextSize size;
    bool truncated = false;
    std::vector<LineInfo> lines;
};

struct EngineStats {
    int glyph_pages = 0;                 // live texture pages
    std::size_t glyph_texture_bytes = 0; // bytes of those pages
    std::size_t glyphs_cached = 0;
    std::size_t glyph_evictions = 0;     // pages reset or freed so far to make room
    std::size_t shaped_words_cached = 0;
    std::size_t layouts_cached = 0;
    std::size_t layout_bytes = 0;        // approximate heap bytes of cached layouts
    std::size_t layout_hits = 0, layout_misses = 0;
    std::size_t fallback_lookups = 0;    // fontconfig queries made for fallback by coverage so far
};

struct EngineOptions {
    int page_size = 1024;             // glyph pages are page_size x page_size RGBA8 (4 MB at 1024)
    int max_pages = 3;                // pages kept across frames; least recently used pages are reset
    std::size_t max_layouts = 2048;   // layout cache entries (LRU)
    std::size_t max_layout_bytes = 16u << 20;  // layout cache heap bytes (LRU)
    std::size_t max_shaped_words = 8192;       // shaped-word cache entries (LRU); 0 shapes every word afresh
    std::function<void(std::string_view)> warn;  // one line per warning; unset: stderr
};

class Engine {
public:
    explicit Engine(GlyphTextureBackend& backend, EngineOptions options = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Resolves the families with fontconfig now; a missing one is warned about and skipped. Adding
    // an equal spec again returns the same id.
    FontSetId AddFontSet(const FontSetSpec& spec);
    FontSetInfo Describe(FontSetId set) const;

    // Code points of the text that no font of the set has a glyph for, each once, in text order
    // (controls and default-ignorable characters never count). For the pack lint: fonts found by
    // coverage still draw these, but a pack should not rely on what else is installed.
    std::vector<char32_t> Uncovered(FontSetId set, std::string_view text);
    // The same, less what an installed font found by coverage draws: what shows as a placeholder
    // box. Private-use and unassigned code points are always here unless the set's own fonts have them.
    std::vector<char32_t> Undrawable(FontSetId set, std::string_view text);

    // Call once per ImGui frame before drawing: lets the glyph cache reuse pages the last frame used.
    void NewFrame();

    TextSize Measure(std::string_view text, const Style& style, float wrap_width = 0);  // <= 0: no wrap

    // Lines start at box.min.y (or as valign says) and are aligned within box.min.x..box.max.x.
    // A null draw_list only measures. Invalid UTF-8 draws as U+FFFD; a missing glyph as a hollow box.
    DrawResult Draw(ImDrawList* draw_list, const Box& box, std::string_view text, const Style& style,
                    const DrawOptions& options = {});

    // Caret geometry for a text field, laid out exactly as Draw would with the same arguments.
    // byte_index is a logical UTF-8 offset (snapped back to a code point start, clamped to the text).
    // Where left-to-right and right-to-left text meet, the caret sits with the text of the
    // paragraph's direction (GTK's "strong" caret); inside a ligature it is interpolated.
    Caret CaretAt(const Box& box, std::string_view text, const Style& style, const DrawOptions& options,
                  std::size_t byte_index);
    // The logical byte offset of the caret stop nearest to a screen point (a tap in a text field).
    std::size_t IndexAt(const Box& box, std::string_view text, const Style& style,
                        const DrawOptions& options, ImVec2 point);

    LayoutInfo Inspect(std::string_view text, const Style& style, float wrap_width = 0);
    // `font` as in GlyphInfo::font (the set's fonts, then its fallback fonts).
    std::string GlyphName(FontSetId set, int font, std::uint32_t glyph);   // from the font, "" if none
    std::uint32_t NominalGlyph(FontSetId set, int font, char32_t code_point);  // cmap lookup, 0 if absent

    EngineStats Stats() const;
    void ClearLayoutCache();  // layouts only; shaped words and glyphs stay
    // Zeroes, then drops, every copy of text the engine keeps: laid-out strings, shaped words,
    // HarfBuzz's buffer, the last text decoded. Call when a patient's session ends or the desk
    // locks: what someone typed must not outlive it in memory. Glyph pages (pixels) stay.
    void ForgetText();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace htk::text
