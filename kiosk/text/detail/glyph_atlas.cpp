// kiosk/text/detail/glyph_atlas.cpp: FreeType rasterising and shelf packing into texture pages.
// Pages used in the current frame are never reset, since quads already queued point into them.
#include "text/detail/glyph_atlas.h"

#include <algorithm>

#include "text/detail/font_library.h"

#include FT_OUTLINE_H

namespace htk::text::detail {

namespace {

constexpr int kWhiteBlock = 4;  // reserved at each page's top-left; texels 1..2 are white

std::uint64_t Key(const FontFace& font, std::uint32_t glyph, long size26, int xbin, int ybin) {
    return (std::uint64_t{font.id} << 36) | (std::uint64_t{glyph & 0xFFFFu} << 20) |
           (static_cast<std::uint64_t>(size26 & 0xFFFF) << 4) | static_cast<std::uint64_t>(xbin << 2 | ybin);
}

}  // namespace

GlyphAtlas::GlyphAtlas(GlyphTextureBackend& backend, int page_size, int max_pages,
                       std::function<void(const std::string&)> warn)
    : m_backend(backend),
      m_page_size(std::clamp(page_size, 64, 8192)),
      m_max_pages(std::max(1, max_pages)),
      m_warn(std::move(warn)) {}

GlyphAtlas::~GlyphAtlas() {
    for (auto& p : m_pages)
        if (p.alive) m_backend.Destroy(p.tex);
}

int GlyphAtlas::LivePages() const {
    return static_cast<int>(std::count_if(m_pages.begin(), m_pages.end(), [](const Page& p) { return p.alive; }));
}

std::size_t GlyphAtlas::TextureBytes() const {
    return static_cast<std::size_t>(LivePages()) * static_cast<std::size_t>(m_page_size) *
           static_cast<std::size_t>(m_page_size) * 4u;
}

int GlyphAtlas::NewPage() {
    ImTextureID tex = m_backend.Create(m_page_size, m_page_size);
    if (!tex) {
        if (!m_warned_create) m_warn("the texture backend could not create a glyph page; text will be missing");
        m_warned_create = true;
        return -1;
    }
    std::size_t slot = 0;
    while (slot < m_pages.size() && m_pages[slot].alive) ++slot;
    if (slot == m_pages.size()) m_pages.emplace_back();
    Page& p = m_pages[slot];
    p = Page{};
    p.tex = tex;
    p.alive = true;
    p.last_used = m_frame;
    ResetPage(static_cast<int>(slot));
    return static_cast<int>(slot);
}

void GlyphAtlas::ResetPage(int page) {
    Page& p = m_pages[static_cast<std::size_t>(page)];
    if (!p.keys.empty()) ++m_epoch;
    for (std::uint64_t k : p.keys) m_map.erase(k);
    p.keys.clear();
    p.shelves.assign(1, Shelf{0, kWhiteBlock, kWhiteBlock});
    p.next_y = kWhiteBlock;
    std::vector<std::uint8_t> white(kWhiteBlock * kWhiteBlock * 4, 255);
    m_backend.Update(p.tex, 0, 0, kWhiteBlock, kWhiteBlock, white.data());
}

void GlyphAtlas::FreePage(int page) {
    Page& p = m_pages[static_cast<std::size_t>(page)];
    for (std::uint64_t k : p.keys) m_map.erase(k);
    m_backend.Destroy(p.tex);
    p = Page{};
    ++m_epoch;
    ++m_evictions;
}

bool GlyphAtlas::Alloc(Page& page, int w, int h, int& x, int& y) {
    Shelf* best = nullptr;
    for (auto& s : page.shelves)
        if (s.h >= h && s.h <= h + h / 3 + 2 && s.x + w <= m_page_size && (!best || s.h < best->h)) best = &s;
    if (best) {
        x = best->x;
        y = best->y;
        best->x += w;
        return true;
    }
    const int sh = (h + 3) & ~3;
    if (page.next_y + sh > m_page_size || w > m_page_size) return false;
    page.shelves.push_back(Shelf{page.next_y, sh, w});
    x = 0;
    y = page.next_y;
    page.next_y += sh;
    return true;
}

int GlyphAtlas::PickVictim(bool allow_current_frame) const {
    int victim = -1;
    for (std::size_t i = 0; i < m_pages.size(); ++i) {
        const Page& p = m_pages[i];
        if (!p.alive || (!allow_current_frame && p.last_used >= m_frame)) continue;
        if (victim < 0 || p.last_used < m_pages[static_cast<std::size_t>(victim)].last_used) victim = static_cast<int>(i);
    }
    return victim;
}

bool GlyphAtlas::Place(int w, int h, int& page, int& x, int& y) {
    // Most recently used pages first: they are the ones this frame is filling.
    std::vector<int> order;
    for (std::size_t i = 0; i < m_pages.size(); ++i)
        if (m_pages[i].alive) order.push_back(static_cast<int>(i));
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        return m_pages[static_cast<std::size_t>(a)].last_used > m_pages[static_cast<std::size_t>(b)].last_used;
    });
    for (int i : order)
        if (Alloc(m_pages[static_cast<std::size_t>(i)], w, h, x, y)) {
            page = i;
            return true;
        }
    const int live = static_cast<int>(order.size());
    int target = -1;
    if (live < m_max_pages) {
        target = NewPage();
    } else if (int v = PickVictim(false); v >= 0) {
        ResetPage(v);
        ++m_evictions;
        target = v;
    } else if (live < 2 * m_max_pages) {
        // Every page holds glyphs queued this frame: overflow for now, NewFrame() trims back.
        target = NewPage();
    } else if (int v2 = PickVictim(true); v2 >= 0) {
        // Hard memory bound: one frame may show a few wrong glyphs rather than grow further.
        ResetPage(v2);
        ++m_evictions;
        target = v2;
    }
    if (target < 0) return false;
    Page& p = m_pages[static_cast<std::size_t>(target)];
    p.last_used = m_frame;
    if (!Alloc(p, w, h, x, y)) return false;
    page = target;
    return true;
}

