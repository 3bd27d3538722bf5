// tests/text/fonts_test.cpp: font sets resolved with fontconfig, fallback down the chain when a family
// or file is missing (with one warning naming it), the Latin tail, the coverage query for the lint.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "samples.h"
#include "test_util.h"
#include "text/engine.h"

using namespace htk::text;
using htk::test::StyleOf;

namespace {

struct Fixture : htk::test::EngineFixture {
    htk::test::DrawScope scope;

    int Placeholders(FontSetId set, const std::string& text) {
        int n = 0;
        for (const LineInfo& l : engine.Inspect(text, StyleOf(set)).lines)
            for (const GlyphInfo& g : l.glyphs) n += g.glyph == 0;
        return n;
    }
};

}  // namespace

TEST_CASE("a pack's families resolve to the Noto files in fallback order") {
    Fixture f;
    const FontSetId ur = f.engine.AddFontSet(htk::test::SpecOf(htk::test::SampleFor("ur")));
    const FontSetInfo info = f.engine.Describe(ur);
    REQUIRE(info.fonts.size() == 3);
    CHECK(info.fonts[0].family == "Noto Nastaliq Urdu");
    CHECK(info.fonts[0].file.find("NotoNastaliqUrdu-Regular") != std::string::npos);
    CHECK(info.fonts[1].family == "Noto Naskh Arabic");
    CHECK(info.fonts[2].family == "Noto Sans");
    CHECK(info.missing.empty());
    CHECK(f.warnings.lines.empty());
    // A collection face is found by its index: Traditional Chinese is not face 0 of the .ttc.
    const FontSetInfo tc = f.engine.Describe(f.engine.AddFontSet(htk::test::SpecOf(htk::test::SampleFor("zh-Hant"))));
    CHECK(tc.fonts.at(0).file.find(".ttc") != std::string::npos);
    CHECK(tc.fonts.at(0).index > 0);
}

TEST_CASE("the same spec gives the same font set") {
    Fixture f;
    const FontSetSpec spec{.families = {"Noto Sans"}, .language = "so", .direction = Direction::Ltr};
    CHECK(f.engine.AddFontSet(spec) == f.engine.AddFontSet(spec));
    CHECK_FALSE(f.engine.AddFontSet(spec) == f.engine.AddFontSet({.families = {"Noto Sans"}, .language = "tr"}));
}

TEST_CASE("a family that is not installed is skipped with one warning naming it") {
    Fixture f;
    const FontSetSpec spec{.families = {"No Such Font Family HTK", "Noto Naskh Arabic", "Noto Sans"}, .language = "ar"};
    const FontSetId set = f.engine.AddFontSet(spec);
    CHECK(f.warnings.Count("No Such Font Family HTK") == 1);
    const FontSetInfo info = f.engine.Describe(set);
    REQUIRE(info.missing.size() == 1);
    CHECK(info.missing[0] == "No Such Font Family HTK");
    CHECK(info.fonts.at(0).family == "Noto Naskh Arabic");
    CHECK(f.Placeholders(set, "مرحبا Hello") == 0);
    f.engine.AddFontSet({.families = {"No Such Font Family HTK", "Noto Sans"}});
    CHECK(f.warnings.Count("No Such Font Family HTK") == 1);  // once, however many sets name it
}

TEST_CASE("a missing or broken font file falls back down the chain and says which file") {
    Fixture f;
    const std::string missing = "/nonexistent/htk/NotoSansBengali-Regular.ttf";
    const FontSetId a = f.engine.AddFontSet({.families = {missing, "Noto Sans Bengali", "Noto Sans"}, .language = "bn"});
    CHECK(f.warnings.Count(missing) == 1);
    CHECK(f.Placeholders(a, "কি") == 0);

    const std::string junk = (std::filesystem::temp_directory_path() / "htk_text_not_a_font.ttf").string();
    std::ofstream(junk) << "this is not a font";
    const FontSetId b = f.engine.AddFontSet({.families = {junk, "Noto Sans"}});
    CHECK(f.warnings.Count(junk) == 1);
    CHECK(f.engine.Describe(b).fonts.at(0).family == "Noto Sans");
    CHECK(f.Placeholders(b, "Hello") == 0);
    std::filesystem::remove(junk);

    const std::string nastaliq = "/usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Regular.ttf";
    const FontSetId c = f.engine.AddFontSet({.families = {nastaliq}, .language = "ur", .direction = Direction::Rtl});
    CHECK(f.engine.Describe(c).fonts.at(0).file == nastaliq);  // a pack may name a file directly
}

