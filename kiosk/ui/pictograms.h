// kiosk/ui/pictograms.h: the kiosk's pictograms (assets/pictograms/<name>.svg), rasterised with librsvg
// at the exact pixel size they are drawn and packed into shared texture pages. A pictogram is never the
// only carrier of meaning (every one has text beside it), so a missing one is a warning, never an error.
#pragma once
#include <imgui.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "text/glyph_texture.h"
#include "ui/rect.h"

namespace htk::ui {

// Where the kiosk's assets live: $HTK_ASSETS_DIR, else the build tree's copy, else the installed
// share/ht-kiosk/assets. Pictograms are in its pictograms/ folder.
std::filesystem::path DefaultAssetsDir();

class Pictograms {
public:
    static constexpr int kPageSize = 1024;  // texture pages are kPageSize square, RGBA8
    static constexpr int kMaxPages = 4;     // at most 16 MiB; the least recently drawn page is reused
    using Warn = std::function<void(const std::string&)>;

    // Reads dir/<name>.svg on first use. `warn` (default: stderr) hears of each missing or broken file once.
    Pictograms(text::GlyphTextureBackend& textures, std::filesystem::path dir, Warn warn = {});
    ~Pictograms();
    Pictograms(const Pictograms&) = delete;
    Pictograms& operator=(const Pictograms&) = delete;

    // Draws `name` fitted (aspect kept) and centred in `rect`, tinted `colour` (the SVG's alpha as
    // coverage, like glyphs), mirrored horizontally when `mirror` (a "back" arrow in right-to-left).
    // Rasterised on first use at the exact pixel size and cached by (name, pixel size). A missing or
    // broken file draws nothing. Call on the UI thread, inside an ImGui frame.
    void Draw(ImDrawList* draw, std::string_view name, const Rect& rect, ImU32 colour, bool mirror = false);
    bool Has(std::string_view name) const;  // the file exists and parses as SVG
    std::size_t TextureBytes() const;       // pixel bytes of every live page

private:
    struct Source;  // one SVG file: its librsvg handle, or known to be missing or broken
    struct Slot {
        int page = -1;  // -1: could not be stored; not cached, a later frame may find room
        int x = 0, y = 0, w = 0, h = 0;  // the pictogram's pixels in the page (a 1 px clear border around)
    };
    struct Shelf {
        int y = 0, h = 0, x = 0;
    };
    struct Page {
        ImTextureID tex = nullptr;
        std::uint64_t last_used = 0;  // ImGui frame
        std::vector<Shelf> shelves;
        int next_y = 0;
        std::vector<std::string> keys;  // cached pictograms stored here, to forget them on reuse
    };

    Source* Load(std::string_view name) const;  // nullptr when missing or broken
    Slot Rasterise(std::string_view name, Source& source, int w, int h);  // forgets the source if it cannot draw
    bool Place(int w, int h, int& page, int& x, int& y);
    bool Alloc(Page& page, int w, int h, int& x, int& y) const;
    void WarnOnce(const std::string& key, const std::string& message) const;

    text::GlyphTextureBackend& m_textures;
    std::filesystem::path m_dir;
    Warn m_warn;
    mutable std::unordered_map<std::string, std::unique_ptr<Source>> m_sources;  // by name, loaded on first use
    mutable std::unordered_set<std::string> m_warned;  // what has been warned about
    std::unordered_map<std::string, Slot> m_slots;  // by "name@WxH"
    std::vector<Page> m_pages;
    std::uint64_t m_frame = 0;
};

}  // namespace htk::ui
