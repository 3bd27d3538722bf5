// The real platform::Window on SDL's "dummy" video driver (no X needed): no GL there, so it falls
// back to the software renderer, draws the real App, reads the frame back, and takes touch input.
#include <doctest/doctest.h>

#include <SDL.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <set>
#include <string>

#include "app/app.h"
#include "app/config.h"
#include "app/packs.h"
#include "i18n/catalog.h"
#include "platform/image.h"
#include "platform/window.h"
#include "text/engine.h"
#include "tests/env_var.h"
#include "tests/support/kiosk.h"
#include "ui/gui_context.h"
#include "ui/theme.h"

using namespace htk;

namespace {

using htk::test::EnvVar;

struct Rgb {
    int r, g, b;
};

Rgb At(const platform::Image& image, int x, int y) {
    const auto* p = &image.rgba[(static_cast<std::size_t>(y) * image.width + x) * 4];
    return {p[0], p[1], p[2]};
}

Rgb Unpack(ImU32 c) { return {static_cast<int>(c & 0xFF), static_cast<int>((c >> 8) & 0xFF), static_cast<int>((c >> 16) & 0xFF)}; }

bool Near(Rgb a, Rgb b, int tolerance) {
    return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance && std::abs(a.b - b.b) <= tolerance;
}

struct Setup {
    test::TempDir dir;
    app::Config config;
    std::vector<i18n::Catalog> packs;

    Setup() {
        test::KioskOptions options;
        options.locales = i18n::DefaultLocalesDir();
        options.languages = {"en-GB"};
        const std::string file = test::WriteConfig(dir.Path(), options).string();
        const char* argv[] = {"ht-kiosk", "--config", file.c_str()};
        auto loaded = app::LoadConfig(3, argv);
        REQUIRE(loaded.ok());
        config = std::move(loaded.value());
        auto p = app::LoadPacks(config);
        REQUIRE(p.ok());
        packs = std::move(p.value());
    }
};

}  // namespace

TEST_CASE("without OpenGL the window falls back to the software renderer and draws the attract screen") {
    EnvVar driver("SDL_VIDEODRIVER", "dummy");
    Setup s;
    ui::GuiContext gui;
    platform::OpenFailure failure = platform::OpenFailure::None;
    std::string why;
    auto window = platform::Window::Open({"test", platform::WindowSize{800, 500}, platform::RendererChoice::Auto},
                                         failure, why);
    REQUIRE(window);
    CHECK(failure == platform::OpenFailure::None);
    CHECK(window->Kind() == platform::RendererKind::Software);
    CHECK(window->Size().width == 800);

    text::Engine engine(window->GlyphTextures());
    app::App kiosk({s.config, std::move(s.packs), engine});
    platform::Image image;
    for (int frame = 0; frame < 4; ++frame) {
        REQUIRE(window->PollFrame());
        ImDrawData* draw = kiosk.Frame();
        if (frame == 3) image = window->Capture(draw);
        else window->Present(draw);
    }
    REQUIRE(image.width == 800);
    REQUIRE(image.height == 500);

    // The pill is blue where there is no text, its text white; the corner is the calm background.
    const auto pill = kiosk.Rects().Find("attract.touch");
    REQUIRE(pill);
    CHECK(Near(At(image, 5, 5), Unpack(ui::theme::kAttractTop), 6));
    CHECK(Near(At(image, 400 - 190, static_cast<int>(500 * 0.66f)), Unpack(ui::theme::kBlue), 6));
    int white = 0;
    int heading = 0;
    std::set<int> colours;
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const Rgb c = At(image, x, y);
            colours.insert(c.r << 16 | c.g << 8 | c.b);
            if (y > 250 && Near(c, {255, 255, 255}, 10)) ++white;            // "Touch to start"
            if (y < 250 && Near(c, Unpack(ui::theme::kHeading), 10)) ++heading;  // the practice's name
        }
    CHECK(white > 1000);
    CHECK(heading > 1000);
    CHECK(colours.size() > 100);  // anti-aliased text and a gradient, not a flat fill

    test::TempDir out;
    const auto png = out.Path() / "attract.png";
    REQUIRE(platform::WritePng(image, png).ok());
    std::ifstream in(png, std::ios::binary);
    char magic[8] = {};
    in.read(magic, 8);
    CHECK(std::string(magic + 1, 3) == "PNG");
    CHECK_FALSE(std::filesystem::exists(out.Path() / "attract.png.partial"));
}

