// tests/text/caret_test.cpp: caret geometry for text fields: logical byte index <-> x and line, in
// left-to-right, right-to-left and mixed text, inside ligatures, across lines, and back again.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_util.h"
#include "text/engine.h"
#include "text/utf8.h"

using namespace htk::text;
using htk::test::StyleOf;

namespace {

struct Fixture : htk::test::EngineFixture {
    FontSetId latin = engine.AddFontSet({.families = {"Noto Sans"}, .language = "en-GB", .direction = Direction::Ltr});
    FontSetId arabic = engine.AddFontSet({.families = {"Noto Naskh Arabic", "Noto Sans"}, .language = "ar", .direction = Direction::Rtl});
    FontSetId mixed_ltr = engine.AddFontSet({.families = {"Noto Sans", "Noto Naskh Arabic"}, .language = "en-GB", .direction = Direction::Ltr});
    FontSetId mixed_rtl = engine.AddFontSet({.families = {"Noto Naskh Arabic", "Noto Sans"}, .language = "ar", .direction = Direction::Rtl});
    const Box box{ImVec2(100, 20), ImVec2(700, 80)};

    std::vector<std::size_t> Stops(const std::string& text) {
        std::vector<std::size_t> out{0};
        while (out.back() < text.size()) out.push_back(NextCaretStop(text, out.back()));
        return out;
    }
    float X(const std::string& text, FontSetId set, std::size_t i, DrawOptions o = {}) {
        return engine.CaretAt(box, text, StyleOf(set), o, i).top.x;
    }
};

}  // namespace

TEST_CASE("caret in left-to-right text moves right with the index, from the box's left edge") {
    Fixture f;
    const std::string text = "Hello";
    float last = -1;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const float x = f.X(text, f.latin, i);
        CHECK(x > last);
        last = x;
    }
    CHECK(f.X(text, f.latin, 0) == doctest::Approx(100));
    CHECK(f.X(text, f.latin, 5) == doctest::Approx(100 + f.engine.Measure(text, StyleOf(f.latin)).size.x).epsilon(0.01));
    const Caret c = f.engine.CaretAt(f.box, text, StyleOf(f.latin), {}, 2);
    CHECK(c.line == 0);
    CHECK_FALSE(c.rtl);
    CHECK(c.height > 30);
}

TEST_CASE("caret in right-to-left text starts at the right edge and moves left") {
    Fixture f;
    const std::string text = "مرحبا بك";
    const auto stops = f.Stops(text);
    float last = 1e9f;
    for (std::size_t i : stops) {
        const float x = f.X(text, f.arabic, i);
        CAPTURE(i);
        CHECK(x < last);
        last = x;
    }
    CHECK(f.X(text, f.arabic, 0) == doctest::Approx(700).epsilon(0.005));
    CHECK(f.engine.CaretAt(f.box, text, StyleOf(f.arabic), {}, 0).rtl);
}

TEST_CASE("caret in an Arabic word inside an English sentence: boundaries and inside the word") {
    Fixture f;
    const std::string text = "ab صحة cd";  // bytes: a b ' ' ص(3) ح(5) ة(7) ' '(9) c d
    const Style st = StyleOf(f.mixed_ltr);
    const LayoutInfo info = f.engine.Inspect(text, st);
    float word_left = 1e9f, word_right = -1e9f;
    for (const GlyphInfo& g : info.lines[0].glyphs)
        if (g.byte_index >= 3 && g.byte_index < 9) {
            word_left = std::min(word_left, g.pos.x);
            word_right = std::max(word_right, g.pos.x + g.advance);
        }
    const float origin = f.box.min.x;
    // Before the word (after "ab "): at the word's left end, where the LTR text continues.
    CHECK(f.X(text, f.mixed_ltr, 3) == doctest::Approx(origin + word_left).epsilon(0.002));
    // After its first letter: inside the word, just left of its rightmost letter.
    const float after_first = f.X(text, f.mixed_ltr, 5);
    CHECK(after_first < origin + word_right - 2);
    CHECK(after_first > origin + word_left + 2);
    // After its second letter: further left, still inside.
    CHECK(f.X(text, f.mixed_ltr, 7) < after_first);
    // After the word: at its right end, where the space and "cd" follow.
    CHECK(f.X(text, f.mixed_ltr, 9) == doctest::Approx(origin + word_right).epsilon(0.002));
    CHECK(f.engine.CaretAt(f.box, text, st, {}, 5).rtl);
    CHECK_FALSE(f.engine.CaretAt(f.box, text, st, {}, 1).rtl);
}

