// kiosk/text/detail/layout.h: one string laid out: itemised (bidi level, script, font), shaped with
// HarfBuzz, broken into lines in logical order, then each line reordered. Internal; no drawing here.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <string_view>
#include <unordered_map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <hb.h>
#include <unicode/ubrk.h>
#include <unicode/uscript.h>

#include "text/detail/bidi.h"
#include "text/detail/utf.h"
#include "text/engine.h"

namespace htk::text::detail {

struct FontFace;

struct FontSetData {
    FontSetSpec spec;
    std::vector<FontFace*> chain;        // usable faces in fallback order: the pack's own (and the Latin tail)
    // Installed fonts found by coverage for what the chain lacks, in the order first used; glyph font
    // indices past chain.size() point here. Layout appends to it, so it is a cache, not the set's identity.
    mutable std::vector<FontFace*> fallback;
    FontSetInfo info;                    // what Describe() reports
    hb_language_t language = HB_LANGUAGE_INVALID;
    std::string icu_locale;              // for the line breaker
    std::string names;                   // "A, B, C" for messages
};

struct LGlyph {
    FontFace* font = nullptr;
    std::uint32_t gid = 0;
    float x = 0, y = 0;        // pen + offset, relative to the line's left end and baseline (y down)
    float pen = 0;             // pen position before this glyph
    float advance = 0;
    std::uint32_t cluster = 0; // UTF-16 index of the cluster start
    std::uint32_t byte = 0;    // UTF-8 offset of the cluster start in the caller's text
    std::uint16_t font_index = 0;
    bool placeholder = false;  // .notdef: drawn as a hollow box by the engine
    bool hidden = false;       // a line separator: takes no room, draws nothing
    bool rtl = false;          // direction of the visual run holding it
};

struct LCluster {
    float x0 = 0, x1 = 0;                          // left and right edge, relative to the line's left end
    std::uint32_t byte_begin = 0, byte_end = 0;    // logical UTF-8 range
    std::uint32_t u16_begin = 0, u16_end = 0;      // the same range in the decoded text
    bool rtl = false;
    bool hard_break = false;                       // a newline: no caret stop before it
};

struct LLine {
    std::uint32_t glyph_begin = 0, glyph_end = 0;
    std::uint32_t cluster_begin = 0, cluster_end = 0;
    std::uint32_t byte_begin = 0, byte_end = 0;
    float width = 0;           // all glyphs including trailing spaces
    float content_width = 0;   // without trailing spaces
    float lead = 0;            // where the content starts inside width (trailing spaces sit left in RTL)
    float top = 0, ascent = 0, height = 0;
    bool rtl = false;          // paragraph direction
};

struct Quad {
    float x0, y0, x1, y1;      // relative to the line's pixel origin (left end, baseline)
    float u0, v0, u1, v1;
    std::uint32_t line;
};

struct Batch {
    int page;
    std::uint32_t begin, end;  // quads drawn from this page
};

struct Layout {
    std::vector<LGlyph> glyphs;
    std::vector<LCluster> clusters;
    std::vector<LLine> lines;
    float width = 0, height = 0;
    bool truncated = false;
    long size26 = 0;
    float size = 0;
    // filled by the engine on first draw and whenever the glyph cache moved something
    std::uint64_t epoch = 0;
    std::vector<Quad> quads;
    std::vector<Batch> batches;

    std::size_t Bytes() const;
};

struct LayoutParams {
    float size = 32.0f;
    float wrap_width = 0;      // <= 0: break only at hard line breaks
    float ellipsis_width = 0;  // > 0: lines wider than this end in an ellipsis
    int max_lines = 0;         // > 0: keep at most this many lines
    int level = -1;            // paragraph level: 0, 1, or -1 for auto
    float line_spacing = 1.0f;
};

class LayoutBuilder {
public:
    // A code point the font chosen for its cluster (nullptr: none) has no glyph for: drawn as a placeholder.
    using Uncovered = std::function<void(char32_t, const FontSetData&, const FontFace* chosen)>;
    // An installed font outside the chain with a glyph for the code point, and its index in the set
    // (chain.size() + its place in FontSetData::fallback); {nullptr, 0} if there is none.
    using Fallback = std::function<std::pair<FontFace*, std::uint16_t>(char32_t, const FontSetData&)>;

