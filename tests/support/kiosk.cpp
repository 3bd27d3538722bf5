// The headless harness. Frames run exactly as in ht-kiosk (App::Frame), minus the window: the
// harness writes ImGui's IO the way platform::InputTranslator does.
#include "tests/support/kiosk.h"

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "app/packs.h"
#include "core/working_plan.h"
#include "i18n/catalog.h"
#include "i18n/time_zone.h"
#include "store/plan_repo.h"
#include "store/referral_repo.h"
#include "store/settings_repo.h"
#include "store/trainer_repo.h"
#include "text/utf8.h"

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
    if (options.pixels_per_mm > 0) out << "pixels_per_mm = " << options.pixels_per_mm << "\n";
    if (!options.locales.empty()) out << "locales = " << options.locales.string() << "\n";
    if (!options.languages.empty()) {
        out << "languages = ";
        for (std::size_t i = 0; i < options.languages.size(); ++i) out << (i ? ", " : "") << options.languages[i];
        out << "\n";
    }
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
}

std::vector<TrainerSpec> DefaultTrainers() {
    return {{"Amira Khan", {"ur", "pa", "en-GB"}}, {"Tomasz Nowak", {"pl", "en-GB"}, "10:00-16:00"}};
}

namespace {

template <class T>
T Must(core::Result<T> r, const char* what) {
    if (!r) throw std::runtime_error(std::string("test kiosk: ") + what + ": " + r.error().detail);
    return std::move(r.value());
}

void Must(core::Result<void> r, const char* what) {
    if (!r) throw std::runtime_error(std::string("test kiosk: ") + what + ": " + r.error().detail);
}

}  // namespace

store::PublicKey SetUpPractice(store::Database& db, const KioskOptions& options) {
    // One transaction: a process killed while setting up leaves no half a practice behind.
    auto tx = Must(store::Transaction::Begin(db), "begin");
    store::PracticeSettings settings;
    settings.name = options.practice;
    Must(store::SettingsRepo(db).Save(settings), "settings");
    const auto key = Must(store::CreatePracticeKeys(db, kManager, store::StaffRole::Manager, kPassphrase, kStartWall), "keys");
    for (const TrainerSpec& t : options.trainers) {
        core::Trainer trainer;
        trainer.display_name = t.name;
        trainer.languages = t.languages;
        const auto id = Must(store::TrainerRepo(db).Add(trainer), "trainer");
        const auto hours = core::ParseDayHours(t.hours);
        if (!hours) throw std::runtime_error("test kiosk: hours " + t.hours);
        for (int weekday = 0; weekday < 5; ++weekday) Must(store::PlanRepo(db).SetWeekday(id, weekday, *hours), "plan");
    }
    Must(tx.Commit(), "commit");
    return key;
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
    i18n::SetProcessTimeZone(m_config.time_zone_id);
    const bool fresh = m_options.database.empty();
    const auto db_path = fresh ? m_dir.Path() / "kiosk.db" : m_options.database;
    m_db = std::make_unique<store::Database>(Must(store::Open(db_path), "database"));
    const store::PublicKey key = fresh ? SetUpPractice(*m_db, m_options) : Must(store::PracticePublicKey(*m_db), "key");
    const std::string actor = "kiosk:" + m_config.kiosk_id;
    if (m_options.reopening_store)
        m_store = std::make_unique<app::ReopeningKioskStore>(db_path, *m_config.time_zone, key, actor, [this] { return m_now; },
                                                             core::Fail(core::Errc::ReadOnly, "read-only at start"));
    else
        m_store = std::make_unique<app::SqliteKioskStore>(*m_db, *m_config.time_zone, key, actor, m_options.forwarding);
    m_pictograms = std::make_unique<ui::Pictograms>(m_glyphs, ui::DefaultAssetsDir() / "pictograms");
    m_app = std::make_unique<app::App>(app::AppDeps{.config = m_config,
                                                    .packs = std::move(packs.value()),
                                                    .engine = *m_engine,
                                                    .store = m_store.get(),
                                                    .voice = m_options.voice,
                                                    .pictograms = m_pictograms.get(),
                                                    .clock = [this] { return m_now; },
                                                    .wall = [this] { return Wall(); }});
    m_app->KeepDrawnTexts(true);
    m_custom_rects.KeepTexts(true);
    Frame();
}

Kiosk::~Kiosk() {
    m_gui->MakeCurrent();
    m_app.reset();
    m_pictograms.reset();
    m_store.reset();
    m_db.reset();
    m_engine.reset();
    m_gui.reset();
}

