// kiosk/text/engine.cpp: Engine: font sets, the layout cache, drawing quads and caret geometry.
// Public calls report problems as warnings or empty results and never read outside the given text.
#include "text/engine.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <list>
#include <unordered_map>
#include <unordered_set>

#include <unicode/uchar.h>
#include <unicode/ubrk.h>
#include <unicode/uloc.h>

#include "text/detail/coverage_fallback.h"
#include "text/detail/font_library.h"
#include "text/detail/glyph_atlas.h"
#include "text/detail/layout.h"
#include "text/detail/utf.h"

namespace htk::text {

namespace {

using detail::Layout;
using detail::LayoutParams;

struct Key {
    std::string_view text;
    std::uint32_t set = 0;
    long size26 = 0;
    std::uint32_t wrap = 0, ellipsis = 0, spacing = 0;  // float bits
    int max_lines = 0;
    int level = -1;
    friend bool operator==(const Key&, const Key&) = default;
};

struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
        std::size_t h = std::hash<std::string_view>{}(k.text);
        auto mix = [&h](std::uint64_t v) { h ^= std::hash<std::uint64_t>{}(v) + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2); };
        mix(k.set);
        mix(static_cast<std::uint64_t>(k.size26));
        mix(k.wrap);
        mix(k.ellipsis);
        mix(k.spacing);
        mix(static_cast<std::uint64_t>(k.max_lines) << 8 | static_cast<std::uint8_t>(k.level));
        return h;
    }
};

struct Entry {
    std::string text;
    Key key;
    Layout layout;
    std::size_t bytes = 0;
};

// The Latin, digits and punctuation that every set must end up covering (issue 3).
constexpr char32_t kLatinProbe[] = {U'A', U'Z', U'a', U'z', U'0', U'9', U'.', U',', U':', U'!', U'?', U'(', U')', U'%', U'-', U'@'};

