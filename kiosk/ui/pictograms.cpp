// kiosk/ui/pictograms.cpp: librsvg renders each pictogram onto a cairo image at the size drawn; its
// alpha becomes coverage in shared shelf-packed pages. Pages drawn from in this frame are never reused.
#include "ui/pictograms.h"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace htk::ui {
namespace {

constexpr int kPad = 1;              // clear texels around each pictogram, so filtering never bleeds
constexpr double kMaxAspect = 16.0;  // wider or taller than this is a broken file, not a pictogram

bool ValidName(std::string_view name) {
    // Names become file names: no separators, no dots, nothing a path could escape with.
    return !name.empty() && name.size() <= 64 &&
           std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

struct SurfaceCloser {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};

std::string Message(GError* error) {
    std::string text = error && error->message ? error->message : "unknown error";
    g_clear_error(&error);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();  // librsvg ends some with '\n'
    return text;
}

}  // namespace

struct Pictograms::Source {
    RsvgHandle* handle = nullptr;  // nullptr: missing or broken, warned once
    double aspect = 1.0;           // width / height
    Source() = default;
    Source(const Source&) = delete;
    Source& operator=(const Source&) = delete;
    ~Source() { Forget(); }
    void Forget() {
        if (handle) g_object_unref(handle);
        handle = nullptr;
    }
};

std::filesystem::path DefaultAssetsDir() {
    if (const char* env = std::getenv("HTK_ASSETS_DIR"); env && *env) return env;
    std::error_code ec;
    // Only a binary in the build tree reads the build tree: an installed one (even on the machine
    // that built it) reads what was installed with it.
    if (std::filesystem::read_symlink("/proc/self/exe", ec).string().starts_with(HTK_BUILD_TREE "/") &&
        std::filesystem::is_directory(HTK_BUILD_ASSETS_DIR, ec))
        return HTK_BUILD_ASSETS_DIR;
    return HTK_INSTALL_ASSETS_DIR;
}

Pictograms::Pictograms(text::GlyphTextureBackend& textures, std::filesystem::path dir, Warn warn)
    : m_textures(textures), m_dir(std::move(dir)), m_warn(std::move(warn)) {}

Pictograms::~Pictograms() {
    for (auto& page : m_pages) m_textures.Destroy(page.tex);
}

void Pictograms::WarnOnce(const std::string& key, const std::string& message) const {
    if (!m_warned.insert(key).second) return;
    if (m_warn) m_warn(message);
    else std::fprintf(stderr, "htk::ui: %s\n", message.c_str());
}

Pictograms::Source* Pictograms::Load(std::string_view name) const {
    const std::string key(name);
    auto it = m_sources.find(key);
    if (it != m_sources.end()) return it->second->handle ? it->second.get() : nullptr;

    auto source = std::make_unique<Source>();
    const std::string what = "pictogram \"" + key + "\": ";
    const auto file = m_dir / (key + ".svg");
    std::error_code ec;
    if (!ValidName(name)) {
        WarnOnce(key, what + "not a pictogram name (a-z, 0-9 and _ only)");
    } else if (!std::filesystem::is_regular_file(file, ec)) {
        WarnOnce(key, what + "no file " + file.string());
    } else {
        GError* error = nullptr;
        source->handle = rsvg_handle_new_from_file(file.c_str(), &error);
        if (!source->handle) {
            WarnOnce(key, what + "cannot read " + file.string() + ": " + Message(error));
        } else {
            double w = 0, h = 0;
            if (!rsvg_handle_get_intrinsic_size_in_pixels(source->handle, &w, &h) || w <= 0 || h <= 0) {
                gboolean has_w = false, has_h = false, has_box = false;
                RsvgLength lw{}, lh{};
                RsvgRectangle box{};
                rsvg_handle_get_intrinsic_dimensions(source->handle, &has_w, &lw, &has_h, &lh, &has_box, &box);
                w = has_box ? box.width : 1.0;
                h = has_box ? box.height : 1.0;
            }
            if (!(w > 0 && h > 0 && w / h <= kMaxAspect && h / w <= kMaxAspect)) {
                WarnOnce(key, what + file.string() + " has no usable size");
                source->Forget();
            } else {
                source->aspect = w / h;
            }
        }
    }
    it = m_sources.emplace(key, std::move(source)).first;
    return it->second->handle ? it->second.get() : nullptr;
}

bool Pictograms::Has(std::string_view name) const { return Load(name) != nullptr; }

std::size_t Pictograms::TextureBytes() const {
    return m_pages.size() * static_cast<std::size_t>(kPageSize) * static_cast<std::size_t>(kPageSize) * 4u;
}

bool Pictograms::Alloc(Page& page, int w, int h, int& x, int& y) const {
    Shelf* best = nullptr;
    for (auto& s : page.shelves)
        if (s.h >= h && s.h <= h + h / 4 + 8 && s.x + w <= kPageSize && (!best || s.h < best->h)) best = &s;
    if (best) {
        x = best->x;
        y = best->y;
        best->x += w;
        return true;
    }
    const int sh = (h + 7) & ~7;
    if (page.next_y + sh > kPageSize || w > kPageSize) return false;
    page.shelves.push_back(Shelf{page.next_y, sh, w});
    x = 0;
    y = page.next_y;
    page.next_y += sh;
    return true;
}

bool Pictograms::Place(int w, int h, int& page, int& x, int& y) {
    for (std::size_t i = 0; i < m_pages.size(); ++i)
        if (Alloc(m_pages[i], w, h, x, y)) {
            page = static_cast<int>(i);
            return true;
        }
    int target = -1;
    if (static_cast<int>(m_pages.size()) < kMaxPages) {
        ImTextureID tex = m_textures.Create(kPageSize, kPageSize);
        if (!tex) {
            WarnOnce("#create", "the texture backend could not create a pictogram page; pictograms will be missing");
            return false;
        }
        m_pages.push_back(Page{tex, m_frame, {}, 0, {}});
        target = static_cast<int>(m_pages.size()) - 1;
    } else {
        // Reuse the least recently drawn page, unless this frame has already queued quads from it.
        for (std::size_t i = 0; i < m_pages.size(); ++i)
            if (m_pages[i].last_used < m_frame &&
                (target < 0 || m_pages[i].last_used < m_pages[static_cast<std::size_t>(target)].last_used))
                target = static_cast<int>(i);
        if (target < 0) {
            WarnOnce("#full", "every pictogram page is in use this frame; some pictograms are not drawn");
            return false;
        }
        Page& p = m_pages[static_cast<std::size_t>(target)];
        for (const auto& key : p.keys) m_slots.erase(key);
        p.keys.clear();
        p.shelves.clear();
        p.next_y = 0;
    }
    if (!Alloc(m_pages[static_cast<std::size_t>(target)], w, h, x, y)) return false;
    page = target;
    return true;
}

Pictograms::Slot Pictograms::Rasterise(std::string_view name, Source& source, int w, int h) {
    Slot slot;
    std::unique_ptr<cairo_surface_t, SurfaceCloser> surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) return slot;
    cairo_t* cr = cairo_create(surface.get());
    const RsvgRectangle viewport{0, 0, static_cast<double>(w), static_cast<double>(h)};
    GError* error = nullptr;
    const bool ok = rsvg_handle_render_document(source.handle, cr, &viewport, &error);
    cairo_destroy(cr);
    if (!ok) {
        WarnOnce(std::string(name), "pictogram \"" + std::string(name) + "\": cannot draw: " + Message(error));
        source.Forget();  // broken at every size: never tried again
        return slot;
    }
    cairo_surface_flush(surface.get());

