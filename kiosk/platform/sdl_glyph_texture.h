// kiosk/platform/sdl_glyph_texture.h: the text engine's glyph pages as SDL_Renderer textures (ImTextureID
// is an SDL_Texture*), for the software renderer. Borrows the renderer; never creates or destroys it.
#pragma once
#include "text/glyph_texture.h"

struct SDL_Renderer;

namespace htk::platform {

class SdlGlyphTextureBackend final : public text::GlyphTextureBackend {
public:
    explicit SdlGlyphTextureBackend(SDL_Renderer* renderer) : m_renderer(renderer) {}
    ImTextureID Create(int width, int height) override;  // SDL_PIXELFORMAT_RGBA32, alpha blended, cleared
    void Update(ImTextureID texture, int x, int y, int width, int height, const std::uint8_t* rgba) override;
    void Destroy(ImTextureID texture) override;

private:
    SDL_Renderer* m_renderer;
};

}  // namespace htk::platform
