// Touch widgets: big targets, act on release, no hover-only states. Each one's ImGui ID is its
// catalog key ("###home.refer"), so it is the same in every language, and each records its rect
// under that key in Ctx::rects for the test harness.
#pragma once
#include <string>
#include <string_view>

#include "ui/ctx.h"
#include "ui/rect.h"
#include "ui/text.h"
#include "ui/theme.h"

namespace htk::ui {

enum class ButtonKind {
    Primary,    // filled blue: the choices a screen is for
    Secondary,  // white with a blue outline: Back, Language, Start again
};

// A button labelled with the catalog's text for `key`. True on the frame the finger lifts inside it.
bool TouchButton(const Ctx& ctx, std::string_view key, const Rect& rect, ButtonKind kind = ButtonKind::Primary);
// The same with a label that is not the session catalog's text for `key` (a language's own name,
// drawn with that language's `faces`).
bool TouchButton(const Ctx& ctx, std::string_view key, std::string_view label, const Rect& rect, ButtonKind kind,
                 bool selected = false, const Faces* faces = nullptr);

// An invisible target over `rect` (the attract screen's "touch anywhere"). True on release.
bool TapArea(const Ctx& ctx, std::string_view key, const Rect& rect);

// A one-line text field. Its text lives in the screen's View so ending a session wipes it.
struct TextFieldView {
    std::string text;
    bool focused = false;
    bool operator==(const TextFieldView&) const = default;
};
inline constexpr std::size_t kMaxFieldBytes = 400;  // ~100 code points in any script

// Tapping focuses the field; while focused it takes typed characters and Backspace.
void TextField(const Ctx& ctx, std::string_view key, TextFieldView& view, const Rect& rect);

// Width of a Secondary button that fits `label` (at least kMinTouchTarget * 2.5).
float SmallButtonWidth(const Ctx& ctx, std::string_view label);

// `ltr` as laid out for a left-to-right language, mirrored across the screen in a right-to-left one.
Rect Logical(const Ctx& ctx, const Rect& ltr);

// The screen-filling background every screen starts with.
void DrawBackground(const Ctx& ctx, ImU32 top, ImU32 bottom);

}  // namespace htk::ui
