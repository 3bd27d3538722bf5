// The App: owns the patient session, draws the current screen, and is the one place that turns a
// screen's intent into actions (DESIGN.md: touch -> ImGui input -> intent -> App -> next frame).
#pragma once
#include <imgui.h>

#include <functional>
#include <optional>
#include <vector>

#include "app/config.h"
#include "i18n/catalog.h"
#include "text/engine.h"
#include "ui/screens/attract_screen.h"
#include "ui/screens/home_screen.h"
#include "ui/screens/language_screen.h"
#include "ui/screens/reception_screen.h"
#include "ui/screens/screen.h"
#include "ui/text.h"
#include "ui/widget_rects.h"

namespace htk::app {

using Clock = std::function<double()>;  // monotonic seconds; tests inject their own
double SteadySeconds();

// Every screen's state. Ending a session replaces it with fresh Views, so nothing a patient chose
// or typed survives.
struct Views {
    ui::AttractView attract;
    ui::LanguageView language;
    ui::HomeView home;
    ui::ReceptionView reception;
    bool operator==(const Views&) const = default;
};

// What the App is built from; main makes each from the config, in this order.
struct AppDeps {
    const Config& config;
    std::vector<i18n::Catalog> packs;  // config.languages, in that order
    text::Engine& engine;              // on the window's glyph textures
    Clock clock = SteadySeconds;
};

class App {
public:
    explicit App(AppDeps deps);

    // One ImGui frame: NewFrame, the current screen, its intent applied, Render. The caller has fed
    // this frame's input and display size into ImGui's IO.
    ImDrawData* Frame();
    // Seconds until the App needs a frame without input (0: at once), nullopt: only on input.
    std::optional<double> NextWake() const;

    void Open(ui::Screen screen);  // --screen, and tests
    ui::Screen Current() const { return m_screen; }
    const Views& CurrentViews() const { return m_views; }
    Views FreshViews() const;      // what a new session starts with
    const ui::WidgetRects& Rects() const { return m_rects; }
    const i18n::Catalog& Language() const { return m_packs[m_language]; }
    const ui::Faces& SessionFaces() const { return m_faces[m_language]; }
    // Tests: keep each frame's drawn text with its font set (ui::WidgetRects::Texts()).
    void KeepDrawnTexts(bool keep) { m_rects.KeepTexts(keep); }

private:
    void UsePacks(std::vector<i18n::Catalog> packs);
    void ReloadPacksIfChanged();  // between sessions only: after ht-admin packs install or rollback
    void StartSession();
    void EndSession();
    void Go(ui::Screen screen);
    void UseLanguage(std::size_t index);
    bool SawInput() const;
    void DrawScreen(const ui::Ctx& ctx);

    const Config& m_config;
    std::vector<i18n::Catalog> m_packs;
    text::Engine& m_text;
    std::vector<ui::Faces> m_faces;    // per pack
    Clock m_clock;
    std::size_t m_start_language = 0;  // index into m_packs: the attract screen's language
    std::size_t m_language = 0;        // the session's
    std::vector<ui::LanguageChoice> m_choices;
    ui::Screen m_screen = ui::Screen::Attract;
    Views m_views;
    ui::WidgetRects m_rects;
    double m_last_input = 0;
    double m_last_frame = 0;
    bool m_redraw = true;  // the screen changed: draw it now, not at the next input
    bool m_check_packs = false;       // a session began or ended: look for newly installed packs
    std::string m_packs_fingerprint;  // i18n::PacksFingerprint when the packs in use were loaded
};

}  // namespace htk::app
