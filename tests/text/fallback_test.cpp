// tests/text/fallback_test.cpp: the last-resort fallback by coverage: names in scripts an English set's
// fonts lack draw from installed Noto fonts (checked by glyph info, never pixels), once-only lookups.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_util.h"
#include "text/engine.h"

using namespace htk::text;
using htk::test::StyleOf;

namespace {

struct Fixture : htk::test::EngineFixture {
    htk::test::DrawScope scope;

    std::vector<GlyphInfo> Glyphs(FontSetId set, const std::string& text) {
        std::vector<GlyphInfo> out;
        for (const LineInfo& l : engine.Inspect(text, StyleOf(set)).lines) out.insert(out.end(), l.glyphs.begin(), l.glyphs.end());
        return out;
    }
    // Glyphs whose cluster starts inside [begin, end) of the text, in visual order.
    std::vector<GlyphInfo> Between(FontSetId set, const std::string& text, std::size_t begin, std::size_t end) {
        std::vector<GlyphInfo> out;
        for (const GlyphInfo& g : Glyphs(set, text))
            if (g.byte_index >= begin && g.byte_index < end) out.push_back(g);
        return out;
    }
};

const std::string kUrdu = "عائشہ خان";     // Ayesha Khan
const std::string kBengali = "রফিক উদ্দিন";  // Rafiq Uddin

}  // namespace

TEST_CASE("Urdu and Bengali names in an English font set draw from installed Noto fonts, not boxes") {
    Fixture f;
    const FontSetId en = f.engine.AddFontSet({.families = {"Noto Sans"}, .language = "en-GB", .direction = Direction::Ltr});
    const std::string text = "Patient: " + kUrdu + " / " + kBengali + " 0161";
    const std::size_t ur_at = text.find(kUrdu), bn_at = text.find(kBengali);

    const std::vector<GlyphInfo> all = f.Glyphs(en, text);
    REQUIRE_FALSE(all.empty());
    for (const GlyphInfo& g : all) CHECK(g.glyph != 0);

    const FontSetInfo info = f.engine.Describe(en);
    REQUIRE(info.fonts.size() == 1);
    CHECK(info.fonts[0].family == "Noto Sans");
    REQUIRE(info.fallback.size() == 2);
    CHECK(info.fallback[0].family == "Noto Naskh Arabic");  // Arabic script outside an Urdu set: Naskh
    CHECK(info.fallback[0].file.find("NotoNaskhArabic-Regular") != std::string::npos);
    CHECK(info.fallback[0].requested.empty());
    CHECK(info.fallback[1].family == "Noto Sans Bengali");
    CHECK(info.fallback[1].file.find("NotoSansBengali-Regular") != std::string::npos);

    for (const GlyphInfo& g : all) {
        CAPTURE(g.byte_index);
        if (g.byte_index < ur_at) CHECK(g.font == 0);
        else if (g.byte_index < ur_at + kUrdu.size()) CHECK(g.font == 1);  // the space between the words too
        else if (g.byte_index >= bn_at && g.byte_index < bn_at + kBengali.size()) CHECK(g.font == 2);
    }
    // Each name is shaped as one run in its font: Arabic letters join, Bengali reorders and conjoins.
    const auto sheen = f.Between(en, text, ur_at + std::string("عائ").size(), ur_at + std::string("عائش").size());
    REQUIRE(sheen.size() == 1);
    CHECK(sheen[0].glyph != f.engine.NominalGlyph(en, 1, U'\u0634'));  // medial form, not the isolated one
    const std::size_t fi = bn_at + std::string("র").size();
    const auto phi = f.Between(en, text, fi, fi + std::string("ফি").size());
    REQUIRE(phi.size() == 2);
    // The i-sign is drawn before its consonant, in the width variant the font picks for ph.
    CHECK(f.engine.GlyphName(en, 2, phi[0].glyph).starts_with("ivowelsign"));
    CHECK(phi[1].glyph == f.engine.NominalGlyph(en, 2, U'\u09AB'));
    const std::size_t ud = bn_at + std::string("রফিক ").size();
    CHECK(f.Between(en, text, ud, ud + std::string("উদ্দিন").size()).size() < 6);  // দ্দ is one conjunct

    CHECK(f.engine.GlyphName(en, 1, sheen[0].glyph) != "");
    CHECK(f.engine.Undrawable(en, text).empty());
    CHECK(f.warnings.lines.empty());
}

