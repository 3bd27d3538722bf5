// Plausibility of dates of birth; codes for every validation failure.
#include "core/validation.h"

namespace htk::core {

std::string_view Key(Invalid code) {
    switch (code) {
        case Invalid::None: return "none";
        case Invalid::Empty: return "empty";
        case Invalid::TooLong: return "too_long";
        case Invalid::BadCharacters: return "bad_characters";
        case Invalid::NotADate: return "not_a_date";
        case Invalid::InFuture: return "in_future";
        case Invalid::TooOld: return "too_old";
        case Invalid::TooYoung: return "too_young";
        case Invalid::NotAPhoneNumber: return "not_a_phone_number";
        case Invalid::NotUkNumber: return "not_uk_number";
    }
    return "none";
}

int AgeInYears(LocalDate dob, LocalDate today) {
    int age = today.year - dob.year;
    if (today.month < dob.month || (today.month == dob.month && today.day < dob.day)) --age;
    return age;
}

std::optional<int> DateFieldValue(std::string_view text) {
    if (text.empty() || text.size() > 4) return std::nullopt;
    int n = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

Invalid ValidateDateOfBirth(LocalDate dob, LocalDate today, int min_age_years) {
    if (!dob.Valid()) return Invalid::NotADate;
    if (dob > today) return Invalid::InFuture;
    const int age = AgeInYears(dob, today);
    if (age > kMaxAgeYears) return Invalid::TooOld;
    if (age < min_age_years) return Invalid::TooYoung;
    return Invalid::None;
}

}  // namespace htk::core
