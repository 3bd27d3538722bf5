// tests/text/layout_test.cpp: line breaking before reordering, alignment in logical terms, ellipsis,
// hard breaks, the length cap and the layout cache, checked on what Draw emits and Inspect reports.
#include <doctest/doctest.h>

#include <string>

#include "samples.h"
#include "test_util.h"
#include "text/engine.h"

using namespace htk::text;
using htk::test::InkOf;
using htk::test::StyleOf;

namespace {

struct Fixture : htk::test::EngineFixture {
    htk::test::DrawScope scope;
    FontSetId latin = engine.AddFontSet({.families = {"Noto Sans"}, .language = "en-GB", .direction = Direction::Ltr});
    FontSetId arabic = engine.AddFontSet({.families = {"Noto Naskh Arabic", "Noto Sans"}, .language = "ar", .direction = Direction::Rtl});
    FontSetId urdu = engine.AddFontSet(htk::test::SpecOf(htk::test::SampleFor("ur")));
    FontSetId mixed = engine.AddFontSet({.families = {"Noto Sans", "Noto Naskh Arabic"}, .language = "en-GB", .direction = Direction::Ltr});

    htk::test::Ink DrawInk(const Box& box, const std::string& text, const Style& st, const DrawOptions& o = {}) {
        scope.Reset();
        engine.Draw(scope.List(), box, text, st, o);
        return InkOf(scope.List());
    }
};

const std::string kArabicWords = "واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة";

}  // namespace

TEST_CASE("a wrapped right-to-left paragraph starts with its first words, on the right") {
    Fixture f;
    const LayoutInfo info = f.engine.Inspect(kArabicWords, StyleOf(f.arabic, 28.0f), 260.0f);
    REQUIRE(info.lines.size() >= 3);
    CHECK(info.lines[0].byte_begin == 0);
    for (std::size_t i = 0; i + 1 < info.lines.size(); ++i) {
        CHECK(info.lines[i].byte_end == info.lines[i + 1].byte_begin);  // lines follow the logical order
        CHECK(info.lines[i].width <= 260.0f);
        CHECK(info.lines[i].rtl);
    }
    CHECK(info.lines.back().byte_end == kArabicWords.size());
    // The first word (bytes 0..8, "واحد") is the rightmost thing on the first line.
    const auto& first = info.lines[0].glyphs;
    float first_word_x = -1, max_other_x = -1;
    for (const GlyphInfo& g : first) {
        if (g.byte_index < 8)
            first_word_x = std::max(first_word_x, g.pos.x);
        else
            max_other_x = std::max(max_other_x, g.pos.x);
    }
    CHECK(first_word_x > max_other_x);
}

TEST_CASE("an Arabic phrase inside English wraps in logical order, not in visual order") {
    Fixture f;
    // Reordering first would put the phrase's last word on line 1; breaking first keeps its first word.
    const std::string text = "Say واحد اثنان ثلاثة أربعة خمسة to the trainer";
    const Style st = StyleOf(f.mixed, 28.0f);
    const float wrap = f.engine.Measure("Say واحد اثنان", st).size.x + 4.0f;
    const LayoutInfo info = f.engine.Inspect(text, st, wrap);
    REQUIRE(info.lines.size() >= 2);
    const std::string first_line = text.substr(info.lines[0].byte_begin, info.lines[0].byte_end - info.lines[0].byte_begin);
    CHECK(first_line == "Say واحد اثنان ");
    CHECK_FALSE(info.lines[0].rtl);
}