TEST_CASE("a touch through the real window starts a session and the window sleeps when there is nothing to do") {
    EnvVar driver("SDL_VIDEODRIVER", "dummy");
    Setup s;
    ui::GuiContext gui;
    platform::OpenFailure failure = platform::OpenFailure::None;
    std::string why;
    auto window = platform::Window::Open({"test", platform::WindowSize{800, 500}, platform::RendererChoice::Software},
                                         failure, why);
    REQUIRE(window);
    text::Engine engine(window->GlyphTextures());
    app::App kiosk({s.config, std::move(s.packs), engine});
    for (int i = 0; i < 6; ++i) {  // the opening frames settle
        REQUIRE(window->WaitFrame(0.0));
        window->Present(kiosk.Frame());
    }

    using Clock = std::chrono::steady_clock;
    auto t0 = Clock::now();
    REQUIRE(window->WaitFrame(0.25));  // no input: it sleeps until the wake time
    CHECK(Clock::now() - t0 >= std::chrono::milliseconds(240));
    window->Present(kiosk.Frame());

    SDL_Event e{};
    e.type = SDL_FINGERDOWN;
    e.tfinger.fingerId = 3;
    e.tfinger.x = 0.5f;
    e.tfinger.y = 0.5f;
    SDL_PushEvent(&e);
    e.type = SDL_FINGERUP;
    SDL_PushEvent(&e);
    t0 = Clock::now();
    for (int i = 0; i < 4 && kiosk.Current() == ui::Screen::Attract; ++i) {
        REQUIRE(window->WaitFrame(10.0));  // input is waiting: no sleep
        window->Present(kiosk.Frame());
    }
    CHECK(Clock::now() - t0 < std::chrono::seconds(2));
    CHECK(kiosk.Current() == ui::Screen::Home);
}

TEST_CASE("asking for OpenGL where there is none fails with one line and no fallback") {
    EnvVar driver("SDL_VIDEODRIVER", "dummy");
    ui::GuiContext gui;
    platform::OpenFailure failure = platform::OpenFailure::None;
    std::string why;
    auto window = platform::Window::Open({"test", platform::WindowSize{640, 400}, platform::RendererChoice::OpenGl},
                                         failure, why);
    CHECK_FALSE(window);
    CHECK(failure == platform::OpenFailure::NoRenderer);
    CHECK(why.rfind("no OpenGL 3.0: ", 0) == 0);
    CHECK(why.find('\n') == std::string::npos);
}

TEST_CASE("asking for GLES where there is none fails with one line and no fallback") {
    EnvVar driver("SDL_VIDEODRIVER", "dummy");
    ui::GuiContext gui;
    platform::OpenFailure failure = platform::OpenFailure::None;
    std::string why;
    auto window = platform::Window::Open({"test", platform::WindowSize{640, 400}, platform::RendererChoice::Gles},
                                         failure, why);
    CHECK_FALSE(window);
    CHECK(failure == platform::OpenFailure::NoRenderer);
    CHECK(why.rfind("no OpenGL ES 2.0: ", 0) == 0);
    CHECK(why.find('\n') == std::string::npos);
}

TEST_CASE("with no display named the window says so in one line") {
    EnvVar driver("SDL_VIDEODRIVER", nullptr);
    EnvVar x("DISPLAY", nullptr);
    EnvVar wayland("WAYLAND_DISPLAY", nullptr);
    ui::GuiContext gui;
    platform::OpenFailure failure = platform::OpenFailure::None;
    std::string why;
    CHECK_FALSE(platform::Window::Open({}, failure, why));
    CHECK(failure == platform::OpenFailure::NoDisplay);
    CHECK(why == "no display: set DISPLAY or WAYLAND_DISPLAY (or run under Xvfb)");
    CHECK(platform::DisplayProblem() == why);
}
