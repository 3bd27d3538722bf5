// The patient session: which screen, which language, which journey, when it times out. Screens
// return intents; this file alone turns them into actions and talks to the store.
#include "app/app.h"

#include <sodium.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <utility>

#include "app/packs.h"
#include "core/reference.h"
#include "core/strings.h"
#include "core/validation.h"
#include "i18n/pack_install.h"
#include "i18n/validate.h"
#include "ui/ctx.h"

namespace htk::app {
namespace {

constexpr std::string_view kEnglishTag = "en-GB";
constexpr std::size_t kNearestSlots = 4;  // offered when the tapped slot went

// Which screens belong to the request journeys (and so need one in progress).
bool InRequest(ui::Screen s) {
    switch (s) {
        case ui::Screen::Attract:
        case ui::Screen::Language:
        case ui::Screen::Home:
        case ui::Screen::Reception:
        case ui::Screen::Help:
        case ui::Screen::MoreTime:
        case ui::Screen::Failure: return false;
        default: return true;
    }
}

std::string InvalidKey(core::Invalid code) { return "invalid." + std::string(core::Key(code)); }

}  // namespace

double SteadySeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

core::UnixSeconds SystemSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

App::App(AppDeps deps)
    : m_config(deps.config),
      m_text(deps.engine),
      m_store(deps.store),
      m_voice(deps.voice),
      m_pictograms(deps.pictograms),
      m_clock(std::move(deps.clock)),
      m_wall(std::move(deps.wall)) {
    m_packs_fingerprint = i18n::PacksFingerprint(m_config.locales);
    UsePacks(std::move(deps.packs));
    m_views = FreshViews();
    m_last_input = m_last_frame = m_attract_since = m_clock();
    if (m_config.screen) Open(*m_config.screen);
}

App::~App() {
    if (m_store && m_views.held) m_store->Release(m_token);
    WipeAnswers();
}

void App::UsePacks(std::vector<i18n::Catalog> packs) {
    assert(!packs.empty() && "LoadConfig guarantees at least English");
    m_packs = std::move(packs);
    m_faces.clear();
    m_choices.clear();
    m_keyboards.clear();
    m_start_language = m_english = 0;
    for (std::size_t i = 0; i < m_packs.size(); ++i) {
        const i18n::Catalog& pack = m_packs[i];
        if (pack.Tag() == m_config.start_language) m_start_language = i;
        if (pack.Tag() == kEnglishTag) m_english = i;
        m_faces.push_back(ui::AddFaces(m_text, pack));
        m_choices.push_back({pack.Tag(), i18n::Endonym(pack.Info()), m_faces.back()});
        auto keyboards = i18n::LoadPackKeyboards(m_config.locales / pack.Tag(), pack.Info().keyboards);
        if (!keyboards) {  // the pack lint refuses this before a pack ships; keep the kiosk usable
            std::fprintf(stderr, "ht-kiosk: %s: keyboards: %s\n", pack.Tag().c_str(), keyboards.error().detail.c_str());
            m_keyboards.emplace_back();
        } else {
            m_keyboards.push_back(std::move(keyboards.value()));
        }
    }
    // A pack without layouts borrows English's, so a name can always be typed in Latin letters.
    for (auto& k : m_keyboards)
        if (k.empty()) k = m_keyboards[m_english];
    m_language = m_attract_language = m_start_language;
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
    if (screen != ui::Screen::Attract && m_token.empty()) StartSession();
    if (InRequest(screen) && m_views.journey == Journey::None) {
        m_views.journey = screen == ui::Screen::Slots || screen == ui::Screen::SlotLost || screen == ui::Screen::NoSlots
                              ? Journey::Booking
                              : Journey::Referral;
        m_views.answers.contact_language = m_packs[m_language].Tag();
    }
    if (screen == ui::Screen::Slots || screen == ui::Screen::NoSlots) LoadSlots();
    if (screen == ui::Screen::MoreTime) m_more_time_since = m_clock();
    // --screen sent (screenshots, the fit check): a well-formed sample reference, never a stored one.
    if (screen == ui::Screen::Sent && m_views.reference.empty()) m_views.reference = core::MakeReference({1, 2, 3, 4, 5, 6});
    m_history.clear();
    Replace(screen);
    m_last_input = m_clock();  // the idle timeout counts from here
}

void App::Go(ui::Screen screen) {
    m_history.push_back(m_screen);
    Replace(screen);
}

void App::Replace(ui::Screen screen) {
    m_send_waiting_since.reset();  // leaving the review drops a send still waiting: nothing was acknowledged
    m_screen = screen;
    m_views.step = {};
    m_redraw = true;
    if (screen == ui::Screen::Consent && m_store) {  // the consent must say the practice's real period
        auto months = m_store->RetentionMonths();
        if (!months) return StoreFailed("reading the retention period", months.error());
        m_views.retention_months = *months;
    }
}

void App::GoBack() {
    if (m_history.empty()) {
        Replace(ui::Screen::Home);
        return;
    }
    const ui::Screen to = m_history.back();
    m_history.pop_back();
    Replace(to);
    m_back_to_review = false;
    if (to == ui::Screen::Home) m_views.journey = Journey::None;
}

void App::StartSession() {
    m_check_packs = true;
    std::uint8_t random[16];
    randombytes_buf(random, sizeof random);
    m_token.assign(sizeof random * 2 + 1, '\0');
    sodium_bin2hex(m_token.data(), m_token.size(), random, sizeof random);
    m_token.pop_back();
    // The session starts in the kiosk's start language whichever greeting was showing: the picker
    // is where the patient says which is theirs.
    m_language = m_start_language;
    m_history.clear();
    Replace(m_packs.size() > 1 ? ui::Screen::Language : ui::Screen::Home);
}

void App::WipeAnswers() {
    ui::Answers& a = m_views.answers;
    for (ui::TextFieldView* f : {&a.note, &a.name, &a.day, &a.month, &a.year, &a.phone}) core::Wipe(f->text);
    core::Wipe(m_views.reference);
}

void App::EndSession() {
    if (m_store && m_views.held) m_store->Release(m_token);
    if (m_voice) m_voice->Stop();
    WipeAnswers();
    m_text.ForgetText();  // the engine's caches held every string drawn: the patient's name among them
    m_views = FreshViews();
    m_token.clear();
    m_history.clear();
    m_back_to_review = false;
    m_larger_text = false;
    m_language = m_attract_language = m_start_language;
    m_attract_since = m_clock();
    m_check_packs = true;
    Replace(ui::Screen::Attract);
}

void App::UseLanguage(std::size_t index) {
    // The contact language follows the session's until the patient picks one themselves.
    if (m_views.answers.contact_language == m_packs[m_language].Tag() || m_views.answers.contact_language.empty())
        m_views.answers.contact_language = m_packs[index].Tag();
    m_language = index;
    m_views.language.current = m_packs[index].Tag();
    if (m_voice) m_voice->Stop();
    if (!m_views.slots.empty()) LoadSlots();  // dates, and who speaks the language, change with it
}

bool App::UseLanguageTag(std::string_view tag) {
    for (std::size_t i = 0; i < m_packs.size(); ++i) {
        if (m_packs[i].Tag() != tag) continue;
        UseLanguage(i);
        m_attract_language = i;
        m_attract_since = m_clock();
        m_redraw = true;
        return true;
    }
    return false;
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
    if (m_screen == ui::Screen::Attract) {
        if (m_packs.size() > 1 && now - m_attract_since >= kAttractRotateSeconds) {
            m_attract_language = (m_attract_language + 1) % m_packs.size();
            m_attract_since = now;
        }
    } else if (m_screen == ui::Screen::MoreTime) {
        if (now - m_more_time_since >= m_config.more_time_seconds) EndSession();
    } else if (now - m_last_input >= m_config.idle_timeout_seconds) {
        // After sending there is nothing left to ask about; elsewhere the patient may still be here.
        if (m_screen == ui::Screen::Sent || m_screen == ui::Screen::Failure || m_screen == ui::Screen::Home ||
            m_screen == ui::Screen::Language) {
            EndSession();
        } else {
            m_before_more_time = m_screen;
            m_send_waiting_since.reset();
            m_more_time_since = now;
            m_screen = ui::Screen::MoreTime;
            m_redraw = true;
        }
    }
    m_redraw = false;
    if (m_send_waiting_since && m_screen == ui::Screen::Review && now >= m_send_retry_at) Send();
    // Packs installed by ht-admin are picked up between sessions, never mid-session, and before the
    // frame's Ctx points into them.
    if (std::exchange(m_check_packs, false)) ReloadPacksIfChanged();

    m_rects.Clear();
    m_text.NewFrame();
    const std::size_t lang = m_screen == ui::Screen::Attract ? m_attract_language : m_language;
    const ui::Ctx ctx{.catalog = m_packs[lang],
                .engine = m_text,
                .faces = m_faces[lang],
                .rects = m_rects,
                .display = io.DisplaySize,
                .colours = m_larger_text ? &ui::theme::kHighContrast : &ui::theme::kStandard,
                .text_scale = m_larger_text ? ui::theme::kLargerText : 1.0f,
                .pictograms = m_pictograms,
                .keyboards = m_keyboards[lang],
                .pixels_per_mm = static_cast<float>(m_config.pixels_per_mm)};
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

ui::Chrome App::SessionChrome() const {
    ui::Chrome c;
    c.offer_language = m_packs.size() > 1;
    c.offer_english = m_language != m_english;
    const std::string tag = m_packs[m_language].Tag();
    c.read_aloud = m_voice && m_voice->CanRead(tag, m_config.locales / tag / "audio" / (std::string(ui::ScreenName(m_screen)) + ".wav"));
    c.speaking = c.read_aloud && m_voice->Speaking();
    c.larger_text = m_larger_text;
    return c;
}

void App::DrawScreen(const ui::Ctx& ctx) {
    const ui::Chrome chrome = SessionChrome();
    ui::Answers& a = m_views.answers;
    ui::StepState& step = m_views.step;
    switch (m_screen) {
        case ui::Screen::Attract:
            if (ui::DrawAttract(m_views.attract, ctx).kind == ui::AttractIntent::Start) StartSession();
            break;
        case ui::Screen::Language: {
            const auto intent = ui::DrawLanguage(m_views.language, ctx);
            if (intent.kind == ui::LanguageIntent::Back) {
                if (m_history.empty()) EndSession();
                else GoBack();
            } else if (intent.kind == ui::LanguageIntent::Choose) {
                for (std::size_t i = 0; i < m_packs.size(); ++i)
                    if (m_packs[i].Tag() == intent.tag) UseLanguage(i);
                if (m_history.empty()) Replace(ui::Screen::Home);  // the start of a session
                else GoBack();                                     // mid-journey: carry on where they were
            }
            break;
        }
        case ui::Screen::Home:
            switch (ui::DrawHome(m_views.home, ctx).kind) {
                case ui::HomeIntent::Refer:
                    m_views.journey = Journey::Referral;
                    a.contact_language = m_packs[m_language].Tag();
                    Go(ui::Screen::Reasons);
                    break;
                case ui::HomeIntent::Book: StartBooking(); break;
                case ui::HomeIntent::Reception: Go(ui::Screen::Reception); break;
                case ui::HomeIntent::Language: Go(ui::Screen::Language); break;
                case ui::HomeIntent::StartAgain: EndSession(); break;
                case ui::HomeIntent::None: break;
            }
            break;
        case ui::Screen::Reception:
            switch (ui::DrawReception(m_views.reception, ctx).kind) {
                case ui::ReceptionIntent::Back: GoBack(); break;
                case ui::ReceptionIntent::StartAgain: EndSession(); break;
                case ui::ReceptionIntent::None: break;
            }
            break;
        case ui::Screen::Reasons: Step(ui::DrawReasons(a, step, ctx, chrome)); break;
        case ui::Screen::Crisis: Step(ui::DrawCrisis(step, ctx, chrome)); break;
        case ui::Screen::Note: Step(ui::DrawNote(a, step, ctx, chrome)); break;
        case ui::Screen::Name: Step(ui::DrawName(a, step, ctx, chrome)); break;
        case ui::Screen::DateOfBirth: Step(ui::DrawDateOfBirth(a, step, ctx, chrome)); break;
        case ui::Screen::Phone: Step(ui::DrawPhone(a, step, ctx, chrome)); break;
        case ui::Screen::Contact: Step(ui::DrawContact(a, step, ctx, chrome)); break;
        case ui::Screen::ContactLanguage: Step(ui::DrawContactLanguage(a, step, ctx, chrome, m_choices)); break;
        case ui::Screen::Times: Step(ui::DrawTimes(a, step, ctx, chrome)); break;
        case ui::Screen::Consent: Step(ui::DrawConsent(m_views.retention_months, step, ctx, chrome)); break;
        case ui::Screen::Review: {
            const auto rows = ReviewRows();
            Step(ui::DrawReview(rows, m_views.journey == Journey::Booking, step, ctx, chrome));
            break;
        }
        case ui::Screen::Sent: Step(ui::DrawSent(m_views.reference, m_views.booked_when, ctx)); break;
        case ui::Screen::Slots:
            Step(ui::DrawSlots(m_views.slot_choices, m_views.slots_note, step, ctx, chrome));
            break;
        case ui::Screen::SlotLost: Step(ui::DrawSlotLost(m_views.nearest_choices, step, ctx, chrome)); break;
        case ui::Screen::NoSlots: Step(ui::DrawNoSlots(m_views.booking_unavailable, ctx, chrome)); break;
        case ui::Screen::Help: Step(ui::DrawHelp(ctx)); break;
        case ui::Screen::MoreTime: {
            const double left = m_config.more_time_seconds - (m_clock() - m_more_time_since);
            Step(ui::DrawMoreTime(std::max(1, static_cast<int>(std::ceil(left))), ctx));
            break;
        }
        case ui::Screen::Failure: Step(ui::DrawFailure(ctx)); break;
    }
}

void App::Common(ui::Common tapped) {
    switch (tapped) {
        case ui::Common::None: break;
        case ui::Common::Back: GoBack(); break;
        case ui::Common::Next: Next(); break;
        case ui::Common::StartAgain: EndSession(); break;
        case ui::Common::Language: Go(ui::Screen::Language); break;
        case ui::Common::English:
            UseLanguage(m_english);
            m_redraw = true;
            break;
        case ui::Common::Help: Go(ui::Screen::Help); break;
        case ui::Common::ReadAloud:  // a second tap stops it
            if (m_voice && m_voice->Speaking()) m_voice->Stop();
            else ReadAloud();
            m_redraw = true;
            break;
        case ui::Common::LargerText:
            m_larger_text = !m_larger_text;
            m_redraw = true;
            break;
    }
}

void App::Step(const ui::StepIntent& intent) {
    using ui::Screen;
    if (intent.common != ui::Common::None) {
        // On the message screens the one button means "done here".
        if (intent.common == ui::Common::Next && m_screen == Screen::Help) {
            GoBack();
        } else if (intent.common == ui::Common::Next && m_screen == Screen::Sent) {
            EndSession();
        } else if (intent.common == ui::Common::StartAgain && m_screen == Screen::Failure) {
            EndSession();
        } else {
            Common(intent.common);
        }
        return;
    }
    const int c = intent.choice;
    if (c < 0) return;
    if (c == ui::kChoiceMoreTime) {
        m_screen = m_before_more_time;
        m_last_input = m_clock();
        m_redraw = true;
    } else if (c == ui::kChoiceReception) {
        if (m_views.held && m_store) m_store->Release(m_token);
        m_views.held.reset();
        Go(Screen::Reception);
    } else if (c == ui::kChoiceNoPhone) {
        // The patient chooses a letter or asking at reception; Next waits for that choice.
        core::Wipe(m_views.answers.phone.text);
        m_views.answers.times.clear();
        m_views.answers.contact = core::ContactMethod::Phone;
        Go(Screen::Contact);
    } else if (c == ui::kChoiceCallBack) {
        m_views.journey = Journey::Referral;
        m_views.waiting_list = true;
        Go(Screen::Reasons);
    } else if (c == ui::kChoiceAllTimes) {
        LoadSlots();
        if (m_screen == Screen::SlotLost) Replace(m_views.slots.empty() ? Screen::NoSlots : Screen::Slots);
    } else if (c >= ui::kChoiceFirstItem) {
        const auto i = static_cast<std::size_t>(c - ui::kChoiceFirstItem);
        // Copies: choosing may reload the lists the choice came from.
        if (m_screen == Screen::Slots && i < m_views.slots.size()) ChooseSlot(FreeSlot(m_views.slots[i]));
        else if (m_screen == Screen::SlotLost && i < m_views.nearest.size()) ChooseSlot(FreeSlot(m_views.nearest[i]));
        else if (m_screen == Screen::Review) {
            std::vector<Screen> targets;
            ReviewRows(&targets);
            if (i >= targets.size()) return;
            m_back_to_review = true;
            Go(targets[i]);
        }
    }
}

// ---- The journeys -------------------------------------------------------------------------------

ui::Screen App::After(ui::Screen s) const {
    using ui::Screen;
    const ui::Answers& a = m_views.answers;
    switch (s) {
        case Screen::Reasons:
            return a.reasons.contains(core::Reason::LowMood) && !m_views.crisis_shown ? Screen::Crisis : Screen::Note;
        case Screen::Crisis: return Screen::Note;
        case Screen::Note: return Screen::Name;
        case Screen::Name: return Screen::DateOfBirth;
        case Screen::DateOfBirth: return Screen::Phone;
        case Screen::Phone: return Screen::Times;
        case Screen::Times:
        case Screen::Contact: return Screen::ContactLanguage;
        case Screen::ContactLanguage: return Screen::Consent;
        case Screen::Consent: return Screen::Review;
        default: return Screen::Review;
    }
}

bool App::Validate() {
    using ui::Screen;
    ui::Answers& a = m_views.answers;
    ui::StepState& step = m_views.step;
    step.error_key.clear();
    switch (m_screen) {
        case Screen::Name:
            if (auto code = i18n::ValidateName(a.name.text); code != core::Invalid::None) step.error_key = InvalidKey(code);
            break;
        case Screen::DateOfBirth: {
            const auto d = core::DateFieldValue(a.day.text), m = core::DateFieldValue(a.month.text),
                       y = core::DateFieldValue(a.year.text);
            if (!d || !m || !y) {
                step.error_key = InvalidKey(core::Invalid::Empty);
                step.focus = !d ? 0 : !m ? 1 : 2;
                break;
            }
            const core::LocalDate dob{*y, *m, *d};
            const core::LocalDate today = m_config.time_zone->ToLocal(m_wall()).date;
            const auto code = dob.Valid() && a.year.text.size() == 4 ? core::ValidateDateOfBirth(dob, today)
                                                                      : core::Invalid::NotADate;
            if (code != core::Invalid::None) {
                step.error_key = InvalidKey(code);
                step.error_arg = core::kMinAgeYears;
            }
            break;
        }
        case Screen::Phone:
            if (auto check = i18n::ValidateUkPhone(a.phone.text); check.code != core::Invalid::None)
                step.error_key = InvalidKey(check.code);
            else
                a.contact = core::ContactMethod::Phone;
            break;
        case Screen::Reasons:
            if (a.reasons.empty()) step.error_key = InvalidKey(core::Invalid::Empty);
            break;
        default: break;
    }
    if (!step.error_key.empty()) m_redraw = true;
    return step.error_key.empty();
}

void App::Next() {
    using ui::Screen;
    if (!Validate()) return;
    if (m_screen == Screen::Crisis) m_views.crisis_shown = true;
    if (m_screen == Screen::Review) {
        Send();
        return;
    }
    // A slot held while the patient types: each step renews the hold, and a hold that lapsed and
    // went to someone else is said at once, not after the last screen.
    if (m_views.journey == Journey::Booking && m_views.held && m_store) {
        auto renewed = m_store->Hold(*m_views.held, m_token, m_wall());
        if (!renewed) {
            const core::Errc code = renewed.error().code;
            if (code == core::Errc::SlotHeld || code == core::Errc::SlotTaken) {
                SlotWent(*m_views.held);
                return;
            }
            StoreFailed("renewing a hold", renewed.error());
            return;
        }
    }
    Screen next = After(m_screen);
    if (m_back_to_review && !(m_screen == Screen::Reasons && next == Screen::Crisis) &&
        !(m_screen == Screen::Phone && m_views.answers.times.empty())) {
        m_back_to_review = false;
        // Return to the review already in the history.
        while (!m_history.empty() && m_history.back() != Screen::Review) m_history.pop_back();
        if (!m_history.empty()) m_history.pop_back();
        next = Screen::Review;
    }
    Go(next);
}

void App::StartBooking() {
    m_views.journey = Journey::Booking;
    m_views.answers.contact_language = m_packs[m_language].Tag();
    LoadSlots();
    if (m_screen == ui::Screen::Failure) return;
    Go(m_views.slots.empty() ? ui::Screen::NoSlots : ui::Screen::Slots);
}

ui::SlotChoice App::Describe(const FreeSlot& s) const {
    const i18n::Catalog& pack = m_packs[m_language];
    return {pack.Format("booking.day", {{"when", i18n::Instant{s.slot.start}}}),
            pack.Format("booking.time", {{"when", i18n::Instant{s.slot.start}}}), s.trainer, s.speaks};
}

void App::LoadSlots() {
    m_views.slots.clear();
    m_views.slot_choices.clear();
    m_views.slots_note.clear();
    m_views.booking_unavailable = false;
    if (!m_store) return;
    const std::string tag = m_packs[m_language].Tag();
    auto slots = m_store->FreeSlots(tag, m_wall());
    if (!slots && slots.error().code == core::Errc::Unavailable) {
        m_views.booking_unavailable = true;  // no times to offer: the no-slots screen says so and offers a call back
        return;
    }
    if (!slots) {
        StoreFailed("listing free slots", slots.error());
        return;
    }
    m_views.slots = std::move(slots.value());
    for (const FreeSlot& s : m_views.slots) m_views.slot_choices.push_back(Describe(s));
    const std::string language = i18n::Endonym(m_packs[m_language].Info());
    const bool anyone = std::any_of(m_views.slots.begin(), m_views.slots.end(), [](const FreeSlot& s) { return s.speaks; });
    if (m_views.slots.empty() || m_language == m_english) return;
    if (anyone) {
        m_views.slots_note = m_packs[m_language].Format("booking.speaks", {{"language", language}});
    } else {
        // Nobody speaks it: say so, and the request asks for an interpreter from the start.
        m_views.slots_note = m_packs[m_language].Format("booking.no_speaker", {{"language", language}});
        m_views.answers.interpreter = true;
    }
}

void App::ChooseSlot(const FreeSlot& slot) {
    if (!m_store) return StoreFailed("holding a slot", core::Error{core::Errc::Internal, "no store"});
    auto held = m_store->Hold(slot.slot, m_token, m_wall());
    if (!held) {
        const core::Errc code = held.error().code;
        if (code == core::Errc::SlotHeld || code == core::Errc::SlotTaken) return SlotWent(slot.slot);
        return StoreFailed("holding a slot", held.error());
    }
    m_views.held = slot.slot;
    if (!slot.speaks && m_language != m_english) m_views.answers.interpreter = true;
    m_views.booked_when = m_packs[m_language].Format("booking.slot_on", {{"when", i18n::Instant{slot.slot.start}}}) +
                          " · " + slot.trainer;
    Go(ui::Screen::Reasons);
}

void App::SlotWent(core::Slot lost) {
    if (m_store) m_store->Release(m_token);
    m_views.held.reset();
    m_views.booked_when.clear();
    LoadSlots();
    if (m_screen == ui::Screen::Failure) return;
    if (m_views.slots.empty()) {
        Replace(ui::Screen::NoSlots);
        return;
    }
    // The nearest times to the one that went, before or after it.
    std::vector<FreeSlot> near = m_views.slots;
    std::sort(near.begin(), near.end(), [&](const FreeSlot& a, const FreeSlot& b) {
        const auto da = std::llabs(a.slot.start - lost.start), db = std::llabs(b.slot.start - lost.start);
        if (da != db) return da < db;
        if (a.speaks != b.speaks) return a.speaks;
        return a.slot < b.slot;
    });
    if (near.size() > kNearestSlots) near.resize(kNearestSlots);
    std::sort(near.begin(), near.end(), [](const FreeSlot& a, const FreeSlot& b) { return a.slot.start < b.slot.start; });
    m_views.nearest = std::move(near);
    m_views.nearest_choices.clear();
    for (const FreeSlot& s : m_views.nearest) m_views.nearest_choices.push_back(Describe(s));
    // Back from here goes to the list of times, not into the details of a slot that is gone.
    while (!m_history.empty() && m_history.back() != ui::Screen::Slots) m_history.pop_back();
    if (m_history.empty()) m_history.push_back(ui::Screen::Slots);
    Replace(ui::Screen::SlotLost);
}

core::Referral App::BuildReferral() const {
    const ui::Answers& a = m_views.answers;
    core::Referral r;
    r.route = core::Route::SelfReferral;
    r.reasons = a.reasons;
    r.preferred_language = a.contact_language.empty() ? m_packs[m_language].Tag() : a.contact_language;
    r.interpreter = a.interpreter;
    r.waiting_list = m_views.waiting_list;
    r.contact = a.contact;
    if (a.contact == core::ContactMethod::Phone) r.best_times = a.times;
    // The consent wording is the pack's: its tag and version say exactly what the patient read.
    r.consent_version = m_packs[m_language].Tag() + "@" + m_packs[m_language].Info().version;
    r.patient.name = std::string(core::Trim(a.name.text));
    if (auto d = core::DateFieldValue(a.day.text), m = core::DateFieldValue(a.month.text),
        y = core::DateFieldValue(a.year.text);
        d && m && y)
        r.patient.date_of_birth = core::LocalDate{*y, *m, *d};
    if (a.contact == core::ContactMethod::Phone) r.patient.phone = i18n::ValidateUkPhone(a.phone.text).e164;
    r.patient.note = std::string(core::Trim(a.note.text));
    return r;
}

void App::Send() {
    if (!m_store) return StoreFailed("sending a request", core::Error{core::Errc::Internal, "no store"});
    core::Referral referral = BuildReferral();
    const bool booking = m_views.journey == Journey::Booking && m_views.held;
    auto reference = booking ? m_store->Book(m_token, referral, m_wall()) : m_store->Submit(referral, m_wall());
    core::Wipe(referral.patient);
    if (!reference) {
        const core::Errc code = reference.error().code;
        if (booking && (code == core::Errc::HoldExpired || code == core::Errc::SlotTaken)) {
            SlotWent(*m_views.held);
            return;
        }
        if (booking && code == core::Errc::Unavailable) {
            // The shared database went away between the list and "Book": nothing was stored. The
            // answers stay, and the no-slots screen offers the same request as a call back instead.
            std::fprintf(stderr, "ht-kiosk: booking unavailable (the shared database is out of reach): offering a call back\n");
            if (m_store) m_store->Release(m_token);
            m_views.held.reset();
            m_views.booked_when.clear();
            m_views.slots.clear();
            m_views.slot_choices.clear();
            m_views.booking_unavailable = true;
            Replace(ui::Screen::NoSlots);
            return;
        }
        // Busy: another process holds the write lock and nothing was written. Retried from later
        // frames rather than waited for in this one (a frozen screen, missed watchdog pings); the
        // reference shows only after a COMMIT, so a retry can never acknowledge twice or too early.
        if (code == core::Errc::Busy) {
            const double now = m_clock();
            if (!m_send_waiting_since) {
                m_send_waiting_since = now;
                std::fprintf(stderr, "ht-kiosk: %s: busy; trying again for %.0f s\n",
                             reference.error().detail.c_str(), kSendPatienceSeconds);
            }
            if (now - *m_send_waiting_since < kSendPatienceSeconds) {
                m_send_retry_at = now + kSendRetrySeconds;
                return;
            }
        }
        return StoreFailed("sending a request", reference.error());
    }
    // Acknowledged (committed): from here on nothing identifying is kept or shown.
    WipeAnswers();
    const std::string when = booking ? m_views.booked_when : std::string();
    const bool waiting = m_views.waiting_list;
    m_views = FreshViews();
    m_views.reference = std::move(reference.value());
    m_views.booked_when = when;
    m_views.waiting_list = waiting;
    m_history.clear();
    Replace(ui::Screen::Sent);
}

void App::StoreFailed(const char* what, const core::Error& error) {
    // The code only: an error's detail may quote SQL, and a patient never sees either.
    std::fprintf(stderr, "ht-kiosk: store error while %s: %s\n", what, std::string(core::ErrcName(error.code)).c_str());
    if (m_views.held && m_store) m_store->Release(m_token);
    WipeAnswers();
    m_views = FreshViews();
    m_history.clear();
    Replace(ui::Screen::Failure);
}

std::vector<ui::ReviewRow> App::ReviewRows(std::vector<ui::Screen>* targets) const {
    const i18n::Catalog& pack = m_packs[m_language];
    const ui::Answers& a = m_views.answers;
    std::vector<ui::ReviewRow> rows;
    std::vector<ui::Screen> screens;
    auto add = [&](ui::ReviewRow row, ui::Screen screen) {
        rows.push_back(std::move(row));
        screens.push_back(screen);
    };
    if (m_views.journey == Journey::Booking && m_views.held)
        add({"review.appointment", m_views.booked_when, false}, ui::Screen::Slots);
    std::vector<std::string> reasons;
    for (core::Reason r : core::AllReasons())
        if (a.reasons.contains(r)) reasons.push_back(pack.Get("reasons." + std::string(core::Key(r))));
    add({"review.reasons", pack.JoinList(reasons)}, ui::Screen::Reasons);
    // What identifies the patient is never shown back: only that it was given.
    const auto given = [&](bool yes) { return pack.Get(yes ? "common.given" : "common.not_given"); };
    add({"review.note", given(!core::Trim(a.note.text).empty())}, ui::Screen::Note);
    add({"review.name", given(!a.name.text.empty())}, ui::Screen::Name);
    add({"review.dob", given(!a.year.text.empty())}, ui::Screen::DateOfBirth);
    if (a.contact == core::ContactMethod::Phone) {
        add({"review.phone", given(!a.phone.text.empty())}, ui::Screen::Phone);
        std::vector<std::string> times;
        for (core::BestTime t : {core::BestTime::Morning, core::BestTime::Afternoon, core::BestTime::Evening})
            if (a.times.contains(t)) times.push_back(pack.Get("times." + std::string(core::Key(t))));
        add({"review.times", pack.JoinList(times)}, ui::Screen::Times);
    } else {
        add({"review.contact", pack.Get(a.contact == core::ContactMethod::Letter ? "contact.letter" : "contact.call_in")},
            ui::Screen::Contact);
    }
    std::string language;
    for (const ui::LanguageChoice& c : m_choices)
        if (c.tag == a.contact_language) language = c.endonym;
    if (a.interpreter) language += " · " + pack.Get("contact_language.interpreter");
    add({"review.language", language}, ui::Screen::ContactLanguage);
    if (targets) *targets = std::move(screens);
    return rows;
}

void App::ReadAloud() {
    if (!m_voice) return;
    // The screen's own words: its question, hint and choices, never what the patient typed.
    const i18n::Catalog& pack = m_packs[m_language];
    std::vector<std::string> keys;
    const std::string name(ui::ScreenName(m_screen));
    for (const char* suffix : {".title", ".hint", ".body"}) {
        const std::string key = (m_screen == ui::Screen::DateOfBirth ? std::string("dob") : name) + suffix;
        if (pack.Has(key) || m_packs[m_english].Has(key)) keys.push_back(key);
    }
    if (m_screen == ui::Screen::Reasons)
        for (core::Reason r : core::AllReasons()) keys.push_back("reasons." + std::string(core::Key(r)));
    std::string text;
    for (const std::string& key : keys) {
        if (key == "crisis.body") {
            text += pack.Format(key, {{"emergency", "999"}, {"nhs111", "111"}, {"option", "2"}, {"samaritans", "116 123"}});
        } else if (key == "consent.body") {
            text += pack.Format(key, {{"months", std::int64_t{m_views.retention_months}}});
        } else if (key == "more_time.body") {
            text += pack.Format(key, {{"seconds", std::int64_t{m_config.more_time_seconds}}});
        } else {
            text += pack.Get(key);
        }
        text += "\n";
    }
    const std::string tag = pack.Tag();
    m_voice->Read(tag, text, m_config.locales / tag / "audio" / (name + ".wav"));
}

std::optional<double> App::NextWake() const {
    if (m_redraw) return 0.0;
    const double now = m_clock();
    if (m_send_waiting_since) return std::max(0.0, m_send_retry_at - now);
    // While reading aloud, look a few times a second for its end, to show the button at rest again.
    if (m_voice && m_screen != ui::Screen::Attract && m_voice->Speaking()) return kSpeakingPollSeconds;
    if (m_screen == ui::Screen::Attract) {
        if (m_packs.size() < 2) return std::nullopt;  // an idle attract screen sleeps
        return std::max(0.0, m_attract_since + kAttractRotateSeconds - now);
    }
    if (m_screen == ui::Screen::MoreTime) {  // the countdown changes once a second
        const double elapsed = now - m_more_time_since;
        return std::max(0.0, std::min(std::ceil(elapsed + 1e-6) - elapsed, m_config.more_time_seconds - elapsed));
    }
    return std::max(0.0, m_last_input + m_config.idle_timeout_seconds - now);
}

}  // namespace htk::app
