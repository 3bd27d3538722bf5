// tests/text/sdl_glyph_texture_test.cpp: kiosk/platform's SDL glyph pages on SDL's software renderer (no
// display needed): pages start transparent, Update writes the given rectangle, blending tints white glyphs.
// Kept beside the OpenGL backend's test: both hold a text::GlyphTextureBackend to its contract.
#include <doctest/doctest.h>

#include <SDL.h>

#include <vector>

#include "platform/sdl_glyph_texture.h"

TEST_CASE("SDL_Renderer backend: create, update a rectangle, draw it blended, destroy") {
    SDL_Surface* target = SDL_CreateRGBSurfaceWithFormat(0, 32, 32, 32, SDL_PIXELFORMAT_RGBA32);
    REQUIRE(target);
    SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(target);
    REQUIRE(renderer);
    htk::platform::SdlGlyphTextureBackend backend(renderer);
    ImTextureID tex = backend.Create(16, 16);
    REQUIRE(tex);
    // An opaque white 4x2 block at (2,3), as the glyph cache writes glyph coverage.
    const std::vector<std::uint8_t> block(4 * 2 * 4, 255);
    backend.Update(tex, 2, 3, 4, 2, block.data());

    SDL_SetRenderDrawColor(renderer, 0, 0, 255, 255);
    SDL_RenderClear(renderer);
    SDL_SetTextureColorMod(static_cast<SDL_Texture*>(tex), 255, 0, 0);  // like an ImGui vertex colour
    const SDL_Rect dst{0, 0, 16, 16};
    REQUIRE(SDL_RenderCopy(renderer, static_cast<SDL_Texture*>(tex), nullptr, &dst) == 0);
    SDL_RenderPresent(renderer);
    auto pixel = [&](int x, int y) {
        const auto* p = static_cast<const std::uint8_t*>(target->pixels) + y * target->pitch + x * 4;
        return std::vector<int>{p[0], p[1], p[2]};
    };
    CHECK(pixel(3, 4) == std::vector<int>{255, 0, 0});   // inside the block: red
    CHECK(pixel(0, 0) == std::vector<int>{0, 0, 255});   // elsewhere transparent: the blue clear shows
    CHECK(pixel(10, 10) == std::vector<int>{0, 0, 255});
    backend.Destroy(tex);
    CHECK(backend.Create(0, 16) == nullptr);
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(target);
}
