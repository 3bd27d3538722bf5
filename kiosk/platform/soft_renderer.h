// The fallback renderer: SDL_Renderer's software backend drawing ImDrawData with
// SDL_RenderGeometryRaw (Debian's libimgui.a has no imgui_impl_sdlrenderer); glyph pages as SDL textures.
#pragma once
#include <memory>
#include <string>

#include "platform/renderer.h"

struct SDL_Window;

namespace htk::platform {

// nullptr (and `why`) when SDL cannot make a software renderer for `window`.
std::unique_ptr<Renderer> MakeSoftwareRenderer(SDL_Window* window, std::string& why);

}  // namespace htk::platform
