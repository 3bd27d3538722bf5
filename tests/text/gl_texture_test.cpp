// tests/text/gl_texture_test.cpp: GlTextureBackend on a real OpenGL context (run under xvfb-run with
// Mesa): pages start cleared, Update writes the rectangle, the caller's texture binding survives.
#include <doctest/doctest.h>

#include <SDL.h>
#include <GL/gl.h>

#include <cstdint>
#include <vector>

#include "text/gl_texture.h"

TEST_CASE("OpenGL backend: create, update a rectangle, read it back, destroy") {
    REQUIRE_MESSAGE(SDL_Init(SDL_INIT_VIDEO) == 0, "no display: this test runs under xvfb-run: " << SDL_GetError());
    SDL_Window* window = SDL_CreateWindow("htk gl test", 0, 0, 64, 64, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
    REQUIRE(window);
    SDL_GLContext gl = SDL_GL_CreateContext(window);
    REQUIRE(gl);
    GLuint theirs = 0;
    glGenTextures(1, &theirs);
    glBindTexture(GL_TEXTURE_2D, theirs);

    htk::text::GlTextureBackend backend;
    ImTextureID tex = backend.Create(16, 8);
    REQUIRE(tex);
    std::vector<std::uint8_t> block(3 * 2 * 4);
    for (std::size_t i = 0; i < block.size(); i += 4) {
        block[i] = block[i + 1] = block[i + 2] = 255;
        block[i + 3] = 200;
    }
    backend.Update(tex, 5, 4, 3, 2, block.data());
    GLint bound = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
    CHECK(static_cast<GLuint>(bound) == theirs);

    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<std::uintptr_t>(tex)));
    std::vector<std::uint8_t> back(16 * 8 * 4, 7);
    glPixelStorei(GL_PACK_ALIGNMENT, 4);
    glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_UNSIGNED_BYTE, back.data());
    auto alpha = [&](int x, int y) { return back[(static_cast<std::size_t>(y) * 16u + static_cast<std::size_t>(x)) * 4u + 3u]; };
    CHECK(alpha(5, 4) == 200);
    CHECK(alpha(7, 5) == 200);
    CHECK(alpha(4, 4) == 0);
    CHECK(alpha(0, 0) == 0);
    CHECK(alpha(15, 7) == 0);
    CHECK(glGetError() == GL_NO_ERROR);

    backend.Destroy(tex);
    CHECK(glIsTexture(static_cast<GLuint>(reinterpret_cast<std::uintptr_t>(tex))) == GL_FALSE);
    glDeleteTextures(1, &theirs);
    SDL_GL_DeleteContext(gl);
    SDL_DestroyWindow(window);
    SDL_Quit();
}
