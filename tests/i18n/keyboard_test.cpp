// Keyboard layouts: one character a key, rows that fit, shifted rows of the same shape.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "i18n/keyboard.h"
#include "tests/temp_dir.h"

using namespace htk::i18n;

TEST_CASE("a Turkish layout with dotted and dotless i parses, with its shifted rows") {
    auto kb = ParseKeyboard("# Turkish Q\nlabel = Türkçe\nrows:\nq w e r t y u ı o p ğ ü\na s d f g h j k l ş i\n"
                            "shifted:\nQ W E R T Y U I O P Ğ Ü\nA S D F G H J K L Ş İ\n",
                            "tr.txt", "turkish-q");
    REQUIRE(kb);
    CHECK(kb->label == "Türkçe");
    REQUIRE(kb->rows.size() == 2);
    CHECK(kb->rows[0][7] == "ı");
    CHECK(kb->shifted[1][10] == "İ");
}

TEST_CASE("Bengali keys may be a consonant with its vowel sign: one grapheme, one key") {
    auto kb = ParseKeyboard("label = বাংলা\nrows:\nক কা কি খ ক্ষ\n", "bn.txt", "bengali");
    REQUIRE(kb);
    CHECK(kb->rows[0].size() == 5);
}

TEST_CASE("bad layouts are refused with file:line") {
    CHECK(ParseKeyboard("label = x\nrows:\nab c\n", "k.txt", "k").error().detail == "k.txt:3: key 'ab' is not one character");
    CHECK(ParseKeyboard("label = x\nrows:\na b a\n", "k.txt", "k").error().detail == "k.txt:3: key 'a' appears twice");
    CHECK(ParseKeyboard("rows:\na b\n", "k.txt", "k").error().detail == "k.txt: label is missing");
    CHECK_FALSE(ParseKeyboard("label = x\nrows:\na b c d e f g h i j k l m n o\n", "k.txt", "k"));
    CHECK_FALSE(ParseKeyboard("label = x\nrows:\na b\nshifted:\nA\n", "k.txt", "k"));
    CHECK_FALSE(ParseKeyboard("label = x\nrows:\na \xC3\n", "k.txt", "k"));
}

TEST_CASE("a pack's keyboards load in its manifest's order, and a missing or unsafe one fails naming it") {
    htk::test::TempDir dir;
    std::filesystem::create_directories(dir.Path() / "keyboards");
    std::ofstream(dir.Path() / "keyboards" / "urdu.txt") << "label = اردو\nrows:\nق و ع\n";
    std::ofstream(dir.Path() / "keyboards" / "latin.txt") << "label = ABC\nrows:\nq w e\nshifted:\nQ W E\n";
    auto both = LoadPackKeyboards(dir.Path(), {"urdu", "latin"});
    REQUIRE(both);
    REQUIRE(both->size() == 2);
    CHECK((*both)[0].id == "urdu");
    CHECK((*both)[1].label == "ABC");
    CHECK(LoadPackKeyboards(dir.Path(), {"latin", "urdu"})->front().id == "latin");
    CHECK(LoadPackKeyboards(dir.Path(), {})->empty());

    const auto missing = LoadPackKeyboards(dir.Path(), {"urdu", "sindhi"});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == htk::core::Errc::NotFound);
    CHECK(missing.error().detail.find("sindhi.txt") != std::string::npos);
    for (const char* bad : {"../urdu", "keyboards/urdu", ".hidden", ""}) {
        CAPTURE(bad);
        const auto refused = LoadPackKeyboards(dir.Path(), {bad});
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == htk::core::Errc::InvalidInput);
    }
}
