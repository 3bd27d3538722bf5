// tests/text/shaping_test.cpp: glyph sequences from the real fonts (ids and glyph names, never pixels):
// Indic reordering and conjuncts, Arabic and Sorani joining forms, Nastaliq, mirroring, fallback.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <unicode/uchar.h>

#include "samples.h"
#include "test_util.h"
#include "text/engine.h"

using namespace htk::text;
using htk::test::StyleOf;

namespace {

struct Fixture : htk::test::EngineFixture {
    FontSetId Set(std::vector<std::string> families, std::string lang, Direction dir = Direction::Auto) {
        return engine.AddFontSet({.families = std::move(families), .language = std::move(lang), .direction = dir});
    }
    std::vector<GlyphInfo> Glyphs(FontSetId set, const std::string& text) {
        const LayoutInfo info = engine.Inspect(text, StyleOf(set));
        std::vector<GlyphInfo> out;
        for (const LineInfo& l : info.lines) out.insert(out.end(), l.glyphs.begin(), l.glyphs.end());
        return out;
    }
    // The glyphs of one text in logical order (visual order reversed for a right-to-left line).
    std::vector<GlyphInfo> Logical(FontSetId set, const std::string& text) {
        auto g = Glyphs(set, text);
        const LayoutInfo info = engine.Inspect(text, StyleOf(set));
        if (!info.lines.empty() && info.lines[0].rtl) std::reverse(g.begin(), g.end());
        return g;
    }
    std::string Name(FontSetId set, const GlyphInfo& g) { return engine.GlyphName(set, g.font, g.glyph); }
};

// The joining form a glyph name stands for: "uni0695.fina" or a presentation form like "uniFE91",
// whose Unicode name says "BEH INITIAL FORM".
std::string FormOf(const std::string& name) {
    for (const char* form : {"init", "medi", "fina", "isol"})
        if (name.find(std::string(".") + form) != std::string::npos) return form;
    if (name.rfind("uni", 0) == 0 && name.size() >= 7) {
        const auto cp = static_cast<UChar32>(std::stoul(name.substr(3, 4), nullptr, 16));
        char buf[128] = {};
        UErrorCode err = U_ZERO_ERROR;
        u_charName(cp, U_UNICODE_CHAR_NAME, buf, sizeof buf, &err);
        const std::string n = buf;
        if (n.find("INITIAL FORM") != std::string::npos) return "init";
        if (n.find("MEDIAL FORM") != std::string::npos) return "medi";
        if (n.find("FINAL FORM") != std::string::npos) return "fina";
        if (n.find("ISOLATED FORM") != std::string::npos) return "isol";
    }
    return "";
}

}  // namespace

TEST_CASE("Bengali কি: the vowel sign's glyph comes first, before the consonant") {
    Fixture f;
    const FontSetId bn = f.Set({"Noto Sans Bengali", "Noto Sans"}, "bn");
    const auto g = f.Glyphs(bn, "কি");
    REQUIRE(g.size() == 2);
    CHECK(g[0].glyph == f.engine.NominalGlyph(bn, 0, U'\u09BF'));
    CHECK(g[1].glyph == f.engine.NominalGlyph(bn, 0, U'\u0995'));
    CHECK(g[0].pos.x < g[1].pos.x);
    CHECK(g[0].byte_index == 0);  // one cluster: the caret never lands between them
    CHECK(g[1].byte_index == 0);
}

TEST_CASE("Bengali ক্ষ becomes one conjunct glyph") {
    Fixture f;
    const FontSetId bn = f.Set({"Noto Sans Bengali", "Noto Sans"}, "bn");
    const auto g = f.Glyphs(bn, "ক্ষ");
    REQUIRE(g.size() == 1);
    CHECK(g[0].glyph != f.engine.NominalGlyph(bn, 0, U'\u0995'));
    CHECK(g[0].glyph != f.engine.NominalGlyph(bn, 0, U'\u09B7'));
    CHECK(f.Name(bn, g[0]) == "kassabeng");
}

