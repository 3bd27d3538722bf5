// The reception desk app: Dear ImGui widgets for the (English) interface, kiosk/text for anything a
// patient or the practice wrote in any script. Draws one frame at a time from the DeskModel and
// the store; never keeps a name on screen or in memory once it locks.
#pragma once
#include <imgui.h>

#include <memory>
#include <optional>
#include <string>

#include "admin/desk/desk_model.h"
#include "core/time.h"
#include "store/database.h"
#include "store/referral_repo.h"
#include "store/report_repo.h"
#include "text/engine.h"
#include "ui/widget_rects.h"

namespace htk::admin::desk {

inline constexpr core::UnixSeconds kDefaultLockAfterSeconds = 5 * 60;
inline constexpr core::UnixSeconds kRefreshEverySeconds = 1;

// Forwarded (the requests the kiosks sent to the shared server) and Kiosks: only with a server.
enum class Tab { Requests, Forwarded, Week, Waiting, Trainers, Reports, Audit, Kiosks };

struct DeskOptions {
    core::UnixSeconds lock_after_seconds = kDefaultLockAfterSeconds;  // no input for this long: lock
    Clock now;                                                      // wall clock; default: the system's
    std::string server;  // libpq string of the shared PostgreSQL database: adds the From kiosks and Kiosks views; empty: none
};

// Sets up ImGui's atlas with Noto Sans (found by fontconfig) for the desk's English interface, and a
// desktop style. Call after the ImGui context exists and before the window uploads the atlas.
void SetUpDeskGui(float font_px = 18.0f);

class DeskApp {
public:
    DeskApp(store::Database& db, std::unique_ptr<core::TimeZone> zone, text::Engine& engine, DeskOptions options);
    ~DeskApp();
    DeskApp(const DeskApp&) = delete;
    DeskApp& operator=(const DeskApp&) = delete;

    ImDrawData* Frame();                     // reads io's input, draws, renders
    // What the unlock screen does, for --passphrase-fd: WrongPassphrase, TooManyAttempts, NotFound.
    core::Result<void> Unlock(std::string_view staff, std::string_view passphrase);
    core::Result<void> Show(Tab tab);  // Forbidden (audited) for a manager's view when not a manager
    void Filter(const Query& query);  // as if the filters had been set by hand
    core::Result<void> Select(std::string_view reference);  // opens a request's detail (audited)
    // Opens a forwarded request's detail in the From kiosks view (audited): Busy until the server's list
    // is first read. `origin` ("kiosk:waiting-room") tells two kiosks' alike references apart; empty: the first.
    core::Result<void> SelectForwarded(std::string_view reference, std::string_view origin);
    void NewRequest();                                       // opens the form for a request taken at the desk
    std::optional<double> NextWake() const;  // seconds until a timer needs a frame; 0: draw again now
    const ui::WidgetRects& Rects() const { return m_rects; }

    // For tests and the status line.
    bool Locked() const;
    Tab CurrentTab() const;
    const std::string& Message() const;  // the last action's outcome, as shown
    const DeskModel& Model() const;
    const std::vector<int>& Visible();  // the list as the current filters show it
    std::optional<core::ReferralId> Selected() const;
    const store::ReportFigures* Figures() const;  // the Reports view's, once read (with --server, once the server answered)
    const std::string& FiguresSource() const;      // with --server: what they count, in words
    const std::vector<store::ReferralNote>& ForwardedNotes() const;  // the forwarded request's shown, opened

    struct State;

private:
    std::unique_ptr<State> m;
    ui::WidgetRects m_rects;
};

}  // namespace htk::admin::desk