    LayoutBuilder(Uncovered on_uncovered, Fallback fallback, std::size_t max_words);
    ~LayoutBuilder();
    LayoutBuilder(const LayoutBuilder&) = delete;
    LayoutBuilder& operator=(const LayoutBuilder&) = delete;

    void Build(const DecodedText& text, const FontSetData& fs, const LayoutParams& params, Layout& out);
    std::size_t WordsCached() const { return m_words.size(); }
    void Forget();  // zeroes and drops every word and buffer that held text

private:
    struct Item {
        std::uint32_t start = 0, end = 0;
        std::uint8_t level = 0;
        UScriptCode script = USCRIPT_COMMON;
        FontFace* font = nullptr;
        std::uint16_t font_index = 0;
        std::uint32_t g0 = 0, g1 = 0;  // shaped glyphs, HarfBuzz (visual) order
    };
    struct SGlyph {
        std::uint32_t gid, cluster;
        float advance, dx, dy;
        bool unsafe;
        bool hidden;
    };
    struct Range {
        std::uint32_t begin, end;
    };

    // Shaped words, in font units (so for every size), keyed by font, script, direction, language and
    // text. Kiosk strings and typed names reuse words; Nastaliq costs HarfBuzz ~2 us a character.
    struct WordKey {
        const FontFace* font;
        hb_script_t script;
        bool rtl;
        hb_language_t language;
        std::u16string_view text;
        bool operator==(const WordKey&) const = default;
    };
    struct WordKeyHash {
        std::size_t operator()(const WordKey& k) const noexcept;
    };
    struct WordGlyph {
        std::uint32_t gid, cluster;  // cluster relative to the word
        std::int32_t advance, dx, dy;
        bool unsafe;
    };
    struct Word {
        std::u16string text;
        WordKey key;
        std::vector<WordGlyph> glyphs;
    };
    static constexpr std::uint32_t kMaxWordLength = 48;

    void Itemize(const FontSetData& fs);
    void ShapeItem(const Item& item);
    void ShapeWord(const Item& item, std::uint32_t a, std::uint32_t b);
    void Shape(const Item& item, std::uint32_t a, std::uint32_t b, std::uint32_t ctx_a, std::uint32_t ctx_b,
               std::vector<SGlyph>& out);
    void MeasureClusters();
    void BreakLines(const FontSetData& fs, float wrap);
    float Width(std::uint32_t a, std::uint32_t b) const { return m_prefix[b] - m_prefix[a]; }
    std::uint32_t TrimEnd(std::uint32_t a, std::uint32_t b) const;
    std::uint32_t FitClusters(std::uint32_t a, std::uint32_t b, float width) const;
    void EmitLine(const FontSetData& fs, Range r, Layout& out);
    void EmitEllipsized(const FontSetData& fs, Range r, std::uint32_t content_end, float width, Layout& out);
    void FinishLine(const FontSetData& fs, Range r, LLine& line, Layout& out);
    UBreakIterator* LineBreaker(const std::string& locale);
    hb_script_t HbScript(UScriptCode sc);

    Uncovered m_on_uncovered;
    Fallback m_fallback;
    std::size_t m_max_words;
    BidiText m_bidi;
    hb_buffer_t* m_buf = nullptr;
    unsigned m_buf_high_water = 0;  // the most glyphs m_buf has held: what Forget() zeroes
    std::map<std::string, UBreakIterator*> m_breakers;
    std::vector<hb_script_t> m_scripts;
    std::unique_ptr<LayoutBuilder> m_sub;  // lays out ellipsized lines without disturbing this one

    // state of the current Build
    const DecodedText* m_text = nullptr;
    const FontSetData* m_fs = nullptr;
    LayoutParams m_params;
    bool m_levels_ok = false;
    std::u16string m_shape_text;          // controls and line separators as spaces
    std::vector<std::uint8_t> m_flags;    // per unit: kZeroAdvance, kClusterStart, kUnsafe
    std::vector<Item> m_items;
    std::vector<SGlyph> m_glyphs;
    std::vector<SGlyph> m_piece;
    std::vector<float> m_prefix;          // advance sum of clusters starting before each unit
    std::vector<Range> m_lines;
    std::vector<VisualRun> m_runs;
    std::vector<std::uint32_t> m_starts;
    std::vector<Range> m_segments;
    std::list<Word> m_word_lru;  // most recent first
    std::unordered_map<WordKey, std::list<Word>::iterator, WordKeyHash> m_words;
};

}  // namespace htk::text::detail
