// tests/text/soft_raster.cpp: fixed-point triangle rasteriser with the top-left fill rule, so the two
// triangles of a quad never blend their shared diagonal twice. Test code only.
#include "soft_raster.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <stb_image.h>
#include <stb_image_write.h>

namespace htk::test {

namespace {

constexpr int kSub = 256;  // sub-pixel steps per pixel

struct V {
    std::int64_t x, y;  // fixed point
    float u, v;
    float c[4];
};

V Convert(const ImDrawVert& d, ImVec2 offset) {
    V v;
    v.x = std::llround((d.pos.x - offset.x) * kSub);
    v.y = std::llround((d.pos.y - offset.y) * kSub);
    v.u = d.uv.x;
    v.v = d.uv.y;
    for (int i = 0; i < 4; ++i) v.c[i] = static_cast<float>((d.col >> (8 * i)) & 0xFF) / 255.0f;
    return v;
}

std::int64_t Edge(const V& a, const V& b, std::int64_t px, std::int64_t py) {
    return (b.x - a.x) * (py - a.y) - (b.y - a.y) * (px - a.x);
}

// Triangles are made to have positive Edge(v0, v1, v2); then in y-down coordinates a top edge runs
// in +x with no y change and a left edge runs upwards. Pixels exactly on those edges belong to us.
bool TopLeft(const V& a, const V& b) { return (b.y == a.y && b.x > a.x) || b.y < a.y; }

void Triangle(V v0, V v1, V v2, const TextureView& tex, int cx0, int cy0, int cx1, int cy1, Image& img) {
    std::int64_t area = Edge(v0, v1, v2.x, v2.y);
    if (area == 0) return;
    if (area < 0) {
        std::swap(v1, v2);
        area = -area;
    }
    const std::int64_t minx = std::min({v0.x, v1.x, v2.x}), maxx = std::max({v0.x, v1.x, v2.x});
    const std::int64_t miny = std::min({v0.y, v1.y, v2.y}), maxy = std::max({v0.y, v1.y, v2.y});
    const int x0 = std::max<int>(cx0, static_cast<int>(minx / kSub) - 1);
    const int x1 = std::min<int>(cx1, static_cast<int>(maxx / kSub) + 1);
    const int y0 = std::max<int>(cy0, static_cast<int>(miny / kSub) - 1);
    const int y1 = std::min<int>(cy1, static_cast<int>(maxy / kSub) + 1);
    const bool tl0 = TopLeft(v1, v2), tl1 = TopLeft(v2, v0), tl2 = TopLeft(v0, v1);
    const double inv = 1.0 / static_cast<double>(area);
    for (int y = y0; y < y1; ++y) {
        const std::int64_t py = std::int64_t{y} * kSub + kSub / 2;
        for (int x = x0; x < x1; ++x) {
            const std::int64_t px = std::int64_t{x} * kSub + kSub / 2;
            const std::int64_t w0 = Edge(v1, v2, px, py), w1 = Edge(v2, v0, px, py), w2 = Edge(v0, v1, px, py);
            if (w0 < 0 || w1 < 0 || w2 < 0) continue;
            if ((w0 == 0 && !tl0) || (w1 == 0 && !tl1) || (w2 == 0 && !tl2)) continue;
            const double b0 = static_cast<double>(w0) * inv, b1 = static_cast<double>(w1) * inv,
                         b2 = static_cast<double>(w2) * inv;
            float c[4];
            for (int i = 0; i < 4; ++i)
                c[i] = static_cast<float>(b0 * v0.c[i] + b1 * v1.c[i] + b2 * v2.c[i]);
            if (tex.rgba) {
                const double u = b0 * v0.u + b1 * v1.u + b2 * v2.u;
                const double v = b0 * v0.v + b1 * v1.v + b2 * v2.v;
                const int tx = std::clamp(static_cast<int>(std::floor(u * tex.width)), 0, tex.width - 1);
                const int ty = std::clamp(static_cast<int>(std::floor(v * tex.height)), 0, tex.height - 1);
                const std::uint8_t* t = tex.rgba + (static_cast<std::size_t>(ty) * static_cast<std::size_t>(tex.width) +
                                                    static_cast<std::size_t>(tx)) * 4u;
                for (int i = 0; i < 4; ++i) c[i] *= static_cast<float>(t[i]) / 255.0f;
            }
            std::uint8_t* d = img.rgba.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(img.width) +
                                                 static_cast<std::size_t>(x)) * 4u;
            const float a = c[3];
            for (int i = 0; i < 3; ++i) {
                const float out = c[i] * 255.0f * a + static_cast<float>(d[i]) * (1.0f - a);
                d[i] = static_cast<std::uint8_t>(std::clamp(std::lround(out), 0L, 255L));
            }
            const float out_a = a * 255.0f + static_cast<float>(d[3]) * (1.0f - a);
            d[3] = static_cast<std::uint8_t>(std::clamp(std::lround(out_a), 0L, 255L));
        }
    }
}

}  // namespace