TEST_CASE("Uncovered still reports what the pack's own fonts lack, whatever fallback draws") {
    Fixture f;
    const FontSetId en = f.engine.AddFontSet({.families = {"Noto Sans"}, .language = "en-GB"});
    f.Glyphs(en, kUrdu + " " + kBengali);  // fallback fonts now in use for this set
    CHECK(f.engine.Uncovered(en, kUrdu) == std::vector<char32_t>{0x0639, 0x0627, 0x0626, 0x0634, 0x06C1, 0x062E, 0x0646});
    CHECK(f.engine.Uncovered(en, "রফিক") == std::vector<char32_t>{0x09B0, 0x09AB, 0x09BF, 0x0995});
    CHECK(f.engine.Uncovered(en, "Ayesha Khan, 0161").empty());
    CHECK(f.engine.Undrawable(en, kUrdu + "রফিক").empty());
}

TEST_CASE("an Urdu set whose fonts lack Arabic script falls back to Nastaliq, other sets to Naskh") {
    Fixture f;
    const FontSetId ur = f.engine.AddFontSet({.families = {"Noto Sans"}, .language = "ur-PK", .direction = Direction::Rtl});
    const FontSetId fa = f.engine.AddFontSet({.families = {"Noto Sans"}, .language = "fa", .direction = Direction::Rtl});
    for (const GlyphInfo& g : f.Glyphs(ur, kUrdu)) CHECK((g.glyph != 0 && g.font == 1));
    for (const GlyphInfo& g : f.Glyphs(fa, kUrdu)) CHECK((g.glyph != 0 && g.font == 1));
    REQUIRE(f.engine.Describe(ur).fallback.size() == 1);
    CHECK(f.engine.Describe(ur).fallback[0].family == "Noto Nastaliq Urdu");
    REQUIRE(f.engine.Describe(fa).fallback.size() == 1);
    CHECK(f.engine.Describe(fa).fallback[0].family == "Noto Naskh Arabic");
}

TEST_CASE("fallback fonts are looked up once: later frames, layouts and sets ask fontconfig nothing") {
    Fixture f;
    const FontSetId en = f.engine.AddFontSet({.families = {"Noto Sans"}, .language = "en-GB"});
    const Style st = StyleOf(en);
    f.engine.NewFrame();
    f.scope.Reset();
    f.engine.Draw(f.scope.List(), Box{}, kUrdu + " " + kBengali, st);
    const std::size_t lookups = f.engine.Stats().fallback_lookups;
    CHECK(lookups > 0);
    for (int frame = 0; frame < 5; ++frame) {
        f.engine.NewFrame();
        f.scope.Reset();
        f.engine.Draw(f.scope.List(), Box{}, kUrdu + " " + kBengali, st);
    }
    f.engine.ClearLayoutCache();
    // New names, new letters of the same scripts: served by the fonts already found.
    f.engine.Draw(f.scope.List(), Box{}, "محمد یوسف", st);
    f.engine.Draw(f.scope.List(), Box{}, "সুমাইয়া বেগম", st);
    const FontSetId so = f.engine.AddFontSet({.families = {"Noto Sans"}, .language = "so"});
    f.engine.Draw(f.scope.List(), Box{}, kBengali, StyleOf(so));
    CHECK(f.engine.Stats().fallback_lookups == lookups);
    CHECK(f.engine.Describe(so).fallback.at(0).family == "Noto Sans Bengali");
}

TEST_CASE("private-use and unassigned code points never fall back: a placeholder box and one warning") {
    Fixture f;
    const FontSetId en = f.engine.AddFontSet({.families = {"Noto Sans"}, .language = "en-GB"});
    const std::string text = "a\uE000b\u0378c\U0010FFFD";
    int boxes = 0;
    for (const GlyphInfo& g : f.Glyphs(en, text)) boxes += g.glyph == 0;
    CHECK(boxes == 3);
    CHECK(f.engine.Describe(en).fallback.empty());
    CHECK(f.engine.Stats().fallback_lookups == 0);  // refused before asking fontconfig anything
    CHECK(f.engine.Undrawable(en, text) == std::vector<char32_t>{0xE000, 0x0378, 0x10FFFD});
    CHECK(f.engine.Uncovered(en, text) == std::vector<char32_t>{0xE000, 0x0378, 0x10FFFD});
    f.engine.Inspect(text, StyleOf(en, 40.0f));
    CHECK(f.warnings.Count("U+E000") == 1);
    CHECK(f.warnings.Count("U+0378 <unassigned-0378>") == 1);
    CHECK(f.warnings.Count("nor any installed font") == 3);
}
