// What every screen after the language picker has around its question: Language (with English one
// tap away), Larger text, Read aloud and Help along the top; Back and Start again at the bottom, and
// the screen's one primary action (Next, Send, Book) at the bottom's end. Mirrored right-to-left.
#pragma once
#include <cstdint>
#include <string_view>

#include "ui/ctx.h"
#include "ui/rect.h"

namespace htk::ui {

// The session's side of the chrome, the same on every screen of a session (the App fills it).
struct Chrome {
    bool offer_language = true;  // more than one pack installed
    bool offer_english = false;  // the session is not in English
    bool read_aloud = false;     // a recording or a voice exists for the session's language
    bool speaking = false;       // reading now: the button shows as selected, and a tap stops it
    bool larger_text = false;    // on: the button shows as selected
};

// What a tap on the chrome asks for.
enum class Common { None, Back, Next, StartAgain, Language, English, Help, ReadAloud, LargerText };

// A screen's own part of the chrome.
struct ChromeSpec {
    std::string_view next_key;  // the primary action's catalog key; empty: none
    bool next_enabled = true;   // false: drawn but greyed, and a tap does nothing
    bool back = true;
    bool start_again = true;
    bool top_bar = true;        // false: Help and More-time screens, which are only a message
    bool one_bar = false;       // a short screen with a keyboard: the top bar's buttons join the bottom one
};

// The height the chrome leaves a screen's body on `ctx`'s display.
float BodyHeight(const Ctx& ctx, bool one_bar);

// Draws the background and chrome; returns the body rect (between the bars, full width) and sets
// `tapped` when a chrome button was released this frame.
Rect DrawChrome(const Ctx& ctx, const Chrome& chrome, const ChromeSpec& spec, Common& tapped);

// The centred column a screen's content uses: at most theme::kMaxContentWidth wide.
Rect ContentColumn(const Rect& body);

// A question heading (Title size, start-aligned) and an optional hint below it, at the top of
// `column`; returns the y below them. `hint_key` empty: none. The heading is a size smaller when
// `compact`. `reserve`: the least height the screen's answers need below; the hint, then the
// heading's size, give way to it.
float DrawQuestion(const Ctx& ctx, const Rect& column, std::string_view title_key, std::string_view hint_key,
                   bool compact = false, float reserve = 0.0f);

// A red line of text below a field: what the patient must correct (`arg`: its {age}, where it has
// one). Returns its height.
float DrawError(const Ctx& ctx, std::string_view key, std::int64_t arg, const Rect& column, float y);

}  // namespace htk::ui
