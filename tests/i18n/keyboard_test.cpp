// Keyboard layouts: one character a key, rows that fit, shifted rows of the same shape.
#include <doctest/doctest.h>

#include "i18n/keyboard.h"

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
