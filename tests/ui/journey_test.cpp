// Journeys through the real App in the headless harness: start, choose a language, time out.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "i18n/catalog.h"
#include "i18n/pack_install.h"
#include "tests/support/kiosk.h"
#include "ui/screens/screen.h"

using htk::test::Kiosk;
using htk::test::KioskOptions;

namespace {

KioskOptions EnglishOnly() {
    KioskOptions o;
    o.locales = htk::i18n::DefaultLocalesDir();
    o.languages = {"en-GB"};
    return o;
}

KioskOptions ThreeLanguages() {
    KioskOptions o;
    o.locales = htk::i18n::DefaultLocalesDir();
    o.languages = {"en-GB", "tr", "ur"};
    return o;
}

}  // namespace

TEST_CASE("with only English installed a tap on the attract screen goes straight to home") {
    Kiosk k(EnglishOnly());
    CHECK(k.Screen() == "attract");
    CHECK(k.Shows("attract.touch"));
    k.Tap("attract.touch");
    CHECK(k.Screen() == "home");
    CHECK(k.Shows("home.refer"));
    CHECK(k.Shows("home.book"));
    CHECK(k.Shows("home.reception"));
    CHECK_FALSE(k.Shows("common.language"));  // nothing to switch to
}

TEST_CASE("a patient starts and walks away and the idle timeout returns to attract with every View reset") {
    Kiosk k(EnglishOnly());
    k.Tap("attract.touch");
    k.Tap("home.reception");
    REQUIRE(k.Screen() == "reception");
    k.Advance(k.Config().idle_timeout_seconds - 1.0);
    CHECK(k.Screen() == "reception");
    k.Advance(1.0);
    CHECK(k.Screen() == "more_time");  // "Do you need more time?", then the countdown
    k.Advance(k.Config().more_time_seconds);
    CHECK(k.Screen() == "attract");
    CHECK(k.App().CurrentViews() == k.App().FreshViews());
}

TEST_CASE("with several packs the patient picks a language and timing out returns to English with the Views reset") {
    Kiosk k(ThreeLanguages());
    k.Tap("attract.touch");
    REQUIRE(k.Screen() == "language");
    CHECK(k.Shows("language.en-GB"));
    CHECK(k.Shows("language.tr"));
    CHECK(k.Shows("language.ur"));
    const auto& choices = k.App().CurrentViews().language.choices;
    REQUIRE(choices.size() == 3);
    CHECK(choices[1].endonym == "Türkçe");  // each pack by its own name, in the configured order
    CHECK(choices[2].endonym == "اردو");

    k.Tap("language.tr");
    CHECK(k.Screen() == "home");
    CHECK(k.App().Language().Tag() == "tr");
    CHECK(k.App().CurrentViews().language.current == "tr");
    CHECK(k.App().CurrentViews() != k.App().FreshViews());
    CHECK(k.Shows("common.language"));

    k.Advance(k.Config().idle_timeout_seconds);
    CHECK(k.Screen() == "attract");
    CHECK(k.App().Language().Tag() == "en-GB");
    CHECK(k.App().CurrentViews() == k.App().FreshViews());
}

TEST_CASE("the idle timeout counts from the last touch and not from the start of the session") {
    Kiosk k(EnglishOnly());
    const double idle = k.Config().idle_timeout_seconds;
    k.Tap("attract.touch");
    k.Advance(idle - 10.0);
    k.Tap("home.reception");
    k.Tap("common.back");
    REQUIRE(k.Screen() == "home");
    k.Advance(idle - 1.0);
    CHECK(k.Screen() == "home");  // nearly twice the timeout since the start, less since the last tap
    k.Advance(1.0);
    CHECK(k.Screen() == "attract");  // home has nothing to lose: no "more time?" there
}

TEST_CASE("Start again ends the session at once from home and from reception") {
    Kiosk k(ThreeLanguages());
    k.Tap("attract.touch");
    k.Tap("language.tr");
    k.Tap("common.start_again");
    CHECK(k.Screen() == "attract");
    CHECK(k.App().Language().Tag() == "en-GB");
    CHECK(k.App().CurrentViews() == k.App().FreshViews());

    k.Tap("attract.touch");
    k.Tap("language.en-GB");
    k.Tap("home.reception");
    k.Tap("common.start_again");
    CHECK(k.Screen() == "attract");
}

TEST_CASE("the Language button on home goes back to the picker and Back there returns home; Back at the start ends the session") {
    Kiosk k(ThreeLanguages());
    k.Tap("attract.touch");
    k.Tap("language.ur");
    k.Tap("common.language");
    CHECK(k.Screen() == "language");
    CHECK(k.App().CurrentViews().language.current == "ur");
    k.Tap("common.back");
    CHECK(k.Screen() == "home");
    CHECK(k.App().Language().Tag() == "ur");
    k.Tap("common.start_again");
    k.Tap("attract.touch");
    REQUIRE(k.Screen() == "language");
    k.Tap("common.back");
    CHECK(k.Screen() == "attract");
    CHECK(k.App().Language().Tag() == "en-GB");
}

