// A read-back frame (RGBA8, top row first) and writing it as PNG, for --screenshot.
#pragma once
#include <filesystem>
#include <vector>

#include "core/result.h"

namespace htk::platform {

struct Image {
    int width = 0;
    int height = 0;
    std::vector<unsigned char> rgba;  // width * height * 4 bytes, top row first
};

// Writes through a temporary file and a rename, so a failed write leaves no half-written PNG.
core::Result<void> WritePng(const Image& image, const std::filesystem::path& file);

}  // namespace htk::platform
