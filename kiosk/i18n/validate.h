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

}  // namespace htk::i18n
