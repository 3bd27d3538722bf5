// ImDrawData on an SDL_Renderer (software or opengles2). ImDrawVert's position, uv and packed RGBA colour are
// handed to SDL_RenderGeometryRaw as strided arrays, one call per draw command.
#include "platform/soft_renderer.h"

#include <SDL.h>

#include <cstddef>
#include <cstdio>
#include <cstring>

#include "platform/sdl_glyph_texture.h"

namespace htk::platform {
namespace {

SDL_Texture* AsTexture(ImTextureID id) { return static_cast<SDL_Texture*>(id); }

class SdlRenderer final : public Renderer {
public:
    SdlRenderer(SDL_Window* window, SDL_Renderer* renderer, SDL_Texture* atlas, RendererKind kind)
        : m_window(window), m_renderer(renderer), m_atlas(atlas), m_textures(renderer), m_kind(kind) {}

    ~SdlRenderer() override {
        ImGui::GetIO().Fonts->SetTexID(nullptr);
        SDL_DestroyTexture(m_atlas);
        SDL_DestroyRenderer(m_renderer);
    }

    RendererKind Kind() const override { return m_kind; }
    std::string Describe() const override {
        if (m_kind == RendererKind::Software) return "SDL software renderer";
        SDL_RendererInfo info;
        const char* name = SDL_GetRendererInfo(m_renderer, &info) == 0 ? info.name : "?";
        return std::string("SDL ") + name + " renderer";
    }
    text::GlyphTextureBackend& GlyphTextures() override { return m_textures; }

    ImVec2 FramebufferScale() const override {
        int w = 0, h = 0, ow = 0, oh = 0;
        SDL_GetWindowSize(m_window, &w, &h);
        SDL_GetRendererOutputSize(m_renderer, &ow, &oh);
        if (w <= 0 || h <= 0) return {1, 1};
        return {static_cast<float>(ow) / static_cast<float>(w), static_cast<float>(oh) / static_cast<float>(h)};
    }

    void Render(ImDrawData* dd, ImU32 clear) override {
        SDL_RenderSetViewport(m_renderer, nullptr);
        SDL_RenderSetClipRect(m_renderer, nullptr);
        const ImVec4 c = ImGui::ColorConvertU32ToFloat4(clear);
        SDL_SetRenderDrawColor(m_renderer, static_cast<Uint8>(c.x * 255.0f), static_cast<Uint8>(c.y * 255.0f),
                               static_cast<Uint8>(c.z * 255.0f), 255);
        SDL_RenderClear(m_renderer);
        const ImVec2 scale = dd->FramebufferScale;
        SDL_RenderSetScale(m_renderer, scale.x, scale.y);
        for (int n = 0; n < dd->CmdListsCount; ++n) {
            const ImDrawList* list = dd->CmdLists[n];
            const ImDrawVert* vtx = list->VtxBuffer.Data;
            const ImDrawIdx* idx = list->IdxBuffer.Data;
            for (const ImDrawCmd& cmd : list->CmdBuffer) {
                if (cmd.UserCallback) {
                    // ImDrawCallback_ResetRenderState is the only callback ImGui itself emits;
                    // nothing here keeps state between commands.
                    if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
                    continue;
                }
                const ImVec2 off = dd->DisplayPos;
                const SDL_Rect clip{static_cast<int>(cmd.ClipRect.x - off.x), static_cast<int>(cmd.ClipRect.y - off.y),
                                    static_cast<int>(cmd.ClipRect.z - cmd.ClipRect.x),
                                    static_cast<int>(cmd.ClipRect.w - cmd.ClipRect.y)};
                if (clip.w <= 0 || clip.h <= 0) continue;
                SDL_RenderSetClipRect(m_renderer, &clip);
                const ImDrawVert* first = vtx + cmd.VtxOffset;
                const auto stride = static_cast<int>(sizeof(ImDrawVert));
                SDL_RenderGeometryRaw(
                    m_renderer, AsTexture(cmd.GetTexID()),
                    reinterpret_cast<const float*>(reinterpret_cast<const char*>(first) + offsetof(ImDrawVert, pos)), stride,
                    reinterpret_cast<const SDL_Color*>(reinterpret_cast<const char*>(first) + offsetof(ImDrawVert, col)),
                    stride,
                    reinterpret_cast<const float*>(reinterpret_cast<const char*>(first) + offsetof(ImDrawVert, uv)), stride,
                    list->VtxBuffer.Size - static_cast<int>(cmd.VtxOffset), idx + cmd.IdxOffset,
                    static_cast<int>(cmd.ElemCount), static_cast<int>(sizeof(ImDrawIdx)));
            }
        }
        SDL_RenderSetClipRect(m_renderer, nullptr);
    }

