// tests/text/test_util.h: small helpers for the text engine suites: an ImGui context with a draw
// list to draw into, warning capture, and the ink rectangle of what a draw emitted. Test code only.
#pragma once
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "text/engine.h"
#include "text/glyph_texture.h"

namespace htk::test {

// An ImGui context and a fresh draw list, the way a widget sees one inside a frame.
class DrawScope {
public:
    DrawScope() : m_ctx(ImGui::CreateContext()) {
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(4000, 4000);
        unsigned char* px = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
        ImGui::NewFrame();
        m_list = std::make_unique<ImDrawList>(ImGui::GetDrawListSharedData());
        Reset();
    }
    ~DrawScope() {
        m_list.reset();
        ImGui::EndFrame();
        ImGui::DestroyContext(m_ctx);
    }
    DrawScope(const DrawScope&) = delete;
    DrawScope& operator=(const DrawScope&) = delete;

    ImDrawList* List() { return m_list.get(); }
    void Reset() {
        m_list->_ResetForNewFrame();
        m_list->PushClipRectFullScreen();
    }

private:
    ImGuiContext* m_ctx;
    std::unique_ptr<ImDrawList> m_list;
};

struct Ink {
    float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
    int vertices = 0;
    float Width() const { return x1 - x0; }
    float CentreX() const { return (x0 + x1) * 0.5f; }
};

// Bounding box of the vertices emitted after `from` (glyph quads are tight around the ink).
inline Ink InkOf(const ImDrawList* list, int from = 0) {
    Ink ink;
    for (int i = from; i < list->VtxBuffer.Size; ++i) {
        const ImVec2 p = list->VtxBuffer[i].pos;
        ink.x0 = std::min(ink.x0, p.x);
        ink.y0 = std::min(ink.y0, p.y);
        ink.x1 = std::max(ink.x1, p.x);
        ink.y1 = std::max(ink.y1, p.y);
        ++ink.vertices;
    }
    return ink;
}

// Engine options that collect warnings instead of printing them.
struct Warnings {
    std::vector<std::string> lines;
    text::EngineOptions Options() {
        text::EngineOptions o;
        o.warn = [this](std::string_view m) { lines.emplace_back(m); };
        return o;
    }
    int Count(const std::string& needle) const {
        return static_cast<int>(std::count_if(lines.begin(), lines.end(),
                                              [&](const std::string& l) { return l.find(needle) != std::string::npos; }));
    }
};

// An engine on in-memory glyph pages, collecting its warnings: what most suites start from.
struct EngineFixture {
    text::MemoryTextureBackend textures;
    Warnings warnings;
    text::Engine engine{textures, warnings.Options()};
};

inline text::Style StyleOf(text::FontSetId set, float size = 32.0f) {
    return text::Style{.font_set = set, .size = size, .colour = IM_COL32(0, 0, 0, 255)};
}

}  // namespace htk::test
