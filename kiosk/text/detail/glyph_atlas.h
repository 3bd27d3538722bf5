// kiosk/text/detail/glyph_atlas.h: glyph bitmaps rasterised by FreeType on demand into texture pages
// that grow up to a budget; the least recently used page is reset when full. Never pre-bakes ranges.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include <imgui.h>

#include "text/glyph_texture.h"

namespace htk::text::detail {

struct FontFace;

struct GlyphSlot {
    std::int16_t page = -1;        // -1: nothing to draw (a space, or it could not be stored)
    std::uint16_t x = 0, y = 0;    // top-left in the page
    std::uint16_t w = 0, h = 0;
    std::int16_t left = 0, top = 0;  // bitmap offset from the pen position (FreeType's bitmap_left/top)
};

class GlyphAtlas {
public:
    static constexpr int kBins = 4;  // sub-pixel positions per pixel, in x and in y

    GlyphAtlas(GlyphTextureBackend& backend, int page_size, int max_pages,
               std::function<void(const std::string&)> warn);
    ~GlyphAtlas();
    GlyphAtlas(const GlyphAtlas&) = delete;
    GlyphAtlas& operator=(const GlyphAtlas&) = delete;

    // The glyph at a 26.6 pixel size and sub-pixel bin, rasterised on a miss. Valid until Epoch() changes.
    GlyphSlot Get(FontFace& font, std::uint32_t glyph, long size26, int xbin, int ybin);
    int WhitePage();  // a live page whose texels (0,0)..(3,3) are opaque white; -1 if none can be made
    ImTextureID Texture(int page) const { return m_pages[static_cast<std::size_t>(page)].tex; }
    float TexelSize() const { return 1.0f / static_cast<float>(m_page_size); }
    void Touch(int page) { m_pages[static_cast<std::size_t>(page)].last_used = m_frame; }
    std::uint64_t Epoch() const { return m_epoch; }  // changes whenever a stored glyph moves or goes
    void NewFrame();

    int LivePages() const;
    std::size_t TextureBytes() const;
    std::size_t GlyphCount() const { return m_map.size(); }
    std::size_t Evictions() const { return m_evictions; }

private:
    struct Shelf {
        int y = 0, h = 0, x = 0;
    };
    struct Page {
        ImTextureID tex = nullptr;
        bool alive = false;
        std::uint64_t last_used = 0;
        std::vector<Shelf> shelves;
        int next_y = 0;
        std::vector<std::uint64_t> keys;  // glyphs stored here, to forget them on reset
    };

    int NewPage();
    void ResetPage(int page);
    void FreePage(int page);
    bool Alloc(Page& page, int w, int h, int& x, int& y);
    int PickVictim(bool allow_current_frame) const;
    bool Place(int w, int h, int& page, int& x, int& y);

    GlyphTextureBackend& m_backend;
    int m_page_size;
    int m_max_pages;
    std::function<void(const std::string&)> m_warn;
    std::vector<Page> m_pages;
    std::unordered_map<std::uint64_t, GlyphSlot> m_map;
    std::uint64_t m_frame = 1;
    std::uint64_t m_epoch = 1;
    std::size_t m_evictions = 0;
    std::vector<std::uint8_t> m_scratch;
    bool m_warned_create = false, m_warned_size = false;
};

}  // namespace htk::text::detail