    const int pw = w + 2 * kPad, ph = h + 2 * kPad;
    int page = -1, x = 0, y = 0;
    if (!Place(pw, ph, page, x, y)) return slot;
    // White with coverage in alpha (non-premultiplied, like the glyph pages); the clear border is
    // white too, so bilinear filtering at the edges never darkens the tint.
    std::vector<std::uint8_t> rgba(static_cast<std::size_t>(pw) * static_cast<std::size_t>(ph) * 4u, 255);
    for (std::size_t i = 3; i < rgba.size(); i += 4) rgba[i] = 0;
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    for (int row = 0; row < h; ++row) {
        const unsigned char* src = data + static_cast<std::ptrdiff_t>(row) * stride;
        std::uint8_t* dst = rgba.data() + (static_cast<std::size_t>(row + kPad) * static_cast<std::size_t>(pw) + kPad) * 4u;
        for (int col = 0; col < w; ++col) {
            std::uint32_t px = 0;  // cairo's ARGB32 is a native-endian word, premultiplied: alpha is coverage
            std::memcpy(&px, src + col * 4, sizeof px);
            dst[col * 4 + 3] = static_cast<std::uint8_t>(px >> 24);
        }
    }
    Page& p = m_pages[static_cast<std::size_t>(page)];
    m_textures.Update(p.tex, x, y, pw, ph, rgba.data());
    slot = Slot{page, x + kPad, y + kPad, w, h};
    return slot;
}

