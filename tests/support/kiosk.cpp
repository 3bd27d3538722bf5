// The headless harness. Frames run exactly as in ht-kiosk (App::Frame), minus the window: the
// harness writes ImGui's IO the way platform::InputTranslator does.
#include "tests/support/kiosk.h"

#include <cfloat>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "app/packs.h"
#include "i18n/catalog.h"

namespace htk::test {
namespace {

constexpr double kFrameStep = 1.0 / 60.0;  // fake time between frames
constexpr int kMaxSettleFrames = 10;

}  // namespace

std::filesystem::path WriteConfig(const std::filesystem::path& dir, const KioskOptions& options) {
    const auto file = dir / "kiosk.conf";
    std::ofstream out(file);
    out << "# Health Trainer Kiosk configuration\n"
        << "[practice]\n"
        << "name = " << options.practice << "\n"
        << "time_zone = Europe/London\n"
        // 32 bytes; the harness never seals anything, so any key of the right length will do
        << "public_key = YSBtb2NrIFgyNTUxOSBrZXkgZm9yIFVJIHRlc3RzISE=\n"
        << "[kiosk]\n"
        << "id = kiosk-test\n"
        << "database = " << (dir / "kiosk.db").string() << "\n"
        << "idle_timeout_seconds = " << options.idle_timeout_seconds << "\n";
    if (!options.locales.empty()) out << "locales = " << options.locales.string() << "\n";
    if (!options.languages.empty()) {
        out << "languages = ";
        for (std::size_t i = 0; i < options.languages.size(); ++i) out << (i ? ", " : "") << options.languages[i];
        out << "\n";
    }
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
}

std::vector<std::string> ShippedPacks() { return i18n::InstalledPacks(i18n::DefaultLocalesDir()); }


namespace {

KioskOptions WithLanguage(std::string_view lang) {
    KioskOptions options;
    options.lang = std::string(lang);
    return options;
}

}  // namespace

Kiosk::Kiosk(std::string_view lang) : Kiosk(WithLanguage(lang)) {}

Kiosk::Kiosk(KioskOptions options) : m_options(std::move(options)) {
    const auto file = WriteConfig(m_dir.Path(), m_options);
    const std::string file_arg = file.string();
    const char* argv[] = {"ht-kiosk", "--config", file_arg.c_str(), "--lang", m_options.lang.c_str()};
    auto config = app::LoadConfig(5, argv);
    if (!config) throw std::runtime_error("test kiosk config: " + config.error().detail);
    m_config = std::move(config.value());
    auto packs = app::LoadPacks(m_config);
    if (!packs) throw std::runtime_error("test kiosk packs: " + packs.error().detail);

    m_gui = std::make_unique<ui::GuiContext>();
    ImGuiIO& io = ImGui::GetIO();
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;  // PressKey's own key indices
    io.DisplaySize = m_options.display;
    m_engine = std::make_unique<text::Engine>(m_glyphs);
    m_app = std::make_unique<app::App>(app::AppDeps{m_config, std::move(packs.value()), *m_engine, [this] { return m_now; }});
    m_app->KeepDrawnTexts(true);
    m_custom_rects.KeepTexts(true);
    Frame();
}

Kiosk::~Kiosk() {
    m_gui->MakeCurrent();
    m_app.reset();
    m_engine.reset();
    m_gui.reset();
}

void Kiosk::RunFrame() {
    m_gui->MakeCurrent();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = m_options.display;
    io.MousePos = m_mouse;
    io.MouseDown[0] = m_mouse_down;
    m_now += kFrameStep;
    if (!m_custom) {
        m_draw = m_app->Frame();
        return;
    }
    io.DeltaTime = static_cast<float>(kFrameStep);
    ImGui::NewFrame();
    m_custom_rects.Clear();
    m_engine->NewFrame();
    const ui::Ctx ctx{m_app->Language(), *m_engine, m_app->SessionFaces(), m_custom_rects, io.DisplaySize};
    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("###custom", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground);
    m_custom(ctx);
    ImGui::End();
    ImGui::Render();
    m_draw = ImGui::GetDrawData();
}

void Kiosk::Frame() {
    RunFrame();
    for (int i = 0; i < kMaxSettleFrames; ++i) {
        const bool more = !m_custom && m_app->NextWake() == std::optional<double>(0.0);
        if (!more) break;
        RunFrame();
    }
}

const ui::WidgetRects& Kiosk::Rects() const { return m_custom ? m_custom_rects : m_app->Rects(); }

ui::Rect Kiosk::Find(std::string_view key) const {
    if (const auto rect = RectOf(key)) return *rect;
    std::string keys;
    for (const auto& k : Keys()) keys += (keys.empty() ? "" : ", ") + k;
    throw std::runtime_error("\"" + std::string(key) + "\" is not on screen \"" + Screen() + "\" (it shows: " + keys +
                             ")");
}

void Kiosk::Tap(std::string_view key) {
    m_mouse = Find(key).Centre();
    m_mouse_down = true;
    RunFrame();  // press
    m_mouse_down = false;
    RunFrame();  // release at the same place: ImGui reports the click only if MousePos is still inside
    m_mouse = {-FLT_MAX, -FLT_MAX};
    Frame();  // the finger has gone; the screen the tap led to settles
}

void Kiosk::Slide(std::string_view key, ImVec2 release_at) {
    m_mouse = Find(key).Centre();
    m_mouse_down = true;
    RunFrame();
    m_mouse = release_at;
    RunFrame();
    m_mouse_down = false;
    RunFrame();
    m_mouse = {-FLT_MAX, -FLT_MAX};
    Frame();
}

void Kiosk::Type(std::string_view key, std::string_view text) {
    Tap(key);
    m_gui->MakeCurrent();
    ImGui::GetIO().AddInputCharactersUTF8(std::string(text).c_str());
    Frame();
}

void Kiosk::PressKey(ImGuiKey key) {
    m_gui->MakeCurrent();
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[io.KeyMap[key]] = true;
    RunFrame();
    m_gui->MakeCurrent();
    io.KeysDown[io.KeyMap[key]] = false;
    Frame();
}

void Kiosk::Advance(double seconds) {
    m_now += seconds;
    Frame();
}

std::string Kiosk::Screen() const { return std::string(ui::ScreenName(m_app->Current())); }

void Kiosk::Open(ui::Screen screen) {
    m_app->Open(screen);
    Frame();
}

bool Kiosk::Shows(std::string_view key) const { return RectOf(key).has_value(); }

std::optional<ui::Rect> Kiosk::RectOf(std::string_view key) const { return Rects().Find(key); }

std::vector<std::string> Kiosk::Keys() const {
    std::vector<std::string> keys;
    for (const auto& [k, r] : Rects().All()) keys.push_back(k);
    return keys;
}

const std::vector<ui::DrawnText>& Kiosk::Texts() const { return Rects().Texts(); }

void Kiosk::DrawInstead(std::function<void(const ui::Ctx&)> draw) {
    m_custom = std::move(draw);
    Frame();
}

}  // namespace htk::test
