// NameKeys: what reception types finds the name a patient typed, in any case and without accents,
// and names sort as a reader expects.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "i18n/name_keys.h"

using htk::i18n::NameKeys;

TEST_CASE("a folded name is found by what a UK keyboard types") {
    const NameKeys keys;
    CHECK(keys.Fold("Ayşe Yılmaz") == "ayse yilmaz");
    CHECK(keys.Fold("ŁUKASZ Żółć") == "lukasz zolc");
    CHECK(keys.Fold("Ștefan Țurcanu") == "stefan turcanu");
    CHECK(keys.Fold("Søren Ærø") == "soren aero");
    CHECK(keys.Fold("Straße") == "strasse");
    CHECK(keys.Fold("José") == keys.Fold("JOSE"));  // composed and plain alike
    CHECK(keys.Fold("Jose\u0301") == keys.Fold("José"));  // decomposed input folds the same
}

TEST_CASE("other scripts keep their letters; marks and invisible joiners do not count") {
    const NameKeys keys;
    CHECK(keys.Fold("مُحَمَّد") == keys.Fold("محمد"));  // Arabic harakat
    CHECK(keys.Fold("نمونہ مریض") == "نمونہ مریض");
    CHECK(keys.Fold("রহিম") == keys.Fold("রহিম"));
    CHECK(keys.Fold("ab\u200Ccd") == "abcd");  // a zero-width non-joiner typed or pasted
    CHECK(keys.Fold("") == "");
}

TEST_CASE("sort keys order names by collation, not by bytes") {
    const NameKeys keys;
    std::vector<std::string> names{"Zainab", "Łukasz", "adam", "Ayşe", "Özlem", "Aziz", "Lucy"};
    std::sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) { return keys.SortKey(a) < keys.SortKey(b); });
    CHECK(names == std::vector<std::string>{"adam", "Ayşe", "Aziz", "Lucy", "Łukasz", "Özlem", "Zainab"});  // root order: Ł after L
}
