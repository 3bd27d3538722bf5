// Touch widgets: big targets, act on release, no hover-only states. Each one's ImGui ID is its
// catalog key ("###home.refer"), so it is the same in every language, and each records its rect
// under that key in Ctx::rects for the test harness.
//
// 2026-11-23: TextFieldView has a caret; typed text goes in at it, not at the end. Target() is public.
#pragma once
#include <cstddef>
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

// The target under every widget: an invisible ImGui button with ID "###key" over `rect` (at least
// kMinTouchTarget each way), recorded under `key`. For widgets drawn elsewhere (ui/keyboard.h).
struct TargetState {
    bool pressed = false;  // the finger lifted inside it this frame
    bool held = false;     // the finger is down on it: draw the pressed look
};
TargetState Target(const Ctx& ctx, std::string_view key, const Rect& rect);

// A one-line text field. Its text lives in the screen's View so ending a session wipes it.
struct TextFieldView {
    std::string text;
    bool focused = false;
    std::size_t caret = 0;  // byte offset into `text`, on a grapheme cluster boundary (edits keep it so)
    bool operator==(const TextFieldView&) const = default;
};
inline constexpr std::size_t kMaxFieldBytes = 400;  // ~100 code points in any script

// Editing in logical order, without ImGui: what the text field, the on-screen keyboard and the
// number pad do. Each first clamps an invalid caret (ClampCaret).
// `caret` clamped to `text` and moved back to the start of the grapheme cluster it falls inside.
std::size_t ClampCaret(std::string_view text, std::size_t caret);
// Inserts `s` (ill-formed UTF-8 becomes U+FFFD) at the caret and moves the caret past it. False,
// and nothing changes, when the text would pass kMaxFieldBytes.
bool InsertAtCaret(TextFieldView& view, std::string_view s);
// Deletes the one code point before the caret, so a vowel sign, virama or harakat typed as its own
// key goes with one press. False at the start of the text.
bool DeleteBeforeCaret(TextFieldView& view);
// Moves the caret by `graphemes` grapheme clusters in logical order (negative: towards the start),
// stopping at either end. Left and Right arrow keys move by -1 and +1 in every direction of text.
void MoveCaret(TextFieldView& view, int graphemes);

// Tapping focuses the field and puts the caret where the finger lifted; while focused it takes typed
// characters at the caret, Backspace, and Left and Right arrows. The caret is steady, never blinking.
void TextField(const Ctx& ctx, std::string_view key, TextFieldView& view, const Rect& rect);

// Width of a Secondary button that fits `label` (at least kMinTouchTarget * 2.5).
float SmallButtonWidth(const Ctx& ctx, std::string_view label);

// `ltr` as laid out for a left-to-right language, mirrored across the screen in a right-to-left one.
Rect Logical(const Ctx& ctx, const Rect& ltr);

// The screen-filling background every screen starts with.
void DrawBackground(const Ctx& ctx, ImU32 top, ImU32 bottom);

}  // namespace htk::ui
