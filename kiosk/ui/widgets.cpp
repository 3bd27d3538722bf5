// Touch widgets drawn with ImGui's public API only; text goes through ui::DrawText.
#include "ui/widgets.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace htk::ui {
namespace {

// Places an invisible ImGui button over `rect` with ID "###key" and records the rect.
// Returns {pressed, held}: held while the finger is down inside it.
std::pair<bool, bool> Target(const Ctx& ctx, std::string_view key, const Rect& rect) {
    assert(rect.Width() >= theme::kMinTouchTarget && rect.Height() >= theme::kMinTouchTarget &&
           "touch targets are at least kMinTouchTarget on each side");
    const std::string id = "###" + std::string(key);
    ImGui::SetCursorScreenPos(rect.min);
    const bool pressed = ImGui::InvisibleButton(id.c_str(), rect.Size());
    const bool held = ImGui::IsItemActive() && ImGui::IsItemHovered();
    ctx.rects.Record(key, rect);
    return {pressed, held};
}

void PopLastCodePoint(std::string& text) {
    while (!text.empty()) {
        const auto c = static_cast<unsigned char>(text.back());
        text.pop_back();
        if ((c & 0xC0) != 0x80) break;  // stop after the lead byte
    }
}

void AppendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace

bool TouchButton(const Ctx& ctx, std::string_view key, const Rect& rect, ButtonKind kind) {
    return TouchButton(ctx, key, ctx.Text(key), rect, kind);
}

bool TouchButton(const Ctx& ctx, std::string_view key, std::string_view label, const Rect& rect, ButtonKind kind,
                 bool selected, const Faces* faces) {
    const auto [pressed, held] = Target(ctx, key, rect);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // The raised look sinks while held, so a finger sees its press without any hover state.
    const float lift = held ? 0.0f : 5.0f;
    const Rect face{{rect.min.x, rect.min.y + (5.0f - lift)}, {rect.max.x, rect.max.y - lift}};
    draw->AddRectFilled({rect.min.x, rect.min.y + 5.0f}, rect.max, theme::kShadow, theme::kRounding);
    ImU32 text_colour = theme::kWhite;
    if (kind == ButtonKind::Primary) {
        draw->AddRectFilled(face.min, face.max, held ? theme::kBluePressed : theme::kBlue, theme::kRounding);
    } else {
        draw->AddRectFilled(face.min, face.max, held ? theme::kPaleBlue : theme::kWhite, theme::kRounding);
        draw->AddRect(face.min, face.max, selected ? theme::kSelected : theme::kBlue, theme::kRounding, 0,
                      selected ? 6.0f : 3.0f);
        text_colour = theme::kBlue;
    }
    Rect inner = face.Inset(28.0f, 8.0f);
    // A label that would wrap past the button's height steps down to body text; one whose lines are
    // still taller (Nastaliq on a minimum-height button) may use the vertical padding too.
    TextSize size = TextSize::Button;
    if (MeasureText(ctx, label, size, inner.Width(), faces).y > inner.Height()) {
        size = TextSize::Body;
        if (MeasureText(ctx, label, size, inner.Width(), faces).y > inner.Height()) inner = face.Inset(28.0f, 0.0f);
    }
    DrawText(ctx, label, inner, Align::Centre, size, text_colour, faces, key);
    return pressed;
}

bool TapArea(const Ctx& ctx, std::string_view key, const Rect& rect) { return Target(ctx, key, rect).first; }

void TextField(const Ctx& ctx, std::string_view key, TextFieldView& view, const Rect& rect) {
    if (Target(ctx, key, rect).first) view.focused = true;
    ImGuiIO& io = ImGui::GetIO();
    if (view.focused) {
        for (ImWchar c : io.InputQueueCharacters)
            if (c >= 0x20 && c != 0x7F && view.text.size() + 4 <= kMaxFieldBytes) AppendUtf8(view.text, c);
        io.InputQueueCharacters.resize(0);
        const int backspace = io.KeyMap[ImGuiKey_Backspace];
        if (backspace >= 0 && ImGui::IsKeyPressed(backspace)) PopLastCodePoint(view.text);
    }
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(rect.min, rect.max, theme::kWhite, 8.0f);
    draw->AddRect(rect.min, rect.max, view.focused ? theme::kBlue : theme::kFieldBorder, 8.0f, 0,
                  view.focused ? 5.0f : 3.0f);
    const Rect inner = rect.Inset(24.0f, 0.0f);
    DrawText(ctx, view.text, inner, Align::Start, TextSize::Body, theme::kInk);
    if (view.focused) {  // a steady caret at the end: blinking would wake an idle kiosk twice a second
        const CaretPos caret = CaretAt(ctx, view.text, inner, TextSize::Body, view.text.size());
        const ImVec2 top{std::round(caret.top.x), std::round(caret.top.y)};
        draw->AddRectFilled(top, {top.x + 3.0f, top.y + caret.height}, theme::kInk);
    }
}

float SmallButtonWidth(const Ctx& ctx, std::string_view label) {
    return std::max(theme::kMinTouchTarget * 2.5f, MeasureText(ctx, label, TextSize::Button).x + 2.0f * 44.0f);
}

Rect Logical(const Ctx& ctx, const Rect& ltr) {
    if (!ctx.RightToLeft()) return ltr;
    return {{ctx.display.x - ltr.max.x, ltr.min.y}, {ctx.display.x - ltr.min.x, ltr.max.y}};
}

void DrawBackground(const Ctx& ctx, ImU32 top, ImU32 bottom) {
    ImGui::GetWindowDrawList()->AddRectFilledMultiColor({0, 0}, ctx.display, top, top, bottom, bottom);
}

}  // namespace htk::ui
