// Touch widgets drawn with ImGui's public API only; text goes through ui::DrawText.
#include "ui/widgets.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>

#include "text/utf8.h"

namespace htk::ui {
namespace {

// True when `at` is a grapheme cluster boundary of `text` (both ends are).
bool OnBoundary(std::string_view text, std::size_t at) {
    if (at == 0 || at >= text.size()) return true;
    return text::NextCaretStop(text, text::PrevCaretStop(text, at)) == at;
}

// After an edit the caret may sit inside a new cluster (a ZWJ now joining two emoji): past it.
std::size_t SnapForward(std::string_view text, std::size_t at) {
    return OnBoundary(text, at) ? std::min(at, text.size()) : text::NextCaretStop(text, at);
}

}  // namespace

TargetState Target(const Ctx& ctx, std::string_view key, const Rect& rect) {
    assert(rect.Width() >= theme::kMinTouchTarget && rect.Height() >= theme::kMinKeyHeight &&
           "touch targets are at least kMinTouchTarget on each side");
    const std::string id = "###" + std::string(key);
    ImGui::SetCursorScreenPos(rect.min);
    TargetState state;
    // A finger that travelled past the slop was scrolling a list, not tapping what it lifted over.
    const float slop = theme::kTapSlop;
    state.pressed = ImGui::InvisibleButton(id.c_str(), rect.Size()) &&
                    ImGui::GetIO().MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] <= slop * slop;
    state.held = ImGui::IsItemActive() && ImGui::IsItemHovered();
    // Inside a scrolled list only a target wholly in view is one a finger (or a test) can aim at.
    const ImVec2 clip_min = ImGui::GetWindowDrawList()->GetClipRectMin();
    const ImVec2 clip_max = ImGui::GetWindowDrawList()->GetClipRectMax();
    if (rect.min.x >= clip_min.x && rect.min.y >= clip_min.y && rect.max.x <= clip_max.x && rect.max.y <= clip_max.y)
        ctx.rects.Record(key, rect);
    return state;
}

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

bool TapArea(const Ctx& ctx, std::string_view key, const Rect& rect) { return Target(ctx, key, rect).pressed; }

std::size_t ClampCaret(std::string_view text, std::size_t caret) {
    caret = std::min(caret, text.size());
    return OnBoundary(text, caret) ? caret : text::PrevCaretStop(text, caret);
}

bool InsertAtCaret(TextFieldView& view, std::string_view s) {
    view.caret = ClampCaret(view.text, view.caret);
    const std::string clean = text::SanitizeUtf8(s);
    if (view.text.size() + clean.size() > kMaxFieldBytes) return false;
    view.text.insert(view.caret, clean);
    view.caret = SnapForward(view.text, view.caret + clean.size());
    return true;
}

bool DeleteBeforeCaret(TextFieldView& view) {
    view.caret = ClampCaret(view.text, view.caret);
    if (view.caret == 0) return false;
    std::size_t start = view.caret - 1;
    while (start > 0 && (static_cast<unsigned char>(view.text[start]) & 0xC0) == 0x80) --start;  // to the lead byte
    view.text.erase(start, view.caret - start);
    view.caret = SnapForward(view.text, start);
    return true;
}

void MoveCaret(TextFieldView& view, int graphemes) {
    view.caret = ClampCaret(view.text, view.caret);
    for (; graphemes > 0 && view.caret < view.text.size(); --graphemes) view.caret = text::NextCaretStop(view.text, view.caret);
    for (; graphemes < 0 && view.caret > 0; ++graphemes) view.caret = text::PrevCaretStop(view.text, view.caret);
}

void TextField(const Ctx& ctx, std::string_view key, TextFieldView& view, const Rect& rect) {
    const Rect inner = rect.Inset(24.0f, 0.0f);
    ImGuiIO& io = ImGui::GetIO();
    if (Target(ctx, key, rect).pressed) {
        view.focused = true;
        view.caret = IndexAt(ctx, view.text, inner, TextSize::Body, io.MousePos);
    }
    if (view.focused) {
        for (ImWchar c : io.InputQueueCharacters) {
            if (c < 0x20 || c == 0x7F) continue;
            std::string typed;
            text::AppendUtf8(typed, c);
            InsertAtCaret(view, typed);
        }
        io.InputQueueCharacters.resize(0);
        auto pressed = [&](ImGuiKey key_id) {
            const int index = io.KeyMap[key_id];
            return index >= 0 && ImGui::IsKeyPressed(index);
        };
        if (pressed(ImGuiKey_Backspace)) DeleteBeforeCaret(view);
        if (pressed(ImGuiKey_LeftArrow)) MoveCaret(view, -1);
        if (pressed(ImGuiKey_RightArrow)) MoveCaret(view, +1);
        view.caret = ClampCaret(view.text, view.caret);  // the screen may have replaced the text
    }
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(rect.min, rect.max, theme::kWhite, 8.0f);
    draw->AddRect(rect.min, rect.max, view.focused ? theme::kBlue : theme::kFieldBorder, 8.0f, 0,
                  view.focused ? 5.0f : 3.0f);
    DrawText(ctx, view.text, inner, Align::Start, TextSize::Body, theme::kInk);
    if (view.focused) {  // a steady caret: blinking would wake an idle kiosk twice a second
        const CaretPos caret = CaretAt(ctx, view.text, inner, TextSize::Body, view.caret);
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
    // One band of one colour per step of the channel that changes most: the pixels an interpolated
    // quad would give (the theme's gradients move a channel by under 40 levels), but SDL's software
    // renderer fills a one-colour rectangle as a rectangle, where it shades a gradient's two
    // full-screen triangles pixel by pixel (most of a frame's time at 1920x1080).
    const auto channel = [](ImU32 c, int shift) { return static_cast<int>((c >> shift) & 0xFFu); };
    int steps = 1;
    for (const int shift : {IM_COL32_R_SHIFT, IM_COL32_G_SHIFT, IM_COL32_B_SHIFT, IM_COL32_A_SHIFT})
        steps = std::max(steps, std::abs(channel(bottom, shift) - channel(top, shift)) + 1);
    steps = std::min(steps, static_cast<int>(ctx.display.y) / 2 + 1);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (int i = 0; i < steps; ++i) {
        const float t = steps == 1 ? 0.0f : static_cast<float>(i) / static_cast<float>(steps - 1);
        ImU32 colour = 0;
        for (const int shift : {IM_COL32_R_SHIFT, IM_COL32_G_SHIFT, IM_COL32_B_SHIFT, IM_COL32_A_SHIFT}) {
            const float v = static_cast<float>(channel(top, shift)) +
                            t * static_cast<float>(channel(bottom, shift) - channel(top, shift));
            colour |= static_cast<ImU32>(std::lround(v)) << shift;
        }
        // Whole pixels, so neighbouring bands neither overlap nor leave a seam.
        const float y0 = std::floor(ctx.display.y * static_cast<float>(i) / static_cast<float>(steps));
        const float y1 = std::floor(ctx.display.y * static_cast<float>(i + 1) / static_cast<float>(steps));
        if (y1 > y0) draw->AddRectFilled({0, y0}, {ctx.display.x, y1}, colour);
    }
}

}  // namespace htk::ui
