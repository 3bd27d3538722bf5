// test::Kiosk: the real App in a headless ImGui context (no window, no GL) with real fonts, a temp
// data folder and an injectable clock, driven like a patient would: Tap(key), Type(key, text).
#pragma once
#include <imgui.h>

#include <cfloat>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/app.h"
#include "app/config.h"
#include "app/kiosk_store.h"
#include "store/database.h"
#include "store/sealing.h"
#include "tests/temp_dir.h"
#include "text/engine.h"
#include "text/glyph_texture.h"
#include "ui/ctx.h"
#include "ui/gui_context.h"
#include "ui/pictograms.h"
#include "ui/rect.h"
#include "ui/screens/screen.h"

namespace htk::test {

// A trainer the harness's practice employs: working Monday to Friday, `hours` each day.
struct TrainerSpec {
    std::string name;
    std::vector<std::string> languages;
    std::string hours = "09:00-17:00";
};

// The harness's practice: two trainers, one speaking Urdu and Punjabi, one Polish; nobody Somali.
std::vector<TrainerSpec> DefaultTrainers();

inline constexpr std::string_view kManager = "manager";  // the staff member whose key the harness holds
inline constexpr std::string_view kPassphrase = "correct horse battery staple for tests";
inline constexpr core::UnixSeconds kStartWall = 1795420800;  // Mon 2026-11-23 08:00 Europe/London

struct KioskOptions {
    std::string lang = "en-GB";               // the language the kiosk opens in (--lang)
    std::vector<std::string> languages;       // [kiosk] languages; empty: every pack in `locales`
    std::filesystem::path locales;            // empty: the shipped packs (i18n::DefaultLocalesDir())
    std::string practice = "Chapeltown Health Centre";
    ImVec2 display{1280, 800};
    int idle_timeout_seconds = app::kDefaultIdleTimeoutSeconds;
    std::vector<TrainerSpec> trainers = DefaultTrainers();
    std::filesystem::path database;  // empty: a new one in the harness's folder, with `trainers`
    platform::ReadAloud* voice = nullptr;  // the App's Read aloud; none: the button is hidden
    double pixels_per_mm = 0.0;            // [kiosk] pixels_per_mm; 0: not stated
    // The store ht-kiosk uses when its database could not be written at start (app::ReopeningKioskStore,
    // on the harness's clock) instead of an app::SqliteKioskStore.
    bool reopening_store = false;
    // A kiosk on a shared PostgreSQL database: its store queues each request for the forwarding worker.
    std::optional<app::Forwarding> forwarding;
};

// A practice like `ht-admin demo` sets up, in one transaction: settings, the practice key (kManager's,
// under kPassphrase), `options.trainers` and their weeks. Throws std::runtime_error on failure.
store::PublicKey SetUpPractice(store::Database& db, const KioskOptions& options);

// Writes a kiosk.conf like `ht-admin demo` does, into `dir`; returns its path.
std::filesystem::path WriteConfig(const std::filesystem::path& dir, const KioskOptions& options);

// The shipped packs of the build tree.
std::vector<std::string> ShippedPacks();

class Kiosk {
public:
    explicit Kiosk(std::string_view lang = "en-GB");
    explicit Kiosk(KioskOptions options);
    ~Kiosk();
    Kiosk(const Kiosk&) = delete;
    Kiosk& operator=(const Kiosk&) = delete;

