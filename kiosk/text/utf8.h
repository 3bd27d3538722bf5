// kiosk/text/utf8.h: UTF-8 helpers for text fields (sanitising input, moving the caret by whole
// user-perceived characters). Never reads outside the given string.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace htk::text {

std::string SanitizeUtf8(std::string_view text);  // each ill-formed subsequence becomes U+FFFD
// cp in UTF-8 on the end of out; a surrogate or a value past U+10FFFF becomes U+FFFD.
void AppendUtf8(std::string& out, char32_t cp);

// Grapheme cluster boundaries (UAX #29) in logical order, as byte offsets. Used for Backspace and
// caret moves so that a Bengali vowel sign or an Arabic harakat never gets split from its letter.
std::size_t NextCaretStop(std::string_view text, std::size_t byte_index);  // text.size() at the end
std::size_t PrevCaretStop(std::string_view text, std::size_t byte_index);  // 0 at the start

}  // namespace htk::text
