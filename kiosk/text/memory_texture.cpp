// kiosk/text/memory_texture.cpp: glyph pages kept in CPU memory (tests, headless, software rendering).
#include <algorithm>
#include <cstring>

#include "text/glyph_texture.h"

namespace htk::text {

ImTextureID MemoryTextureBackend::Create(int width, int height) {
    if (width <= 0 || height <= 0) return nullptr;
    auto t = std::make_unique<Texture>();
    t->width = width;
    t->height = height;
    t->rgba.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4u, 0);
    ImTextureID id = t.get();
    m_textures.push_back(std::move(t));
    return id;
}

void MemoryTextureBackend::Update(ImTextureID texture, int x, int y, int width, int height, const std::uint8_t* rgba) {
    auto it = std::find_if(m_textures.begin(), m_textures.end(), [&](const auto& t) { return t.get() == texture; });
    if (it == m_textures.end() || !rgba) return;
    Texture& t = **it;
    // Clip to the texture: a wrong rectangle from a caller is dropped, never written out of bounds.
    const int x0 = std::max(x, 0), y0 = std::max(y, 0);
    const int x1 = std::min(x + width, t.width), y1 = std::min(y + height, t.height);
    for (int row = y0; row < y1; ++row) {
        const std::uint8_t* src = rgba + (static_cast<std::size_t>(row - y) * static_cast<std::size_t>(width) +
                                          static_cast<std::size_t>(x0 - x)) * 4u;
        std::uint8_t* dst = t.rgba.data() + (static_cast<std::size_t>(row) * static_cast<std::size_t>(t.width) +
                                             static_cast<std::size_t>(x0)) * 4u;
        if (x1 > x0) std::memcpy(dst, src, static_cast<std::size_t>(x1 - x0) * 4u);
    }
    ++m_updates;
}

void MemoryTextureBackend::Destroy(ImTextureID texture) {
    std::erase_if(m_textures, [&](const auto& t) { return t.get() == texture; });
}

const MemoryTextureBackend::Texture* MemoryTextureBackend::Find(ImTextureID texture) const {
    for (const auto& t : m_textures)
        if (t.get() == texture) return t.get();
    return nullptr;
}

std::size_t MemoryTextureBackend::Bytes() const {
    std::size_t total = 0;
    for (const auto& t : m_textures) total += t->rgba.size();
    return total;
}

int MemoryTextureBackend::Count() const { return static_cast<int>(m_textures.size()); }

}  // namespace htk::text