    // A finger on the centre of the widget recorded under `key`: a press frame, a release frame at
    // the same place, then the finger leaves. Throws std::runtime_error, naming the screen and the
    // keys on it, when no such widget was drawn in the last frame.
    void Tap(std::string_view key);
    // A tap at `point` (a place in a text field), pressed and lifted there.
    void TapAt(ImVec2 point);
    // A finger down on the centre of `key` that moves to `release_at` before lifting.
    void Slide(std::string_view key, ImVec2 release_at);
    // Taps the field `key` to focus it, then types `text` as a keyboard would.
    void Type(std::string_view key, std::string_view text);
    // Types `text` on the on-screen keyboard or number pad drawn in the last frame, key by key as a
    // patient would: a key per grapheme cluster, else per run of its code points that has a key (a
    // consonant, then its vowel sign); digits on numpad.<d> while a number pad shows. A key not
    // drawn is looked for under Shift, then in each other layout (keyboard.layout.*). Throws
    // std::runtime_error naming the character when no layout has it.
    void TypeOnScreen(std::string_view text);
    void PressKey(ImGuiKey key);
    // Moves the clock on by `seconds` (timeouts) and draws what the App then wants.
    void Advance(double seconds);
    // One frame, then as many as the App asks for at once (a screen change, new glyphs).
    void Frame();

    std::string Screen() const;
    void Open(ui::Screen screen);
    bool Shows(std::string_view key) const;
    std::optional<ui::Rect> RectOf(std::string_view key) const;
    std::vector<std::string> Keys() const;  // every keyed widget drawn in the last frame
    const std::vector<ui::DrawnText>& Texts() const;  // every text drawn in the last frame
    bool Drew(std::string_view key) const;            // a text of that catalog key is among them

    // Replaces the App's screens with `draw` in every later frame (widget tests); nullptr restores them.
    void DrawInstead(std::function<void(const ui::Ctx&)> draw);

    app::App& App() { return *m_app; }
    store::Database& Db() { return *m_db; }
    app::KioskStore& Store() { return *m_store; }
    // What the practice would see after unlocking: every request's sealed details, newest first.
    std::vector<core::PatientDetails> Revealed();
    core::UnixSeconds Wall() const {
        return kStartWall + m_wall_shift + static_cast<core::UnixSeconds>(m_now - kStartNow);
    }
    // Moves the wall clock alone (holds lapsing) without the idle time a patient would need.
    void ShiftWall(core::UnixSeconds seconds) { m_wall_shift += seconds; }
    const app::Config& Config() const { return m_config; }
    text::Engine& Engine() { return *m_engine; }
    const text::MemoryTextureBackend& GlyphTextures() const { return m_glyphs; }
    ImDrawData* LastDrawData() const { return m_draw; }
    const std::filesystem::path& DataDir() const { return m_dir.Path(); }
    double Now() const { return m_now; }
    // Real (steady-clock) seconds the slowest App frame took since the last call: the fault tests
    // check that the UI thread never stalls.
    double TakeSlowestFrame() { return std::exchange(m_slowest_frame, 0.0); }

private:
    void RunFrame();
    ui::Rect Find(std::string_view key) const;  // throws when not on screen
    bool TapKeyFor(const std::string& typed);    // TypeOnScreen's one key; false when no layout has it
    bool ShowKey(const std::string& key);        // Shift and layout keys until `key` is drawn
    const ui::WidgetRects& Rects() const;

    static constexpr double kStartNow = 1000.0;

    TempDir m_dir;
    KioskOptions m_options;
    std::unique_ptr<store::Database> m_db;
    std::unique_ptr<app::KioskStore> m_store;
    std::unique_ptr<ui::Pictograms> m_pictograms;
    app::Config m_config;
    std::unique_ptr<ui::GuiContext> m_gui;
    text::MemoryTextureBackend m_glyphs;
    std::unique_ptr<text::Engine> m_engine;
    std::unique_ptr<app::App> m_app;
    std::function<void(const ui::Ctx&)> m_custom;
    ui::WidgetRects m_custom_rects;
    ImVec2 m_mouse{-FLT_MAX, -FLT_MAX};
    bool m_mouse_down = false;
    double m_now = kStartNow;
    core::UnixSeconds m_wall_shift = 0;
    ImDrawData* m_draw = nullptr;
    double m_slowest_frame = 0.0;  // real seconds
};

}  // namespace htk::test
