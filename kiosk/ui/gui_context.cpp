// Creates and configures the ImGui context: nothing written to disk, no cursor changes, no blinking.
#include "ui/gui_context.h"

#include <imgui.h>

namespace htk::ui {

GuiContext::GuiContext() {
    IMGUI_CHECKVERSION();
    m_context = ImGui::CreateContext();
    ImGui::SetCurrentContext(m_context);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a kiosk keeps no window layout: every start is the same
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
    io.ConfigInputTextCursorBlink = false;  // a blinking caret would wake an idle kiosk
    io.ConfigWindowsMoveFromTitleBarOnly = true;
    io.MouseDragThreshold = 12.0f;  // a finger wobbles more than a mouse
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowPadding = {0, 0};
    style.WindowBorderSize = 0;
    style.WindowRounding = 0;
    style.ItemSpacing = {0, 0};
    style.Colors[ImGuiCol_WindowBg] = {0, 0, 0, 0};
    // Text is kiosk/text's; ImGui's atlas is only the white pixel its shapes sample, so its tiny
    // built-in font will do.
    io.Fonts->AddFontDefault();
    io.Fonts->Build();
}

GuiContext::~GuiContext() { ImGui::DestroyContext(m_context); }  // leaves no context current if it was

void GuiContext::MakeCurrent() const { ImGui::SetCurrentContext(m_context); }

}  // namespace htk::ui
