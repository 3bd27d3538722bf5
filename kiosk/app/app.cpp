// The patient session: which screen, which language, when it times out. Screens return intents;
// this file alone turns them into actions.
#include "app/app.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <utility>

#include "app/packs.h"
#include "i18n/pack_install.h"
#include "ui/ctx.h"

namespace htk::app {

double SteadySeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

App::App(AppDeps deps)
    : m_config(deps.config), m_text(deps.engine), m_clock(std::move(deps.clock)) {
    m_packs_fingerprint = i18n::PacksFingerprint(m_config.locales);
    UsePacks(std::move(deps.packs));
    m_views = FreshViews();
    m_last_input = m_last_frame = m_clock();
    if (m_config.screen) Open(*m_config.screen);
}

void App::UsePacks(std::vector<i18n::Catalog> packs) {
    assert(!packs.empty() && "LoadConfig guarantees at least English");
    m_packs = std::move(packs);
    m_faces.clear();
    m_choices.clear();
    m_start_language = 0;
    for (std::size_t i = 0; i < m_packs.size(); ++i) {
        const i18n::Catalog& pack = m_packs[i];
        if (pack.Tag() == m_config.start_language) m_start_language = i;
        m_faces.push_back(ui::AddFaces(m_text, pack));
        m_choices.push_back({pack.Tag(), i18n::Endonym(pack.Info()), m_faces.back()});
    }
    m_language = m_start_language;
}

void App::ReloadPacksIfChanged() {
    auto fingerprint = i18n::PacksFingerprint(m_config.locales);
    if (fingerprint == m_packs_fingerprint) return;
    m_packs_fingerprint = std::move(fingerprint);
    auto fresh = LoadPacks(m_config);
    if (!fresh) {  // e.g. a configured pack was removed: keep serving the ones in memory
        std::fprintf(stderr, "ht-kiosk: keeping the language packs in use: %s\n", fresh.error().detail.c_str());
        return;
    }
    const std::string session_language = m_packs[m_language].Tag();
    UsePacks(std::move(fresh.value()));
    for (std::size_t i = 0; i < m_packs.size(); ++i)
        if (m_packs[i].Tag() == session_language) m_language = i;
    m_views.language.choices = m_choices;
    std::fprintf(stderr, "ht-kiosk: language packs reloaded\n");
}

Views App::FreshViews() const {
    Views v;
    v.attract.practice_name = m_config.practice_name;
    v.language.choices = m_choices;
    v.language.current = m_packs[m_start_language].Tag();
    v.home.offer_language = m_packs.size() > 1;
    return v;
}

void App::Open(ui::Screen screen) {
    Go(screen);
    m_last_input = m_clock();  // the idle timeout counts from here
}

void App::Go(ui::Screen screen) {
    m_screen = screen;
    m_redraw = true;
}

void App::StartSession() {
    m_check_packs = true;
    Go(m_packs.size() > 1 ? ui::Screen::Language : ui::Screen::Home);
}

void App::EndSession() {
    m_views = FreshViews();
    m_language = m_start_language;
    m_check_packs = true;
    Go(ui::Screen::Attract);
}

void App::UseLanguage(std::size_t index) {
    m_language = index;
    m_views.language.current = m_packs[index].Tag();
}

bool App::SawInput() const {
    const ImGuiIO& io = ImGui::GetIO();
    if (std::any_of(std::begin(io.MouseDown), std::end(io.MouseDown), [](bool d) { return d; })) return true;
    if (ImGui::IsMouseReleased(ImGuiMouseButton_Left)) return true;
    if (io.MouseDelta.x != 0.0f || io.MouseDelta.y != 0.0f || io.MouseWheel != 0.0f) return true;
    if (!io.InputQueueCharacters.empty()) return true;
    return std::any_of(std::begin(io.KeysDown), std::end(io.KeysDown), [](bool d) { return d; });
}

ImDrawData* App::Frame() {
    const double now = m_clock();
    ImGuiIO& io = ImGui::GetIO();
    // After a long sleep the step is long too; ImGui only needs it positive.
    io.DeltaTime = static_cast<float>(std::max(now - m_last_frame, 1.0 / 240.0));
    m_last_frame = now;
    ImGui::NewFrame();

    if (SawInput()) m_last_input = now;
    if (m_screen != ui::Screen::Attract && now - m_last_input >= m_config.idle_timeout_seconds) EndSession();
    m_redraw = false;
    // Packs installed by ht-admin are picked up between sessions, never mid-session, and before the
    // frame's Ctx points into them.
    if (std::exchange(m_check_packs, false)) ReloadPacksIfChanged();

    m_rects.Clear();
    m_text.NewFrame();
    const ui::Ctx ctx{m_packs[m_language], m_text, m_faces[m_language], m_rects, io.DisplaySize};
    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize(io.DisplaySize);
    constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                        ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoBackground;
    ImGui::Begin("###kiosk", nullptr, kFlags);
    DrawScreen(ctx);
    ImGui::End();
    ImGui::Render();
    return ImGui::GetDrawData();
}

void App::DrawScreen(const ui::Ctx& ctx) {
    switch (m_screen) {
        case ui::Screen::Attract:
            if (ui::DrawAttract(m_views.attract, ctx).kind == ui::AttractIntent::Start) StartSession();
            break;
        case ui::Screen::Language: {
            const auto intent = ui::DrawLanguage(m_views.language, ctx);
            if (intent.kind == ui::LanguageIntent::Back) {
                EndSession();
            } else if (intent.kind == ui::LanguageIntent::Choose) {
                for (std::size_t i = 0; i < m_packs.size(); ++i)
                    if (m_packs[i].Tag() == intent.tag) UseLanguage(i);
                Go(ui::Screen::Home);
            }
            break;
        }
        case ui::Screen::Home:
            switch (ui::DrawHome(m_views.home, ctx).kind) {
                case ui::HomeIntent::Refer:
                case ui::HomeIntent::Book:
                    // Self-referral and booking on the kiosk arrive with step 4; until then the
                    // patient is sent to the desk, which does both.
                case ui::HomeIntent::Reception: Go(ui::Screen::Reception); break;
                case ui::HomeIntent::Language: Go(ui::Screen::Language); break;
                case ui::HomeIntent::StartAgain: EndSession(); break;
                case ui::HomeIntent::None: break;
            }
            break;
        case ui::Screen::Reception:
            switch (ui::DrawReception(m_views.reception, ctx).kind) {
                case ui::ReceptionIntent::Back: Go(ui::Screen::Home); break;
                case ui::ReceptionIntent::StartAgain: EndSession(); break;
                case ui::ReceptionIntent::None: break;
            }
            break;
    }
}

std::optional<double> App::NextWake() const {
    if (m_redraw) return 0.0;
    if (m_screen == ui::Screen::Attract) return std::nullopt;  // an idle attract screen sleeps
    return std::max(0.0, m_last_input + m_config.idle_timeout_seconds - m_clock());
}

}  // namespace htk::app
