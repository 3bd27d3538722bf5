// test::Desk: the real desk app in a headless ImGui context (no window, no GL) with real fonts, on a
// temp practice (Rukhsana, manager; Tomasz, receptionist; two trainers), driven by taps and typing.
#pragma once
#include <doctest/doctest.h>
#include <imgui.h>

#include <cfloat>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "admin/admin.h"
#include "admin/desk/desk_app.h"
#include "core/referral.h"
#include "core/working_plan.h"
#include "i18n/time_zone.h"
#include "store/database.h"
#include "store/plan_repo.h"
#include "store/referral_repo.h"
#include "store/sealing.h"
#include "store/trainer_repo.h"
#include "tests/temp_dir.h"
#include "text/engine.h"
#include "text/glyph_texture.h"
#include "ui/gui_context.h"

namespace htk::test {

inline const std::string kManagerPass = "rukhsana's long passphrase";
inline const std::string kReceptionPass = "tomasz's long passphrase";
inline constexpr core::UnixSeconds kMonday0800 = 1795420800;  // Mon 2026-11-23 08:00 Europe/London

class Desk {
public:
    explicit Desk(core::UnixSeconds lock_after = admin::desk::kDefaultLockAfterSeconds) {
        std::ostringstream out, err;
        admin::Env env(out, err);
        env.now = [this] { return now; };
        admin::InitOptions init;
        init.database = path;
        init.practice_name = "Chapeltown Health Centre";
        init.staff_name = "Rukhsana";
        auto key = admin::Init(init, kManagerPass, env);
        REQUIRE_MESSAGE(key.ok(), err.str());
        public_key = *key;
        db.emplace(Must(store::Open(path)));
        kiosk.emplace(Must(store::Open(path)));
        auto manager = Must(store::Unlock(*db, "Rukhsana", kManagerPass, now));
        REQUIRE(store::AddStaffKey(*db, manager, "Tomasz", store::StaffRole::Receptionist, kReceptionPass, now).ok());
        AddTrainer("Amira Khan", {"ur", "pa", "en-GB"});
        AddTrainer("Tomasz Nowak", {"pl", "en-GB"});

        gui = std::make_unique<ui::GuiContext>();
        admin::desk::SetUpDeskGui();
        ImGuiIO& io = ImGui::GetIO();
        for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;
        io.DisplaySize = {1440, 900};
        engine = std::make_unique<text::Engine>(glyphs);
        app = std::make_unique<admin::desk::DeskApp>(*db, i18n::MakeTimeZone("Europe/London"), *engine,
                                                     admin::desk::DeskOptions{.lock_after_seconds = lock_after,
                                                                              .now = [this] { return now; }});
        Frame();
    }
    ~Desk() {
        gui->MakeCurrent();
        app.reset();
        kiosk.reset();
        engine.reset();
        gui.reset();
    }
    Desk(const Desk&) = delete;
    Desk& operator=(const Desk&) = delete;

    template <class T>
    static T Must(core::Result<T> r) {
        if (!r) throw std::runtime_error(r.error().detail);
        return std::move(*r);
    }

    core::TrainerId AddTrainer(const std::string& name, std::vector<std::string> languages) {
        core::Trainer t;
        t.display_name = name;
        t.languages = std::move(languages);
        const auto id = Must(store::TrainerRepo(*db).Add(t));
        for (int d = 0; d < 5; ++d) REQUIRE(store::PlanRepo(*db).SetWeekday(id, d, *core::ParseDayHours("09:00-17:00")).ok());
        return id;
    }

    // A request as a kiosk makes it, on a connection of its own as a kiosk process has (the desk
    // sees it by refresh: data_version counts other connections' commits only).
    core::Referral Request(const std::string& name, const std::string& language, bool interpreter = false,
                           bool waiting = false, core::Reason reason = core::Reason::MovingMore) {
        core::Referral r;
        r.reasons = {reason};
        r.preferred_language = language;
        r.interpreter = interpreter;
        r.waiting_list = waiting;
        r.consent_version = "2026-01";
        r.patient.name = name;
        r.patient.phone = "+447700900123";
        return Must(store::ReferralRepo(*kiosk).Create(r, public_key, "kiosk:kiosk-1", now - 3600));
    }

    void Frame() {
        gui->MakeCurrent();
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = {1440, 900};
        io.DeltaTime = 1.0f / 60.0f;
        io.MousePos = mouse;
        io.MouseDown[0] = down;
        app->Frame();
    }

    // Frames until the worker has opened every name (it runs on its own thread).
    void WaitForNames() {
        for (int i = 0; i < 500 && !app->Model().Progress().Finished(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            Frame();
        }
        Frame();
        Frame();
    }

    bool Has(std::string_view key) const { return app->Rects().Find(key).has_value(); }

    void Tap(std::string_view key) {
        const auto rect = app->Rects().Find(key);
        if (!rect) throw std::runtime_error("no widget '" + std::string(key) + "' on the desk");
        mouse = rect->Centre();
        down = true;
        Frame();
        down = false;
        Frame();
        mouse = {-FLT_MAX, -FLT_MAX};
        Frame();
    }

    void Type(std::string_view key, const std::string& text) {
        Tap(key);
        ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
        Frame();
        Frame();
    }

    // Select all in the field (Ctrl+A), delete it, then type `text`: what a person does to replace a value.
    void Retype(std::string_view key, const std::string& text) {
        Tap(key);
        ImGui::GetIO().KeyCtrl = true;
        Press(ImGuiKey_A);
        ImGui::GetIO().KeyCtrl = false;
        Press(ImGuiKey_Backspace);
        ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
        Frame();
        Frame();
    }

    void Press(ImGuiKey key) {
        ImGui::GetIO().KeysDown[key] = true;
        Frame();
        ImGui::GetIO().KeysDown[key] = false;
        Frame();
    }

    void UnlockAs(const std::string& who, const std::string& pass) {
        Tap("unlock.staff." + who);
        Type("unlock.passphrase", pass);
        Tap("unlock.go");
        WaitForNames();
    }

    TempDir dir;
    std::filesystem::path path = dir.File("kiosk.db");
    core::UnixSeconds now = kMonday0800;
    store::PublicKey public_key{};
    std::optional<store::Database> db;     // the desk's connection
    std::optional<store::Database> kiosk;  // a kiosk's, or another desk's
    std::unique_ptr<ui::GuiContext> gui;
    text::MemoryTextureBackend glyphs;
    std::unique_ptr<text::Engine> engine;
    std::unique_ptr<admin::desk::DeskApp> app;
    ImVec2 mouse{-FLT_MAX, -FLT_MAX};
    bool down = false;
};

}  // namespace htk::test
