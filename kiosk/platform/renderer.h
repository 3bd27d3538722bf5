// Inside kiosk/platform: what the window needs from a renderer (OpenGL3 or SDL's software one).
#pragma once
#include <imgui.h>

#include <string>

#include "platform/image.h"
#include "platform/window.h"
#include "text/glyph_texture.h"

namespace htk::platform {

class Renderer {
public:
    virtual ~Renderer() = default;
    virtual RendererKind Kind() const = 0;
    virtual std::string Describe() const = 0;  // for the start-up log line
    virtual text::GlyphTextureBackend& GlyphTextures() = 0;
    virtual ImVec2 FramebufferScale() const = 0;
    // Clears to `clear` and draws; the frame is shown by Present().
    virtual void Render(ImDrawData* draw_data, ImU32 clear) = 0;
    virtual Image ReadPixels() = 0;  // the frame just rendered, before Present()
    virtual void Present() = 0;
};

}  // namespace htk::platform
