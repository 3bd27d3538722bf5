// kiosk/text/gl_texture.h: glyph pages as OpenGL textures, for ImGui's OpenGL3 backend (which binds
// an ImTextureID as a GLuint). Needs the renderer's GL context current; never creates a context.
#pragma once
#include "text/glyph_texture.h"

namespace htk::text {

class GlTextureBackend final : public GlyphTextureBackend {
public:
    ImTextureID Create(int width, int height) override;  // GL_RGBA8, linear filtering, clamped, cleared
    void Update(ImTextureID texture, int x, int y, int width, int height, const std::uint8_t* rgba) override;
    void Destroy(ImTextureID texture) override;
};

}  // namespace htk::text
