// Fuzz target: the phone-number checks the kiosk and ht-admin call (i18n::ValidateUkPhone on what was
// typed, DisplayUkPhone on what was stored), with the typed text in the digits of the pack chosen by
// the input, and the displayed number passed into that pack's sentence as the catalog does.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_input.h"
#include "i18n/catalog.h"
#include "i18n/validate.h"
#include "text/utf8.h"

namespace {

using htk::core::Invalid;
using htk::fuzz::Input;
namespace i18n = htk::i18n;

struct Script {
    const char* icu_locale;
    char32_t zero;  // the locale's digit zero; 0: ASCII only
};
// The packs' locales with their own decimal digits, and some with ASCII ones.
constexpr Script kScripts[] = {{"en_GB", 0},      {"ar", 0x0660}, {"fa", 0x06F0}, {"ur", 0x06F0}, {"ckb", 0x0660},
                               {"bn", 0x09E6},    {"pa", 0x0A66}, {"zh_Hans", 0xFF10}, {"tr", 0}, {"so", 0}, {"ti", 0}};

std::size_t Characters(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

bool AsciiDigits(std::string_view s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return !s.empty();
}

// The same text with its ASCII digits written in another script.
std::string InDigits(std::string_view typed, char32_t zero) {
    std::string out;
    for (char c : typed) {
        if (zero && c >= '0' && c <= '9') htk::text::AppendUtf8(out, zero + static_cast<char32_t>(c - '0'));
        else out += c;
    }
    return out;
}

void CheckValid(const i18n::PhoneCheck& check, std::string_view typed, const Script& script) {
    const std::string& e164 = check.e164;
    // +44 and 7 to 10 digits: UK numbers are 9 or 10 digits after the 0, and Childline's 0800 1111 is 7
    // (libphonenumber calls it valid; the fuzzer found it).
    HTK_FUZZ_CHECK(e164.size() >= 10 && e164.size() <= 13, e164);
    HTK_FUZZ_CHECK(e164.starts_with("+44") && AsciiDigits(std::string_view(e164).substr(1)), e164);
    // What was stored validates again to itself.
    const auto again = i18n::ValidateUkPhone(e164);
    HTK_FUZZ_CHECK(again.code == Invalid::None && again.e164 == e164, typed);
    // What reception reads: national format in ASCII, isolated left to right, typed back to the same number.
    const std::string shown = i18n::DisplayUkPhone(e164);
    HTK_FUZZ_CHECK(shown.starts_with("\u2066") && shown.ends_with("\u2069"), shown);
    const std::string_view inner = std::string_view(shown).substr(3, shown.size() - 6);
    for (char c : inner) HTK_FUZZ_CHECK((c >= '0' && c <= '9') || c == ' ' || c == '+', shown);
    const auto read_back = i18n::ValidateUkPhone(inner);
    HTK_FUZZ_CHECK(read_back.code == Invalid::None && read_back.e164 == e164, shown);
    // Inside a sentence of the pack, its ASCII digits survive (the locale's digits never replace them).
    auto sentence = i18n::FormatMessage("{n, plural, one {# call} other {# calls}} to {phone}", script.icu_locale,
                                        {{"n", std::int64_t{2}}, {"phone", shown}});
    HTK_FUZZ_CHECK(sentence.ok() && htk::fuzz::IsUtf8(*sentence), script.icu_locale);
    HTK_FUZZ_CHECK(sentence->find(shown) != std::string::npos, *sentence);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Input in(data, size);
    const Script& script = in.PickFrom(kScripts);
    const bool native = in.Bool();
    const std::string_view ascii = in.Rest();
    const std::string typed = native ? InDigits(ascii, script.zero) : std::string(ascii);

    const auto check = i18n::ValidateUkPhone(typed);
    HTK_FUZZ_CHECK((check.code == Invalid::None) == !check.e164.empty(), typed);
    if (typed.find_first_not_of(" \t") == std::string::npos) HTK_FUZZ_CHECK(check.code == Invalid::Empty, typed);
    else if (Characters(typed) > 32) HTK_FUZZ_CHECK(check.code == Invalid::TooLong, typed);
    if (check.code == Invalid::None) CheckValid(check, typed, script);
    HTK_FUZZ_CHECK(i18n::ValidateUkPhone(typed).e164 == check.e164, typed);  // no hidden state

    // A number typed in the pack's own digits is the same number as in ASCII ones. (Only for what a
    // phone number is made of: libphonenumber reads letters as a keypad's only among ASCII digits.)
    if (native && script.zero && ascii.find_first_not_of("0123456789 +-()") == std::string_view::npos) {
        const auto plain = i18n::ValidateUkPhone(ascii);
        HTK_FUZZ_CHECK(plain.code == check.code && plain.e164 == check.e164, typed);
    }
    // Whatever is shown of any stored string is valid UTF-8 and isolated.
    const std::string shown = i18n::DisplayUkPhone(typed);
    if (htk::fuzz::IsUtf8(typed)) HTK_FUZZ_CHECK(htk::fuzz::IsUtf8(shown), shown);
    return 0;
}
