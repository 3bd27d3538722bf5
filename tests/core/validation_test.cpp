// Date-of-birth plausibility, names in any script, UK phone numbers.
#include <doctest/doctest.h>

#include "core/validation.h"
#include "i18n/validate.h"

using namespace htk::core;
using htk::i18n::ValidateName;
using htk::i18n::ValidateUkPhone;

TEST_CASE("a date of birth must be a real date, in the past, and a plausible age") {
    const LocalDate today{2026, 11, 23};
    CHECK(ValidateDateOfBirth({1980, 5, 17}, today) == Invalid::None);
    CHECK(ValidateDateOfBirth({1980, 2, 30}, today) == Invalid::NotADate);
    CHECK(ValidateDateOfBirth({2027, 1, 1}, today) == Invalid::InFuture);
    CHECK(ValidateDateOfBirth({1890, 1, 1}, today) == Invalid::TooOld);
    CHECK(ValidateDateOfBirth({2015, 1, 1}, today) == Invalid::TooYoung);
    CHECK(ValidateDateOfBirth({2010, 11, 23}, today) == Invalid::None);  // 16 today
    CHECK(ValidateDateOfBirth({2010, 11, 24}, today) == Invalid::TooYoung);
    CHECK(AgeInYears({2000, 2, 29}, {2026, 2, 28}) == 25);
    CHECK(Key(Invalid::TooOld) == "too_old");
}

TEST_CASE("names are accepted in every script the kiosk serves") {
    for (const char* name : {"Ayşe Yılmaz", "Zbigniew Brzęczyszczykiewicz", "Ștefan Țurcanu", "Cabdi Xasan",
                             "محمد علی", "রবীন্দ্রনাথ ঠাকুর", "ਗੁਰਪ੍ਰੀਤ ਕੌਰ", "مریم\u200Cزاده", "王秀英", "O'Brien-Smith",
                             "ሰላም ተስፋይ"}) {
        CAPTURE(name);
        CHECK(ValidateName(name) == Invalid::None);
    }
}

TEST_CASE("names that are empty, too long, malformed or contain no letter are refused") {
    CHECK(ValidateName("") == Invalid::Empty);
    CHECK(ValidateName("   ") == Invalid::Empty);
    CHECK(ValidateName(std::string(101, 'a')) == Invalid::TooLong);
    CHECK(ValidateName("  " + std::string(100, 'a') + "  ") == Invalid::None);
    CHECK(ValidateName("Ann\x01") == Invalid::BadCharacters);
    CHECK(ValidateName("Ann\xC3") == Invalid::BadCharacters);        // truncated UTF-8
    CHECK(ValidateName("Ann\xE2\x80\xAE") == Invalid::BadCharacters);  // right-to-left override
    CHECK(ValidateName("12345") == Invalid::BadCharacters);
}

TEST_CASE("UK phone numbers as patients type them") {
    auto mobile = ValidateUkPhone("07400 123456");
    CHECK(mobile.code == Invalid::None);
    CHECK(mobile.e164 == "+447400123456");
    CHECK(ValidateUkPhone("+44 (0)20 7946 0018").e164 == "+442079460018");
    CHECK(ValidateUkPhone("0113 496 0000").code == Invalid::None);
    CHECK(ValidateUkPhone("0800 1111").e164 == "+448001111");  // seven digits after the 0 (found by phone_fuzz)
    CHECK(ValidateUkPhone("").code == Invalid::Empty);
    CHECK(ValidateUkPhone("12345").code == Invalid::NotAPhoneNumber);
    CHECK(ValidateUkPhone("phone me").code == Invalid::NotAPhoneNumber);
    CHECK(ValidateUkPhone("+90 532 123 45 67").code == Invalid::NotUkNumber);  // a Turkish mobile
    CHECK(ValidateUkPhone(std::string(40, '7')).code == Invalid::TooLong);
}

TEST_CASE("a UK number typed in the digits of the patient's script is the same number (found by phone_fuzz)") {
    // 12 characters but 34 bytes in Bengali digits: it was refused as too long.
    for (const char* typed : {"০৭৪০০ ১২৩৪৫৬", "੦੭੪੦੦ ੧੨੩੪੫੬", "۰۷۴۰۰ ۱۲۳۴۵۶", "+৪৪ ৭৪০০ ১২৩৪৫৬"}) {
        CAPTURE(typed);
        const auto check = ValidateUkPhone(typed);
        CHECK(check.code == Invalid::None);
        CHECK(check.e164 == "+447400123456");
    }
    CHECK(ValidateUkPhone("০৭৪০০ ১২৩৪৫৬ ১২৩৪৫৬ ১২৩৪৫৬ ১২৩৪৫৬").code == Invalid::TooLong);  // 33 characters
}

TEST_CASE("a date field is one to four ASCII digits, as the number pad types them") {
    CHECK(DateFieldValue("7") == 7);
    CHECK(DateFieldValue("0007") == 7);
    CHECK(DateFieldValue("1968") == 1968);
    CHECK_FALSE(DateFieldValue(""));
    CHECK_FALSE(DateFieldValue("19680"));  // five digits
    CHECK_FALSE(DateFieldValue("1 2"));
    CHECK_FALSE(DateFieldValue("\u09ed"));  // Bengali seven: the pad types ASCII digits only
}

TEST_CASE("a month or day out of range is never a date, however large (found by dob_fuzz)") {
    // std::chrono keeps months and days in 8 bits: month 257 and day 257 passed as 1.
    CHECK_FALSE(LocalDate{1990, 257, 1}.Valid());
    CHECK_FALSE(LocalDate{1990, 1, 257}.Valid());
    CHECK_FALSE(LocalDate{100, 471604229, 471604252}.Valid());
    CHECK(ValidateDateOfBirth({1990, 1, 257}, {2026, 11, 23}) == Invalid::NotADate);
    CHECK(LocalDate{1990, 12, 31}.Valid());
}

TEST_CASE("phone numbers and references are shown in ASCII digits, isolated from right-to-left text") {
    CHECK(htk::i18n::DisplayUkPhone("+447400123456") == "\u206607400 123456\u2069");
    CHECK(htk::i18n::DisplayUkPhone("+442079460018") == "\u2066020 7946 0018\u2069");
    CHECK(htk::i18n::AsciiIsolated("KMR-4TX7") == "\u2066KMR-4TX7\u2069");
}