TEST_CASE("alignment is logical: Start is the right edge in RTL and the left edge in LTR") {
    Fixture f;
    const Box box{ImVec2(100, 50), ImVec2(600, 100)};
    const Style ar = StyleOf(f.arabic, 30.0f);
    const Style en = StyleOf(f.latin, 30.0f);
    const std::string arabic = "مرحبا بك";
    const auto start = f.DrawInk(box, arabic, ar, {.align = Align::Start});
    const auto end = f.DrawInk(box, arabic, ar, {.align = Align::End});
    const auto centre = f.DrawInk(box, arabic, ar, {.align = Align::Centre});
    CHECK(start.x1 == doctest::Approx(600).epsilon(0.01));
    CHECK(end.x0 == doctest::Approx(100).epsilon(0.02));
    CHECK(centre.CentreX() == doctest::Approx(350).epsilon(0.02));
    const auto en_start = f.DrawInk(box, "Welcome", en, {.align = Align::Start});
    const auto en_end = f.DrawInk(box, "Welcome", en, {.align = Align::End});
    CHECK(en_start.x0 == doctest::Approx(100).epsilon(0.02));
    CHECK(en_end.x1 == doctest::Approx(600).epsilon(0.01));
    // A direction override on the style beats the font set's.
    Style forced = ar;
    forced.direction = Direction::Ltr;
    CHECK(f.DrawInk(box, arabic, forced, {.align = Align::Start}).x0 == doctest::Approx(100).epsilon(0.02));
}

TEST_CASE("every line of a wrapped RTL paragraph is aligned on its own") {
    Fixture f;
    const Box box{ImVec2(0, 0), ImVec2(300, 0)};
    const LayoutInfo info = f.engine.Inspect(kArabicWords, StyleOf(f.arabic, 28.0f), 300.0f);
    REQUIRE(info.lines.size() >= 2);
    // The shortest line still ends at the right edge when aligned to Start.
    for (std::size_t i = 0; i < info.lines.size(); ++i) {
        const std::string line = kArabicWords.substr(info.lines[i].byte_begin, info.lines[i].byte_end - info.lines[i].byte_begin);
        CAPTURE(line);
        CHECK(f.DrawInk(box, line, StyleOf(f.arabic, 28.0f)).x1 == doctest::Approx(300).epsilon(0.01));
    }
}

TEST_CASE("vertical alignment places the block inside the box") {
    Fixture f;
    const Style st = StyleOf(f.latin, 30.0f);
    const float h = f.engine.Measure("Hg", st).size.y;
    const Box box{ImVec2(0, 0), ImVec2(400, 200)};
    const auto top = f.DrawInk(box, "Hg", st, {.valign = VAlign::Top});
    const auto mid = f.DrawInk(box, "Hg", st, {.valign = VAlign::Middle});
    const auto bottom = f.DrawInk(box, "Hg", st, {.valign = VAlign::Bottom});
    CHECK(mid.y0 - top.y0 == doctest::Approx((200 - h) / 2).epsilon(0.05));
    CHECK(bottom.y0 - top.y0 == doctest::Approx(200 - h).epsilon(0.03));
}

TEST_CASE("Measure counts lines: wraps, hard breaks, CR LF, a final newline, empty text") {
    Fixture f;
    const Style st = StyleOf(f.latin, 24.0f);
    CHECK(f.engine.Measure("one line", st).lines == 1);
    CHECK(f.engine.Measure("a\nb", st).lines == 2);
    CHECK(f.engine.Measure("a\r\nb", st).lines == 2);
    CHECK(f.engine.Measure("a\n", st).lines == 2);
    CHECK(f.engine.Measure("a\u2029b\u2028c", st).lines == 3);
    const TextSize empty = f.engine.Measure("", st);
    CHECK(empty.lines == 1);
    CHECK(empty.size.x == 0);
    CHECK(empty.size.y > 20);
    const std::string para = "The health trainer will phone you to agree a time that suits you.";
    const TextSize one = f.engine.Measure(para, st);
    const TextSize wrapped = f.engine.Measure(para, st, one.size.x / 2.5f);
    CHECK(wrapped.lines >= 3);
    CHECK(wrapped.size.x <= one.size.x / 2.5f);
    CHECK(wrapped.size.y == doctest::Approx(one.size.y * static_cast<float>(wrapped.lines)));
    CHECK(f.engine.Measure("a\nb", st, 500).lines == 2);  // hard breaks also with wrapping on
}

