// The Dear ImGui context the kiosk runs in: no .ini or log files, touch-friendly style.
// One per process (or per headless test kiosk); create it before the window and the text engine.
#pragma once

struct ImGuiContext;

namespace htk::ui {

class GuiContext {
public:
    GuiContext();
    ~GuiContext();
    GuiContext(const GuiContext&) = delete;
    GuiContext& operator=(const GuiContext&) = delete;

    void MakeCurrent() const;  // when several coexist (headless tests)

private:
    ImGuiContext* m_context;
};

}  // namespace htk::ui