void Pictograms::Draw(ImDrawList* draw, std::string_view name, const Rect& rect, ImU32 colour, bool mirror) {
    if (!draw || !(rect.Width() >= 1.0f && rect.Height() >= 1.0f)) return;
    Source* source = Load(name);
    if (!source) return;
    if (ImGui::GetCurrentContext()) m_frame = static_cast<std::uint64_t>(ImGui::GetFrameCount());

    // Fit, aspect kept.
    const float aspect = static_cast<float>(source->aspect);
    ImVec2 size{rect.Width(), rect.Width() / aspect};
    if (size.y > rect.Height()) size = {rect.Height() * aspect, rect.Height()};
    // Rasterise at the drawn size in whole pixels; one larger than a page is drawn scaled up.
    const float limit = static_cast<float>(kPageSize - 2 * kPad);
    const float shrink = std::min(1.0f, limit / std::max(size.x, size.y));
    const int w = std::max(1, static_cast<int>(std::lround(size.x * shrink)));
    const int h = std::max(1, static_cast<int>(std::lround(size.y * shrink)));
    if (shrink == 1.0f) size = {static_cast<float>(w), static_cast<float>(h)};

    const std::string key = std::string(name) + "@" + std::to_string(w) + "x" + std::to_string(h);
    auto it = m_slots.find(key);
    if (it == m_slots.end()) {
        const Slot slot = Rasterise(name, *source, w, h);
        if (slot.page < 0) return;
        m_pages[static_cast<std::size_t>(slot.page)].keys.push_back(key);
        it = m_slots.emplace(key, slot).first;
    }
    const Slot& slot = it->second;
    Page& page = m_pages[static_cast<std::size_t>(slot.page)];
    page.last_used = m_frame;

    const ImVec2 centre = rect.Centre();
    const ImVec2 p0{std::floor(centre.x - size.x * 0.5f + 0.5f), std::floor(centre.y - size.y * 0.5f + 0.5f)};
    const ImVec2 p1{p0.x + size.x, p0.y + size.y};
    const float texel = 1.0f / static_cast<float>(kPageSize);
    ImVec2 uv0{static_cast<float>(slot.x) * texel, static_cast<float>(slot.y) * texel};
    ImVec2 uv1{static_cast<float>(slot.x + slot.w) * texel, static_cast<float>(slot.y + slot.h) * texel};
    if (mirror) std::swap(uv0.x, uv1.x);
    draw->AddImage(page.tex, p0, p1, uv0, uv1, colour);
}

}  // namespace htk::ui
