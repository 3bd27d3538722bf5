// The on-screen keyboard and number pad, drawn by the kiosk from a pack's layouts (i18n/keyboard.h):
// no system keyboard runs under the kiosk's compositor. They edit a TextFieldView at its caret and
// never judge what a field may hold (core/validation does).
#pragma once
#include <cstddef>
#include <span>

#include "i18n/keyboard.h"
#include "ui/ctx.h"
#include "ui/rect.h"
#include "ui/widgets.h"

namespace htk::ui {

struct KeyboardView {
    std::size_t layout = 0;  // index into the layouts the keyboard is drawn with
    bool shifted = false;    // the next key comes from the shifted layer; one key turns it off
    bool operator==(const KeyboardView&) const = default;
};

// The least height at which every layout fits `width` with keys of kMinTouchTarget each way (a row
// too long for `width` is split in two). DrawKeyboard uses more height, up to a limit, when given it.
float KeyboardHeight(const Ctx& ctx, std::span<const i18n::Keyboard> layouts, float width);

// The current layout's rows in file order (a physical Arabic keyboard is not mirrored), all keys one
// size from the widest row, centred in `rect` and resting on its bottom edge; under them Shift (when
// the layout has a shifted layer), a key per other layout labelled with its `label`, Space and
// Backspace, in logical order. Keys act on release. Each records its rect: keyboard.key.<grapheme>
// (as shown: shifted when shifted), keyboard.shift, keyboard.layout.<id>, keyboard.space,
// keyboard.backspace. `rect` is at least KeyboardHeight tall.
void DrawKeyboard(const Ctx& ctx, std::span<const i18n::Keyboard> layouts, KeyboardView& kb, TextFieldView& field,
                  const Rect& rect);

// Four rows of kMinTouchTarget: the least height DrawNumberPad needs.
float NumberPadHeight();

// 1 2 3 / 4 5 6 / 7 8 9 / (+) 0 ⌫, in ASCII digits in every language (clinical systems want ASCII),
// never mirrored. Digit keys do nothing once `field` holds `max_digits` digits; "+" goes in only at
// the start of a number that has none. Keys: numpad.0 .. numpad.9, numpad.plus, numpad.backspace.
void DrawNumberPad(const Ctx& ctx, TextFieldView& field, const Rect& rect, std::size_t max_digits,
                   bool plus_key = false);

}  // namespace htk::ui
