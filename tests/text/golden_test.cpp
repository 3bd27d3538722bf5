// tests/text/golden_test.cpp: each panel of sentences in every language, drawn by the real engine and
// rasterised on the CPU, against the PNGs in tests/text/golden/ (looked at by eye before commit).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "panel.h"
#include "soft_raster.h"

namespace {

// Glyph edges may move by a shade between FreeType builds; one missing, swapped or moved letter at
// these sizes changes about a hundred pixels by more than the threshold, so 40 pixels is the bound.
constexpr int kChannelThreshold = 64;
constexpr std::size_t kMaxDifferingPixels = 40;
constexpr double kMaxMeanDifference = 0.2;

void CheckPanel(const std::string& name) {
    const auto actual = htk::test::RenderPanel(name);
    REQUIRE(actual);
    const std::string golden_path = std::string(HTK_GOLDEN_DIR) + "/" + name + ".png";
    const auto golden = htk::test::ReadPng(golden_path);
    REQUIRE_MESSAGE(golden, "missing golden " << golden_path << " (text_panel writes it)");
    htk::test::Image diff;
    const auto d = htk::test::Compare(*actual, *golden, kChannelThreshold, &diff);
    const bool ok = d.same_size && d.differing <= kMaxDifferingPixels && d.mean_abs <= kMaxMeanDifference;
    if (!ok) {
        std::filesystem::create_directories(HTK_GOLDEN_OUT);
        htk::test::WritePng(*actual, std::string(HTK_GOLDEN_OUT) + "/" + name + ".png");
        if (d.same_size) htk::test::WritePng(diff, std::string(HTK_GOLDEN_OUT) + "/" + name + ".diff.png");
    }
    CAPTURE(name);
    CAPTURE(d.differing);
    CAPTURE(d.mean_abs);
    CHECK_MESSAGE(d.same_size, "size " << actual->width << "x" << actual->height << " vs golden " << golden->width << "x" << golden->height);
    CHECK_MESSAGE(d.differing <= kMaxDifferingPixels, "actual image written to " HTK_GOLDEN_OUT);
    CHECK(d.mean_abs <= kMaxMeanDifference);
}

}  // namespace

TEST_CASE("golden: Latin-script languages") { CheckPanel("latin"); }
TEST_CASE("golden: right-to-left languages (Urdu Nastaliq, Arabic, Farsi, Sorani, Pashto)") { CheckPanel("rtl"); }
TEST_CASE("golden: Indic languages") { CheckPanel("indic"); }
TEST_CASE("golden: Ethiopic and Chinese") { CheckPanel("ethiopic_cjk"); }
TEST_CASE("golden: mixed scripts and directions") { CheckPanel("mixed"); }
TEST_CASE("golden: layout (wrapping, alignment, ellipsis, bad input, caret stops)") { CheckPanel("layout"); }

TEST_CASE("a panel renders the same pixels twice") {
    const auto a = htk::test::RenderPanel("mixed");
    const auto b = htk::test::RenderPanel("mixed");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(htk::test::Compare(*a, *b, 0).differing == 0);
}
