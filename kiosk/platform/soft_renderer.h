// SDL_Renderer drawing ImDrawData with SDL_RenderGeometryRaw (Debian's libimgui.a has no
// imgui_impl_sdlrenderer); glyph pages as SDL textures. Two drivers: the software fallback, and
// opengles2 for Wayland compositors that render in software (desktop GL drew black under cage's pixman).
#pragma once
#include <memory>
#include <string>

#include "platform/renderer.h"

struct SDL_Window;

namespace htk::platform {

// nullptr (and `why`) when SDL cannot make a software renderer for `window`.
std::unique_ptr<Renderer> MakeSoftwareRenderer(SDL_Window* window, std::string& why);
// nullptr (and `why`) when SDL's opengles2 driver cannot start on `window` (made with SDL_WINDOW_OPENGL
// after an ES 2.0 profile was asked for).
std::unique_ptr<Renderer> MakeGlesRenderer(SDL_Window* window, std::string& why);

}  // namespace htk::platform