std::string Hex(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

bool NeverDrawn(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
           u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

}  // namespace

struct Engine::Impl {
    Impl(GlyphTextureBackend& backend, EngineOptions opts)
        : options(std::move(opts)),
          warn(options.warn ? options.warn
                            : std::function<void(std::string_view)>([](std::string_view m) {
                                  std::fprintf(stderr, "htk::text: %.*s\n", static_cast<int>(m.size()), m.data());
                              })),
          atlas(backend, options.page_size, options.max_pages, [this](const std::string& m) { warn(m); }),
          builder([this](char32_t cp, const detail::FontSetData& fs, const detail::FontFace* chosen) {
                      WarnUncovered(cp, fs, chosen);
                  },
                  [this](char32_t cp, const detail::FontSetData& fs) { return Fallback(cp, fs); },
                  options.max_shaped_words) {}

    ~Impl() {
        if (graphemes) ubrk_close(graphemes);
    }

    void WarnUncovered(char32_t cp, const detail::FontSetData& fs, const detail::FontFace* chosen) {
        if (!warned_cps.insert(cp).second) return;
        char name[128] = {};
        UErrorCode err = U_ZERO_ERROR;
        // Extended names, so a private-use or unassigned code point is named as such.
        u_charName(static_cast<UChar32>(cp), U_EXTENDED_CHAR_NAME, name, sizeof name, &err);
        std::string what = Hex(cp);
        if (U_SUCCESS(err) && name[0]) what += std::string(" ") + name;
        if (!coverage.Find(cp, fs.spec.language) || !chosen)
            warn("no font of [" + fs.names + "] nor any installed font has a glyph for " + what +
                 "; drawing a placeholder box");
        else
            warn("font '" + chosen->family + "', chosen for the rest of its cluster, has no glyph for " + what +
                 "; drawing a placeholder box");
    }

    // The set's index of an installed font found by coverage, adding it to the set on first use.
    std::pair<detail::FontFace*, std::uint16_t> Fallback(char32_t cp, const detail::FontSetData& fs) {
        detail::FontFace* face = coverage.Find(cp, fs.spec.language);
        if (!face) return {nullptr, 0};
        const auto in_chain = std::find(fs.chain.begin(), fs.chain.end(), face);
        if (in_chain != fs.chain.end()) return {face, static_cast<std::uint16_t>(in_chain - fs.chain.begin())};
        auto at = std::find(fs.fallback.begin(), fs.fallback.end(), face);
        if (at == fs.fallback.end()) at = fs.fallback.insert(fs.fallback.end(), face);
        return {face, static_cast<std::uint16_t>(fs.chain.size() + static_cast<std::size_t>(at - fs.fallback.begin()))};
    }

    // A set's font by GlyphInfo::font: its own fonts, then those found by coverage.
    static detail::FontFace* FaceAt(const detail::FontSetData& fs, int font) {
        if (font < 0) return nullptr;
        const auto i = static_cast<std::size_t>(font);
        if (i < fs.chain.size()) return fs.chain[i];
        return i - fs.chain.size() < fs.fallback.size() ? fs.fallback[i - fs.chain.size()] : nullptr;
    }

    const detail::FontSetData* Set(FontSetId id) const {
        if (id.value == 0 || id.value > sets.size()) return nullptr;
        return sets[id.value - 1].get();
    }

    LayoutParams Params(const Style& st, const detail::FontSetData& fs, float wrap, float ellipsis, int max_lines) const {
        LayoutParams p;
        p.size = std::isfinite(st.size) ? std::clamp(st.size, 4.0f, 512.0f) : 32.0f;
        const Direction d = st.direction.value_or(fs.spec.direction);
        p.level = d == Direction::Ltr ? 0 : d == Direction::Rtl ? 1 : -1;
        p.wrap_width = std::isfinite(wrap) && wrap > 0 ? wrap : 0.0f;
        p.ellipsis_width = std::isfinite(ellipsis) && ellipsis > 0 ? ellipsis : 0.0f;
        p.max_lines = std::max(0, max_lines);
        p.line_spacing = std::isfinite(st.line_spacing) ? std::clamp(st.line_spacing, 0.5f, 4.0f) : 1.0f;
        return p;
    }

    Layout* Get(std::string_view text, FontSetId set_id, const LayoutParams& p) {
        const detail::FontSetData* fs = Set(set_id);
        if (!fs) return nullptr;
        Key key{text, set_id.value, std::lround(p.size * 64.0f), std::bit_cast<std::uint32_t>(p.wrap_width),
                std::bit_cast<std::uint32_t>(p.ellipsis_width), std::bit_cast<std::uint32_t>(p.line_spacing),
                p.max_lines, p.level};
        if (auto it = index.find(key); it != index.end()) {
            ++hits;
            if (it->second != lru.begin()) lru.splice(lru.begin(), lru, it->second);
            return &it->second->layout;
        }
        ++misses;
        detail::DecodeUtf8(text, decoded, kMaxCodePoints);
        lru.emplace_front();
        Entry& e = lru.front();
        e.text.assign(text.data(), text.size());
        e.key = key;
        e.key.text = e.text;
        builder.Build(decoded, *fs, p, e.layout);
        e.bytes = sizeof(Entry) + e.text.capacity() + e.layout.Bytes() + 64;
        layout_bytes += e.bytes;
        index.emplace(e.key, lru.begin());
        while (lru.size() > 1 && (lru.size() > options.max_layouts || layout_bytes > options.max_layout_bytes)) {
            Entry& old = lru.back();
            layout_bytes -= old.bytes;
            index.erase(old.key);
            if (!old.text.empty()) ::explicit_bzero(old.text.data(), old.text.size());  // may be typed by a patient
            lru.pop_back();
        }
        return &e.layout;
    }

    Layout* ForDraw(std::string_view text, const Style& style, const Box& box, const DrawOptions& o) {
        const detail::FontSetData* fs = Set(style.font_set);
        if (!fs) return nullptr;
        const float w = box.max.x - box.min.x;
        return Get(text, style.font_set,
                   Params(style, *fs, o.wrap ? w : 0.0f, o.ellipsize ? w : 0.0f, o.max_lines));
    }

    // Turns positioned glyphs into textured quads, rasterising what the glyph cache lacks.
    void Resolve(Layout& L) {
        const std::uint64_t before = atlas.Epoch();
        quads.clear();
        const float texel = atlas.TexelSize();
        for (std::uint32_t li = 0; li < L.lines.size(); ++li) {
            const detail::LLine& line = L.lines[li];
            for (std::uint32_t k = line.glyph_begin; k < line.glyph_end; ++k) {
                const detail::LGlyph& g = L.glyphs[k];
                if (g.hidden) continue;
                if (g.placeholder) {
                    const int page = atlas.WhitePage();
                    if (page < 0) continue;
                    atlas.Touch(page);
                    // A hollow box the width of the missing glyph, from baseline to about cap height.
                    const float s = L.size;
                    const float t = std::max(1.0f, std::round(s / 16.0f));
                    const float x0 = std::round(g.pen + g.advance * 0.12f);
                    const float x1 = std::max(x0 + 3 * t, std::round(g.pen + g.advance * 0.88f));
                    const float y1 = 0, y0 = -std::round(s * 0.72f);
                    const float u = 2.0f * texel;
                    auto rect = [&](float a, float b, float c, float d) {
                        quads.push_back({detail::Quad{a, b, c, d, u, u, u, u, li}, page});
                    };
                    rect(x0, y0, x1, y0 + t);
                    rect(x0, y1 - t, x1, y1);
                    rect(x0, y0 + t, x0 + t, y1 - t);
                    rect(x1 - t, y0 + t, x1, y1 - t);
                    continue;
                }
                const long qx = std::lround(g.x * detail::GlyphAtlas::kBins);
                const long qy = std::lround(g.y * detail::GlyphAtlas::kBins);
                const long xi = qx >= 0 ? qx / detail::GlyphAtlas::kBins : -((-qx + 3) / detail::GlyphAtlas::kBins);
                const long yi = qy >= 0 ? qy / detail::GlyphAtlas::kBins : -((-qy + 3) / detail::GlyphAtlas::kBins);
                const auto xb = static_cast<int>(qx - xi * detail::GlyphAtlas::kBins);
                const auto yb = static_cast<int>(qy - yi * detail::GlyphAtlas::kBins);
                const detail::GlyphSlot slot = atlas.Get(*g.font, g.gid, L.size26, xb, yb);
                if (slot.page < 0) continue;
                atlas.Touch(slot.page);
                const float x0 = static_cast<float>(xi + slot.left), y0 = static_cast<float>(yi - slot.top);
                quads.push_back({detail::Quad{x0, y0, x0 + slot.w, y0 + slot.h, slot.x * texel, slot.y * texel,
                                              (slot.x + slot.w) * texel, (slot.y + slot.h) * texel, li},
                                 slot.page});
            }
        }
        std::stable_sort(quads.begin(), quads.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        L.quads.clear();
        L.batches.clear();
        for (const auto& [q, page] : quads) {
            if (L.batches.empty() || L.batches.back().page != page) {
                const auto at = static_cast<std::uint32_t>(L.quads.size());
                L.batches.push_back(detail::Batch{page, at, at});
            }
            L.quads.push_back(q);
            L.batches.back().end = static_cast<std::uint32_t>(L.quads.size());
        }
        // If making room reset a page during this pass, some quads may point at forgotten pixels:
        // resolve again on the next draw.
        L.epoch = atlas.Epoch() == before ? before : 0;
    }

    // Pixel origin (left end, baseline) of every line, as Draw places them.
    void Origins(const Layout& L, const Box& box, const DrawOptions& o) {
        const float box_w = box.max.x - box.min.x;
        const float box_h = box.max.y - box.min.y;
        const float avail = box_w > 0 ? box_w : L.width;
        float dy = 0;
        if (box_h > 0 && o.valign != VAlign::Top) dy = (box_h - L.height) * (o.valign == VAlign::Middle ? 0.5f : 1.0f);
        line_x.resize(L.lines.size());
        line_y.resize(L.lines.size());
        for (std::size_t i = 0; i < L.lines.size(); ++i) {
            const detail::LLine& l = L.lines[i];
            const float free = avail - l.content_width;
            float off = 0;
            switch (o.align) {
            case Align::Start: off = l.rtl ? free : 0.0f; break;
            case Align::End: off = l.rtl ? 0.0f : free; break;
            case Align::Centre: off = free * 0.5f; break;
            }
            line_x[i] = std::floor(box.min.x + off - l.lead + 0.5f);
            line_y[i] = std::floor(box.min.y + dy + l.top + l.ascent + 0.5f);
        }
    }

    // Grapheme boundaries inside one cluster, as UTF-16 offsets including both ends.
    void Stops(const detail::LCluster& c, std::vector<std::uint32_t>& out) {
        out.clear();
        out.push_back(c.u16_begin);
        if (c.u16_end > c.u16_begin + 1 && c.u16_end <= decoded.u16.size()) {
            if (!graphemes) {
                UErrorCode err = U_ZERO_ERROR;
                graphemes = ubrk_open(UBRK_CHARACTER, "", nullptr, 0, &err);
                if (U_FAILURE(err)) graphemes = nullptr;
            }
            if (graphemes) {
                UErrorCode err = U_ZERO_ERROR;
                ubrk_setText(graphemes, decoded.u16.data() + c.u16_begin, static_cast<int32_t>(c.u16_end - c.u16_begin), &err);
                for (int32_t b = ubrk_next(graphemes); U_SUCCESS(err) && b != UBRK_DONE; b = ubrk_next(graphemes))
                    if (c.u16_begin + static_cast<std::uint32_t>(b) < c.u16_end) out.push_back(c.u16_begin + static_cast<std::uint32_t>(b));
            }
        }
        if (c.u16_end > c.u16_begin) out.push_back(c.u16_end);
    }

    EngineOptions options;
    std::function<void(std::string_view)> warn;
    detail::FontLibrary fonts;
    detail::CoverageFallback coverage{fonts};
    std::vector<std::unique_ptr<detail::FontSetData>> sets;
    detail::GlyphAtlas atlas;
    detail::LayoutBuilder builder;
    std::unordered_set<char32_t> warned_cps;
    std::unordered_set<std::string> warned_fonts;
    detail::DecodedText decoded;
    std::list<Entry> lru;
    std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> index;
    std::size_t layout_bytes = 0, hits = 0, misses = 0;
    std::vector<float> line_x, line_y;
    std::vector<std::pair<detail::Quad, int>> quads;
    std::vector<std::uint32_t> stops;
    UBreakIterator* graphemes = nullptr;
};

Engine::Engine(GlyphTextureBackend& backend, EngineOptions options)
    : m_impl(std::make_unique<Impl>(backend, std::move(options))) {}

Engine::~Engine() = default;

FontSetId Engine::AddFontSet(const FontSetSpec& spec) {
    Impl& m = *m_impl;
    for (std::size_t i = 0; i < m.sets.size(); ++i) {
        const FontSetSpec& s = m.sets[i]->spec;
        if (s.families == spec.families && s.language == spec.language && s.direction == spec.direction &&
            s.weight == spec.weight)
            return FontSetId{static_cast<std::uint32_t>(i + 1)};
    }
    auto fs = std::make_unique<detail::FontSetData>();
    fs->spec = spec;
    auto warn_once = [&](const std::string& what, const std::string& msg) {
        fs->info.missing.push_back(what);
        if (m.warned_fonts.insert(what).second) m.warn(msg);
    };
    auto add = [&](const std::string& requested, const detail::FamilyMatch& match) {
        std::string error;
        detail::FontFace* face = m.fonts.Open(match.file, match.index, match.family, &error);
        if (!face) {
            warn_once(requested, "font file '" + match.file + "' (" + requested + ") " + error +
                                     "; falling back to the next font of the set");
            return;
        }
        if (std::find(fs->chain.begin(), fs->chain.end(), face) != fs->chain.end()) return;
        fs->chain.push_back(face);
        fs->info.fonts.push_back(ResolvedFont{requested, match.family, match.file, match.index});
    };
    for (const std::string& entry : spec.families) {
        if (!entry.empty() && entry.front() == '/') {
            std::error_code ec;
            if (!std::filesystem::is_regular_file(entry, ec)) {
                warn_once(entry, "font file '" + entry + "' is missing; falling back to the next font of the set");
                continue;
            }
            add(entry, detail::FamilyMatch{std::filesystem::path(entry).stem().string(), entry, 0});
            continue;
        }
        if (auto match = m.fonts.FindFamily(entry, spec.weight)) {
            add(entry, *match);
        } else {
            warn_once(entry, "font family '" + entry + "' is not installed; falling back to the next font of the set");
        }
    }
    // A patient's name, a phone number or a reference is Latin letters, digits and punctuation: some
    // font of every set must have them all, so one is appended when the pack's fonts lack them.
    const bool latin = std::any_of(fs->chain.begin(), fs->chain.end(), [](const detail::FontFace* face) {
        return std::all_of(std::begin(kLatinProbe), std::end(kLatinProbe), [&](char32_t c) { return face->Covers(c); });
    });
    if (!latin) {
        std::optional<detail::FamilyMatch> tail = m.fonts.FindFamily("Noto Sans", spec.weight);
        if (!tail) tail = m.fonts.BestMatch("sans-serif");
        if (tail) add(tail->family, *tail);
    }
    if (fs->chain.empty()) m.warn("no usable font at all for a font set; its text will not be drawn");
    for (const auto& f : fs->info.fonts) fs->names += (fs->names.empty() ? "" : ", ") + f.family;
    if (!spec.language.empty()) {
        fs->language = hb_language_from_string(spec.language.c_str(), -1);
        char locale[ULOC_FULLNAME_CAPACITY] = {};
        UErrorCode err = U_ZERO_ERROR;
        uloc_forLanguageTag(spec.language.c_str(), locale, sizeof locale, nullptr, &err);
        if (U_SUCCESS(err)) fs->icu_locale = locale;
    }
    m.sets.push_back(std::move(fs));
    return FontSetId{static_cast<std::uint32_t>(m.sets.size())};
}

FontSetInfo Engine::Describe(FontSetId set) const {
    const detail::FontSetData* fs = m_impl->Set(set);
    if (!fs) return {};
    FontSetInfo info = fs->info;
    for (const detail::FontFace* face : fs->fallback) info.fallback.push_back(ResolvedFont{{}, face->family, face->path, face->index});
    return info;
}

std::vector<char32_t> Engine::Uncovered(FontSetId set, std::string_view text) {
    std::vector<char32_t> out;
    const detail::FontSetData* fs = m_impl->Set(set);
    if (!fs) return out;
    std::unordered_set<char32_t> seen;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char32_t cp = detail::DecodeOne(text, pos);
        if (NeverDrawn(cp)) continue;
        if (std::any_of(fs->chain.begin(), fs->chain.end(), [&](const detail::FontFace* f) { return f->Covers(cp); }))
            continue;
        if (seen.insert(cp).second) out.push_back(cp);
    }
    return out;
}

std::vector<char32_t> Engine::Undrawable(FontSetId set, std::string_view text) {
    std::vector<char32_t> out = Uncovered(set, text);
    const detail::FontSetData* fs = m_impl->Set(set);
    if (!fs) return out;
    std::erase_if(out, [&](char32_t cp) { return m_impl->coverage.Find(cp, fs->spec.language) != nullptr; });
    return out;
}

void Engine::NewFrame() { m_impl->atlas.NewFrame(); }

TextSize Engine::Measure(std::string_view text, const Style& style, float wrap_width) {
    Impl& m = *m_impl;
    const detail::FontSetData* fs = m.Set(style.font_set);
    if (!fs) return {};
    const Layout* L = m.Get(text, style.font_set, m.Params(style, *fs, wrap_width, 0, 0));
    return L ? TextSize{ImVec2(L->width, L->height), static_cast<int>(L->lines.size())} : TextSize{};
}

DrawResult Engine::Draw(ImDrawList* draw_list, const Box& box, std::string_view text, const Style& style,
                        const DrawOptions& options) {
    Impl& m = *m_impl;
    Layout* L = m.ForDraw(text, style, box, options);
    if (!L) return {};
    DrawResult result{ImVec2(L->width, L->height), static_cast<int>(L->lines.size()), L->truncated};
    if (!draw_list || L->lines.empty() || (style.colour & IM_COL32_A_MASK) == 0) return result;
    if (L->epoch != m.atlas.Epoch()) m.Resolve(*L);
    m.Origins(*L, box, options);
    for (const detail::Batch& b : L->batches) {
        m.atlas.Touch(b.page);
        draw_list->PushTextureID(m.atlas.Texture(b.page));
        const int n = static_cast<int>(b.end - b.begin);
        draw_list->PrimReserve(n * 6, n * 4);
        for (std::uint32_t i = b.begin; i < b.end; ++i) {
            const detail::Quad& q = L->quads[i];
            const float ox = m.line_x[q.line], oy = m.line_y[q.line];
            draw_list->PrimRectUV(ImVec2(ox + q.x0, oy + q.y0), ImVec2(ox + q.x1, oy + q.y1), ImVec2(q.u0, q.v0),
                                  ImVec2(q.u1, q.v1), style.colour);
        }
        draw_list->PopTextureID();
    }
    return result;
}

Caret Engine::CaretAt(const Box& box, std::string_view text, const Style& style, const DrawOptions& options,
                      std::size_t byte_index) {
    Impl& m = *m_impl;
    Layout* L = m.ForDraw(text, style, box, options);
    if (!L || L->lines.empty()) return {};
    detail::DecodeUtf8(text, m.decoded, kMaxCodePoints);
    const auto& byte_at = m.decoded.byte_at;
    byte_index = std::min(byte_index, m.decoded.bytes_used);
    const auto unit_it = std::upper_bound(byte_at.begin(), byte_at.end(), static_cast<std::uint32_t>(byte_index));
    const std::size_t unit = unit_it == byte_at.begin() ? 0 : static_cast<std::size_t>(unit_it - byte_at.begin()) - 1;
    const auto idx = byte_at[unit];  // snapped back to the start of its code point

    std::size_t li = 0;
    for (std::size_t i = 0; i < L->lines.size(); ++i)
        if (L->lines[i].byte_begin <= idx) li = i;
    const detail::LLine& line = L->lines[li];
    m.Origins(*L, box, options);

    const detail::LCluster *prev = nullptr, *next = nullptr, *inside = nullptr;
    for (std::uint32_t k = line.cluster_begin; k < line.cluster_end; ++k) {
        const detail::LCluster& c = L->clusters[k];
        if (c.byte_begin < idx && idx < c.byte_end) inside = &c;
        if (c.byte_end == idx && c.byte_begin < idx) prev = &c;
        if (c.byte_begin == idx && c.byte_end > idx && !c.hard_break) next = &c;
    }
    Caret caret;
    float x = 0;
    if (inside) {
        // A ligature or conjunct spanning several user-perceived characters: split it evenly.
        m.Stops(*inside, m.stops);
        const auto at = static_cast<std::uint32_t>(unit);
        std::size_t k = 0;
        while (k + 1 < m.stops.size() && m.stops[k + 1] <= at) ++k;
        const float frac = m.stops.size() > 1 ? static_cast<float>(k) / static_cast<float>(m.stops.size() - 1) : 0.0f;
        x = inside->rtl ? inside->x1 - frac * (inside->x1 - inside->x0) : inside->x0 + frac * (inside->x1 - inside->x0);
        caret.rtl = inside->rtl;
    } else if (prev && (!next || prev->rtl == line.rtl)) {
        // Where the next character typed in the paragraph's direction appears: after prev.
        x = prev->rtl ? prev->x0 : prev->x1;
        caret.rtl = prev->rtl;
    } else if (next) {
        x = next->rtl ? next->x1 : next->x0;
        caret.rtl = next->rtl;
    } else {
        x = line.rtl ? line.lead + line.content_width : line.lead;
        caret.rtl = line.rtl;
    }
    caret.top = ImVec2(m.line_x[li] + x, m.line_y[li] - line.ascent);
    caret.height = line.height;
    caret.line = static_cast<int>(li);
    return caret;
}

std::size_t Engine::IndexAt(const Box& box, std::string_view text, const Style& style, const DrawOptions& options,
                            ImVec2 point) {
    Impl& m = *m_impl;
    Layout* L = m.ForDraw(text, style, box, options);
    if (!L || L->lines.empty()) return 0;
    detail::DecodeUtf8(text, m.decoded, kMaxCodePoints);
    m.Origins(*L, box, options);
    std::size_t li = 0;
    for (std::size_t i = 0; i < L->lines.size(); ++i)
        if (point.y >= m.line_y[i] - L->lines[i].ascent) li = i;
    const detail::LLine& line = L->lines[li];
    const float x = point.x - m.line_x[li];
    const detail::LCluster* hit = nullptr;
    for (std::uint32_t k = line.cluster_begin; k < line.cluster_end; ++k) {
        const detail::LCluster& c = L->clusters[k];
        if (c.hard_break) continue;
        hit = &c;
        if (x < c.x1) break;
    }
    if (!hit) return line.byte_begin;
    m.Stops(*hit, m.stops);
    const float w = hit->x1 - hit->x0;
    float frac = w > 0 ? std::clamp((x - hit->x0) / w, 0.0f, 1.0f) : 0.0f;
    if (hit->rtl) frac = 1.0f - frac;
    const auto k = static_cast<std::size_t>(std::lround(frac * static_cast<float>(m.stops.size() - 1)));
    return m.decoded.byte_at[std::min<std::size_t>(m.stops[k], m.decoded.u16.size())];
}

LayoutInfo Engine::Inspect(std::string_view text, const Style& style, float wrap_width) {
    Impl& m = *m_impl;
    LayoutInfo info;
    const detail::FontSetData* fs = m.Set(style.font_set);
    if (!fs) return info;
    const Layout* L = m.Get(text, style.font_set, m.Params(style, *fs, wrap_width, 0, 0));
    if (!L) return info;
    info.size = TextSize{ImVec2(L->width, L->height), static_cast<int>(L->lines.size())};
    info.truncated = L->truncated;
    for (const detail::LLine& l : L->lines) {
        LineInfo li;
        li.byte_begin = l.byte_begin;
        li.byte_end = l.byte_end;
        li.width = l.content_width;
        li.top = l.top;
        li.ascent = l.ascent;
        li.descent = l.height - l.ascent;
        li.rtl = l.rtl;
        for (std::uint32_t k = l.glyph_begin; k < l.glyph_end; ++k) {
            const detail::LGlyph& g = L->glyphs[k];
            if (!g.hidden) li.glyphs.push_back(GlyphInfo{g.gid, g.font_index, g.byte, ImVec2(g.x, g.y), g.advance});
        }
        info.lines.push_back(std::move(li));
    }
    return info;
}

std::string Engine::GlyphName(FontSetId set, int font, std::uint32_t glyph) {
    const detail::FontSetData* fs = m_impl->Set(set);
    const detail::FontFace* face = fs ? Impl::FaceAt(*fs, font) : nullptr;
    char buf[128] = {};
    if (!face || !hb_font_get_glyph_name(face->hb_font, glyph, buf, sizeof buf)) return {};
    return buf;
}

std::uint32_t Engine::NominalGlyph(FontSetId set, int font, char32_t code_point) {
    const detail::FontSetData* fs = m_impl->Set(set);
    const detail::FontFace* face = fs ? Impl::FaceAt(*fs, font) : nullptr;
    hb_codepoint_t g = 0;
    return face && hb_font_get_nominal_glyph(face->hb_font, code_point, &g) ? g : 0;
}

EngineStats Engine::Stats() const {
    const Impl& m = *m_impl;
    EngineStats s;
    s.glyph_pages = m.atlas.LivePages();
    s.glyph_texture_bytes = m.atlas.TextureBytes();
    s.glyphs_cached = m.atlas.GlyphCount();
    s.glyph_evictions = m.atlas.Evictions();
    s.shaped_words_cached = m.builder.WordsCached();
    s.layouts_cached = m.lru.size();
    s.layout_bytes = m.layout_bytes;
    s.layout_hits = m.hits;
    s.layout_misses = m.misses;
    s.fallback_lookups = m.coverage.Lookups();
    return s;
}

void Engine::ForgetText() {
    auto& m = *m_impl;
    for (auto& e : m.lru)
        if (!e.text.empty()) ::explicit_bzero(e.text.data(), e.text.size());
    m.index.clear();
    m.lru.clear();
    m.layout_bytes = 0;
    if (!m.decoded.u16.empty()) ::explicit_bzero(m.decoded.u16.data(), m.decoded.u16.size() * sizeof(char16_t));
    m.decoded.u16.clear();
    m.decoded.byte_at.clear();
    m.builder.Forget();
}

void Engine::ClearLayoutCache() {
    m_impl->index.clear();
    m_impl->lru.clear();
    m_impl->layout_bytes = 0;
}

}  // namespace htk::text