TEST_CASE("trailing spaces hang: they count neither for width nor for alignment") {
    Fixture f;
    const Style st = StyleOf(f.latin, 24.0f);
    CHECK(f.engine.Measure("abc   ", st).size.x == doctest::Approx(f.engine.Measure("abc", st).size.x));
    const Box box{ImVec2(0, 0), ImVec2(400, 0)};
    CHECK(f.DrawInk(box, "abc   ", st, {.align = Align::End}).x1 == doctest::Approx(f.DrawInk(box, "abc", st, {.align = Align::End}).x1));
    const Style ar = StyleOf(f.arabic, 24.0f);
    CHECK(f.DrawInk(box, "مرحبا   ", ar).x1 == doctest::Approx(f.DrawInk(box, "مرحبا", ar).x1));
}

TEST_CASE("a word longer than the line is broken between clusters, never overflowing") {
    Fixture f;
    const Style st = StyleOf(f.latin, 24.0f);
    const LayoutInfo info = f.engine.Inspect("Pneumonoultramicroscopicsilicovolcanoconiosis", st, 120.0f);
    CHECK(info.lines.size() >= 3);
    for (const LineInfo& l : info.lines) CHECK(l.width <= 120.0f);
}

TEST_CASE("ellipsis: a one-line box ends with … at the logical end, inside the box") {
    Fixture f;
    const Box box{ImVec2(50, 0), ImVec2(350, 40)};
    const DrawOptions o{.wrap = false, .ellipsize = true};
    const std::string en = "Please show this reference at the reception desk when you arrive";
    f.scope.Reset();
    const DrawResult r = f.engine.Draw(f.scope.List(), box, en, StyleOf(f.latin, 26.0f), o);
    CHECK(r.truncated);
    CHECK(r.lines == 1);
    CHECK(r.size.x <= 300.5f);
    const auto ink = InkOf(f.scope.List());
    CHECK(ink.x0 >= 50);
    CHECK(ink.x1 <= 351);
    const auto ar = f.DrawInk(box, "يرجى إظهار هذا الرقم المرجعي في مكتب الاستقبال", StyleOf(f.arabic, 26.0f), o);
    CHECK(ar.x0 >= 49);
    CHECK(ar.x1 == doctest::Approx(350).epsilon(0.01));  // Start in RTL: anchored right, cut on the left
    // Text that fits is not touched.
    f.scope.Reset();
    CHECK_FALSE(f.engine.Draw(f.scope.List(), box, "Short", StyleOf(f.latin, 26.0f), o).truncated);
}

TEST_CASE("max_lines keeps the first lines and ellipsizes the last kept one") {
    Fixture f;
    const std::string text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen";
    const Box box{ImVec2(0, 0), ImVec2(200, 0)};
    const Style st = StyleOf(f.latin, 24.0f);
    const DrawResult all = f.engine.Draw(nullptr, box, text, st);
    REQUIRE(all.lines > 2);
    const DrawResult two = f.engine.Draw(nullptr, box, text, st, {.ellipsize = true, .max_lines = 2});
    CHECK(two.lines == 2);
    CHECK(two.truncated);
    CHECK(two.size.x <= 200.5f);
    const DrawResult cut = f.engine.Draw(nullptr, box, text, st, {.max_lines = 2});
    CHECK(cut.lines == 2);
    CHECK(cut.truncated);
}

