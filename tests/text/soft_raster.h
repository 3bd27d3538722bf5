// tests/text/soft_raster.h: a CPU rasteriser for ImDrawData (textured, coloured triangles with scissor
// rectangles) into an RGBA8 image, plus PNG read/write, for golden screenshots. Test code only.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

namespace htk::test {

struct Image {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;  // width * height * 4, non-premultiplied
};

struct TextureView {
    int width = 0, height = 0;
    const std::uint8_t* rgba = nullptr;  // nullptr: sample as opaque white
};

using TextureLookup = std::function<TextureView(ImTextureID)>;

Image MakeImage(int width, int height, ImU32 clear);

// Draws every command list like ImGui's OpenGL3 backend does: alpha blending, scissor from
// ClipRect, nearest texel sampling (quads are pixel-aligned, so this equals linear filtering).
void Rasterise(const ImDrawData& data, const TextureLookup& lookup, Image& target);

bool WritePng(const Image& image, const std::string& path);
std::optional<Image> ReadPng(const std::string& path);

struct ImageDiff {
    std::size_t differing = 0;   // pixels where some channel differs by more than the threshold
    double mean_abs = 0;         // mean absolute channel difference over the whole image
    bool same_size = false;
};
ImageDiff Compare(const Image& a, const Image& b, int threshold, Image* diff_out = nullptr);

}  // namespace htk::test