TEST_CASE("Devanagari कि reorders its vowel sign and क्ष forms a conjunct") {
    Fixture f;
    const FontSetId hi = f.Set({"Noto Sans Devanagari", "Noto Sans"}, "hi");
    const auto ki = f.Glyphs(hi, "कि");
    REQUIRE(ki.size() == 2);
    CHECK(f.Name(hi, ki[0]).rfind("ivowelsign", 0) == 0);
    CHECK(ki[1].glyph == f.engine.NominalGlyph(hi, 0, U'\u0915'));
    CHECK(f.Glyphs(hi, "क्ष").size() == 1);
}

TEST_CASE("Gurmukhi ਕ੍ਰ takes the subjoined ra and ਕਿ puts its vowel sign first") {
    Fixture f;
    const FontSetId pa = f.Set({"Noto Sans Gurmukhi", "Noto Sans"}, "pa");
    const auto kra = f.Glyphs(pa, "ਕ੍ਰ");
    REQUIRE(kra.size() == 1);
    CHECK(kra[0].glyph != f.engine.NominalGlyph(pa, 0, U'\u0A15'));
    const auto ki = f.Glyphs(pa, "ਕਿ");
    REQUIRE(ki.size() == 2);
    CHECK(ki[0].glyph == f.engine.NominalGlyph(pa, 0, U'\u0A3F'));
}

TEST_CASE("Arabic letters take their joining forms: بيت is initial, medial, final") {
    Fixture f;
    const FontSetId ar = f.Set({"Noto Naskh Arabic", "Noto Sans"}, "ar", Direction::Rtl);
    const auto g = f.Logical(ar, "بيت");
    REQUIRE(g.size() == 3);
    CHECK(FormOf(f.Name(ar, g[0])) == "init");
    CHECK(FormOf(f.Name(ar, g[1])) == "medi");
    CHECK(FormOf(f.Name(ar, g[2])) == "fina");
    // and the word reads right to left: its first letter is rightmost
    const auto visual = f.Glyphs(ar, "بيت");
    CHECK(visual.back().byte_index == 0);
}

TEST_CASE("Sorani ڵ ێ ڕ ە join to their neighbours") {
    Fixture f;
    const FontSetId ckb = f.Set({"Noto Naskh Arabic", "Noto Sans"}, "ckb", Direction::Rtl);
    struct Probe {
        const char* word;
        std::size_t index;  // glyph (in logical order) of the Sorani letter
        const char* form;
        char32_t letter;
    };
    for (const Probe& p : {Probe{"بڵب", 1, "medi", U'\u06B5'}, Probe{"بێب", 1, "medi", U'\u06CE'},
                           Probe{"بڕ", 1, "fina", U'\u0695'}, Probe{"بە", 1, "fina", U'\u06D5'}}) {
        CAPTURE(p.word);
        const auto g = f.Logical(ckb, p.word);
        REQUIRE(g.size() > p.index);
        CHECK(FormOf(f.Name(ckb, g[p.index])) == p.form);
        CHECK(g[p.index].glyph != f.engine.NominalGlyph(ckb, 0, p.letter));
        CHECK(FormOf(f.Name(ckb, g[0])) == "init");
    }
    // The whole Sorani sample comes out with no isolated letter forms inside its joined words.
    const auto sample = f.Logical(ckb, "لەگەڵ");
    REQUIRE(sample.size() == 5);
    CHECK(FormOf(f.Name(ckb, sample[0])) == "init");   // lam joins forward
    CHECK(FormOf(f.Name(ckb, sample[1])) == "fina");   // ae joins back only
    CHECK(FormOf(f.Name(ckb, sample[2])) == "init");   // gaf starts again
    CHECK(FormOf(f.Name(ckb, sample[3])) == "fina");
}

