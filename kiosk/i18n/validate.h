// Validation of names (any script) and UK phone numbers, with core::Invalid codes.
// Needs Unicode properties (ICU) and libphonenumber, which is why it is not in core.
#pragma once
#include <string>
#include <string_view>

#include "core/validation.h"

namespace htk::i18n {

inline constexpr int kMaxNameCodePoints = 100;

// A name: 1..kMaxNameCodePoints code points after trimming, well-formed UTF-8, at least one letter
// in any script, no control or format characters except ZWJ/ZWNJ (needed by Indic and Persian names).
core::Invalid ValidateName(std::string_view utf8);

struct PhoneCheck {
    core::Invalid code = core::Invalid::None;
    std::string e164;  // "+447400123456" when valid
};

// A UK number as a patient types it ("07400 123456", "+44 7400 123456", "020 7946 0018").
PhoneCheck ValidateUkPhone(std::string_view typed);

// An E.164 number as reception reads and types it: national format in ASCII digits ("07400 123456"),
// isolated left-to-right so a right-to-left sentence around it cannot reverse its digit groups.
std::string DisplayUkPhone(std::string_view e164);

// Text reception types (reference codes, numbers) kept as it is inside any sentence: wrapped in
// LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE. Pass it as a MessageFormat string argument, so
// the locale's digits (Persian, Bengali) never replace its ASCII ones.
std::string AsciiIsolated(std::string_view text);

}  // namespace htk::i18n