TEST_CASE("every set has a font with Latin letters, digits and punctuation, appended last when needed") {
    Fixture f;
    for (const char* family : {"Noto Nastaliq Urdu", "Noto Sans Bengali", "Noto Sans Ethiopic", "Noto Sans Tamil"}) {
        CAPTURE(family);
        const FontSetId set = f.engine.AddFontSet({.families = {family}});
        const FontSetInfo info = f.engine.Describe(set);
        REQUIRE_FALSE(info.fonts.empty());
        const int last = static_cast<int>(info.fonts.size()) - 1;
        for (char32_t c : {U'A', U'z', U'0', U'9', U'.', U'(', U'%', U'@'}) CHECK(f.engine.NominalGlyph(set, last, c) != 0);
        CHECK(f.Placeholders(set, "Ref HT-2041 (10:30)") == 0);
    }
    const FontSetId nothing = f.engine.AddFontSet({.families = {"No Such Font Family HTK"}});
    CHECK(f.engine.Describe(nothing).fonts.size() == 1);
    CHECK(f.Placeholders(nothing, "Hello") == 0);
}

TEST_CASE("Uncovered lists code points no font of the set has, once each, ignoring controls") {
    Fixture f;
    const FontSetId latin = f.engine.AddFontSet({.families = {"Noto Sans"}});
    CHECK(f.engine.Uncovered(latin, "Hello, İstanbul ș ț ą ė").empty());
    CHECK(f.engine.Uncovered(latin, "ก ก \uE000 a") == std::vector<char32_t>{0x0E01, 0xE000});
    CHECK(f.engine.Uncovered(latin, "a\u200Db\u200Cc\u2066d\u2069\n\t").empty());
    const FontSetId bn = f.engine.AddFontSet({.families = {"Noto Sans Bengali", "Noto Sans"}, .language = "bn"});
    CHECK(f.engine.Uncovered(bn, "ক্ষমা ا") == std::vector<char32_t>{0x0627});
    CHECK(f.engine.Uncovered(FontSetId{999}, "x").empty());
}

TEST_CASE("a code point no installed font has draws a placeholder box and warns once, naming it") {
    Fixture f;
    const FontSetId latin = f.engine.AddFontSet({.families = {"Noto Sans"}});
    f.scope.Reset();
    f.engine.Draw(f.scope.List(), Box{}, "\uE000", StyleOf(latin));
    const int box_vertices = f.scope.List()->VtxBuffer.Size;
    CHECK(box_vertices == 16);  // four thin rectangles: a hollow box
    f.engine.Draw(f.scope.List(), Box{}, "another \uE000 here", StyleOf(latin));
    f.engine.Draw(f.scope.List(), Box{}, "\uE000", StyleOf(latin, 40.0f));
    CHECK(f.warnings.Count("U+E000") == 1);
    CHECK(f.warnings.Count("private use") == 1);
    CHECK(f.Placeholders(latin, "a\uE000b") == 1);
    CHECK(f.Placeholders(latin, "a\u0E01b") == 0);  // Thai: not the set's, but an installed font has it
}

TEST_CASE("an unknown font set id is harmless") {
    Fixture f;
    const Style st = StyleOf(FontSetId{77});
    CHECK(f.engine.Measure("x", st).lines == 0);
    f.scope.Reset();
    CHECK(f.engine.Draw(f.scope.List(), Box{}, "x", st).lines == 0);
    CHECK(f.scope.List()->VtxBuffer.Size == 0);
    CHECK(f.engine.CaretAt(Box{}, "x", st, {}, 0).height == 0);
    CHECK(f.engine.Describe(FontSetId{77}).fonts.empty());
}