GlyphSlot GlyphAtlas::Get(FontFace& font, std::uint32_t glyph, long size26, int xbin, int ybin) {
    const std::uint64_t key = Key(font, glyph, size26, xbin, ybin);
    if (auto it = m_map.find(key); it != m_map.end()) return it->second;

    GlyphSlot slot;
    if (font.ft_char_size != size26) {
        FT_Set_Char_Size(font.ft, 0, size26, 72, 72);
        font.ft_char_size = size26;
    }
    if (FT_Load_Glyph(font.ft, glyph, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0) {
        m_map.emplace(key, slot);
        return slot;
    }
    FT_GlyphSlot g = font.ft->glyph;
    if (g->format == FT_GLYPH_FORMAT_OUTLINE)
        FT_Outline_Translate(&g->outline, xbin * (64 / kBins), -ybin * (64 / kBins));
    if (FT_Render_Glyph(g, FT_RENDER_MODE_NORMAL) != 0 || g->bitmap.pixel_mode != FT_PIXEL_MODE_GRAY) {
        m_map.emplace(key, slot);
        return slot;
    }
    const FT_Bitmap& bm = g->bitmap;
    const int w = static_cast<int>(bm.width), h = static_cast<int>(bm.rows);
    slot.left = static_cast<std::int16_t>(g->bitmap_left);
    slot.top = static_cast<std::int16_t>(g->bitmap_top);
    if (w == 0 || h == 0) {
        m_map.emplace(key, slot);
        return slot;
    }
    if (w + 1 > m_page_size || h + 1 > m_page_size) {
        if (!m_warned_size) m_warn("a glyph is larger than a glyph page; it is not drawn (text size too large)");
        m_warned_size = true;
        m_map.emplace(key, slot);
        return slot;
    }
    int page = -1, x = 0, y = 0;
    if (!Place(w + 1, h + 1, page, x, y)) return slot;  // not cached: a later frame may find room
    m_scratch.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4u);
    for (int row = 0; row < h; ++row) {
        const unsigned char* src = bm.buffer + static_cast<std::ptrdiff_t>(row) * bm.pitch;
        std::uint8_t* dst = m_scratch.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(w) * 4u;
        for (int col = 0; col < w; ++col) {
            dst[col * 4 + 0] = 255;
            dst[col * 4 + 1] = 255;
            dst[col * 4 + 2] = 255;
            dst[col * 4 + 3] = src[col];
        }
    }
    Page& p = m_pages[static_cast<std::size_t>(page)];
    m_backend.Update(p.tex, x, y, w, h, m_scratch.data());
    slot.page = static_cast<std::int16_t>(page);
    slot.x = static_cast<std::uint16_t>(x);
    slot.y = static_cast<std::uint16_t>(y);
    slot.w = static_cast<std::uint16_t>(w);
    slot.h = static_cast<std::uint16_t>(h);
    p.keys.push_back(key);
    m_map.emplace(key, slot);
    return slot;
}

int GlyphAtlas::WhitePage() {
    for (std::size_t i = 0; i < m_pages.size(); ++i)
        if (m_pages[i].alive) return static_cast<int>(i);
    return NewPage();
}

void GlyphAtlas::NewFrame() {
    ++m_frame;
    while (LivePages() > m_max_pages) {
        const int v = PickVictim(false);
        if (v < 0) break;
        FreePage(v);
    }
}

}  // namespace htk::text::detail