TEST_CASE("Urdu in Noto Nastaliq Urdu is shaped by the Nastaliq font, with its cascading positions") {
    Fixture f;
    const FontSetId ur = f.engine.AddFontSet(htk::test::SpecOf(htk::test::SampleFor("ur")));
    const auto g = f.Glyphs(ur, "ملاقات");
    REQUIRE(g.size() >= 6);
    bool moved_vertically = false, contextual = false;
    for (const GlyphInfo& gi : g) {
        CHECK(gi.font == 0);  // all from Nastaliq, not the Naskh fallback
        if (gi.pos.y != 0.0f) moved_vertically = true;
        const std::string name = f.Name(ur, gi);
        if (name.find("Ini") != std::string::npos || name.find("Fin") != std::string::npos ||
            name.find("Med") != std::string::npos || name.find("Sep") != std::string::npos)
            contextual = true;
    }
    CHECK(moved_vertically);
    CHECK(contextual);
    CHECK(f.engine.Describe(ur).fonts.at(0).family == "Noto Nastaliq Urdu");
}

TEST_CASE("brackets in right-to-left text are mirrored") {
    Fixture f;
    const FontSetId ar = f.Set({"Noto Naskh Arabic", "Noto Sans"}, "ar", Direction::Rtl);
    const auto g = f.Glyphs(ar, "(ب)");
    REQUIRE(g.size() == 3);
    // Visual order: logical ")" leftmost, logical "(" rightmost, each drawn as its mirror image.
    CHECK(g.front().byte_index == 3);
    CHECK(g.front().glyph == f.engine.NominalGlyph(ar, g.front().font, U'('));
    CHECK(g.back().byte_index == 0);
    CHECK(g.back().glyph == f.engine.NominalGlyph(ar, g.back().font, U')'));
}

TEST_CASE("fallback picks a font per run: an Arabic word inside English comes from the Arabic font") {
    Fixture f;
    const FontSetId en = f.Set({"Noto Sans", "Noto Naskh Arabic"}, "en-GB", Direction::Ltr);
    const std::string text = "is صحة now";
    const auto g = f.Glyphs(en, text);
    for (const GlyphInfo& gi : g) {
        const bool arabic = gi.byte_index >= 3 && gi.byte_index < 9;
        CAPTURE(gi.byte_index);
        CHECK(gi.font == (arabic ? 1 : 0));
    }
    CHECK(f.engine.Uncovered(en, text).empty());
}

TEST_CASE("Romanian ș ț keep their comma below and Turkish dotted/dotless i stay distinct") {
    Fixture f;
    const FontSetId ro = f.Set({"Noto Sans"}, "ro");
    const auto g = f.Glyphs(ro, "\u0219\u021B");
    REQUIRE(g.size() == 2);
    CHECK(g[0].glyph == f.engine.NominalGlyph(ro, 0, U'\u0219'));
    CHECK(g[0].glyph != f.engine.NominalGlyph(ro, 0, U'\u015F'));  // not s-cedilla
    CHECK(g[1].glyph == f.engine.NominalGlyph(ro, 0, U'\u021B'));
    const FontSetId tr = f.Set({"Noto Sans"}, "tr");
    const auto t = f.Glyphs(tr, "İıi");
    REQUIRE(t.size() == 3);
    CHECK(t[0].glyph != t[2].glyph);
    CHECK(t[1].glyph != t[2].glyph);
}

TEST_CASE("every sample sentence is fully covered by its pack's fonts and shapes without .notdef") {
    Fixture f;
    std::vector<htk::test::Sample> all = htk::test::LanguageSamples();
    all.insert(all.end(), htk::test::MixedSamples().begin(), htk::test::MixedSamples().end());
    for (const auto& s : all) {
        CAPTURE(s.name);
        const FontSetId set = f.engine.AddFontSet(htk::test::SpecOf(s));
        CHECK(f.engine.Uncovered(set, s.text).empty());
        for (const GlyphInfo& g : f.Glyphs(set, s.text)) CHECK(g.glyph != 0);
    }
    CHECK(f.warnings.lines.empty());
}
