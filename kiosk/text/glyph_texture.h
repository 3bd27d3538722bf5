// kiosk/text/glyph_texture.h: the one door through which glyph pages reach the GPU (or memory).
// The text engine writes pixels through this interface only; it never calls OpenGL or SDL itself.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <imgui.h>

namespace htk::text {

// Textures are RGBA8, non-premultiplied, rows tightly packed (width * 4 bytes). The engine writes
// white pixels with the glyph coverage in alpha, so ImGui's vertex colour tints them.
class GlyphTextureBackend {
public:
    virtual ~GlyphTextureBackend() = default;
    virtual ImTextureID Create(int width, int height) = 0;  // a new texture, every pixel transparent; nullptr on failure
    virtual void Update(ImTextureID texture, int x, int y, int width, int height,
                        const std::uint8_t* rgba) = 0;      // replace one rectangle of pixels
    virtual void Destroy(ImTextureID texture) = 0;          // the texture is never used again
};

// Keeps every texture in CPU memory: for tests, headless runs and software rasterisers.
class MemoryTextureBackend final : public GlyphTextureBackend {
public:
    struct Texture {
        int width = 0, height = 0;
        std::vector<std::uint8_t> rgba;  // width * height * 4 bytes
    };

    ImTextureID Create(int width, int height) override;
    void Update(ImTextureID texture, int x, int y, int width, int height, const std::uint8_t* rgba) override;
    void Destroy(ImTextureID texture) override;

    const Texture* Find(ImTextureID texture) const;  // nullptr if not one of ours (or destroyed)
    std::size_t Bytes() const;                        // pixel bytes of every live texture
    int Count() const;                                // live textures
    int UpdateCount() const { return m_updates; }     // Update calls so far

private:
    std::vector<std::unique_ptr<Texture>> m_textures;
    int m_updates = 0;
};

}  // namespace htk::text