TEST_CASE("home's three choices lead to the referral, the booking list and reception, and Back returns home") {
    for (auto [choice, screen] : {std::pair{"home.refer", "reasons"}, {"home.book", "slots"}, {"home.reception", "reception"}}) {
        CAPTURE(choice);
        Kiosk k(EnglishOnly());
        k.Tap("attract.touch");
        k.Tap(choice);
        CHECK(k.Screen() == screen);
        k.Tap("common.back");
        CHECK(k.Screen() == "home");
    }
}

TEST_CASE("a right-to-left pack mirrors the layout: Start again moves to the right") {
    Kiosk k(ThreeLanguages());
    k.Tap("attract.touch");
    k.Tap("language.en-GB");
    const auto ltr = k.RectOf("common.start_again");
    k.Tap("common.language");
    k.Tap("language.ur");
    const auto rtl = k.RectOf("common.start_again");
    REQUIRE(ltr);
    REQUIRE(rtl);
    CHECK(ltr->Centre().x < 640.0f);  // the harness's display is 1280 wide
    CHECK(rtl->Centre().x > 640.0f);
    CHECK(rtl->Width() == doctest::Approx(ltr->Width()).epsilon(0.5));
}

TEST_CASE("a finger that slides off a button before lifting does not press it") {
    Kiosk k(EnglishOnly());
    k.Tap("attract.touch");
    const auto refer = k.RectOf("home.refer");
    REQUIRE(refer);
    k.Slide("home.refer", {refer->Centre().x, refer->min.y - 40.0f});
    CHECK(k.Screen() == "home");
    k.Slide("home.refer", {refer->Centre().x + 30.0f, refer->Centre().y});  // past the slop: a drag, not a tap
    CHECK(k.Screen() == "home");
    k.Slide("home.refer", {refer->Centre().x + 8.0f, refer->Centre().y});  // a wobble inside still counts
    CHECK(k.Screen() == "reasons");
}

TEST_CASE("Tap names the screen and what it shows when the key is not there") {
    Kiosk k(EnglishOnly());
    try {
        k.Tap("home.refer");
        FAIL("Tap on a key that is not on screen must throw");
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        CHECK(what.find("\"attract\"") != std::string::npos);
        CHECK(what.find("attract.touch") != std::string::npos);
    }
}

TEST_CASE("the --screen flag opens there and the idle timeout still brings it home to attract") {
    Kiosk k(EnglishOnly());
    k.Open(htk::ui::Screen::Reception);
    CHECK(k.Screen() == "reception");
    k.Advance(k.Config().idle_timeout_seconds);
    CHECK(k.Screen() == "more_time");
    k.Advance(k.Config().more_time_seconds);
    CHECK(k.Screen() == "attract");
}

TEST_CASE("a pack installed while a patient is mid-session is used from the next session, not before") {
    htk::test::TempDir dir;
    const auto live = dir.Path() / "locales";
    std::filesystem::copy(htk::i18n::DefaultLocalesDir(), live, std::filesystem::copy_options::recursive);
    KioskOptions o;
    o.locales = live;
    o.languages = {"en-GB", "tr"};
    Kiosk k(o);
    k.Tap("attract.touch");
    k.Tap("language.tr");
    REQUIRE(k.App().Language().Tag() == "tr");
    REQUIRE(k.App().Language().Info().version == "1");

    // The service installs version 2 of Turkish (a copy of version 1 with a new manifest version).
    const auto v2 = dir.Path() / "v2" / "tr";
    std::filesystem::create_directories(v2.parent_path());
    std::filesystem::copy(htk::i18n::DefaultLocalesDir() / "tr", v2, std::filesystem::copy_options::recursive);
    {
        std::ifstream in(v2 / "manifest.ini");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        in.close();
        text.replace(text.find("version = 1"), 11, "version = 2");
        std::ofstream(v2 / "manifest.ini", std::ios::trunc) << text;
    }
    REQUIRE(htk::i18n::InstallPack(live, v2, std::nullopt));

    k.Tap("common.language");  // still the same session
    CHECK(k.App().Language().Info().version == "1");
    k.Tap("language.tr");
    CHECK(k.App().Language().Info().version == "1");
    k.Tap("common.start_again");  // the session ends: the new pack comes in
    REQUIRE(k.Screen() == "attract");
    k.Tap("attract.touch");
    k.Tap("language.tr");
    CHECK(k.App().Language().Info().version == "2");
}