TEST_CASE("a very long string is cut at kMaxCodePoints: bounded glyphs, bounded cache") {
    Fixture f;
    std::string huge;
    while (huge.size() < 2'000'000) huge += "health trainer ";
    const LayoutInfo info = f.engine.Inspect(huge, StyleOf(f.latin, 16.0f), 800.0f);
    CHECK(info.truncated);
    std::size_t glyphs = 0;
    for (const LineInfo& l : info.lines) glyphs += l.glyphs.size();
    CHECK(glyphs <= kMaxCodePoints);
    CHECK(info.lines.back().byte_end <= kMaxCodePoints);
    f.scope.Reset();
    const DrawResult r = f.engine.Draw(f.scope.List(), Box{ImVec2(0, 0), ImVec2(800, 0)}, huge, StyleOf(f.latin, 16.0f));
    CHECK(r.truncated);
    CHECK(f.scope.List()->VtxBuffer.Size <= static_cast<int>(4 * kMaxCodePoints));
}

TEST_CASE("layouts are cached by text, font set, size and width, within an LRU bound") {
    MemoryTextureBackend textures;
    htk::test::Warnings warnings;
    EngineOptions options = warnings.Options();
    options.max_layouts = 8;
    Engine engine(textures, options);
    const FontSetId set = engine.AddFontSet({.families = {"Noto Sans"}});
    const Style st = StyleOf(set, 20.0f);
    engine.Measure("cached", st);
    engine.Measure("cached", st);
    CHECK(engine.Stats().layout_hits == 1);
    CHECK(engine.Stats().layout_misses == 1);
    engine.Measure("cached", StyleOf(set, 21.0f));  // another size: another layout
    engine.Measure("cached", st, 100.0f);           // another width: another layout
    CHECK(engine.Stats().layout_misses == 3);
    for (int i = 0; i < 50; ++i) engine.Measure("text " + std::to_string(i), st);
    CHECK(engine.Stats().layouts_cached == 8);
    engine.Measure("text 49", st);  // the most recent ones survive
    CHECK(engine.Stats().layout_hits == 2);
    engine.ClearLayoutCache();
    CHECK(engine.Stats().layouts_cached == 0);
}

TEST_CASE("drawing emits one textured quad per inked glyph, into the given draw list") {
    Fixture f;
    f.scope.Reset();
    const int before = f.scope.List()->VtxBuffer.Size;
    f.engine.Draw(f.scope.List(), Box{ImVec2(0, 0), ImVec2(0, 0)}, "A B", StyleOf(f.latin));
    CHECK(f.scope.List()->VtxBuffer.Size - before == 8);  // A and B; the space has no ink
    f.scope.Reset();
    Style invisible = StyleOf(f.latin);
    invisible.colour = IM_COL32(0, 0, 0, 0);
    f.engine.Draw(f.scope.List(), Box{}, "A B", invisible);
    CHECK(f.scope.List()->VtxBuffer.Size == 0);
    CHECK(f.engine.Draw(nullptr, Box{}, "A B", StyleOf(f.latin)).lines == 1);  // measuring through Draw
}

TEST_CASE("ForgetText drops every laid-out string and shaped word, and the same text is laid out afresh after") {
    Fixture f;
    const std::string name = "Zeynep Arslan نمونہ مریض";
    f.DrawInk({{0, 0}, {600, 100}}, name, StyleOf(f.mixed));
    f.DrawInk({{0, 0}, {600, 100}}, "Ayşe Yılmaz", StyleOf(f.latin));
    auto before = f.engine.Stats();
    CHECK(before.layouts_cached >= 2);
    CHECK(before.shaped_words_cached > 0);
    f.engine.ForgetText();
    auto after = f.engine.Stats();
    CHECK(after.layouts_cached == 0);
    CHECK(after.shaped_words_cached == 0);
    CHECK(after.layout_bytes == 0);
    CHECK(after.glyph_pages == before.glyph_pages);  // pixels stay: no patient's text in them
    const auto misses = after.layout_misses;
    const auto ink = f.DrawInk({{0, 0}, {600, 100}}, name, StyleOf(f.mixed));
    CHECK(f.engine.Stats().layout_misses == misses + 1);
    CHECK(ink.vertices > 0);  // and it still draws
}