std::vector<core::PatientDetails> Kiosk::Revealed() {
    auto key = Must(store::Unlock(*m_db, kManager, kPassphrase, Wall()), "unlock");
    store::ReferralRepo referrals(*m_db);
    std::vector<core::PatientDetails> out;
    for (const core::Referral& r : Must(referrals.List(), "list"))
        out.push_back(Must(referrals.Reveal(r.id, key, Wall()), "reveal"));
    return out;
}

void Kiosk::RunFrame() {
    m_gui->MakeCurrent();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = m_options.display;
    io.MousePos = m_mouse;
    io.MouseDown[0] = m_mouse_down;
    m_now += kFrameStep;
    if (!m_custom) {
        const auto start = std::chrono::steady_clock::now();
        m_draw = m_app->Frame();
        m_slowest_frame = std::max(m_slowest_frame,
                                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        return;
    }
    io.DeltaTime = static_cast<float>(kFrameStep);
    ImGui::NewFrame();
    m_custom_rects.Clear();
    m_engine->NewFrame();
    const ui::Ctx ctx{.catalog = m_app->Language(),
                      .engine = *m_engine,
                      .faces = m_app->SessionFaces(),
                      .rects = m_custom_rects,
                      .display = io.DisplaySize,
                      .keyboards = {}};
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

void Kiosk::Tap(std::string_view key) { TapAt(Find(key).Centre()); }

void Kiosk::TapAt(ImVec2 point) {
    m_mouse = point;
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

namespace {

std::string Describe(std::string_view s) {  // "কি" (U+0995 U+09BF)
    std::string out = "\"" + std::string(s) + "\" (";
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto lead = static_cast<unsigned char>(s[i]);
        if ((lead & 0xC0) == 0x80) continue;
        char32_t cp = lead < 0x80 ? lead : lead < 0xE0 ? lead & 0x1F : lead < 0xF0 ? lead & 0x0F : lead & 0x07;
        for (std::size_t j = i + 1; j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80; ++j)
            cp = (cp << 6) | (static_cast<unsigned char>(s[j]) & 0x3F);
        char buf[16];
        std::snprintf(buf, sizeof buf, "%sU+%04X", i ? " " : "", static_cast<unsigned>(cp));
        out += buf;
    }
    return out + ")";
}

std::vector<std::string> CodePoints(std::string_view s) {
    std::vector<std::string> out;
    for (char c : s) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 || out.empty()) out.emplace_back();
        out.back() += c;
    }
    return out;
}

}  // namespace

bool Kiosk::ShowKey(const std::string& key) {
    if (Shows(key)) return true;
    auto under_shift = [&] {
        if (!Shows("keyboard.shift")) return false;
        Tap("keyboard.shift");
        if (Shows(key)) return true;
        Tap("keyboard.shift");  // leave it off, as found
        return false;
    };
    if (under_shift()) return true;
    std::vector<std::string> layouts;  // every other layout is offered on each layout's bottom row
    for (const auto& k : Keys())
        if (k.starts_with("keyboard.layout.")) layouts.push_back(k);
    for (const auto& layout : layouts) {
        if (!Shows(layout)) continue;
        Tap(layout);
        if (Shows(key) || under_shift()) return true;
    }
    return false;
}

bool Kiosk::TapKeyFor(const std::string& typed) {
    const bool pad = Shows("numpad.backspace");
    std::string key = "keyboard.key." + typed;
    if (typed == " ") key = "keyboard.space";
    if (pad && typed.size() == 1 && typed[0] >= '0' && typed[0] <= '9') key = "numpad." + typed;
    if (pad && typed == "+") key = "numpad.plus";
    if (!ShowKey(key)) return false;
    Tap(key);
    return true;
}

void Kiosk::TypeOnScreen(std::string_view text) {
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t next = text::NextCaretStop(text, at);
        const std::string grapheme(text.substr(at, next - at));
        at = next;
        if (TapKeyFor(grapheme)) continue;
        // A cluster typed as several keys: the longest run of its code points that is a key, then on.
        const auto cps = CodePoints(grapheme);
        for (std::size_t i = 0; i < cps.size();) {
            std::size_t n = cps.size() - i - (i == 0 ? 1 : 0);
            for (; n > 0; --n) {
                std::string run;
                for (std::size_t j = i; j < i + n; ++j) run += cps[j];
                if (TapKeyFor(run)) break;
            }
            if (n == 0)
                throw std::runtime_error("TypeOnScreen: no on-screen layout has " + Describe(grapheme) +
                                         (cps.size() > 1 ? ", nor a key for " + Describe(cps[i]) : std::string()));
            i += n;
        }
    }
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

bool Kiosk::Drew(std::string_view key) const {
    return std::any_of(Texts().begin(), Texts().end(), [&](const ui::DrawnText& t) { return t.key == key; });
}

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