    Image ReadPixels() override {
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(m_renderer, &w, &h);
        Image image{w, h, std::vector<unsigned char>(static_cast<std::size_t>(w) * h * 4)};
        if (SDL_RenderReadPixels(m_renderer, nullptr, SDL_PIXELFORMAT_RGBA32, image.rgba.data(), w * 4) != 0)
            std::fprintf(stderr, "platform: reading the frame back failed: %s\n", SDL_GetError());
        for (std::size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 255;
        return image;
    }

    void Present() override { SDL_RenderPresent(m_renderer); }

private:
    SDL_Window* m_window;
    SDL_Renderer* m_renderer;
    SDL_Texture* m_atlas;  // ImGui's own atlas: the white pixel its shapes sample
    SdlGlyphTextureBackend m_textures;
    RendererKind m_kind;
};

int DriverIndex(const char* name) {
    for (int i = 0; i < SDL_GetNumRenderDrivers(); ++i) {
        SDL_RendererInfo info;
        if (SDL_GetRenderDriverInfo(i, &info) == 0 && std::strcmp(info.name, name) == 0) return i;
    }
    return -1;
}

std::unique_ptr<Renderer> Make(SDL_Window* window, SDL_Renderer* renderer, RendererKind kind, std::string& why) {
    ImGuiIO& io = ImGui::GetIO();
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    // RGBA32 is the byte order R, G, B, A on every endianness, like ImGui's atlas.
    SDL_Texture* atlas = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, width, height);
    if (!atlas || SDL_UpdateTexture(atlas, nullptr, pixels, width * 4) != 0) {
        why = std::string("cannot upload ImGui's atlas: ") + SDL_GetError();
        if (atlas) SDL_DestroyTexture(atlas);
        SDL_DestroyRenderer(renderer);
        return nullptr;
    }
    SDL_SetTextureBlendMode(atlas, SDL_BLENDMODE_BLEND);
    io.Fonts->SetTexID(atlas);
    io.BackendRendererName = kind == RendererKind::Software ? "htk_sdl_software" : "htk_sdl_opengles2";
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // we pass VtxOffset to SDL ourselves
    return std::make_unique<SdlRenderer>(window, renderer, atlas, kind);
}

}  // namespace

std::unique_ptr<Renderer> MakeSoftwareRenderer(SDL_Window* window, std::string& why) {
    SDL_Renderer* renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    if (!renderer) {
        why = SDL_GetError();
        return nullptr;
    }
    return Make(window, renderer, RendererKind::Software, why);
}

std::unique_ptr<Renderer> MakeGlesRenderer(SDL_Window* window, std::string& why) {
    const int index = DriverIndex("opengles2");
    if (index < 0) {
        why = "this SDL has no opengles2 render driver";
        return nullptr;
    }
    // No vsync: an idle kiosk draws nothing, and a swap must not wait on a compositor that is not
    // showing us (a headless cage, an output switched off).
    SDL_Renderer* renderer = SDL_CreateRenderer(window, index, SDL_RENDERER_ACCELERATED);
    if (!renderer) {
        why = SDL_GetError();
        return nullptr;
    }
    return Make(window, renderer, RendererKind::Gles, why);
}

}  // namespace htk::platform
