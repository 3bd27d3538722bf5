// tests/text/bidi_conformance_test.cpp: the engine's bidi steps (paragraph levels, then per line rule
// L1 and visual runs, exactly as layout calls them) against the UCD's BidiCharacterTest.txt.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "text/detail/bidi.h"

using htk::text::detail::BidiText;
using htk::text::detail::VisualRun;

namespace {

struct Case {
    int line = 0;
    std::vector<char32_t> cps;
    int direction = 0;       // 0 LTR, 1 RTL, 2 auto
    int para_level = 0;      // expected resolved paragraph level
    std::vector<int> levels; // -1 for "x" (removed by rule X9)
    std::vector<int> order;  // visual order of the characters not removed
};

std::vector<std::string> Split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    out.push_back(cur);
    return out;
}

const std::vector<Case>& Cases() {
    static const std::vector<Case> cases = [] {
        std::vector<Case> out;
        std::ifstream in(HTK_BIDI_CHARACTER_TEST);
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            if (line.empty() || line[0] == '#') continue;
            const auto f = Split(line, ';');
            if (f.size() < 5) continue;
            Case c;
            c.line = number;
            std::istringstream cps(f[0]);
            std::string tok;
            while (cps >> tok) c.cps.push_back(static_cast<char32_t>(std::stoul(tok, nullptr, 16)));
            c.direction = std::stoi(f[1]);
            c.para_level = std::stoi(f[2]);
            std::istringstream levels(f[3]);
            while (levels >> tok) c.levels.push_back(tok == "x" ? -1 : std::stoi(tok));
            std::istringstream order(f[4]);
            while (order >> tok) c.order.push_back(std::stoi(tok));
            out.push_back(std::move(c));
        }
        return out;
    }();
    return cases;
}

// Runs one case through BidiText as the engine does (one line covering the whole paragraph).
bool Passes(const Case& c, BidiText& bidi) {
    std::u16string text;
    std::vector<std::size_t> unit_of;  // code point -> first UTF-16 unit
    std::vector<int> cp_of;            // UTF-16 unit -> code point
    for (std::size_t i = 0; i < c.cps.size(); ++i) {
        unit_of.push_back(text.size());
        const char32_t cp = c.cps[i];
        if (cp >= 0x10000) {
            text.push_back(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
            text.push_back(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
            cp_of.push_back(static_cast<int>(i));
        } else {
            text.push_back(static_cast<char16_t>(cp));
        }
        cp_of.push_back(static_cast<int>(i));
    }
    if (!bidi.Set(text, c.direction == 2 ? -1 : c.direction)) return false;
    if (bidi.ParagraphLevelAt(0) != c.para_level) return false;
    std::vector<VisualRun> runs;
    std::vector<std::uint8_t> levels;
    if (!bidi.ReorderLine(0, text.size(), runs, &levels)) return false;
    if (std::getenv("HTK_BIDI_LIST")) {  // what ICU resolved, beside the file's expectation, for a failure report
        std::fprintf(stderr, "line %d para %d levels", c.line, bidi.ParagraphLevelAt(0));
        for (std::size_t i = 0; i < c.cps.size(); ++i) std::fprintf(stderr, " %d", levels[unit_of[i]]);
        std::fprintf(stderr, "\n");
    }
    for (std::size_t i = 0; i < c.cps.size(); ++i)
        if (c.levels[i] >= 0 && levels[unit_of[i]] != c.levels[i]) return false;
    std::vector<int> order;
    for (const VisualRun& run : runs) {
        std::vector<int> cps;
        for (std::size_t u = run.start; u < run.start + run.length; ++u)
            if (cps.empty() || cps.back() != cp_of[u]) cps.push_back(cp_of[u]);
        if (run.rtl) std::reverse(cps.begin(), cps.end());
        for (int cp : cps)
            if (c.levels[static_cast<std::size_t>(cp)] >= 0) order.push_back(cp);
    }
    return order == c.order;
}

void RunMode(int direction, const std::string& name) {
    const auto& cases = Cases();
    REQUIRE_MESSAGE(!cases.empty(), "cannot read " HTK_BIDI_CHARACTER_TEST " (Debian package unicode-data)");
    BidiText bidi;
    int total = 0, passed = 0, first_failure = 0;
    for (const Case& c : cases) {
        if (c.direction != direction) continue;
        ++total;
        if (Passes(c, bidi)) {
            ++passed;
            continue;
        }
        if (std::getenv("HTK_BIDI_LIST")) std::fprintf(stderr, "fail line %d\n", c.line);
        if (!first_failure) first_failure = c.line;
    }
    MESSAGE("BidiCharacterTest.txt, paragraph direction " << name << ": " << passed << " of " << total << " pass");
    CHECK(total > 0);
    CHECK_MESSAGE(passed == total, "first failure: line " << first_failure << " (HTK_BIDI_LIST=1 lists them with the levels found)");
}

}  // namespace

TEST_CASE("bidi conformance: BidiCharacterTest.txt with paragraph direction LTR") { RunMode(0, "LTR"); }
TEST_CASE("bidi conformance: BidiCharacterTest.txt with paragraph direction RTL") { RunMode(1, "RTL"); }
TEST_CASE("bidi conformance: BidiCharacterTest.txt with paragraph direction auto") { RunMode(2, "auto"); }
