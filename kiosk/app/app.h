// The App: owns the patient session, draws the current screen, and is the one place that turns a
// screen's intent into actions (DESIGN.md: touch -> ImGui input -> intent -> App -> next frame).
//
// 2026-11-23: a send that meets another process's write lock stays on the review and is retried
// from later frames for kSendPatienceSeconds before "Please see reception" (issue 8).
#pragma once
#include <imgui.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/config.h"
#include "app/kiosk_store.h"
#include "i18n/catalog.h"
#include "i18n/keyboard.h"
#include "platform/speech.h"
#include "text/engine.h"
#include "ui/screens/attract_screen.h"
#include "ui/screens/home_screen.h"
#include "ui/screens/language_screen.h"
#include "ui/screens/reception_screen.h"
#include "ui/screens/request_screens.h"
#include "ui/screens/screen.h"
#include "ui/text.h"
#include "ui/widget_rects.h"

namespace htk::app {

using Clock = std::function<double()>;                   // monotonic seconds; tests inject their own
using WallClock = std::function<core::UnixSeconds()>;    // what requests are stamped with
double SteadySeconds();
core::UnixSeconds SystemSeconds();

inline constexpr double kAttractRotateSeconds = 4.0;     // "Touch to start" in the next language
inline constexpr double kSpeakingPollSeconds = 0.25;     // how soon the Read aloud button sees reading end
// A request that meets another process's write lock is tried again every kSendRetrySeconds, for
// kSendPatienceSeconds in all, while frames keep coming; then "Please see reception".
inline constexpr double kSendPatienceSeconds = 5.0;
inline constexpr double kSendRetrySeconds = 0.25;

// A request in progress: which journey, and what the booking journey holds.
enum class Journey { None, Referral, Booking };

// Every screen's state. Ending a session replaces it with fresh Views (after wiping what was
// typed), so nothing a patient chose or typed survives.
struct Views {
    ui::AttractView attract;
    ui::LanguageView language;
    ui::HomeView home;
    ui::ReceptionView reception;
    ui::Answers answers;
    ui::StepState step;
    Journey journey = Journey::None;
    bool waiting_list = false;              // a call-back after finding no free slot
    bool crisis_shown = false;              // the crisis information appears once a session
    std::vector<FreeSlot> slots;            // the booking list as last fetched
    std::vector<ui::SlotChoice> slot_choices;
    std::string slots_note;                 // who speaks the patient's language
    bool booking_unavailable = false;       // the shared database is away: no times, a call back instead
    std::optional<core::Slot> held;         // the slot this session holds
    std::vector<FreeSlot> nearest;          // offered after the slot went
    std::vector<ui::SlotChoice> nearest_choices;
    std::string reference;                  // shown on the Sent screen, then gone with the session
    std::string booked_when;                // the booked slot, formatted
    int retention_months = 12;              // the practice's, read when the consent screen opens
    bool operator==(const Views&) const = default;
};

// What the App is built from; main makes each from the config, in this order.
struct AppDeps {
    const Config& config;
    std::vector<i18n::Catalog> packs;  // config.languages, in that order
    text::Engine& engine;              // on the window's glyph textures
    KioskStore* store = nullptr;       // null: requests end on the "Please see reception" screen
    platform::ReadAloud* voice = nullptr;  // null: no Read aloud button
    ui::Pictograms* pictograms = nullptr;  // null: text only
    Clock clock = SteadySeconds;
    WallClock wall = SystemSeconds;
};

class App {
public:
    explicit App(AppDeps deps);
    ~App();

    // One ImGui frame: NewFrame, the current screen, its intent applied, Render. The caller has fed
    // this frame's input and display size into ImGui's IO.
    ImDrawData* Frame();
    // Seconds until the App needs a frame without input (0: at once), nullopt: only on input.
    std::optional<double> NextWake() const;

