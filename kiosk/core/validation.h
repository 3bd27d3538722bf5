// Validation of what a patient enters, as codes the UI maps to catalog keys ("invalid.<key>").
// Names (any script, needs Unicode properties) and UK phone numbers (libphonenumber) are checked
// in kiosk/i18n with these same codes; core keeps to the standard library.
#pragma once
#include <optional>
#include <string_view>

#include "core/time.h"

namespace htk::core {

enum class Invalid {
    None,
    Empty,
    TooLong,
    BadCharacters,  // control characters, or no letter at all in a name
    NotADate,
    InFuture,
    TooOld,         // older than kMaxAgeYears: almost certainly a mistyped year
    TooYoung,       // under the service's minimum age
    NotAPhoneNumber,
    NotUkNumber,
};

inline constexpr int kMaxAgeYears = 120;
inline constexpr int kMinAgeYears = 16;  // health trainer services take adults and older teenagers

std::string_view Key(Invalid code);  // "too_old", ...

// A day, month or year field as the number pad fills it: 1 to 4 ASCII digits, else nullopt.
std::optional<int> DateFieldValue(std::string_view text);
Invalid ValidateDateOfBirth(LocalDate dob, LocalDate today, int min_age_years = kMinAgeYears);
int AgeInYears(LocalDate dob, LocalDate today);

}  // namespace htk::core
