// The fit check draws the App's own screens, so what it measures is what a patient sees; it only
// reads what ui::DrawText recorded (DrawnText), never ImGui internals.
#include "app/fit_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "app/app.h"
#include "app/config.h"
#include "app/kiosk_store.h"
#include "core/working_plan.h"
#include "i18n/time_zone.h"
#include "store/database.h"
#include "store/plan_repo.h"
#include "store/settings_repo.h"
#include "store/trainer_repo.h"
#include "i18n/catalog.h"
#include "text/engine.h"
#include "text/glyph_texture.h"
#include "ui/gui_context.h"
#include "ui/pictograms.h"
#include "ui/screens/screen.h"

namespace htk::app {
namespace {

// Sub-pixel differences between measuring and drawing are rounding, not a misfit.
constexpr float kTolerance = 0.5f;

std::string Pixels(float px) { return std::to_string(static_cast<int>(std::ceil(px))) + " px"; }

void Measure(const ui::DrawnText& drawn, ImVec2 window, std::string_view screen, std::vector<Misfit>& out) {
    if (drawn.key.empty()) return;  // text that is not a pack's string (the practice's name)
    Misfit m{drawn.key, std::string(screen), window};
    m.too_wide = std::max(0.0f, drawn.size.x - drawn.box.Width());
    m.too_tall = std::max(0.0f, drawn.size.y - drawn.box.Height());
    // The block is centred vertically on its box and aligned within its width (ui::DrawText).
    const float top = (drawn.box.min.y + drawn.box.max.y - drawn.size.y) * 0.5f;
    const float bottom = top + drawn.size.y;
    m.off_screen = std::max({0.0f, -top, bottom - window.y, -drawn.box.min.x, drawn.box.max.x - window.x});
    m.cut = drawn.truncated;
    if (m.too_wide > kTolerance || m.too_tall > kTolerance || m.off_screen > kTolerance || m.cut) out.push_back(std::move(m));
}

}  // namespace

std::string Misfit::Describe() const {
    std::string what;
    auto add = [&](const std::string& s) { what += (what.empty() ? "" : ", ") + s; };
    if (too_wide > kTolerance) add(Pixels(too_wide) + " too wide");
    if (too_tall > kTolerance) add(Pixels(too_tall) + " too tall");
    if (!what.empty()) what += " for its box";
    if (off_screen > kTolerance) add(Pixels(off_screen) + " off the screen");
    if (cut) add("cut short");
    char size[32];
    std::snprintf(size, sizeof size, "%dx%d", static_cast<int>(window.x), static_cast<int>(window.y));
    return what + " on " + screen + " at " + size;
}

struct FitChecker::Impl {
    std::filesystem::path locales;
    ui::GuiContext gui;  // before the engine, as the kiosk makes them
    text::MemoryTextureBackend glyphs;
    text::Engine engine{glyphs, {.warn = [](std::string_view) {}}};  // a missing font is the coverage lint's finding
    ui::Pictograms pictograms{glyphs, ui::DefaultAssetsDir() / "pictograms"};  // icon buttons as the kiosk draws them
};

FitChecker::FitChecker(std::filesystem::path compiled_locales) : m_impl(std::make_unique<Impl>()) {
    m_impl->locales = std::move(compiled_locales);
}

FitChecker::~FitChecker() = default;

core::Result<std::vector<Misfit>> FitChecker::Check(const std::string& tag) {
    std::vector<Misfit> out;
    auto drawn = DrawEveryScreen(tag, [&](const ui::DrawnText& text, ImVec2 window, std::string_view screen) {
        Measure(text, window, screen, out);
    });
    if (!drawn) return drawn.error();
    return out;
}

core::Result<std::map<std::string, int>> FitChecker::FittingLengths(const std::string& tag) {
    std::map<std::string, float> room;  // key -> the smallest box area over text area seen
    std::map<std::string, int> length;  // key -> code points of the text drawn
    auto drawn = DrawEveryScreen(tag, [&](const ui::DrawnText& text, ImVec2, std::string_view) {
        const float area = text.size.x * text.size.y;
        if (text.key.empty() || area <= 0) return;
        const float ratio = text.box.Width() * text.box.Height() / area;
        auto [it, fresh] = room.emplace(text.key, ratio);
        if (!fresh) it->second = std::min(it->second, ratio);
        int code_points = 0;
        for (unsigned char c : text.text) code_points += (c & 0xC0) != 0x80;
        length[text.key] = code_points;
    });
    if (!drawn) return drawn.error();
    std::map<std::string, int> out;
    // 0.8: wrapping never fills a box's last line, and a line must stay whole.
    for (const auto& [key, ratio] : room)
        out[key] = std::max(1, static_cast<int>(static_cast<float>(length[key]) * ratio * 0.8f));
    return out;
}

namespace {

// A practice with one trainer on weekdays, in a throw-away database: the booking screens are drawn
// with real slot labels (weekday names are the longest dates) and the consent with its period.
core::Result<store::Database> SlotsDatabase(const std::filesystem::path& dir) {
    auto db = store::Open(dir / "fit.db");
    if (!db) return db.error();
    store::PracticeSettings settings;
    settings.name = "Chapeltown Health Centre";
    if (auto r = store::SettingsRepo(*db).Save(settings); !r) return r.error();
    core::Trainer trainer;
    trainer.display_name = "Amira Khan-Rahman";
    trainer.languages = {"en-GB"};
    auto id = store::TrainerRepo(*db).Add(trainer);
    if (!id) return id.error();
    const auto hours = core::ParseDayHours("09:00-17:00");
    for (int weekday = 0; weekday < 5; ++weekday)
        if (auto r = store::PlanRepo(*db).SetWeekday(*id, weekday, *hours); !r) return r.error();
    return db;
}

}  // namespace

core::Result<void> FitChecker::DrawEveryScreen(const std::string& tag, const Visit& visit) {
    Config config;
    config.practice_name = "Chapeltown Health Centre";
    config.locales = m_impl->locales;
    config.languages = i18n::InstalledPacks(m_impl->locales);
    config.start_language = tag;
    for (const char* needed : {"en-GB", tag.c_str()})
        if (std::find(config.languages.begin(), config.languages.end(), needed) == config.languages.end())
            return core::Fail(core::Errc::NotFound, m_impl->locales.string() + ": no compiled pack " + needed);
    std::vector<i18n::Catalog> packs;
    for (const auto& t : config.languages) {
        auto catalog = i18n::Catalog::Load(config.locales, t);
        if (!catalog) return catalog.error();
        packs.push_back(std::move(catalog.value()));
    }

    std::string scratch = (std::filesystem::temp_directory_path() / "htk-fit-XXXXXX").string();
    if (!mkdtemp(scratch.data())) return core::Fail(core::Errc::Io, "cannot create a folder for the fit check's database");
    struct Remove {
        std::string dir;
        ~Remove() {
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        }
    } remove{scratch};
    auto db = SlotsDatabase(scratch);
    if (!db) return db.error();
    auto zone = i18n::MakeTimeZone("Europe/London");
    config.time_zone = std::shared_ptr<const core::TimeZone>(std::move(zone));
    SqliteKioskStore kiosk_store(*db, *config.time_zone, store::PublicKey{}, "kiosk:fit-check");

    m_impl->gui.MakeCurrent();
    double now = 0;
    App app(AppDeps{.config = config,
                    .packs = std::move(packs),
                    .engine = m_impl->engine,
                    .store = &kiosk_store,
                    .pictograms = &m_impl->pictograms,
                    .clock = [&now] { return now; },
                    .wall = [] { return core::UnixSeconds{1795420800}; }});  // a Monday: a full week of slots ahead
    app.KeepDrawnTexts(true);  // the packs' strings only: nothing a patient typed is on these screens
    for (const ImVec2 window : kFitSizes) {
        for (const ui::Screen screen : ui::AllScreens()) {
            app.Open(screen);
            ImGui::GetIO().DisplaySize = window;
            now += 1.0 / 60.0;
            app.Frame();
            for (const auto& drawn : app.Rects().Texts()) visit(drawn, window, ui::ScreenName(screen));
        }
    }
    return {};
}

}  // namespace htk::app