    void Open(ui::Screen screen);  // --screen, and tests
    // The read-aloud voice, when it is opened after the App (ht-kiosk opens it after its first frame).
    void UseVoice(platform::ReadAloud* voice) { m_voice = voice; }
    // Switches the session's language, and the attract screen's (its rotation starts again from it),
    // as the picker would: for --bench and tests. False, changing nothing, when no loaded pack is `tag`.
    bool UseLanguageTag(std::string_view tag);
    ui::Screen Current() const { return m_screen; }
    const Views& CurrentViews() const { return m_views; }
    Views FreshViews() const;      // what a new session starts with
    const ui::WidgetRects& Rects() const { return m_rects; }
    const i18n::Catalog& Language() const { return m_packs[m_language]; }
    const ui::Faces& SessionFaces() const { return m_faces[m_language]; }
    bool LargerText() const { return m_larger_text; }
    // Tests: keep each frame's drawn text with its font set (ui::WidgetRects::Texts()).
    void KeepDrawnTexts(bool keep) { m_rects.KeepTexts(keep); }

private:
    void UsePacks(std::vector<i18n::Catalog> packs);
    void ReloadPacksIfChanged();  // between sessions only: after ht-admin packs install or rollback
    void StartSession();
    void EndSession();
    void Go(ui::Screen screen);   // forward: Back returns to the current screen
    void Replace(ui::Screen screen);  // forward without a way back (after sending, after a failure)
    void GoBack();
    void UseLanguage(std::size_t index);
    bool SawInput() const;
    void DrawScreen(const ui::Ctx& ctx);
    ui::Chrome SessionChrome() const;
    void Common(ui::Common tapped);
    void Step(const ui::StepIntent& intent);

    // The journeys.
    void Next();                                  // validate the current screen, then move on
    ui::Screen After(ui::Screen screen) const;    // the screen that follows in this journey
    bool Validate();                              // sets step.error_key when the patient must correct
    void StartBooking();
    void LoadSlots();
    void ChooseSlot(const FreeSlot& slot);
    void SlotWent(core::Slot lost);  // by value: it is often the held slot or a list entry this clears
    void Send();
    core::Referral BuildReferral() const;
    void StoreFailed(const char* what, const core::Error& error);
    // The review's rows; `targets`: the screen each row's Change opens.
    std::vector<ui::ReviewRow> ReviewRows(std::vector<ui::Screen>* targets = nullptr) const;
    ui::SlotChoice Describe(const FreeSlot& slot) const;
    void ReadAloud();
    void WipeAnswers();

    const Config& m_config;
    std::vector<i18n::Catalog> m_packs;
    text::Engine& m_text;
    KioskStore* m_store;
    platform::ReadAloud* m_voice;
    ui::Pictograms* m_pictograms;
    std::vector<ui::Faces> m_faces;    // per pack
    std::vector<std::vector<i18n::Keyboard>> m_keyboards;  // per pack, in its manifest's order
    Clock m_clock;
    WallClock m_wall;
    std::size_t m_start_language = 0;  // index into m_packs: the attract screen's language
    std::size_t m_english = 0;         // index of en-GB
    std::size_t m_language = 0;        // the session's
    std::size_t m_attract_language = 0;  // the language "Touch to start" shows now
    double m_attract_since = 0;
    std::vector<ui::LanguageChoice> m_choices;
    ui::Screen m_screen = ui::Screen::Attract;
    std::vector<ui::Screen> m_history;  // where Back goes
    bool m_back_to_review = false;      // a Change from the review: Next returns there
    ui::Screen m_before_more_time = ui::Screen::Home;
    double m_more_time_since = 0;
    bool m_larger_text = false;
    std::string m_token;                // this session's hold token: random, never the patient's
    Views m_views;
    ui::WidgetRects m_rects;
    double m_last_input = 0;
    double m_last_frame = 0;
    bool m_redraw = true;  // the screen changed: draw it now, not at the next input
    bool m_check_packs = false;       // a session began or ended: look for newly installed packs
    std::optional<double> m_send_waiting_since;  // the review's request met the write lock then (App clock)
    double m_send_retry_at = 0;
    std::string m_packs_fingerprint;  // i18n::PacksFingerprint when the packs in use were loaded
};

}  // namespace htk::app
