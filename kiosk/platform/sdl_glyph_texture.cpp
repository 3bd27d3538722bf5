// kiosk/platform/sdl_glyph_texture.cpp: SdlGlyphTextureBackend over SDL_CreateTexture / SDL_UpdateTexture.
#include "platform/sdl_glyph_texture.h"

#include <cstdlib>
#include <memory>

#include <SDL.h>

namespace htk::platform {

ImTextureID SdlGlyphTextureBackend::Create(int width, int height) {
    if (!m_renderer || width <= 0 || height <= 0) return nullptr;
    SDL_Texture* tex = SDL_CreateTexture(m_renderer, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, width, height);
    if (!tex) return nullptr;
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    // SDL leaves a new static texture's pixels undefined. calloc's large blocks are fresh zero pages
    // from the kernel, read without being written: a 4 MB page costs no memset and no page faults.
    const std::unique_ptr<void, decltype(&std::free)> clear(
        std::calloc(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), 4u), &std::free);
    if (!clear || SDL_UpdateTexture(tex, nullptr, clear.get(), width * 4) != 0) {
        SDL_DestroyTexture(tex);
        return nullptr;
    }
    return static_cast<ImTextureID>(tex);
}

void SdlGlyphTextureBackend::Update(ImTextureID texture, int x, int y, int width, int height, const std::uint8_t* rgba) {
    if (!texture || !rgba || width <= 0 || height <= 0) return;
    const SDL_Rect rect{x, y, width, height};
    SDL_UpdateTexture(static_cast<SDL_Texture*>(texture), &rect, rgba, width * 4);
}

void SdlGlyphTextureBackend::Destroy(ImTextureID texture) {
    if (texture) SDL_DestroyTexture(static_cast<SDL_Texture*>(texture));
}

}  // namespace htk::platform
