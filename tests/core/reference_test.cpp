// Reference codes: readable alphabet, check character catching the mistakes people make.
#include <doctest/doctest.h>

#include <random>
#include <set>

#include "core/reference.h"

using namespace htk::core;

namespace {
std::string Code(std::uint8_t seed) {
    std::mt19937 random(seed);
    std::array<std::uint8_t, kReferenceDataLength> bytes{};
    for (auto& b : bytes) b = static_cast<std::uint8_t>(random());
    return MakeReference(bytes);
}
}  // namespace

TEST_CASE("a reference is 3+4 characters from the look-alike-free alphabet and checks out") {
    const auto code = Code(1);
    REQUIRE(code.size() == 8);
    CHECK(code[3] == '-');
    for (char c : code)
        if (c != '-') CHECK(kReferenceAlphabet.find(c) != std::string_view::npos);
    for (char bad : std::string("0O1IL2Z5S8B6GUVQD")) CHECK(kReferenceAlphabet.find(bad) == std::string_view::npos);
    CHECK(NormalizeReference(code) == code);
}

TEST_CASE("reception can type a reference loosely: lower case, spaces, no dash") {
    const auto code = Code(42);
    std::string typed;
    for (char c : code)
        if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    typed.insert(2, " ");
    CHECK(NormalizeReference(typed) == code);
    CHECK_FALSE(NormalizeReference(""));
    CHECK_FALSE(NormalizeReference(code.substr(0, 7)));
    CHECK_FALSE(NormalizeReference("OOO-OOOO"));
}

TEST_CASE("every single wrong character and every swap of neighbours is caught") {
    for (int seed = 0; seed < 64; ++seed) {
        std::string code = Code(static_cast<std::uint8_t>(seed));
        code.erase(3, 1);
        for (std::size_t i = 0; i < code.size(); ++i) {
            for (char c : kReferenceAlphabet) {
                if (c == code[i]) continue;
                std::string typo = code;
                typo[i] = c;
                CHECK_FALSE(NormalizeReference(typo));
            }
            if (i + 1 < code.size() && code[i] != code[i + 1]) {
                std::string swapped = code;
                std::swap(swapped[i], swapped[i + 1]);
                CHECK_FALSE(NormalizeReference(swapped));
            }
        }
    }
}

TEST_CASE("different random bytes give different codes") {
    std::set<std::string> codes;
    for (int seed = 0; seed < 256; ++seed) codes.insert(Code(static_cast<std::uint8_t>(seed)));
    CHECK(codes.size() == 256);  // 19^6 = 47 million codes: no collision among 256 expected
}
