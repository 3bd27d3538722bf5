// `ht-admin desk`: the desk app in a window of its own. Unlocks on its own screen, or at once with
// --passphrase-fd (scripts, screenshots); --screenshot FILE draws one settled frame into a PNG.
// --server CONNINFO adds the From kiosks and Kiosks views, read from the shared PostgreSQL database off
// the UI thread.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "admin/desk/desk_app.h"
#include "admin/verbs.h"
#include "platform/image.h"
#include "platform/window.h"
#include "store/audit_repo.h"
#include "store/pg/connection.h"
#include "text/engine.h"
#include "ui/gui_context.h"

namespace htk::admin {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

std::optional<desk::Tab> ParseTab(std::string_view name) {
    if (name == "requests") return desk::Tab::Requests;
    if (name == "forwarded") return desk::Tab::Forwarded;
    if (name == "week") return desk::Tab::Week;
    if (name == "waiting") return desk::Tab::Waiting;
    if (name == "trainers") return desk::Tab::Trainers;
    if (name == "reports") return desk::Tab::Reports;
    if (name == "audit") return desk::Tab::Audit;
    if (name == "kiosks") return desk::Tab::Kiosks;
    return std::nullopt;
}

}  // namespace

Result<void> VerbDesk(Session& s) {
    std::optional<desk::Tab> tab;
    if (auto v = s.args.Option("tab")) {
        tab = ParseTab(*v);
        if (!tab) return Fail(Errc::InvalidInput, "--tab must be requests, forwarded, week, waiting, trainers, reports, audit or kiosks");
    }
    std::string server;
    if (auto v = s.args.Option("server")) {
        // Only parsed here: connecting is the watcher's job, on its own thread, once the window is up.
        if (auto valid = store::pg::CheckConnInfo(*v); !valid) return Fail(Errc::InvalidInput, "--server: " + valid.error().detail);
        server = *v;
    }
    if ((tab == desk::Tab::Kiosks || tab == desk::Tab::Forwarded) && server.empty())
        return Fail(Errc::InvalidInput, "--tab kiosks and --tab forwarded need --server CONNINFO");
    int lock_minutes = 5;
    if (auto v = s.args.Option("lock-minutes")) {
        try {
            lock_minutes = std::stoi(*v);
        } catch (...) {
            lock_minutes = 0;
        }
        if (lock_minutes < 1 || lock_minutes > 60) return Fail(Errc::InvalidInput, "--lock-minutes must be 1 to 60");
    }
    int width = 1440;
    int height = 900;
    if (auto v = s.args.Option("window")) {
        if (std::sscanf(v->c_str(), "%dx%d", &width, &height) != 2 || width < 800 || height < 600)
            return Fail(Errc::InvalidInput, "--window must be WIDTHxHEIGHT, at least 800x600");
    }
    auto db = s.Db();
    if (!db) return db.error();
    auto zone = s.Zone();
    if (!zone) return zone.error();
    if (auto problem = platform::DisplayProblem()) return Fail(Errc::BadConfig, *problem);

    ui::GuiContext gui;
    desk::SetUpDeskGui();
    platform::OpenFailure failure = platform::OpenFailure::None;
    std::string why;
    platform::WindowOptions options{.title = "Health Trainer desk", .size = platform::WindowSize{width, height}, .desktop = true};
    auto window = platform::Window::Open(options, failure, why);
    if (!window) return Fail(Errc::BadConfig, why);
    text::Engine engine(window->GlyphTextures());
    desk::DeskApp app(**db, std::move(*zone), engine,
                      {.lock_after_seconds = lock_minutes * 60, .now = s.env.now, .server = std::move(server)});

    if (s.args.Option("passphrase-fd")) {
        auto staff = s.args.Option("staff");
        if (!staff) return Fail(Errc::InvalidInput, "say whose passphrase with --staff NAME");
        auto pass = s.passphrase.Read("");
        if (!pass) return pass.error();
        auto unlocked = app.Unlock(*staff, *pass);
        core::Wipe(*pass);
        if (!unlocked) return unlocked;
        s.actor = "staff:" + *staff;
    }
    if (tab) {
        if (auto shown = app.Show(*tab); !shown) return shown;
    }
    if (auto ref = s.args.Option("select")) {
        if (*ref == "new") app.NewRequest();
        else if (tab == desk::Tab::Forwarded) {
            // The server's list arrives from the watcher's thread: wait for its first read, frame by frame.
            auto r = app.SelectForwarded(*ref, "");
            for (int frame = 0; frame < 400 && !r && r.error().code == Errc::Busy && window->PollFrame(); ++frame) {
                window->Present(app.Frame());
                std::this_thread::sleep_for(std::chrono::milliseconds(25));
                r = app.SelectForwarded(*ref, "");
            }
            if (!r) return r;
        } else if (auto r = app.Select(*ref); !r) return r;
    }

    if (auto shot = s.args.Option("screenshot")) {
        for (int frame = 0; frame < 200; ++frame) {
            if (!window->PollFrame()) return {};
            ImDrawData* draw = app.Frame();
            if (frame >= 3 && app.NextWake() != std::optional<double>(0.1)) {
                // An unlocked desk shows patients' details: the picture is an export like any other,
                // private to its owner from the first byte and written to the audit log.
                const mode_t mask = ::umask(077);
                auto written = platform::WritePng(window->Capture(draw), *shot);
                ::umask(mask);
                if (!written) return written.error();
                if (!app.Locked()) {
                    auto audited = store::AuditRepo(**db).Append({0, s.env.now(), s.actor, "export",
                                                                  std::filesystem::path(*shot).filename().string(),
                                                                  "desk screenshot"});
                    if (!audited) return audited.error();
                }
                return {};
            }
            window->Present(draw);
            // Names and the kiosks' first read arrive from threads: give them time, not only frames.
            if (frame >= 3) std::this_thread::sleep_for(std::chrono::milliseconds(40));
        }
        return Fail(Errc::Internal, "the desk did not settle for its screenshot");
    }
    while (window->WaitFrame(app.NextWake())) window->Present(app.Frame());
    return {};
}

}  // namespace htk::admin
