// kiosk/text/detail/layout.cpp: itemising, shaping, line breaking (before reordering) and line
// assembly for one string. Never rasterises or touches the ImDrawList.
#include "text/detail/layout.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <tuple>

#include <unicode/uchar.h>
#include <unicode/ubrk.h>

#include "text/detail/font_library.h"

namespace htk::text::detail {

namespace {

void WipeU16(std::u16string& s) {
    if (!s.empty()) ::explicit_bzero(s.data(), s.size() * sizeof(char16_t));
    s.clear();
}

constexpr std::uint8_t kZeroAdvance = 1;  // a line separator: shaped as a space, drawn as nothing
constexpr std::uint8_t kClusterStart = 2; // a shaped cluster starts at this unit
constexpr std::uint8_t kUnsafe = 4;       // HarfBuzz: breaking before this cluster needs reshaping

bool IsHardBreak(char32_t c) {
    return c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D || c == 0x85 || c == 0x2028 || c == 0x2029;
}

// Spaces that hang at a line end: they neither count for the width nor for alignment.
bool IsHangingSpace(char32_t c) {
    return c == 0x20 || c == 0x09 || IsHardBreak(c) || c == 0x1680 || (c >= 0x2000 && c <= 0x200A && c != 0x2007) ||
           c == 0x205F || c == 0x3000;
}

bool IsIgnorable(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029 ||
           u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

bool ContinuesCluster(char32_t c) {
    const int gcb = u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_GRAPHEME_CLUSTER_BREAK);
    return gcb == U_GCB_EXTEND || gcb == U_GCB_SPACING_MARK || gcb == U_GCB_ZWJ;
}

char32_t NextCp(const std::u16string& s, std::uint32_t& i) {
    const char16_t a = s[i++];
    if (a >= 0xD800 && a < 0xDC00 && i < s.size()) {
        const char16_t b = s[i];
        if (b >= 0xDC00 && b < 0xE000) {
            ++i;
            return 0x10000 + ((static_cast<char32_t>(a) - 0xD800) << 10) + (static_cast<char32_t>(b) - 0xDC00);
        }
    }
    return a;
}

bool CoversAll(const FontFace* f, const char32_t* cps, int count) {
    for (int i = 0; i < count; ++i)
        if (!IsIgnorable(cps[i]) && !f->Covers(cps[i])) return false;
    return true;
}

}  // namespace

std::size_t Layout::Bytes() const {
    return sizeof(Layout) + glyphs.capacity() * sizeof(LGlyph) + clusters.capacity() * sizeof(LCluster) +
           lines.capacity() * sizeof(LLine) + quads.capacity() * sizeof(Quad) + batches.capacity() * sizeof(Batch);
}

LayoutBuilder::LayoutBuilder(Uncovered on_uncovered, Fallback fallback, std::size_t max_words)
    : m_on_uncovered(std::move(on_uncovered)),
      m_fallback(std::move(fallback)),
      m_max_words(max_words),
      m_buf(hb_buffer_create()) {
    hb_buffer_set_cluster_level(m_buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_GRAPHEMES);
}

LayoutBuilder::~LayoutBuilder() {
    for (auto& [locale, bi] : m_breakers) ubrk_close(bi);
    hb_buffer_destroy(m_buf);
}

void LayoutBuilder::Forget() {
    for (auto& w : m_word_lru) WipeU16(w.text);
    m_words.clear();
    m_word_lru.clear();
    WipeU16(m_shape_text);
    // HarfBuzz's buffer keeps the last text's code points and glyphs in memory it reuses: zero
    // every slot ever used, then empty it.
    hb_buffer_set_length(m_buf, m_buf_high_water);
    unsigned n = 0;
    if (hb_glyph_info_t* info = hb_buffer_get_glyph_infos(m_buf, &n); info && n) ::explicit_bzero(info, n * sizeof *info);
    if (hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(m_buf, &n); pos && n) ::explicit_bzero(pos, n * sizeof *pos);
    hb_buffer_clear_contents(m_buf);
    m_buf_high_water = 0;
    m_text = nullptr;
    if (m_sub) m_sub->Forget();
}

UBreakIterator* LayoutBuilder::LineBreaker(const std::string& locale) {
    if (auto it = m_breakers.find(locale); it != m_breakers.end()) return it->second;
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator* bi = ubrk_open(UBRK_LINE, locale.c_str(), nullptr, 0, &err);
    if (U_FAILURE(err)) {
        err = U_ZERO_ERROR;
        bi = ubrk_open(UBRK_LINE, "", nullptr, 0, &err);
        if (U_FAILURE(err)) bi = nullptr;
    }
    m_breakers.emplace(locale, bi);
    return bi;
}

hb_script_t LayoutBuilder::HbScript(UScriptCode sc) {
    const auto i = static_cast<std::size_t>(sc);
    if (sc < 0) return HB_SCRIPT_COMMON;
    if (i >= m_scripts.size()) m_scripts.resize(i + 1, HB_SCRIPT_INVALID);
    if (m_scripts[i] == HB_SCRIPT_INVALID) {
        const char* tag = uscript_getShortName(sc);
        m_scripts[i] = tag ? hb_script_from_string(tag, -1) : HB_SCRIPT_COMMON;
        if (m_scripts[i] == HB_SCRIPT_INVALID || m_scripts[i] == HB_SCRIPT_UNKNOWN) m_scripts[i] = HB_SCRIPT_COMMON;
    }
    return m_scripts[i];
}

void LayoutBuilder::Build(const DecodedText& text, const FontSetData& fs, const LayoutParams& params, Layout& out) {
    out = Layout{};
    m_text = &text;
    m_params = params;
    m_fs = &fs;
    const auto n = static_cast<std::uint32_t>(text.u16.size());
    out.size = params.size;
    out.size26 = std::lround(params.size * 64.0f);
    out.truncated = text.truncated;

    m_shape_text = text.u16;
    m_flags.assign(n, 0);
    for (std::uint32_t i = 0; i < n; ++i) {
        const char16_t c = m_shape_text[i];
        if (c == u'\t') {
            m_shape_text[i] = u' ';
        } else if (IsHardBreak(c)) {
            m_shape_text[i] = u' ';
            m_flags[i] |= kZeroAdvance;
        }
    }
    m_levels_ok = m_bidi.Set(text.u16, params.level);

    Itemize(fs);
    m_glyphs.clear();
    for (Item& it : m_items) {
        it.g0 = static_cast<std::uint32_t>(m_glyphs.size());
        ShapeItem(it);
        it.g1 = static_cast<std::uint32_t>(m_glyphs.size());
    }
    MeasureClusters();
    BreakLines(fs, params.wrap_width);

    bool dropped = false;
    if (params.max_lines > 0 && m_lines.size() > static_cast<std::size_t>(params.max_lines)) {
        m_lines.resize(static_cast<std::size_t>(params.max_lines));
        dropped = true;
        out.truncated = true;
    }
    for (std::size_t k = 0; k < m_lines.size(); ++k) {
        const Range r = m_lines[k];
        const std::uint32_t content_end = TrimEnd(r.begin, r.end);
        const bool last_cut = dropped && k + 1 == m_lines.size();
        if (params.ellipsis_width > 0 &&
            (last_cut || Width(r.begin, content_end) > params.ellipsis_width + 0.01f)) {
            EmitEllipsized(fs, Range{r.begin, last_cut ? n : r.end}, content_end, params.ellipsis_width, out);
            out.truncated = true;
        } else {
            EmitLine(fs, r, out);
        }
    }
    float top = 0, width = 0;
    for (LLine& l : out.lines) {
        l.top = top;
        top += l.height;
        width = std::max(width, l.content_width);
    }
    out.width = width;
    out.height = top;
    m_text = nullptr;
}

void LayoutBuilder::Itemize(const FontSetData& fs) {
    m_items.clear();
    const std::u16string& s = m_text->u16;
    const auto n = static_cast<std::uint32_t>(s.size());
    const std::uint8_t* levels = m_levels_ok ? m_bidi.Levels() : nullptr;
    const std::uint8_t fallback_level = m_params.level == 1 ? 1 : 0;
    if (fs.chain.empty()) {
        if (n) m_items.push_back(Item{0, n, fallback_level, USCRIPT_COMMON, nullptr, 0, 0, 0});
        return;
    }
    FontFace* prev = nullptr;
    std::uint16_t prev_index = 0;
    std::uint8_t prev_level = 0;
    constexpr int kMaxCluster = 32;
    char32_t cps[kMaxCluster];
    std::uint32_t i = 0;
    while (i < n) {
        const std::uint32_t cs = i;
        const char32_t base = NextCp(s, i);
        int count = 0;
        cps[count++] = base;
        const std::uint8_t level = levels ? levels[cs] : fallback_level;
        while (i < n) {
            std::uint32_t j = i;
            const char32_t m = NextCp(s, j);
            if (!ContinuesCluster(m) || (levels && levels[i] != level)) break;
            if (count < kMaxCluster) cps[count++] = m;
            i = j;
        }
        UErrorCode err = U_ZERO_ERROR;
        const UScriptCode sc = uscript_getScript(static_cast<UChar32>(base), &err);
        const bool common = U_FAILURE(err) || sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED || sc == USCRIPT_UNKNOWN;

        FontFace* font = nullptr;
        std::uint16_t index = 0;
        // Spaces, digits and punctuation stay in the font of what precedes them at the same bidi
        // level, so a run of Urdu words is one shaping run in one font.
        if (common && prev && level == prev_level && CoversAll(prev, cps, count)) {
            font = prev;
            index = prev_index;
        } else {
            for (std::size_t f = 0; f < fs.chain.size() && !font; ++f)
                if (CoversAll(fs.chain[f], cps, count)) {
                    font = fs.chain[f];
                    index = static_cast<std::uint16_t>(f);
                }
        }
        if (!font) {
            // The set's fonts lack part of this cluster: an installed font found by coverage for the
            // base's script. Every cluster of that script gets the same font, so a word stays one run.
            FontFace* found = nullptr;
            std::uint16_t found_index = 0;
            if (m_fallback && !IsIgnorable(base)) std::tie(found, found_index) = m_fallback(base, fs);
            if (found && CoversAll(found, cps, count)) {
                font = found;
                index = found_index;
            }
            // Nothing has the whole cluster: keep its base drawable and let the rest show as boxes.
            for (std::size_t f = 0; f < fs.chain.size() && !font; ++f)
                if (IsIgnorable(base) || fs.chain[f]->Covers(base)) {
                    font = fs.chain[f];
                    index = static_cast<std::uint16_t>(f);
                }
            if (!font && found) {
                font = found;
                index = found_index;
            }
            if (!font) {
                font = prev ? prev : fs.chain[0];
                index = prev ? prev_index : 0;
            }
            for (int k = 0; k < count; ++k)
                if (!IsIgnorable(cps[k]) && !font->Covers(cps[k]) && m_on_uncovered) m_on_uncovered(cps[k], fs, font);
        }
        prev = font;
        prev_index = index;
        prev_level = level;

        if (!m_items.empty()) {
            Item& last = m_items.back();
            if (last.level == level && last.font == font &&
                (common || last.script == USCRIPT_COMMON || last.script == sc)) {
                if (!common && last.script == USCRIPT_COMMON) last.script = sc;
                last.end = i;
                continue;
            }
        }
        m_items.push_back(Item{cs, i, level, common ? USCRIPT_COMMON : sc, font, index, 0, 0});
    }
}

void LayoutBuilder::Shape(const Item& it, std::uint32_t a, std::uint32_t b, std::uint32_t ctx_a, std::uint32_t ctx_b,
                          std::vector<SGlyph>& out) {
    if (!it.font || b <= a) return;
    const auto n = static_cast<std::uint32_t>(m_shape_text.size());
    hb_buffer_clear_contents(m_buf);
    hb_buffer_add_utf16(m_buf, reinterpret_cast<const std::uint16_t*>(m_shape_text.data() + ctx_a),
                        static_cast<int>(ctx_b - ctx_a), a - ctx_a, static_cast<int>(b - a));
    hb_buffer_set_direction(m_buf, (it.level & 1) ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_script(m_buf, HbScript(it.script));
    if (m_fs->language != HB_LANGUAGE_INVALID) hb_buffer_set_language(m_buf, m_fs->language);
    unsigned flags = HB_BUFFER_FLAG_DEFAULT;
    if (a == 0) flags |= HB_BUFFER_FLAG_BOT;
    if (b == n) flags |= HB_BUFFER_FLAG_EOT;
    hb_buffer_set_flags(m_buf, static_cast<hb_buffer_flags_t>(flags));
    hb_shape(it.font->hb_font, m_buf, nullptr, 0);
    m_buf_high_water = std::max(m_buf_high_water, hb_buffer_get_length(m_buf));

    unsigned count = 0;
    const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(m_buf, &count);
    const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(m_buf, nullptr);
    const float scale = m_params.size / it.font->upem;
    out.reserve(out.size() + count);
    for (unsigned g = 0; g < count; ++g) {
        const std::uint32_t cluster = info[g].cluster + ctx_a;
        const bool zero = cluster < n && (m_flags[cluster] & kZeroAdvance);
        out.push_back(SGlyph{info[g].codepoint, cluster,
                             zero ? 0.0f : static_cast<float>(pos[g].x_advance) * scale,
                             static_cast<float>(pos[g].x_offset) * scale,
                             -static_cast<float>(pos[g].y_offset) * scale,
                             (hb_glyph_info_get_glyph_flags(&info[g]) & HB_GLYPH_FLAG_UNSAFE_TO_BREAK) != 0,
                             zero});
    }
}

std::size_t LayoutBuilder::WordKeyHash::operator()(const WordKey& k) const noexcept {
    std::size_t h = std::hash<std::u16string_view>{}(k.text);
    h ^= std::hash<const void*>{}(k.font) + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h ^= std::hash<const void*>{}(k.language) + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h ^= std::hash<std::uint32_t>{}(static_cast<std::uint32_t>(k.script) << 1 | (k.rtl ? 1u : 0u)) + (h << 6) + (h >> 2);
    return h;
}

// Shapes an item word by word: a segment is a word with the spaces after it. No joining, conjunct or
// cluster crosses U+0020, so each word shapes the same alone as in its sentence.
void LayoutBuilder::ShapeItem(const Item& it) {
    if (!it.font) return;
    m_segments.clear();
    for (std::uint32_t a = it.start; a < it.end;) {
        std::uint32_t b = a;
        while (b < it.end && m_shape_text[b] != u' ') ++b;
        while (b < it.end && m_shape_text[b] == u' ') ++b;
        m_segments.push_back(Range{a, b});
        a = b;
    }
    // The item's glyphs are in visual order: a right-to-left item starts with its last word.
    if (it.level & 1) std::reverse(m_segments.begin(), m_segments.end());
    for (const Range& r : m_segments) ShapeWord(it, r.begin, r.end);
}

void LayoutBuilder::ShapeWord(const Item& it, std::uint32_t a, std::uint32_t b) {
    const auto n = static_cast<std::uint32_t>(m_shape_text.size());
    const float scale = m_params.size / it.font->upem;
    auto emit = [&](const std::vector<WordGlyph>& glyphs) {
        for (const WordGlyph& w : glyphs) {
            const std::uint32_t cluster = w.cluster + a;
            const bool zero = cluster < n && (m_flags[cluster] & kZeroAdvance);
            m_glyphs.push_back(SGlyph{w.gid, cluster, zero ? 0.0f : static_cast<float>(w.advance) * scale,
                                      static_cast<float>(w.dx) * scale, -static_cast<float>(w.dy) * scale, w.unsafe,
                                      zero});
        }
    };
    const WordKey probe{it.font, HbScript(it.script), (it.level & 1) != 0, m_fs->language,
                        std::u16string_view(m_shape_text.data() + a, b - a)};
    const bool cacheable = m_max_words > 0 && b - a <= kMaxWordLength;
    if (cacheable) {
        if (auto hit = m_words.find(probe); hit != m_words.end()) {
            if (hit->second != m_word_lru.begin()) m_word_lru.splice(m_word_lru.begin(), m_word_lru, hit->second);
            emit(hit->second->glyphs);
            return;
        }
    }
    hb_buffer_clear_contents(m_buf);
    hb_buffer_add_utf16(m_buf, reinterpret_cast<const std::uint16_t*>(m_shape_text.data() + a), static_cast<int>(b - a), 0,
                        static_cast<int>(b - a));
    hb_buffer_set_direction(m_buf, probe.rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_script(m_buf, probe.script);
    if (probe.language != HB_LANGUAGE_INVALID) hb_buffer_set_language(m_buf, probe.language);
    hb_buffer_set_flags(m_buf, static_cast<hb_buffer_flags_t>(HB_BUFFER_FLAG_BOT | HB_BUFFER_FLAG_EOT));
    hb_shape(it.font->hb_font, m_buf, nullptr, 0);
    m_buf_high_water = std::max(m_buf_high_water, hb_buffer_get_length(m_buf));
    unsigned count = 0;
    const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(m_buf, &count);
    const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(m_buf, nullptr);
    std::vector<WordGlyph> glyphs(count);
    for (unsigned g = 0; g < count; ++g)
        glyphs[g] = WordGlyph{info[g].codepoint, info[g].cluster, pos[g].x_advance, pos[g].x_offset, pos[g].y_offset,
                              (hb_glyph_info_get_glyph_flags(&info[g]) & HB_GLYPH_FLAG_UNSAFE_TO_BREAK) != 0};
    emit(glyphs);
    if (!cacheable) return;
    m_word_lru.emplace_front();
    Word& w = m_word_lru.front();
    w.text.assign(probe.text);
    w.key = probe;
    w.key.text = w.text;
    w.glyphs = std::move(glyphs);
    m_words.emplace(w.key, m_word_lru.begin());
    if (m_words.size() > m_max_words) {
        m_words.erase(m_word_lru.back().key);
        WipeU16(m_word_lru.back().text);  // a word may be part of a name someone typed
        m_word_lru.pop_back();
    }
}

void LayoutBuilder::MeasureClusters() {
    const std::size_t n = m_shape_text.size();
    m_prefix.assign(n + 1, 0.0f);
    for (const SGlyph& g : m_glyphs) {
        m_prefix[g.cluster + 1] += g.advance;
        m_flags[g.cluster] |= kClusterStart;
        if (g.unsafe) m_flags[g.cluster] |= kUnsafe;
    }
    for (std::size_t i = 1; i <= n; ++i) m_prefix[i] += m_prefix[i - 1];
}

std::uint32_t LayoutBuilder::TrimEnd(std::uint32_t a, std::uint32_t b) const {
    while (b > a && IsHangingSpace(m_text->u16[b - 1])) --b;
    return b;
}

std::uint32_t LayoutBuilder::FitClusters(std::uint32_t a, std::uint32_t b, float width) const {
    std::uint32_t best = a;
    for (std::uint32_t p = a + 1; p <= b; ++p) {
        if (p != b && !(m_flags[p] & kClusterStart)) continue;
        if (Width(a, p) > width) break;
        best = p;
    }
    if (best > a) return best;
    for (std::uint32_t p = a + 1; p <= b; ++p)  // not even one cluster fits: take one anyway
        if (p == b || (m_flags[p] & kClusterStart)) return p;
    return b;
}

void LayoutBuilder::BreakLines(const FontSetData& fs, float wrap) {
    m_lines.clear();
    const std::u16string& s = m_text->u16;
    const auto n = static_cast<std::uint32_t>(s.size());
    if (n == 0) {
        m_lines.push_back(Range{0, 0});
        return;
    }
    UBreakIterator* bi = wrap > 0 ? LineBreaker(fs.icu_locale) : nullptr;
    UErrorCode err = U_ZERO_ERROR;
    if (bi) ubrk_setText(bi, s.data(), static_cast<int32_t>(n), &err);
    if (!bi || U_FAILURE(err)) {
        std::uint32_t start = 0;
        for (std::uint32_t i = 0; i < n; ++i) {
            if (!IsHardBreak(s[i]) || (s[i] == u'\r' && i + 1 < n && s[i + 1] == u'\n')) continue;
            m_lines.push_back(Range{start, i + 1});
            start = i + 1;
        }
        m_lines.push_back(Range{start, n});
        return;
    }
    std::uint32_t start = 0, candidate = 0;
    for (int32_t b32 = ubrk_following(bi, 0); b32 != UBRK_DONE; b32 = ubrk_next(bi)) {
        const auto b = static_cast<std::uint32_t>(b32);
        const int32_t status = ubrk_getRuleStatus(bi);
        const bool hard = status >= UBRK_LINE_HARD && status < UBRK_LINE_HARD_LIMIT;
        while (start < b && Width(start, TrimEnd(start, b)) > wrap) {
            if (candidate > start) {
                m_lines.push_back(Range{start, candidate});
                start = candidate;
                continue;
            }
            // One unbreakable piece wider than the line: break it between clusters.
            const std::uint32_t end = TrimEnd(start, b);
            const std::uint32_t cut = FitClusters(start, end, wrap);
            if (cut >= end) break;
            m_lines.push_back(Range{start, cut});
            start = cut;
        }
        if (hard) {
            if (b > start) m_lines.push_back(Range{start, b});
            start = b;
            candidate = b;
        } else {
            candidate = b;
        }
    }
    if (start < n) m_lines.push_back(Range{start, n});
    if (IsHardBreak(s[n - 1])) m_lines.push_back(Range{n, n});  // the caret's line after a final newline
}

void LayoutBuilder::EmitLine(const FontSetData& fs, Range r, Layout& out) {
    const DecodedText& t = *m_text;
    LLine line;
    line.byte_begin = t.byte_at[r.begin];
    line.byte_end = t.byte_at[r.end];
    line.rtl = (m_levels_ok ? m_bidi.ParagraphLevelAt(r.begin) : m_params.level == 1) & 1;
    line.glyph_begin = static_cast<std::uint32_t>(out.glyphs.size());
    float pen = 0;
    if (r.end > r.begin) {
        if (!m_levels_ok || !m_bidi.ReorderLine(r.begin, r.end, m_runs))
            m_runs.assign(1, VisualRun{r.begin, r.end - r.begin, line.rtl});
        for (const VisualRun& run : m_runs) {
            const auto a = static_cast<std::uint32_t>(run.start);
            const auto b = static_cast<std::uint32_t>(run.start + run.length);
            const auto first = static_cast<std::size_t>(
                std::partition_point(m_items.begin(), m_items.end(), [&](const Item& it) { return it.end <= a; }) -
                m_items.begin());
            std::size_t last = first;
            while (last < m_items.size() && m_items[last].start < b) ++last;
            for (std::size_t q = 0; q < last - first; ++q) {
                const Item& it = m_items[run.rtl ? last - 1 - q : first + q];
                const std::uint32_t pa = std::max(a, it.start), pb = std::min(b, it.end);
                auto safe = [&](std::uint32_t p) {
                    return p == it.start || p == it.end || ((m_flags[p] & kClusterStart) && !(m_flags[p] & kUnsafe));
                };
                const SGlyph* g = nullptr;
                std::size_t count = 0;
                if (pa == it.start && pb == it.end) {
                    g = m_glyphs.data() + it.g0;
                    count = it.g1 - it.g0;
                } else if (safe(pa) && safe(pb)) {
                    std::size_t lo = it.g1, hi = it.g0;
                    for (std::size_t k = it.g0; k < it.g1; ++k)
                        if (m_glyphs[k].cluster >= pa && m_glyphs[k].cluster < pb) {
                            lo = std::min(lo, k);
                            hi = std::max(hi, k + 1);
                        }
                    if (lo < hi) {
                        g = m_glyphs.data() + lo;
                        count = hi - lo;
                    }
                } else {
                    m_piece.clear();
                    Shape(it, pa, pb, r.begin, r.end, m_piece);
                    g = m_piece.data();
                    count = m_piece.size();
                }
                const bool reverse = ((it.level & 1) != 0) != run.rtl;
                for (std::size_t k = 0; k < count; ++k) {
                    const SGlyph& sg = g[reverse ? count - 1 - k : k];
                    LGlyph lg;
                    lg.font = it.font;
                    lg.gid = sg.gid;
                    lg.x = pen + sg.dx;
                    lg.y = sg.dy;
                    lg.pen = pen;
                    lg.advance = sg.advance;
                    lg.cluster = sg.cluster;
                    lg.byte = t.byte_at[sg.cluster];
                    lg.font_index = it.font_index;
                    lg.placeholder = sg.gid == 0 && !sg.hidden;
                    lg.hidden = sg.hidden;
                    lg.rtl = run.rtl;
                    out.glyphs.push_back(lg);
                    pen += sg.advance;
                }
            }
        }
    }
    line.glyph_end = static_cast<std::uint32_t>(out.glyphs.size());
    line.width = pen;
    const std::uint32_t trim = TrimEnd(r.begin, r.end);
    float spaces = 0;
    for (std::uint32_t k = line.glyph_begin; k < line.glyph_end; ++k)
        if (out.glyphs[k].cluster >= trim) spaces += out.glyphs[k].advance;
    line.content_width = std::max(0.0f, pen - spaces);
    line.lead = line.rtl ? spaces : 0.0f;
    FinishLine(fs, r, line, out);
}

void LayoutBuilder::FinishLine(const FontSetData& fs, Range r, LLine& line, Layout& out) {
    const DecodedText& t = *m_text;
    const float size = m_params.size;
    float asc = 0, desc = 0;
    if (!fs.chain.empty()) {
        asc = fs.chain[0]->ascender * size;
        desc = fs.chain[0]->descender * size;
    } else {
        asc = 0.8f * size;
        desc = 0.2f * size;
    }
    const FontFace* last_font = nullptr;
    for (std::uint32_t k = line.glyph_begin; k < line.glyph_end; ++k) {
        const FontFace* f = out.glyphs[k].font;
        if (!f || f == last_font) continue;
        last_font = f;
        asc = std::max(asc, f->ascender * size);
        desc = std::max(desc, f->descender * size);
    }
    line.height = (asc + desc) * std::max(0.5f, m_params.line_spacing);
    line.ascent = asc + (line.height - asc - desc) * 0.5f;

    // Caret boxes: one per cluster, in visual order.
    m_starts.clear();
    for (std::uint32_t k = line.glyph_begin; k < line.glyph_end; ++k) m_starts.push_back(out.glyphs[k].cluster);
    std::sort(m_starts.begin(), m_starts.end());
    m_starts.erase(std::unique(m_starts.begin(), m_starts.end()), m_starts.end());
    line.cluster_begin = static_cast<std::uint32_t>(out.clusters.size());
    for (std::uint32_t k = line.glyph_begin; k < line.glyph_end;) {
        const std::uint32_t cluster = out.glyphs[k].cluster;
        LCluster c;
        c.x0 = out.glyphs[k].pen;
        c.x1 = c.x0;
        c.rtl = out.glyphs[k].rtl;
        while (k < line.glyph_end && out.glyphs[k].cluster == cluster) {
            c.x0 = std::min(c.x0, out.glyphs[k].pen);
            c.x1 = std::max(c.x1, out.glyphs[k].pen + out.glyphs[k].advance);
            ++k;
        }
        const auto next = std::upper_bound(m_starts.begin(), m_starts.end(), cluster);
        c.u16_begin = cluster;
        c.u16_end = next == m_starts.end() ? r.end : std::min(*next, r.end);
        if (c.u16_end < c.u16_begin) c.u16_end = c.u16_begin;
        c.byte_begin = t.byte_at[std::min<std::size_t>(c.u16_begin, t.u16.size())];
        c.byte_end = t.byte_at[std::min<std::size_t>(c.u16_end, t.u16.size())];
        c.hard_break = c.u16_begin < t.u16.size() && IsHardBreak(t.u16[c.u16_begin]);
        out.clusters.push_back(c);
    }
    line.cluster_end = static_cast<std::uint32_t>(out.clusters.size());
    out.lines.push_back(line);
}

void LayoutBuilder::EmitEllipsized(const FontSetData& fs, Range r, std::uint32_t content_end, float width,
                                   Layout& out) {
    const DecodedText& t = *m_text;
    std::u16string ellipsis = u"\u2026";
    float ell_w = 0;
    {
        const FontFace* f = nullptr;
        for (const FontFace* c : fs.chain)
            if (c->Covers(0x2026)) {
                f = c;
                break;
            }
        if (!f) {
            ellipsis = u"...";
            for (const FontFace* c : fs.chain)
                if (c->Covers('.')) {
                    f = c;
                    break;
                }
        }
        if (f) {
            hb_codepoint_t g = 0;
            hb_font_get_nominal_glyph(f->hb_font, ellipsis[0], &g);
            ell_w = static_cast<float>(hb_font_get_glyph_h_advance(f->hb_font, g)) * m_params.size / f->upem *
                    static_cast<float>(ellipsis.size());
        }
    }
    std::uint32_t cut = r.begin;
    for (std::uint32_t p = r.begin + 1; p <= content_end; ++p) {
        if (p != content_end && !(m_flags[p] & kClusterStart)) continue;
        if (Width(r.begin, TrimEnd(r.begin, p)) + ell_w > width) break;
        cut = p;
    }
    cut = TrimEnd(r.begin, cut);

    DecodedText sub;
    sub.u16.assign(t.u16, r.begin, cut - r.begin);
    sub.u16 += ellipsis;
    sub.byte_at.assign(t.byte_at.begin() + r.begin, t.byte_at.begin() + cut);
    sub.byte_at.insert(sub.byte_at.end(), ellipsis.size(), t.byte_at[cut]);
    sub.byte_at.push_back(t.byte_at[r.end]);
    sub.bytes_used = t.byte_at[r.end];

    LayoutParams p = m_params;
    p.wrap_width = 0;
    p.ellipsis_width = 0;
    p.max_lines = 0;
    p.level = (m_levels_ok ? m_bidi.ParagraphLevelAt(r.begin) : m_params.level == 1) & 1;
    if (!m_sub) m_sub = std::make_unique<LayoutBuilder>(m_on_uncovered, m_fallback, 0);
    Layout one;
    m_sub->Build(sub, fs, p, one);
    if (one.lines.empty()) return;
    LLine line = one.lines.front();
    const auto g_off = static_cast<std::uint32_t>(out.glyphs.size());
    const auto c_off = static_cast<std::uint32_t>(out.clusters.size());
    for (std::uint32_t k = line.glyph_begin; k < line.glyph_end; ++k) {
        LGlyph g = one.glyphs[k];
        g.cluster += r.begin;
        out.glyphs.push_back(g);
    }
    for (std::uint32_t k = line.cluster_begin; k < line.cluster_end; ++k) {
        LCluster c = one.clusters[k];
        c.u16_begin = std::min(c.u16_begin + r.begin, r.end);
        c.u16_end = std::min(c.u16_end + r.begin, r.end);
        out.clusters.push_back(c);
    }
    line.glyph_end = line.glyph_end - line.glyph_begin + g_off;
    line.glyph_begin = g_off;
    line.cluster_end = line.cluster_end - line.cluster_begin + c_off;
    line.cluster_begin = c_off;
    line.byte_begin = t.byte_at[r.begin];
    line.byte_end = t.byte_at[r.end];
    out.lines.push_back(line);
}

}  // namespace htk::text::detail
