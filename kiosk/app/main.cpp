// ht-kiosk: the waiting-room touchscreen. Wires config -> language packs -> window -> App,
// then sleeps until input or a timer (STYLE.md §6). Exit codes: 0 ok, 1 failure, 2 bad config, 3 no display.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/app.h"
#include "app/bench.h"
#include "app/config.h"
#include "app/kiosk_store.h"
#include "app/packs.h"
#include "i18n/catalog.h"
#include "i18n/time_zone.h"
#include "platform/image.h"
#include "platform/service_notify.h"
#include "platform/speech.h"
#include "platform/window.h"
#include "store/database.h"
#include "store/pg/forwarder.h"
#include "text/engine.h"
#include "ui/gui_context.h"
#include "ui/pictograms.h"
#include "ui/theme.h"
#include "ui/screens/screen.h"

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitBadConfig = 2;
constexpr int kExitNoDisplay = 3;
constexpr int kMaxSettleFrames = 10;  // a screenshot waits this long at most for glyphs to arrive

int Fail(int code, const std::string& message) {
    std::fprintf(stderr, "ht-kiosk: %s\n", message.c_str());
    return code;
}

// Widget keys and rects only (never text), written whole and renamed into place so a reader never
// sees half a frame.
void WriteRects(const htk::ui::WidgetRects& rects, const std::filesystem::path& file) {
    const auto temp = file.string() + ".new";
    {
        std::ofstream out(temp);
        for (const auto& [key, r] : rects.All())
            out << key << ' ' << r.min.x << ' ' << r.min.y << ' ' << r.Width() << ' ' << r.Height() << '\n';
    }
    std::error_code ec;
    std::filesystem::rename(temp, file, ec);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace htk;
    i18n::SetProcessDefaults();

    auto loaded = app::ParseFlags(argc, argv);
    if (!loaded) return Fail(kExitBadConfig, loaded.error().detail);
    app::Config& config = loaded.value();
    if (config.help) {
        std::cout << app::Usage();
        return 0;
    }
    if (config.list_screens) {
        for (ui::Screen s : ui::AllScreens()) std::cout << ui::ScreenName(s) << '\n';
        return 0;
    }
    // Without a display there is nothing to do: say so before any other work (or any other log line).
    if (auto problem = platform::DisplayProblem()) return Fail(kExitNoDisplay, *problem);
    if (auto read = app::LoadConfigFile(config); !read) return Fail(kExitBadConfig, read.error().detail);
    // Migrations run here; a database that is missing, damaged or newer than this release stops the
    // kiosk with one line before a window opens, and is left as it was. A read-only one does not: that
    // is a fault a running kiosk meets too (a file system remounted read-only), so the kiosk serves,
    // sends every request to reception, and tries the database again until it can be written.
    auto db = store::Open(config.database, {.create = false});
    if (!db && db.error().code != core::Errc::ReadOnly) {
        if (db.error().code == core::Errc::NotFound)
            return Fail(kExitBadConfig, config.database.string() + ": no such database: create it with ht-admin init");
        return Fail(kExitBadConfig, db.error().detail);
    }

    // Slot times and dates in the catalog's messages read as the practice's clocks do.
    i18n::SetProcessTimeZone(config.time_zone_id);
    const std::string actor = "kiosk:" + config.kiosk_id;
    // Sharing a PostgreSQL database: requests still land here first; a worker thread forwards them.
    std::unique_ptr<store::pg::Forwarder> forwarder;
    std::optional<app::Forwarding> forwarding;
    if (!config.server.empty()) {
        auto slots = std::make_shared<store::pg::SlotCache>();
        store::pg::ForwarderOptions options;
        options.database = config.database;
        options.conninfo = config.server;
        options.actor = actor;
        options.slots = slots;
        options.steady = app::SteadySeconds;
        forwarder = std::make_unique<store::pg::Forwarder>(std::move(options));
        forwarding = app::Forwarding{.queued = [f = forwarder.get()] { f->Wake(); },
                                     .server = config.server,
                                     .slots = slots,
                                     .steady = app::SteadySeconds};
    }
    std::unique_ptr<app::KioskStore> kiosk_store;
    if (db) {
        kiosk_store = std::make_unique<app::SqliteKioskStore>(db.value(), *config.time_zone, config.public_key, actor, forwarding);
    } else {
        std::fprintf(stderr, "ht-kiosk: %s: requests go to reception until it can be written\n", db.error().detail.c_str());
        kiosk_store = std::make_unique<app::ReopeningKioskStore>(config.database, *config.time_zone, config.public_key,
                                                                 actor, app::SteadySeconds, db.error(), forwarding);
    }
    if (forwarder && !config.bench && !config.screenshot) forwarder->Start();  // a screenshot shows the screens, sends nothing

    auto packs = app::LoadPacks(config);
    if (!packs) return Fail(kExitBadConfig, packs.error().detail);

    ui::GuiContext gui;
    platform::OpenFailure failure = platform::OpenFailure::None;
    std::string why;
    auto window = platform::Window::Open({"Health Trainer Kiosk", config.window, config.renderer}, failure, why);
    if (!window) return Fail(failure == platform::OpenFailure::NoDisplay ? kExitNoDisplay : kExitFailure, why);
    const auto size = window->Size();
    std::fprintf(stderr, "ht-kiosk: %dx%d, %s\n", size.width, size.height, window->RendererDescription().c_str());
    // Keys grow to 9 mm on a dense panel; buttons are 88 px, which is 9 mm up to 9.8 px/mm.
    if (config.pixels_per_mm > 0 && ui::theme::kMinTouchTarget / config.pixels_per_mm < ui::theme::kMinTargetMm)
        std::fprintf(stderr, "ht-kiosk: buttons are %.1f mm on this panel (pixels_per_mm = %.1f), under 9 mm: use a lower resolution\n",
                     ui::theme::kMinTouchTarget / config.pixels_per_mm, config.pixels_per_mm);
    if (!config.service_key)
        std::fprintf(stderr, "ht-kiosk: language pack signatures are not checked: no [packs] service_key (demo use only)\n");

    text::Engine engine(window->GlyphTextures());  // after the window, so destroyed before it
    ui::Pictograms pictograms(window->GlyphTextures(), ui::DefaultAssetsDir() / "pictograms");
    // A window of its own opens speech after the first frame (espeak-ng's voices and ALSA's devices
    // take tens of milliseconds, and the attract screen offers no reading aloud); pictures need it now.
    const bool interactive = !config.bench && !config.screenshot;
    auto voice = interactive ? nullptr : platform::OpenSpeech();
    app::App kiosk({.config = config,
                    .packs = std::move(packs.value()),
                    .engine = engine,
                    .store = kiosk_store.get(),
                    .voice = voice.get(),
                    .pictograms = &pictograms});

    if (config.bench) return app::RunBench(kiosk, *window, config, stdout);

    if (config.screenshot) {
        // N frames, then more while the App still has work for the next frame (glyphs arriving).
        for (int frame = 1;; ++frame) {
            if (!window->PollFrame()) return 0;
            ImDrawData* draw = kiosk.Frame();
            const bool settled = kiosk.NextWake() != std::optional<double>(0.0);
            if (frame >= config.frames && (settled || frame >= config.frames + kMaxSettleFrames)) {
                if (auto written = platform::WritePng(window->Capture(draw), *config.screenshot); !written)
                    return Fail(kExitFailure, written.error().detail);
                return 0;
            }
            window->Present(draw);
        }
    }

    // Under systemd: READY after the first frame is on screen, then watchdog pings from this loop,
    // which wakes for them even when idle (a hung frame stops the pings and systemd restarts us).
    platform::ServiceNotifier service;
    while (window->WaitFrame(platform::ServiceNotifier::Earliest(kiosk.NextWake(), service.NextPing()))) {
        window->Present(kiosk.Frame());
        if (config.rects_file) WriteRects(kiosk.Rects(), *config.rects_file);
        service.FramePresented();
        if (!voice) {  // the first frame is on screen
            voice = platform::OpenSpeech();
            kiosk.UseVoice(voice.get());
        }
    }
    std::fprintf(stderr, "ht-kiosk: quitting (%s)\n", window->QuitReason().c_str());
    return 0;
}
