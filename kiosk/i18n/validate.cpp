// Name checks by Unicode general category (ICU); phone checks by libphonenumber's GB metadata.
#include "i18n/validate.h"

#include <algorithm>

#include <phonenumbers/phonenumberutil.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace htk::i18n {

core::Invalid ValidateName(std::string_view utf8) {
    const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
    const auto length = static_cast<int32_t>(utf8.size());
    int32_t i = 0, count = 0, first_ink = -1, last_ink = -1;
    bool letter = false;
    while (i < length) {
        const int32_t at = i;
        UChar32 c = 0;
        U8_NEXT(s, i, length, c);
        if (c < 0) return core::Invalid::BadCharacters;  // ill-formed UTF-8
        const auto type = u_charType(c);
        const bool joiner = c == 0x200C || c == 0x200D;
        if (type == U_CONTROL_CHAR || (type == U_FORMAT_CHAR && !joiner) || type == U_UNASSIGNED ||
            type == U_PRIVATE_USE_CHAR || type == U_SURROGATE)
            return core::Invalid::BadCharacters;
        if (u_isalpha(c)) letter = true;
        if (!u_isUWhiteSpace(c)) {
            if (first_ink < 0) first_ink = at;
            last_ink = i;
        }
        ++count;
    }
    if (first_ink < 0) return core::Invalid::Empty;
    if (count > kMaxNameCodePoints + 16) return core::Invalid::TooLong;  // cheap bound before trimming
    int32_t trimmed = 0;
    for (int32_t j = first_ink; j < last_ink;) {
        UChar32 c = 0;
        U8_NEXT(s, j, last_ink, c);
        ++trimmed;
    }
    if (trimmed > kMaxNameCodePoints) return core::Invalid::TooLong;
    if (!letter) return core::Invalid::BadCharacters;
    return core::Invalid::None;
}

PhoneCheck ValidateUkPhone(std::string_view typed) {
    using ::i18n::phonenumbers::PhoneNumber;
    using ::i18n::phonenumbers::PhoneNumberUtil;
    PhoneCheck out;
    if (typed.find_first_not_of(" \t") == std::string_view::npos) {
        out.code = core::Invalid::Empty;
        return out;
    }
    // At most 32 characters, not bytes: a number typed in Bengali or Gurmukhi digits takes 3 bytes a digit.
    const auto lead_byte = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; };
    if (std::count_if(typed.begin(), typed.end(), lead_byte) > 32) {
        out.code = core::Invalid::TooLong;
        return out;
    }
    const auto* util = PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util->Parse(std::string(typed), "GB", &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
        out.code = core::Invalid::NotAPhoneNumber;
        return out;
    }
    if (!util->IsValidNumber(number)) {
        out.code = core::Invalid::NotAPhoneNumber;
        return out;
    }
    std::string region;
    util->GetRegionCodeForNumber(number, &region);
    if (region != "GB") {  // the practice calls back from a UK line; Crown dependencies use +44 but other regions
        out.code = core::Invalid::NotUkNumber;
        return out;
    }
    util->Format(number, PhoneNumberUtil::E164, &out.e164);
    return out;
}

std::string AsciiIsolated(std::string_view text) { return "\u2066" + std::string(text) + "\u2069"; }

std::string DisplayUkPhone(std::string_view e164) {
    using ::i18n::phonenumbers::PhoneNumber;
    using ::i18n::phonenumbers::PhoneNumberUtil;
    const auto* util = PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    std::string out(e164);
    if (util->Parse(std::string(e164), "GB", &number) == PhoneNumberUtil::NO_PARSING_ERROR)
        util->Format(number, PhoneNumberUtil::NATIONAL, &out);
    return AsciiIsolated(out);
}

}  // namespace htk::i18n
