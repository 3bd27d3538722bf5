// The OpenGL 3 renderer: Dear ImGui's OpenGL3 backend on an SDL GL context (GLSL 130), with glyph
// pages as GL textures (text::GlTextureBackend).
#pragma once
#include <memory>
#include <string>

#include "platform/renderer.h"

struct SDL_Window;

namespace htk::platform {

// nullptr (and `why`) when no GL 3.0 context can be made on `window`.
std::unique_ptr<Renderer> MakeGlRenderer(SDL_Window* window, std::string& why);

}  // namespace htk::platform
