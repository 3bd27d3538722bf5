// Every screen in every pack and at both orientations: renders, targets touch-sized and on screen,
// no missing glyphs; and ht-kiosk --list-screens names exactly these screens.
#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "i18n/catalog.h"
#include "tests/support/kiosk.h"
#include "ui/screens/screen.h"
#include "ui/theme.h"

using htk::test::Kiosk;
using htk::test::KioskOptions;

namespace {

void CheckEveryScreen(KioskOptions options) {
    for (const auto& lang : options.languages) {
        CAPTURE(lang);
        options.lang = lang;
        Kiosk k(options);
        for (htk::ui::Screen screen : htk::ui::AllScreens()) {
            CAPTURE(htk::ui::ScreenName(screen));
            k.Open(screen);
            CHECK(k.Screen() == htk::ui::ScreenName(screen));
            REQUIRE(k.LastDrawData() != nullptr);
            CHECK(k.LastDrawData()->TotalVtxCount > 0);
            CHECK_FALSE(k.Keys().empty());  // every screen has something to tap
            const auto& rects = k.App().Rects().All();
            for (std::size_t i = 0; i < rects.size(); ++i)
                for (std::size_t j = i + 1; j < rects.size(); ++j) {
                    CAPTURE(rects[i].first);
                    CAPTURE(rects[j].first);
                    const auto& a = rects[i].second;
                    const auto& b = rects[j].second;
                    CHECK_FALSE((a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y));
                }
            for (const auto& [key, rect] : rects) {
                CAPTURE(key);
                CHECK(rect.Width() >= htk::ui::theme::kMinTouchTarget);
                // Keyboard keys may be shorter on a short screen (theme::kMinKeyHeight is still 9 mm there).
                CHECK(rect.Height() >= (key.starts_with("keyboard.") ? htk::ui::theme::MinKeyHeight(options.display)
                                                                     : htk::ui::theme::kMinTouchTarget));
                CHECK(rect.min.x >= 0.0f);
                CHECK(rect.min.y >= 0.0f);
                CHECK(rect.max.x <= options.display.x);
                CHECK(rect.max.y <= options.display.y);
            }
            CHECK_FALSE(k.Texts().empty());
            for (const auto& drawn : k.Texts()) {  // no tofu: some font of the pack's set has every letter
                CAPTURE(drawn.text);
                CHECK(k.Engine().Uncovered(drawn.font_set, drawn.text).empty());
            }
        }
    }
}

}  // namespace

TEST_CASE("every screen renders in the test packs in landscape and portrait") {
    KioskOptions options;
    options.locales = htk::i18n::DefaultLocalesDir();
    options.languages = {"en-GB", "tr", "ur"};
    SUBCASE("landscape 1280x800") { options.display = {1280, 800}; }
    SUBCASE("landscape 1920x1080") { options.display = {1920, 1080}; }
    SUBCASE("portrait 1080x1920") { options.display = {1080, 1920}; }
    CheckEveryScreen(options);
}

TEST_CASE("every screen renders in every shipped pack in landscape and portrait") {
    KioskOptions options;
    options.languages = htk::test::ShippedPacks();
    REQUIRE_FALSE(options.languages.empty());
    SUBCASE("landscape 1280x800") { options.display = {1280, 800}; }
    SUBCASE("portrait 1080x1920") { options.display = {1080, 1920}; }
    CheckEveryScreen(options);
}

TEST_CASE("Back and Start again share the bottom row without overlapping") {
    Kiosk k("en-GB");
    k.Open(htk::ui::Screen::Reception);
    const auto back = k.RectOf("common.back");
    const auto again = k.RectOf("common.start_again");
    REQUIRE(back);
    REQUIRE(again);
    CHECK(back->max.x < again->min.x);  // side by side, not overlapping
}

TEST_CASE("ht-kiosk --list-screens prints exactly the App's screens one a line") {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(HTK_KIOSK_EXE " --list-screens", "r"), pclose);
    REQUIRE(pipe);
    std::vector<std::string> printed;
    std::array<char, 256> line{};
    while (fgets(line.data(), static_cast<int>(line.size()), pipe.get())) {
        std::string s(line.data());
        if (!s.empty() && s.back() == '\n') s.pop_back();
        printed.push_back(s);
    }
    const int status = pclose(pipe.release());
    CHECK(status == 0);
    std::vector<std::string> expected;
    for (htk::ui::Screen s : htk::ui::AllScreens()) expected.emplace_back(htk::ui::ScreenName(s));
    CHECK(printed == expected);
    for (const auto& name : printed) CHECK(htk::ui::ParseScreen(name).has_value());
}