Image MakeImage(int width, int height, ImU32 clear) {
    Image img;
    img.width = width;
    img.height = height;
    img.rgba.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4u);
    for (std::size_t i = 0; i < img.rgba.size(); i += 4)
        for (int c = 0; c < 4; ++c) img.rgba[i + static_cast<std::size_t>(c)] = static_cast<std::uint8_t>((clear >> (8 * c)) & 0xFF);
    return img;
}

void Rasterise(const ImDrawData& data, const TextureLookup& lookup, Image& target) {
    const ImVec2 off = data.DisplayPos;
    for (int l = 0; l < data.CmdListsCount; ++l) {
        const ImDrawList* list = data.CmdLists[l];
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback) continue;
            const int cx0 = std::max(0, static_cast<int>(std::floor(cmd.ClipRect.x - off.x)));
            const int cy0 = std::max(0, static_cast<int>(std::floor(cmd.ClipRect.y - off.y)));
            const int cx1 = std::min(target.width, static_cast<int>(std::ceil(cmd.ClipRect.z - off.x)));
            const int cy1 = std::min(target.height, static_cast<int>(std::ceil(cmd.ClipRect.w - off.y)));
            if (cx1 <= cx0 || cy1 <= cy0) continue;
            const TextureView tex = lookup(cmd.GetTexID());
            for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
                const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset + i;
                const ImDrawVert* vtx = list->VtxBuffer.Data + cmd.VtxOffset;
                Triangle(Convert(vtx[idx[0]], off), Convert(vtx[idx[1]], off), Convert(vtx[idx[2]], off), tex, cx0,
                         cy0, cx1, cy1, target);
            }
        }
    }
}

bool WritePng(const Image& image, const std::string& path) {
    return stbi_write_png(path.c_str(), image.width, image.height, 4, image.rgba.data(), image.width * 4) != 0;
}

std::optional<Image> ReadPng(const std::string& path) {
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(path.c_str(), &w, &h, &n, 4);
    if (!px) return std::nullopt;
    Image img;
    img.width = w;
    img.height = h;
    img.rgba.assign(px, px + static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4u);
    stbi_image_free(px);
    return img;
}

ImageDiff Compare(const Image& a, const Image& b, int threshold, Image* diff_out) {
    ImageDiff d;
    d.same_size = a.width == b.width && a.height == b.height;
    if (!d.same_size) return d;
    if (diff_out) *diff_out = MakeImage(a.width, a.height, IM_COL32(255, 255, 255, 255));
    std::uint64_t total = 0;
    for (std::size_t p = 0; p < a.rgba.size(); p += 4) {
        int worst = 0;
        for (std::size_t c = 0; c < 4; ++c) {
            const int diff = std::abs(static_cast<int>(a.rgba[p + c]) - static_cast<int>(b.rgba[p + c]));
            total += static_cast<std::uint64_t>(diff);
            worst = std::max(worst, diff);
        }
        if (worst > threshold) {
            ++d.differing;
            if (diff_out) {
                diff_out->rgba[p + 0] = 255;
                diff_out->rgba[p + 1] = 0;
                diff_out->rgba[p + 2] = 0;
            }
        }
    }
    d.mean_abs = a.rgba.empty() ? 0.0 : static_cast<double>(total) / static_cast<double>(a.rgba.size());
    return d;
}

}  // namespace htk::test
