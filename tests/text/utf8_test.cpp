// tests/text/utf8_test.cpp: ill-formed UTF-8 becomes U+FFFD (maximal subparts), the length cap,
// caret stops by grapheme, and arbitrary bytes through every public call without a crash.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>

#include "test_util.h"
#include "text/detail/utf.h"
#include "text/engine.h"
#include "text/utf8.h"

using namespace htk::text;
using htk::text::detail::DecodedText;
using htk::text::detail::DecodeUtf8;

namespace {

std::u16string Decode(std::string_view s, std::size_t cap = 1000) {
    DecodedText d;
    DecodeUtf8(s, d, cap);
    return d.u16;
}

}  // namespace

TEST_CASE("well-formed UTF-8 of every length decodes to the same code points") {
    CHECK(Decode("a\xC3\xA9\xE0\xA6\x95\xF0\x9F\x98\x80") == u"a\u00E9\u0995\U0001F600");
}

TEST_CASE("ill-formed UTF-8 becomes one U+FFFD per maximal subpart (Unicode 15 table 3-8)") {
    // The example of the standard: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64
    CHECK(Decode("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64") ==
          u"a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd");
    CHECK(Decode("\xC0\x80") == u"\uFFFD\uFFFD");                  // overlong NUL
    CHECK(Decode("\xED\xA0\x80") == u"\uFFFD\uFFFD\uFFFD");         // a UTF-16 surrogate
    CHECK(Decode("\xF4\x90\x80\x80") == u"\uFFFD\uFFFD\uFFFD\uFFFD"); // above U+10FFFF
    CHECK(Decode("\xE2\x82") == u"\uFFFD");                         // cut at the end
    CHECK(Decode("\xFF\xFE") == u"\uFFFD\uFFFD");
}

TEST_CASE("controls other than tab and line breaks become U+FFFD, while tab and newlines stay") {
    CHECK(Decode(std::string("a\x01\x1C\tb\nc\r\n", 9)) == u"a\uFFFD\uFFFD\tb\nc\r\n");
    CHECK(Decode(std::string("x\0y", 3)) == u"x\uFFFDy");
}

TEST_CASE("byte offsets map every UTF-16 unit back to its UTF-8 sequence") {
    DecodedText d;
    DecodeUtf8("a\xC3\xA9\xF0\x9F\x98\x80z", d, 100);
    REQUIRE(d.u16.size() == 5);
    CHECK(d.byte_at == std::vector<std::uint32_t>{0, 1, 3, 3, 7, 8});
    CHECK(d.bytes_used == 8);
    CHECK_FALSE(d.truncated);
}

TEST_CASE("the decoder stops at the code point cap and says so") {
    const std::string big(10000, 'x');
    DecodedText d;
    DecodeUtf8(big, d, kMaxCodePoints);
    CHECK(d.u16.size() == kMaxCodePoints);
    CHECK(d.truncated);
    CHECK(d.bytes_used == kMaxCodePoints);
}

TEST_CASE("SanitizeUtf8 keeps valid text and replaces what is not") {
    CHECK(SanitizeUtf8("Işıl \xE0\xA6\x95") == "Işıl \xE0\xA6\x95");
    CHECK(SanitizeUtf8("ab\xC3") == "ab\xEF\xBF\xBD");
    CHECK(SanitizeUtf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("caret stops never split a letter from its vowel sign or mark") {
    const std::string ki = "\xE0\xA6\x95\xE0\xA6\xBF";  // Bengali ka + vowel sign i: one grapheme
    CHECK(NextCaretStop(ki, 0) == 6);
    CHECK(PrevCaretStop(ki, 6) == 0);
    const std::string e_acute = "e\xCC\x81x";  // e + combining acute, then x
    CHECK(NextCaretStop(e_acute, 0) == 3);
    CHECK(NextCaretStop(e_acute, 3) == 4);
    CHECK(PrevCaretStop(e_acute, 4) == 3);
    CHECK(NextCaretStop("a\r\nb", 1) == 3);       // CR LF is one stop
    CHECK(PrevCaretStop("a\xC3\xA9", 2) == 1);    // from inside a code point, back to its start
    CHECK(NextCaretStop("abc", 3) == 3);
    CHECK(PrevCaretStop("abc", 0) == 0);
}

TEST_CASE("arbitrary bytes go through measure, draw and caret calls without harm") {
    MemoryTextureBackend textures;
    htk::test::Warnings warnings;
    Engine engine(textures, warnings.Options());
    const FontSetId set = engine.AddFontSet({.families = {"Noto Naskh Arabic", "Noto Sans"}, .language = "ar"});
    htk::test::DrawScope scope;
    std::mt19937 rng(12345);
    const Box box{ImVec2(10, 10), ImVec2(300, 200)};
    for (int i = 0; i < 400; ++i) {
        std::string s(rng() % 64, '\0');
        for (char& c : s) c = static_cast<char>(rng() % 256);
        const Style st = htk::test::StyleOf(set, 20.0f);
        const TextSize m = engine.Measure(s, st, 120.0f);
        CHECK(m.lines >= 1);
        const DrawResult r = engine.Draw(scope.List(), box, s, st);
        CHECK(r.lines >= 1);
        const std::size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
        const Caret caret = engine.CaretAt(box, s, st, {}, at);
        CHECK(caret.line < r.lines);
        CHECK(engine.IndexAt(box, s, st, {}, ImVec2(static_cast<float>(rng() % 320), static_cast<float>(rng() % 220))) <= s.size());
    }
}
