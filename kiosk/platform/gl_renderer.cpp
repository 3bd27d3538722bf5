// OpenGL3 rendering via imgui_impl_opengl3 (in Debian's libimgui.a); glyph pages through kiosk/text's
// GL texture backend. What is called here directly is GL 1.1, which libGL exports: no loader needed.
#include "platform/gl_renderer.h"

#include <GL/gl.h>
#include <SDL.h>
#include <backends/imgui_impl_opengl3.h>

#include <cstring>

#include "text/gl_texture.h"

namespace htk::platform {
namespace {

class GlRenderer final : public Renderer {
public:
    GlRenderer(SDL_Window* window, SDL_GLContext context) : m_window(window), m_context(context) {}

    ~GlRenderer() override {
        SDL_GL_MakeCurrent(m_window, m_context);
        ImGui_ImplOpenGL3_Shutdown();
        SDL_GL_DeleteContext(m_context);
    }

    RendererKind Kind() const override { return RendererKind::OpenGl; }

    std::string Describe() const override {
        const auto* version = reinterpret_cast<const char*>(glGetString(GL_VERSION));
        const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
        return std::string("OpenGL ") + (version ? version : "?") + " (" + (renderer ? renderer : "?") + ")";
    }

    text::GlyphTextureBackend& GlyphTextures() override { return m_textures; }

    ImVec2 FramebufferScale() const override {
        int w = 0, h = 0, dw = 0, dh = 0;
        SDL_GetWindowSize(m_window, &w, &h);
        SDL_GL_GetDrawableSize(m_window, &dw, &dh);
        if (w <= 0 || h <= 0) return {1, 1};
        return {static_cast<float>(dw) / static_cast<float>(w), static_cast<float>(dh) / static_cast<float>(h)};
    }

    void Render(ImDrawData* draw_data, ImU32 clear) override {
        ImGui_ImplOpenGL3_NewFrame();  // on the first frame: shaders, buffers and ImGui's atlas texture
        int dw = 0, dh = 0;
        SDL_GL_GetDrawableSize(m_window, &dw, &dh);
        m_width = dw;
        m_height = dh;
        glViewport(0, 0, dw, dh);
        const ImVec4 c = ImGui::ColorConvertU32ToFloat4(clear);
        glClearColor(c.x, c.y, c.z, c.w);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(draw_data);
    }

    Image ReadPixels() override {
        Image image{m_width, m_height, std::vector<unsigned char>(static_cast<std::size_t>(m_width) * m_height * 4)};
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glPixelStorei(GL_PACK_ROW_LENGTH, 0);
        glReadBuffer(GL_BACK);
        glReadPixels(0, 0, m_width, m_height, GL_RGBA, GL_UNSIGNED_BYTE, image.rgba.data());
        // GL's first row is the bottom one.
        const std::size_t row = static_cast<std::size_t>(m_width) * 4;
        std::vector<unsigned char> swap(row);
        for (int y = 0; y < m_height / 2; ++y) {
            unsigned char* a = &image.rgba[static_cast<std::size_t>(y) * row];
            unsigned char* b = &image.rgba[static_cast<std::size_t>(m_height - 1 - y) * row];
            std::memcpy(swap.data(), a, row);
            std::memcpy(a, b, row);
            std::memcpy(b, swap.data(), row);
        }
        for (std::size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 255;  // the window is opaque
        return image;
    }

    void Present() override { SDL_GL_SwapWindow(m_window); }

private:
    SDL_Window* m_window;
    SDL_GLContext m_context;
    text::GlTextureBackend m_textures;
    int m_width = 0;
    int m_height = 0;
};

}  // namespace

std::unique_ptr<Renderer> MakeGlRenderer(SDL_Window* window, std::string& why) {
    SDL_GLContext context = SDL_GL_CreateContext(window);
    if (!context) {
        why = SDL_GetError();
        return nullptr;
    }
    SDL_GL_MakeCurrent(window, context);
    // vsync where there is one; an idle kiosk draws nothing anyway
    SDL_GL_SetSwapInterval(1);
    if (!ImGui_ImplOpenGL3_Init("#version 130")) {
        why = "the OpenGL3 backend could not start (no GL 3.0 entry points)";
        SDL_GL_DeleteContext(context);
        return nullptr;
    }
    return std::make_unique<GlRenderer>(window, context);
}

}  // namespace htk::platform
