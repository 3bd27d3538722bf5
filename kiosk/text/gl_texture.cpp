// kiosk/text/gl_texture.cpp: GlTextureBackend. Uses OpenGL 1.1 entry points only (exported by libGL
// itself, so no loader), and restores the texture binding and unpack state it touches.
#include "text/gl_texture.h"

#include <cstdint>
#include <vector>

#include <GL/gl.h>

namespace htk::text {

namespace {

GLuint Name(ImTextureID texture) { return static_cast<GLuint>(reinterpret_cast<std::uintptr_t>(texture)); }

// Saves the state a texture upload touches and puts it back: ImGui's backend and the platform
// layer rely on their own bindings.
class UploadState {
public:
    UploadState() {
        glGetIntegerv(GL_TEXTURE_BINDING_2D, &m_binding);
        glGetIntegerv(GL_UNPACK_ALIGNMENT, &m_alignment);
        glGetIntegerv(GL_UNPACK_ROW_LENGTH, &m_row_length);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    }
    ~UploadState() {
        glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(m_binding));
        glPixelStorei(GL_UNPACK_ALIGNMENT, m_alignment);
        glPixelStorei(GL_UNPACK_ROW_LENGTH, m_row_length);
    }
    UploadState(const UploadState&) = delete;
    UploadState& operator=(const UploadState&) = delete;

private:
    GLint m_binding = 0, m_alignment = 4, m_row_length = 0;
};

}  // namespace

ImTextureID GlTextureBackend::Create(int width, int height) {
    if (width <= 0 || height <= 0) return nullptr;
    UploadState state;
    GLuint tex = 0;
    glGenTextures(1, &tex);
    if (tex == 0) return nullptr;
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    // A null pointer would leave the pixels undefined; glyph quads sample their padding.
    const std::vector<std::uint8_t> clear(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4u, 0);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, clear.data());
    if (glGetError() != GL_NO_ERROR) {
        glDeleteTextures(1, &tex);
        return nullptr;
    }
    return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(tex));
}

void GlTextureBackend::Update(ImTextureID texture, int x, int y, int width, int height, const std::uint8_t* rgba) {
    if (!texture || !rgba || width <= 0 || height <= 0) return;
    UploadState state;
    glBindTexture(GL_TEXTURE_2D, Name(texture));
    glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
}

void GlTextureBackend::Destroy(ImTextureID texture) {
    if (!texture) return;
    const GLuint tex = Name(texture);
    glDeleteTextures(1, &tex);
}

}  // namespace htk::text