TEST_CASE("caret in a Latin name inside a right-to-left sentence moves right within the name") {
    Fixture f;
    const std::string text = "مع Sarah اليوم";
    const std::size_t name = text.find("Sarah");
    float last = -1;
    for (std::size_t i = name + 1; i < name + 5; ++i) {
        const float x = f.X(text, f.mixed_rtl, i);
        CHECK(x > last);
        last = x;
    }
    // At either end of the name the caret sits with the paragraph's right-to-left text, where the
    // next Arabic letter typed would appear: before the name at its right end, after it at its left end.
    CHECK(f.X(text, f.mixed_rtl, name) > last);
    CHECK(f.X(text, f.mixed_rtl, name + 5) < f.X(text, f.mixed_rtl, name + 1));
    // The sentence still starts at the right edge.
    CHECK(f.X(text, f.mixed_rtl, 0) == doctest::Approx(700).epsilon(0.005));
}

TEST_CASE("a tap maps back to the caret stop it is nearest to, in LTR and in RTL") {
    Fixture f;
    for (const auto& [text, set] : {std::pair{std::string("Book a slot"), f.latin}, std::pair{std::string("احجز موعدا"), f.arabic}}) {
        CAPTURE(text);
        const Style st = StyleOf(set);
        for (std::size_t i : f.Stops(text)) {
            const Caret c = f.engine.CaretAt(f.box, text, st, {}, i);
            CHECK(f.engine.IndexAt(f.box, text, st, {}, ImVec2(c.top.x + 0.5f, c.top.y + c.height / 2)) == i);
        }
        // Far outside the text: the nearest end.
        const std::size_t left = f.engine.IndexAt(f.box, text, st, {}, ImVec2(0, 40));
        const std::size_t right = f.engine.IndexAt(f.box, text, st, {}, ImVec2(2000, 40));
        CHECK(left == (set == f.arabic ? text.size() : 0));
        CHECK(right == (set == f.arabic ? 0 : text.size()));
    }
}

TEST_CASE("a caret inside a ligature is placed proportionally within the ligature") {
    Fixture f;
    const std::string text = "office";  // "ffi" is one glyph in Noto Sans
    const float start = f.X(text, f.latin, 1), end = f.X(text, f.latin, 4);
    const float one = f.X(text, f.latin, 2), two = f.X(text, f.latin, 3);
    CHECK(one == doctest::Approx(start + (end - start) / 3).epsilon(0.01));
    CHECK(two == doctest::Approx(start + 2 * (end - start) / 3).epsilon(0.01));
}

TEST_CASE("caret lines follow wrapping and newlines, and an index inside a code point snaps back") {
    Fixture f;
    const std::string text = "first\nsecond";
    const Style st = StyleOf(f.latin);
    CHECK(f.engine.CaretAt(f.box, text, st, {}, 5).line == 0);  // before the newline
    const Caret second = f.engine.CaretAt(f.box, text, st, {}, 6);
    CHECK(second.line == 1);
    CHECK(second.top.x == doctest::Approx(100));
    CHECK(second.top.y > f.engine.CaretAt(f.box, text, st, {}, 0).top.y);
    const Caret after_newline = f.engine.CaretAt(f.box, "abc\n", st, {}, 4);
    CHECK(after_newline.line == 1);
    CHECK(after_newline.top.x == doctest::Approx(100));
    CHECK(f.X("é", f.latin, 1) == f.X("é", f.latin, 0));
    CHECK(f.X("abc", f.latin, 99) == f.X("abc", f.latin, 3));  // clamped to the end
    // In a wrapped box the index after the break is on the next line.
    const Box narrow{ImVec2(0, 0), ImVec2(120, 0)};
    const std::string words = "alpha beta gamma";
    CHECK(f.engine.CaretAt(narrow, words, st, {}, words.find("gamma")).line >= 1);
    // An empty field has a caret at its start edge: left in LTR, right in RTL.
    CHECK(f.X("", f.latin, 0) == doctest::Approx(100));
    CHECK(f.X("", f.arabic, 0) == doctest::Approx(700));
    const std::size_t tapped = f.engine.IndexAt(f.box, text, st, {}, ImVec2(101, second.top.y + 5));
    CHECK(tapped == 6);
}
