// DeskApp: unlock, the list of requests with its filters and detail, the week of a trainer's
// slots, the waiting list's offers, trainers and their hours, reports, the audit log and, with a
// shared server, each kiosk's last contact. Every action goes through the same store and admin
// functions as ht-admin's command line.
#include "admin/desk/desk_app.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <variant>

#include "admin/desk/server_watch.h"
#include "admin/files.h"
#include "admin/patient_input.h"
#include "admin/reports.h"
#include "admin/verb_util.h"
#include "core/booking.h"
#include "core/referral.h"
#include "core/strings.h"
#include "core/trainer.h"
#include "core/working_plan.h"
#include "store/audit_repo.h"
#include "store/booking_repo.h"
#include "store/desk_repo.h"
#include "store/desk_store.h"
#include "store/forward_repo.h"
#include "store/pg/desk_store.h"
#include "store/pg/forwarder.h"
#include "store/plan_repo.h"
#include "store/referral_repo.h"
#include "store/report_repo.h"
#include "store/sealing.h"
#include "store/settings_repo.h"
#include "store/slot_repo.h"
#include "store/trainer_repo.h"
#include "store/waiting_repo.h"
#include "text/glyph_texture.h"
#include "ui/theme.h"

namespace htk::admin::desk {

using core::Errc;
using core::Result;

namespace {

constexpr ImU32 kInk = IM_COL32(20, 20, 30, 255);
constexpr ImU32 kMuted = IM_COL32(90, 90, 105, 255);
const ImVec4 kErrorColour{0.70f, 0.05f, 0.05f, 1.0f};
const ImVec4 kOkColour{0.05f, 0.45f, 0.15f, 1.0f};
constexpr float kFilterWidth = 250.0f;
constexpr float kDetailWidth = 440.0f;
// ImGui sizes a font by its ascent-to-descent height, kiosk/text by its em: Noto Sans is 1.362 em tall.
constexpr float kEmPerImGuiPixel = 1.0f / 1.362f;

// A fixed buffer that ImGui edits in place and that is zeroed when cleared (names, phone numbers).
template <std::size_t N>
struct Field {
    std::array<char, N> text{};
    void Clear() { ::explicit_bzero(text.data(), text.size()); }
    std::string Str() const { return std::string(text.data()); }
    bool Empty() const { return text[0] == '\0'; }
    void Set(std::string_view s) {
        Clear();
        std::memcpy(text.data(), s.data(), std::min(s.size(), N - 1));
    }
};

std::string When(const core::TimeZone& zone, core::UnixSeconds t) {
    const auto local = zone.ToLocal(t);
    return local.date.Iso() + " " + core::FormatClock(local.minute_of_day);
}

constexpr std::array<const char*, 7> kDayNames{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

std::string Label(std::string_view key) {  // "did_not_attend" -> "Did not attend"
    std::string out(key);
    for (auto& c : out)
        if (c == '_') c = ' ';
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

std::string RouteLabel(core::Route r) {
    switch (r) {
        case core::Route::SelfReferral: return "Self-referral";
        case core::Route::BookedByGp: return "Booked by GP";
        case core::Route::TaskedByGp: return "Tasked by GP";
        case core::Route::Signposted: return "Signposted";
    }
    return "";
}

std::string Reasons(std::uint32_t bits) {
    std::string out;
    for (core::Reason r : core::AllReasons())
        if (bits & (1u << static_cast<int>(r))) out += (out.empty() ? "" : ", ") + Label(core::Key(r));
    return out;
}

std::string JoinTags(const std::vector<std::string>& tags) {
    std::string out;
    for (const auto& t : tags) out += (out.empty() ? "" : ", ") + t;
    return out;
}

std::string TrainerName(const std::vector<core::Trainer>& trainers, core::TrainerId id) {
    for (const auto& t : trainers)
        if (t.id == id) return t.display_name;
    return "trainer " + std::to_string(id);
}

// ImGui keeps its own copy of the field being edited, with its undo history (ImGuiInputTextState
// in imgui_internal.h, 1.86); zeroed whenever a passphrase or a patient's details are done with.
void WipeEditState() {
    ImGuiContext* g = ImGui::GetCurrentContext();
    if (!g) return;
    ImGui::ClearActiveID();
    ImGuiInputTextState& state = g->InputTextState;
    if (state.TextW.Data) ::explicit_bzero(state.TextW.Data, static_cast<std::size_t>(state.TextW.Capacity) * sizeof(ImWchar));
    if (state.TextA.Data) ::explicit_bzero(state.TextA.Data, static_cast<std::size_t>(state.TextA.Capacity));
    if (state.InitialTextA.Data) ::explicit_bzero(state.InitialTextA.Data, static_cast<std::size_t>(state.InitialTextA.Capacity));
    state.ClearFreeMemory();
    ::explicit_bzero(&state.Stb, sizeof state.Stb);
    state.ID = 0;
    state.CurLenW = state.CurLenA = 0;
}

Query WeekQuery() {
    Query q;
    q.period = Period::Week;  // reception's usual view: this week's requests and bookings
    return q;
}

}  // namespace

struct DeskApp::State {
    store::Database& db;
    std::unique_ptr<core::TimeZone> zone;
    text::Engine& engine;
    DeskOptions options;
    DeskModel model;
    ui::WidgetRects* rects = nullptr;
    text::FontSetId font;
    std::string practice;

    // Unlock.
    std::optional<store::UnlockedKey> key;
    std::vector<store::StaffMember> staff;
    std::string who;
    Field<256> passphrase;
    // Focus moves to the passphrase once someone is chosen; not before, or the field would hold
    // the first click meant for a name (ImGui keeps other items unhovered while a field is active).
    bool focus_passphrase = false;

    core::UnixSeconds last_input = 0;
    core::UnixSeconds last_refresh = 0;
    std::string message;
    bool message_error = false;
    Tab tab = Tab::Requests;

    // Requests.
    Query query = WeekQuery();
    Field<128> search;
    std::optional<core::ReferralId> selected;
    std::optional<store::RequestDetail> detail;  // revealed; wiped when another is chosen or on lock
    Field<2001> note;
    bool picking_slot = false;
    std::vector<core::Slot> free_slots;
    std::vector<core::Trainer> trainers;
    bool new_request = false;
    struct NewRequest {
        core::Route route = core::Route::TaskedByGp;
        std::set<core::Reason> reasons;
        Field<36> language;
        bool interpreter = false;
        core::ContactMethod contact = core::ContactMethod::Phone;
        Field<201> name;
        Field<16> dob;
        Field<40> phone;
        Field<101> email;
        Field<301> address;
        Field<501> note;
        std::optional<core::Slot> slot;
        void Clear() {
            name.Clear();
            dob.Clear();
            phone.Clear();
            email.Clear();
            address.Clear();
            note.Clear();
            reasons.clear();
            slot.reset();
        }
    } form;

    // What the Week, Waiting list and Trainers views read, re-read once a second at most (they draw
    // at the mouse's pace) or at once after anything changed (epoch).
    std::uint64_t epoch = 1;
    struct Loaded {
        core::UnixSeconds at = -1;
        std::uint64_t epoch = 0;
    };
    bool Due(Loaded& l) {
        if (l.at == Now() && l.epoch == epoch) return false;
        l = {Now(), epoch};
        return true;
    }

    // Week.
    core::TrainerId week_trainer = 0;
    int week_offset = 0;
    struct WeekCache : Loaded {
        core::TrainerId trainer = 0;
        int offset = 0;
        std::vector<core::Booking> booked;
        std::vector<core::Slot> free;
    } week_cache;
    struct WaitingCache : Loaded {
        std::vector<store::WaitingOffer> offers;
        std::vector<core::Referral> waiting;
    } waiting_cache;
    struct PlanCache : Loaded {
        core::TrainerId trainer = 0;
        std::vector<core::DateException> exceptions;
        std::vector<core::BlockedDay> blocked;
    } plan_cache;

    // Trainers.
    core::TrainerId edit_trainer = 0;
    Field<200> trainer_name;
    Field<200> trainer_languages;
    std::array<Field<64>, 7> week_hours;
    Field<16> exception_date;
    Field<64> exception_hours;
    Field<16> block_date;
    Field<200> block_reason;

    // Reports.
    Field<16> report_from;
    Field<16> report_to;
    std::optional<store::ReportFigures> figures;
    // With --server the practice's kiosks' requests are on the shared database: the report adds its
    // figures, read by the watcher, to this file's (the requests taken at the desk).
    std::optional<store::ReportFigures> file_figures;  // waiting for the server's to be added
    std::uint64_t figures_asked = 0;                   // the watcher's AskFigures, until answered
    std::string figures_source;                        // what the figures shown count
    bool figures_of_service = false;                   // a manager's login: every practice's, in the CSV's practice column too
    Field<512> csv_path;
    Field<512> export_path;
    bool export_identifying = false;

    // Audit.
    Field<64> audit_action;
    std::vector<core::AuditEntry> audit;

    // From kiosks and Kiosks: the watcher's latest copy, taken once a frame (never waits on the network).
    std::unique_ptr<ServerWatch> watch;  // null without --server
    // With --server the slots are the server's: a request taken here is kept in this file, queued, and
    // sent there as a kiosk's is, and booked there. Null without --server.
    std::unique_ptr<store::pg::Forwarder> outbox;
    std::uint64_t publish_asked = 0;          // the watcher's AskPublish, until answered
    long outbox_forwarded = 0;                 // its count of requests the server confirmed, as last seen
    std::optional<std::string> detail_queued;  // the open request is in the outbox: "" to be sent, else the server's refusal
    ServerSnapshot server;
    std::optional<core::ReferralStatus> forwarded_status;  // the list's filter; nullopt: any
    Field<16> forwarded_search;
    std::int64_t forwarded_selected = 0;                    // the server's id; 0: none
    std::optional<core::PatientDetails> forwarded_patient;  // opened (audited); wiped when another is chosen or on lock
    std::vector<store::ReferralNote> forwarded_notes;       // its notes, opened (audited) as the watcher reads them; wiped likewise
    std::vector<std::int64_t> forwarded_notes_read;         // the ids of those opened
    Field<2001> forwarded_note;
    bool picking_server_slot = false;

    State(store::Database& d, std::unique_ptr<core::TimeZone> z, text::Engine& e, DeskOptions o)
        : db(d), zone(std::move(z)), engine(e), options(std::move(o)), model(d, *zone, options.now) {}

    core::UnixSeconds Now() const { return options.now(); }
    std::string Actor() const { return key ? "staff:" + key->Staff() : std::string("desk"); }
    bool Manager() const { return key && key->Role() == store::StaffRole::Manager; }

    void Say(std::string text, bool error = false) {
        message = std::move(text);
        message_error = error;
    }
    template <class T>
    bool Check(const Result<T>& r, std::string_view what) {
        if (r) return true;
        Say(std::string(what) + ": " + r.error().detail, true);
        return false;
    }

    void Record(std::string_view id) {  // only what can be clicked: not an item scrolled out of view
        if (ImGui::IsItemVisible()) rects->Record(id, {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    }
    bool Button(const std::string& id, const std::string& label, bool enabled = true) {
        if (!enabled) ImGui::BeginDisabled();
        const bool pressed = ImGui::Button((label + "###" + id).c_str());
        if (!enabled) ImGui::EndDisabled();
        Record(id);
        return pressed && enabled;
    }
    bool Tick(const std::string& id, const std::string& label, bool* value) {
        const bool changed = ImGui::Checkbox((label + "###" + id).c_str(), value);
        Record(id);
        return changed;
    }
    bool Radio(const std::string& id, const std::string& label, bool active) {
        const bool pressed = ImGui::RadioButton((label + "###" + id).c_str(), active);
        Record(id);
        return pressed;
    }
    // The label goes before the field, as its own item, so the recorded rect is the field alone.
    template <std::size_t N>
    bool Input(const std::string& id, const std::string& label, Field<N>& field, ImGuiInputTextFlags flags = 0,
               float width = -1.0f) {
        if (!label.empty()) {
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(label.c_str());
            ImGui::SameLine();
        }
        ImGui::SetNextItemWidth(width);
        const bool r = ImGui::InputText(("###" + id).c_str(), field.text.data(), N, flags);
        Record(id);
        return r;
    }

    // Text in any script, through kiosk/text, as one ImGui item.
    void Text(std::string_view text, float width, ImU32 colour = kInk, bool wrap = false) {
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        const text::Style style{.font_set = font, .size = ImGui::GetFontSize() * kEmPerImGuiPixel, .colour = colour,
                                .direction = text::Direction::Ltr};
        const auto drawn = engine.Draw(ImGui::GetWindowDrawList(), {pos, {pos.x + width, pos.y}}, text, style,
                                       {.wrap = wrap, .ellipsize = !wrap});
        ImGui::Dummy({width, std::max(drawn.size.y, ImGui::GetTextLineHeight())});
    }

    // ---- unlock --------------------------------------------------------------------------------

    void LoadStaff() {
        auto list = store::ListStaff(db);
        if (list) staff = std::move(*list);
        if (who.empty() && !staff.empty()) who = staff.front().name;
        focus_passphrase = staff.size() == 1;
    }

    Result<void> Unlock() {
        auto k = store::Unlock(db, who, std::string_view(passphrase.text.data()), Now());
        passphrase.Clear();
        if (!k) {
            WipeEditState();
            focus_passphrase = true;
            Say(k.error().code == Errc::WrongPassphrase ? "Wrong passphrase for " + who + "." : k.error().detail, true);
            return k.error();
        }
        key = std::move(*k);
        WipeEditState();
        Say("Unlocked as " + who + ".");
        tab = Tab::Requests;
        last_input = Now();
        if (auto r = model.Load(); !r) {
            Say("Loading the list: " + r.error().detail, true);
            return r;
        }
        (void)Check(model.Reveal(*key), "Opening names");
        LoadTrainers();
        return {};
    }

    void Lock(std::string why) {
        model.Lock();
        ForgetDetail();
        ForgetForwarded();
        forwarded_search.Clear();
        selected.reset();
        form.Clear();
        search.Clear();
        core::Wipe(query.search);
        note.Clear();
        passphrase.Clear();
        export_path.Clear();
        key.reset();
        new_request = false;
        picking_slot = false;
        audit.clear();
        week_cache = {};
        waiting_cache = {};
        plan_cache = {};
        WipeEditState();
        engine.ForgetText();  // its caches held every name and note drawn
        Say(std::move(why));
        LoadStaff();
    }

    void ForgetDetail() {
        if (detail) {
            core::Wipe(detail->referral.patient);
            for (auto& n : detail->notes) core::Wipe(n.text);
        }
        detail.reset();
        detail_queued.reset();
        note.Clear();
        picking_slot = false;
    }

    void DrawUnlock() {
        const ImVec2 display = ImGui::GetIO().DisplaySize;
        const ImVec2 size{520, 0};
        ImGui::SetCursorPos({std::max(20.0f, (display.x - size.x) * 0.5f), std::max(20.0f, display.y * 0.2f)});
        const float height = 200.0f + 34.0f * static_cast<float>(staff.size()) + (message.empty() ? 0.0f : 60.0f);
        ImGui::BeginChild("###unlock", {size.x, height}, true);
        ImGui::TextUnformatted("Health Trainer desk");
        Text(practice, size.x - 20, kMuted);
        ImGui::Separator();
        ImGui::TextUnformatted("Who are you?");
        for (const auto& m : staff) {
            if (Radio("unlock.staff." + m.name, m.name + "  (" + std::string(store::Key(m.role)) + ")", who == m.name)) {
                who = m.name;
                focus_passphrase = true;
            }
        }
        if (staff.empty()) ImGui::TextWrapped("No staff have a passphrase yet: run 'ht-admin init' first.");
        ImGui::Spacing();
        ImGui::TextUnformatted("Passphrase");
        if (focus_passphrase) {
            ImGui::SetKeyboardFocusHere();
            focus_passphrase = false;
        }
        const bool enter = Input("unlock.passphrase", "", passphrase,
                                 ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue, size.x - 20);
        if ((Button("unlock.go", "Unlock", !who.empty()) || enter) && !who.empty()) (void)Unlock();
        DrawMessage();
        ImGui::EndChild();
    }

    void DrawMessage() {
        if (message.empty()) return;
        ImGui::PushStyleColor(ImGuiCol_Text, message_error ? kErrorColour : kOkColour);
        ImGui::TextWrapped("%s", message.c_str());
        ImGui::PopStyleColor();
    }

    // ---- frame ---------------------------------------------------------------------------------

    void NoteInput() {
        const ImGuiIO& io = ImGui::GetIO();
        bool any = io.MouseDown[0] || io.MouseDown[1] || io.MouseWheel != 0.0f || io.InputQueueCharacters.Size > 0;
        for (bool k : io.KeysDown) any = any || k;
        if (any || last_input == 0) last_input = Now();
    }

    static bool ManagerTab(Tab t) { return t == Tab::Trainers || t == Tab::Reports || t == Tab::Audit; }

    void Draw() {
        NoteInput();
        if (key && Now() - last_input >= options.lock_after_seconds) Lock("Locked after " + std::to_string(options.lock_after_seconds / 60) + " minutes without use.");
        if (key && Now() - last_refresh >= kRefreshEverySeconds) {
            last_refresh = Now();
            auto changed = model.Refresh();
            if (!changed) Say("Refreshing: " + changed.error().detail, true);
            else if (*changed) {
                ++epoch;
                RefreshDetail();
            }
        }
        model.TakeRevealed();
        if (outbox) {  // one of this desk's requests reached the server: list it there now, not at the next read
            if (const long sent = outbox->Status().forwarded; sent != outbox_forwarded) {
                outbox_forwarded = sent;
                watch->Wake();
            }
        }
        if (watch) {
            const bool was_away = server.problem.has_value();
            server = watch->Latest();
            if (was_away && !server.problem && outbox->Status().backlog.pending > 0) outbox->RetryNow();  // back: send what waits
            TakeOutcomes();
            TakeServerFigures();
            TakePublished();
        }

        const ImGuiIO& io = ImGui::GetIO();
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize(io.DisplaySize);
        ImGui::Begin("###desk", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus);
        if (!key) {
            DrawUnlock();
            ImGui::End();
            return;
        }
        if (ManagerTab(tab) && !Manager()) tab = Tab::Requests;  // a receptionist never sees them
        DrawTopBar();
        ImGui::Separator();
        const float status_h = ImGui::GetFrameHeightWithSpacing() + 4;
        ImGui::BeginChild("###body", {0, -status_h}, false);
        if (watch && tab != Tab::Week) watch->ShowWeek(std::nullopt);
        switch (tab) {
            case Tab::Requests: DrawRequests(); break;
            case Tab::Forwarded: DrawForwarded(); break;
            case Tab::Week: DrawWeek(); break;  // with --server it asks the watcher for the week shown
            case Tab::Waiting: DrawWaiting(); break;
            case Tab::Trainers: DrawTrainers(); break;
            case Tab::Reports: DrawReports(); break;
            case Tab::Audit: DrawAudit(); break;
            case Tab::Kiosks: DrawKiosks(); break;
        }
        ImGui::EndChild();
        ImGui::Separator();
        DrawStatus();
        ImGui::End();
    }

    void DrawTopBar() {
        struct TabSpec {
            Tab tab;
            const char* id;
            const char* label;
            bool manager;
        };
        static constexpr std::array<TabSpec, 8> kTabs{{{Tab::Requests, "tab.requests", "Requests", false},
                                                       {Tab::Forwarded, "tab.forwarded", "From kiosks", false},
                                                       {Tab::Week, "tab.week", "Week", false},
                                                       {Tab::Waiting, "tab.waiting", "Waiting list", false},
                                                       {Tab::Trainers, "tab.trainers", "Trainers & hours", true},
                                                       {Tab::Reports, "tab.reports", "Reports", true},
                                                       {Tab::Audit, "tab.audit", "Audit log", true},
                                                       {Tab::Kiosks, "tab.kiosks", "Kiosks", false}}};
        for (const auto& t : kTabs) {
            if (t.manager && !Manager()) continue;
            if ((t.tab == Tab::Kiosks || t.tab == Tab::Forwarded) && !watch) continue;
            const bool active = tab == t.tab;
            if (active) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
            const std::string label = t.tab == Tab::Kiosks ? KiosksTabLabel() : t.tab == Tab::Forwarded ? ForwardedTabLabel() : t.label;
            if (Button(t.id, label)) {
                tab = t.tab;
                if (tab == Tab::Audit) LoadAudit();
                if (tab == Tab::Reports && !figures) LoadFigures();
            }
            if (active) ImGui::PopStyleColor();
            ImGui::SameLine();
        }
        const std::string who_text = key->Staff() + " (" + std::string(store::Key(key->Role())) + ")";
        const float right = ImGui::GetContentRegionMax().x;
        ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), right - ImGui::CalcTextSize(who_text.c_str()).x - 90));
        ImGui::TextUnformatted(who_text.c_str());
        ImGui::SameLine();
        if (Button("lock", "Lock")) Lock("Locked.");
    }

    void DrawStatus() {
        const auto progress = model.Progress();
        std::string line = tab != Tab::Forwarded ? std::to_string(model.Rows().size()) + " requests"
                           : server.read_ok      ? std::to_string(server.requests->size()) + " requests on the shared database"
                                                 : std::string("the kiosks' requests are not read yet");
        if (!progress.Finished()) line += "  ·  opening names " + std::to_string(progress.done) + " of " + std::to_string(progress.total);
        line += "  ·  " + practice;
        ImGui::TextUnformatted(line.c_str());
        ImGui::SameLine();
        DrawMessage();
    }

    // ---- requests ------------------------------------------------------------------------------

    void LoadTrainers() {
        auto t = store::TrainerRepo(db).List();
        if (Check(t, "Trainers")) trainers = std::move(*t);
        if (week_trainer == 0 && !trainers.empty()) week_trainer = trainers.front().id;
    }

    // Opens request `id` (an audited reveal): only ever on a person's choice.
    void LoadDetail(core::ReferralId id) {
        ForgetDetail();
        auto d = store::DeskRepo(db).Detail(id, *key, Now());
        if (Check(d, "Opening the request")) detail = std::move(*d);
        LoadQueued();
    }

    void LoadQueued() {
        detail_queued.reset();
        if (!detail) return;
        if (auto q = store::ForwardRepo(db).Queued(detail->referral.id); Check(q, "Reading the outbox")) detail_queued = std::move(*q);
    }

    // Re-reads the open request after a change (status, bookings, trail), keeping what was opened
    // and what is being typed; never reveals anything new.
    void RefreshDetail() {
        if (!detail) return;
        auto fresh = store::DeskRepo(db).Detail(detail->referral.id, Now());
        if (!fresh && fresh.error().code == Errc::NotFound && detail_queued) {  // the server confirmed it: this file's copy went
            const std::string reference = detail->referral.reference;
            ForgetDetail();
            selected.reset();
            Say(reference + " is on the shared database now: find it in the From kiosks view.");
            return;
        }
        if (!fresh) return;
        // The opened details and notes move into the fresh copy; the old one is left with the empty
        // sealed fields, so nothing opened is freed unwiped.
        std::swap(fresh->referral.patient, detail->referral.patient);
        std::swap(fresh->notes, detail->notes);
        detail = std::move(*fresh);
        LoadQueued();
    }

    void DrawFilters() {
        ImGui::BeginChild("###filters", {kFilterWidth, 0}, true);
        if (Button("requests.new", "New request at the desk")) {
            selected.reset();
            ForgetDetail();
            form.Clear();
            new_request = true;
        }
        ImGui::Separator();
        ImGui::TextUnformatted("Search reference or name");
        if (Input("filter.search", "", search, 0, -1)) query.search = search.Str();
        ImGui::Separator();
        ImGui::TextUnformatted("When");
        if (Radio("filter.period.today", "Today", query.period == Period::Today)) query.period = Period::Today;
        if (Radio("filter.period.week", "This week", query.period == Period::Week)) query.period = Period::Week;
        if (Radio("filter.period.all", "All", query.period == Period::All)) query.period = Period::All;
        ImGui::Separator();
        ImGui::TextUnformatted("Status");
        for (core::ReferralStatus s : core::AllReferralStatuses()) {
            const std::uint32_t bit = 1u << static_cast<int>(s);
            bool on = (query.statuses & bit) != 0;
            if (Tick("filter.status." + std::string(core::Key(s)), Label(core::Key(s)), &on))
                query.statuses = on ? query.statuses | bit : query.statuses & ~bit;
        }
        ImGui::Separator();
        Combo("filter.route", "Route", query.route, core::AllRoutes(), [](core::Route r) { return RouteLabel(r); });
        Combo("filter.reason", "Reason", query.reason, core::AllReasons(), [](core::Reason r) { return Label(core::Key(r)); });
        LanguageCombo();
        Tick("filter.interpreter", "Needs an interpreter", &query.interpreter_only);
        Tick("filter.waiting", "On the waiting list", &query.waiting_only);
        ImGui::EndChild();
    }

    template <class E, class LabelFn>
    void Combo(const std::string& id, const char* title, std::optional<E>& value, std::span<const E> all, LabelFn label) {
        ImGui::TextUnformatted(title);
        ImGui::SetNextItemWidth(-1);
        const std::string shown = value ? label(*value) : "Any";
        if (ImGui::BeginCombo(("###" + id).c_str(), shown.c_str(), ImGuiComboFlags_HeightLargest)) {
            if (ImGui::Selectable(("Any###" + id + ".any").c_str(), !value)) value.reset();
            Record(id + ".any");
            for (E e : all) {
                if (ImGui::Selectable((label(e) + "###" + id + "." + std::string(core::Key(e))).c_str(), value == e)) value = e;
                Record(id + "." + std::string(core::Key(e)));
            }
            ImGui::EndCombo();
        }
        Record(id);
    }

    void LanguageCombo() {
        ImGui::TextUnformatted("Language");
        ImGui::SetNextItemWidth(-1);
        if (ImGui::BeginCombo("###filter.language", query.language.empty() ? "Any" : query.language.c_str(),
                              ImGuiComboFlags_HeightLargest)) {
            if (ImGui::Selectable("Any###filter.language.any", query.language.empty())) query.language.clear();
            Record("filter.language.any");
            for (const auto& tag : model.Languages()) {
                if (ImGui::Selectable((tag + "###filter.language." + tag).c_str(), query.language == tag)) query.language = tag;
                Record("filter.language." + tag);
            }
            ImGui::EndCombo();
        }
        Record("filter.language");
    }

    void DrawRequests() {
        DrawFilters();
        ImGui::SameLine();
        const bool side = selected.has_value() || new_request;
        ImGui::BeginChild("###list", {side ? -kDetailWidth : 0, 0}, false);
        DrawTable();
        ImGui::EndChild();
        if (side) {
            ImGui::SameLine();
            ImGui::BeginChild("###detail", {0, 0}, true);
            if (new_request) DrawNewRequest();
            else DrawDetail();
            ImGui::EndChild();
        }
    }

    void DrawCell(const Row& r, Column column) {
        switch (column) {
            case Column::Reference:
                if (ImGui::Selectable((r.reference + "###row." + r.reference).c_str(), selected == r.id,
                                      ImGuiSelectableFlags_SpanAllColumns)) {
                    selected = r.id;
                    new_request = false;
                    LoadDetail(r.id);
                }
                Record("row." + r.reference);
                break;
            case Column::Created: ImGui::TextUnformatted(When(*zone, r.created_at).c_str()); break;
            case Column::Name:
                if (r.revealed) Text(r.name, ImGui::GetContentRegionAvail().x);
                else ImGui::TextDisabled("sealed");
                break;
            case Column::Status: ImGui::TextUnformatted(Label(core::Key(r.status)).c_str()); break;
            case Column::Route: ImGui::TextUnformatted(RouteLabel(r.route).c_str()); break;
            case Column::Reasons: ImGui::TextUnformatted(Reasons(r.reasons).c_str()); break;
            case Column::Language: {
                std::string lang = r.language;
                if (r.interpreter) lang += " · interpreter";
                if (r.waiting_list) lang += " · waiting";
                ImGui::TextUnformatted(lang.c_str());
                break;
            }
            case Column::Booking:
                if (r.booking) ImGui::TextUnformatted((When(*zone, r.booking_start) + " " + Label(core::Key(r.booking_status))).c_str());
                break;
        }
    }

    void DrawTable() {
        constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_Sortable | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                           ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable |
                                           ImGuiTableFlags_SizingStretchProp;
        struct ColumnSpec {
            Column column;
            const char* title;
            float width;  // pixels when fixed; a weight when it stretches
            bool stretch;
            bool narrow;  // kept when the detail takes half the window
        };
        static constexpr std::array<ColumnSpec, 8> kColumns{{{Column::Reference, "Reference", 100, false, true},
                                                             {Column::Created, "Received", 140, false, true},
                                                             {Column::Name, "Name", 2.0f, true, true},
                                                             {Column::Status, "Status", 90, false, true},
                                                             {Column::Route, "Route", 115, false, false},
                                                             {Column::Reasons, "Reasons", 2.0f, true, false},
                                                             {Column::Language, "Language", 110, false, true},
                                                             {Column::Booking, "Booking", 185, false, false}}};
        const bool narrow = selected.has_value() || new_request;
        std::vector<const ColumnSpec*> shown;
        for (const auto& c : kColumns)
            if (!narrow || c.narrow) shown.push_back(&c);
        // Two tables by id, so each keeps its own column widths.
        if (!ImGui::BeginTable(narrow ? "###requests.narrow" : "###requests", static_cast<int>(shown.size()), kFlags)) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        for (const ColumnSpec* c : shown) {
            ImGuiTableColumnFlags flags = c->stretch ? ImGuiTableColumnFlags_WidthStretch : ImGuiTableColumnFlags_WidthFixed;
            if (c->column == Column::Created) flags |= ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_PreferSortDescending;
            ImGui::TableSetupColumn(c->title, flags, c->width, static_cast<ImGuiID>(c->column));
        }
        ImGui::TableHeadersRow();
        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0 && specs->SpecsDirty) {
            query.sort = static_cast<Column>(specs->Specs[0].ColumnUserID);
            query.ascending = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
            specs->SpecsDirty = false;
        }
        const auto& visible = model.Apply(query);
        const auto& rows = model.Rows();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(visible.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const Row& r = rows[static_cast<std::size_t>(visible[static_cast<std::size_t>(i)])];
                ImGui::TableNextRow();
                for (const ColumnSpec* c : shown) {
                    ImGui::TableNextColumn();
                    DrawCell(r, c->column);
                }
            }
        }
        ImGui::EndTable();
        if (visible.empty()) ImGui::TextDisabled("No requests match.");
    }

    void Line(const char* label, std::string_view value) {
        ImGui::TextDisabled("%s", label);
        ImGui::SameLine(130);
        Text(value, ImGui::GetContentRegionAvail().x, kInk, true);
    }

    void DrawDetail() {
        if (!detail) {
            ImGui::TextDisabled("Choose a request.");
            return;
        }
        const auto& r = detail->referral;
        ImGui::Text("Request %s", r.reference.c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("%s", Label(core::Key(r.status)).c_str());
        ImGui::Separator();
        DrawPatient(r.patient);
        DrawAbout(r);
        ImGui::Separator();
        if (detail_queued) {  // changed here, it would reach the server without the change
            if (!detail_queued->empty()) {
                Callout("The shared database refused this request: " + *detail_queued +
                        ". It stays on this desk: tell whoever runs the shared database.");
            } else if (!outbox) {
                Callout("Waiting to be sent to the shared database, where this practice's requests are worked on: open the desk with "
                        "--server, or run ht-admin db send.");
            } else {
                const auto status = outbox->Status();
                Callout(status.problem.empty()
                            ? "On its way to the shared database. Once there, work on it in the From kiosks view."
                            : "Kept on this desk: the shared database cannot be reached just now (the From kiosks view says "
                              "why). It goes there by itself once it can; then work on it in the From kiosks view.");
            }
            Record("detail.queued");
            DrawTrail();
            return;
        }
        if (auto s = MoveButtons("detail.status.", r.status)) {
            // From the status this desk shows: a change another desk (or ht-admin) made meanwhile is
            // refused, said, and shown, as on the shared database.
            const core::ReferralId id = r.id;
            auto changed = store::FileDeskStore(db, *zone).Move(id, r.status, *s, Actor(), Now());
            if (Check(changed, "Changing the status")) {
                Say(r.reference + ": " + std::string(core::Key(*s)) + ".");
                Changed(id);
            } else if (changed.error().code == Errc::Busy) {
                Changed(id);
            }
            return;
        }
        DrawBookings();
        DrawNotes();
        DrawTrail();
    }

    void DrawPatient(const core::PatientDetails& p) {
        Line("Name", p.name);
        Line("Born", p.date_of_birth ? p.date_of_birth->Iso() : "");
        Line("Phone", p.phone);
        if (!p.email.empty()) Line("Email", p.email);
        if (!p.address.empty()) Line("Address", p.address);
        if (!p.note.empty()) Line("Patient's note", p.note);
    }

    // What a request asks for, past the patient's details: the same for the desk's file and the server.
    void DrawAbout(const core::Referral& r) {
        Line("Received", When(*zone, r.created_at));
        Line("Route", RouteLabel(r.route));
        std::uint32_t bits = 0;
        for (auto reason : r.reasons) bits |= 1u << static_cast<int>(reason);
        Line("Reasons", Reasons(bits));
        Line("Language", r.preferred_language + (r.interpreter ? ", needs an interpreter" : ""));
        std::string best;
        for (auto t : r.best_times) best += (best.empty() ? "" : ", ") + Label(core::Key(t));
        Line("Contact", Label(core::Key(r.contact)) + (best.empty() ? "" : " (" + best + ")"));
        if (r.waiting_list) Line("Waiting list", "yes: offer the next free slot");
    }

    // "Move to" and a button per status `current` may move to; the one pressed, if any.
    std::optional<core::ReferralStatus> MoveButtons(const std::string& id_prefix, core::ReferralStatus current, bool enabled = true) {
        bool any_move = false;
        for (core::ReferralStatus s : core::AllReferralStatuses()) any_move = any_move || core::CanChange(current, s);
        if (any_move) ImGui::TextUnformatted("Move to");
        for (core::ReferralStatus s : core::AllReferralStatuses()) {
            if (!core::CanChange(current, s)) continue;
            ImGui::SameLine();
            if (Button(id_prefix + std::string(core::Key(s)), Label(core::Key(s)), enabled)) return s;
        }
        return std::nullopt;
    }

    // After this desk changed request `id`: the list, and the open detail if it is that request.
    void Changed(core::ReferralId id) {
        ++epoch;
        model.Changed();
        (void)model.Refresh();
        if (detail && detail->referral.id == id) RefreshDetail();
    }

    void DrawBookings() {
        if (!detail) return;
        ImGui::Separator();
        ImGui::TextUnformatted("Bookings");
        const auto& r = detail->referral;
        for (const auto& b : detail->bookings) {
            ImGui::Text("%s with %s: %s", When(*zone, b.slot.start).c_str(), TrainerName(trainers, b.slot.trainer).c_str(),
                        Label(core::Key(b.status)).c_str());
            for (core::BookingStatus s : core::AllBookingStatuses()) {
                if (!core::CanChange(b.status, s)) continue;
                if (Button("detail.booking." + std::to_string(b.id) + "." + std::string(core::Key(s)), Label(core::Key(s)))) {
                    // With --server a freed slot is the server's to offer, not this file's.
                    auto changed = store::BookingRepo(db).ChangeStatusAndOffer(b.id, s, Actor(), Now(), outbox ? nullptr : zone.get());
                    if (Check(changed, "Changing the booking")) {
                        std::string said = "Booking " + std::to_string(b.id) + ": " + std::string(core::Key(s)) + ".";
                        if (changed->offer)
                            said += " Slot freed and offered to " + changed->offer->reference + " (" + changed->offer->language + ").";
                        Say(said);
                        Changed(r.id);
                    }
                    return;
                }
                ImGui::SameLine();
            }
            ImGui::NewLine();
        }
        if (outbox) {  // this file's slots would be booked behind the kiosks' backs
            ImGui::TextDisabled("Times are booked on the shared database, in the From kiosks view.");
            return;
        }
        if (detail->offer) {
            const auto& o = *detail->offer;
            ImGui::TextWrapped("Offered from the waiting list: %s with %s, until %s.", When(*zone, o.slot.start).c_str(),
                               TrainerName(trainers, o.slot.trainer).c_str(), When(*zone, o.expires_at).c_str());
            const core::ReferralId id = r.id;  // each answer reloads `detail`, and `r` with it
            if (Button("detail.offer.accept", "Patient accepts")) {
                AcceptOffer(id);
                return;
            }
            ImGui::SameLine();
            if (Button("detail.offer.decline", "Patient declines")) {
                DeclineOffer(id);
                return;
            }
        }
        const bool open = r.status != core::ReferralStatus::Closed && r.status != core::ReferralStatus::Cancelled;
        if (open && Button("detail.book", picking_slot ? "Hide free slots" : "Book a slot")) {
            picking_slot = !picking_slot;
            if (picking_slot) LoadFreeSlots();
        }
        if (picking_slot) DrawSlotPicker([this, id = r.id](const core::Slot& slot) { BookFor(id, slot); });
    }

    void LoadFreeSlots() {
        auto slots = store::SlotRepo(db).FreeSlots(*zone, Now());  // the practice's booking horizon
        if (!Check(slots, "Free slots")) return;
        free_slots = std::move(*slots);
        LoadTrainers();
        // Trainers who speak the patient's language first, each in time order.
        const std::string lang = detail ? detail->referral.preferred_language : form.language.Str();
        std::stable_sort(free_slots.begin(), free_slots.end(), [&](const core::Slot& a, const core::Slot& b) {
            auto speaks = [&](const core::Slot& s) {
                for (const auto& t : trainers)
                    if (t.id == s.trainer) return !lang.empty() && t.Speaks(lang);
                return false;
            };
            const bool sa = speaks(a);
            const bool sb = speaks(b);
            if (sa != sb) return sa;
            return a.start < b.start;
        });
    }

    template <class OnPick>
    void DrawSlotPicker(OnPick on_pick) {
        ImGui::BeginChild("###slots", {0, 220}, true);
        if (free_slots.empty()) ImGui::TextDisabled("No free slots within the booking horizon.");
        for (const auto& s : free_slots) {
            const std::string id = "slot." + std::to_string(s.trainer) + "." + std::to_string(s.start);
            if (ImGui::Selectable((When(*zone, s.start) + "  " + TrainerName(trainers, s.trainer) + "###" + id).c_str())) {
                Record(id);
                on_pick(s);
                break;
            }
            Record(id);
        }
        ImGui::EndChild();
    }

    // With --server the practice's times are the server's: one booked in this file could be a kiosk's too.
    bool RefuseFileBooking() {
        if (!outbox) return false;
        picking_slot = false;
        Say("Times are booked on the shared database: book this request in the From kiosks view.", true);
        return true;
    }

    void BookFor(core::ReferralId id, const core::Slot& slot) {
        if (RefuseFileBooking()) return;
        auto booked = store::DeskRepo(db).Book(id, {slot.trainer, slot.start}, *zone, Actor(), Now());
        picking_slot = false;
        if (!Check(booked, "Booking")) {
            LoadFreeSlots();
            return;
        }
        Say("Booked " + When(*zone, slot.start) + " with " + TrainerName(trainers, slot.trainer) + ".");
        Changed(id);
    }

    void AcceptOffer(core::ReferralId id) {
        if (RefuseFileBooking()) return;
        auto booked = store::WaitingRepo(db).Accept(id, Actor(), Now());
        if (Check(booked, "Accepting the offer")) Say("Booked " + When(*zone, booked->slot.start) + " from the waiting list.");
        Changed(id);
    }

    void DeclineOffer(core::ReferralId id) {
        auto next = store::WaitingRepo(db).Decline(id, Actor(), Now());
        if (Check(next, "Declining the offer"))
            Say(*next ? "Declined; the slot is now offered to " + (*next)->reference + "." : "Declined; the slot is free again.");
        Changed(id);
    }

    void DrawNotes() {
        if (!detail) return;
        DrawNotesOf(detail->notes, note, "detail.note", [this](const std::string& text) {
            auto pub = store::PracticePublicKey(db);
            if (!Check(pub, "Adding the note")) return false;
            auto added = store::ReferralRepo(db).AddNote(detail->referral.id, text, *pub, Actor(), Now());
            if (!Check(added, "Adding the note")) return false;
            Say("Note added.");
            LoadDetail(detail->referral.id);  // the new note is sealed: open it to show it (audited)
            return true;
        });
    }

    // A request's notes, then a box for a new one; `add` saves it (true: the box is emptied).
    void DrawNotesOf(const std::vector<store::ReferralNote>& notes, Field<2001>& field, const std::string& id,
                     const std::function<bool(const std::string&)>& add) {
        ImGui::Separator();
        ImGui::TextUnformatted("Notes");
        for (const auto& n : notes) {
            ImGui::TextDisabled("%s  %s", When(*zone, n.at).c_str(), n.actor.c_str());
            Text(n.text, ImGui::GetContentRegionAvail().x, kInk, true);
        }
        ImGui::SetNextItemWidth(-1);
        ImGui::InputTextMultiline(("###" + id).c_str(), field.text.data(), field.text.size(), {-1, 70});
        Record(id);
        if (Button(id + ".add", "Add note", !field.Empty()) && add(field.Str())) {
            field.Clear();
            WipeEditState();
        }
    }

    void DrawTrail() {
        if (!detail) return;
        ImGui::Separator();
        if (!ImGui::CollapsingHeader("Audit trail###detail.trail")) return;
        for (const auto& e : detail->audit)
            ImGui::TextWrapped("%s  %s  %s  %s", When(*zone, e.at).c_str(), e.actor.c_str(), e.action.c_str(), e.detail.c_str());
    }

    void DrawNewRequest() {
        ImGui::TextUnformatted("New request taken at the desk");
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("Ask the patient's consent to share their details with the health trainer.");
        ImGui::PopStyleColor();
        ImGui::Separator();
        int column = 0;  // two to a row, so the whole form fits beside the list
        for (core::Route r : core::AllRoutes()) {
            if (column++ % 2) ImGui::SameLine(kDetailWidth / 2);
            if (Radio("new.route." + std::string(core::Key(r)), RouteLabel(r), form.route == r)) form.route = r;
        }
        ImGui::TextUnformatted("Reasons");
        column = 0;
        for (core::Reason reason : core::AllReasons()) {
            if (column++ % 2) ImGui::SameLine(kDetailWidth / 2);
            bool on = form.reasons.count(reason) > 0;
            if (Tick("new.reason." + std::string(core::Key(reason)), Label(core::Key(reason)), &on)) {
                if (on) form.reasons.insert(reason);
                else form.reasons.erase(reason);
            }
        }
        Input("new.language", "Language (ur, so, pa-Guru)", form.language, 0, 120);
        Tick("new.interpreter", "Needs an interpreter", &form.interpreter);
        for (core::ContactMethod c : {core::ContactMethod::Phone, core::ContactMethod::Letter, core::ContactMethod::CallIn}) {
            if (Radio("new.contact." + std::string(core::Key(c)), Label(core::Key(c)), form.contact == c)) form.contact = c;
            ImGui::SameLine();
        }
        ImGui::NewLine();
        Input("new.name", "Name", form.name, 0, 260);
        if (!form.name.Empty()) Text(form.name.Str(), 260, kMuted);  // as any script really reads
        Input("new.dob", "Date of birth (YYYY-MM-DD)", form.dob, 0, 160);
        Input("new.phone", "Phone", form.phone, 0, 200);
        Input("new.address", "Address (for a letter)", form.address, 0, 260);
        Input("new.email", "Email", form.email, 0, 260);
        Input("new.note", "Note", form.note, 0, 260);
        if (form.route == core::Route::BookedByGp && outbox) {
            ImGui::TextWrapped("Times are booked on the shared database: save the request, then book the GP's time in the From kiosks view.");
        } else if (form.route == core::Route::BookedByGp) {
            if (form.slot) ImGui::Text("Slot: %s with %s", When(*zone, form.slot->start).c_str(), TrainerName(trainers, form.slot->trainer).c_str());
            if (Button("new.pick", form.slot ? "Change slot" : "Choose a slot")) {
                picking_slot = !picking_slot;
                if (picking_slot) LoadFreeSlots();
            }
            if (picking_slot) DrawSlotPicker([this](const core::Slot& slot) {
                form.slot = slot;
                picking_slot = false;
            });
        }
        if (Button("new.save", "Save request")) SaveNewRequest();
        ImGui::SameLine();
        if (Button("new.cancel", "Cancel")) {
            form.Clear();
            WipeEditState();
            new_request = false;
        }
    }

    void SaveNewRequest() {
        core::Referral r;
        struct WipeOnReturn {
            core::PatientDetails& p;
            ~WipeOnReturn() { core::Wipe(p); }
        } wipe{r.patient};
        r.route = form.route;
        r.reasons = form.reasons;
        r.preferred_language = core::Trim(form.language.Str());
        r.interpreter = form.interpreter;
        r.contact = form.contact;
        r.consent_version = std::string(store::kDeskConsent);
        r.patient.name = core::Trim(form.name.Str());
        if (!form.dob.Empty()) {
            r.patient.date_of_birth = core::LocalDate::ParseIso(core::Trim(form.dob.Str()));
            if (!r.patient.date_of_birth) {
                Say("Date of birth: write it as YYYY-MM-DD.", true);
                return;
            }
        }
        r.patient.phone = core::Trim(form.phone.Str());
        r.patient.address = core::Trim(form.address.Str());
        r.patient.email = core::Trim(form.email.Str());
        r.patient.note = form.note.Str();
        if (r.reasons.empty()) {
            Say("Choose at least one reason.", true);
            return;
        }
        if (!core::LooksLikeLanguageTag(r.preferred_language)) {
            Say("Language: a tag such as ur, so or pa-Guru.", true);
            return;
        }
        if (form.route == core::Route::BookedByGp && !form.slot && !outbox) {
            Say("Choose the slot the GP booked.", true);
            return;
        }
        auto checked = CheckPatient(r.patient, r.contact, zone->ToLocal(Now()).date);
        if (!checked) {
            Say(checked.error().detail, true);
            return;
        }
        auto pub = store::PracticePublicKey(db);
        if (!Check(pub, "Saving")) return;
        std::optional<store::SlotStart> slot;
        if (form.route == core::Route::BookedByGp && form.slot && !outbox) slot = store::SlotStart{form.slot->trainer, form.slot->start};
        auto created = SaveHere(r, *pub, slot);
        if (!Check(created, "Saving")) return;
        Say("Saved as " + created->referral.reference + "." +
            (outbox ? " It goes to the shared database: book it and work on it there, in the From kiosks view."
             : created->queued ? " It waits here to be sent to the shared database (ht-admin desk --server, or ht-admin db send)."
                               : ""));
        form.Clear();
        WipeEditState();
        new_request = false;
        model.Changed();
        (void)model.Refresh();
        selected = created->referral.id;
        LoadDetail(created->referral.id);
    }

    // In this file; with --server (or once the practice's times are booked on its shared database)
    // queued in the same transaction, so it is sent once it is stored.
    Result<store::DeskRequest> SaveHere(const core::Referral& r, const store::PublicKey& pub, std::optional<store::SlotStart> slot) {
        auto created = store::DeskRepo(db).Create(r, pub, slot, *zone, Actor(), Now(), /*forward=*/outbox != nullptr);
        if (created && outbox) outbox->Wake();
        return created;
    }

    // ---- week ----------------------------------------------------------------------------------

    void DrawWeek() {
        if (trainers.empty()) LoadTrainers();
        ImGui::TextUnformatted("Trainer");
        for (const auto& t : trainers) {
            if (!t.active) continue;
            ImGui::SameLine();
            if (Radio("week.trainer." + std::to_string(t.id), t.display_name, week_trainer == t.id)) week_trainer = t.id;
        }
        ImGui::SameLine(0, 30);
        if (Button("week.prev", "< Week")) --week_offset;
        ImGui::SameLine();
        if (Button("week.this", "This week")) week_offset = 0;
        ImGui::SameLine();
        if (Button("week.next", "Week >")) ++week_offset;

        const auto today = zone->ToLocal(Now()).date;
        const auto monday = today.AddDays(-today.Weekday() + 7 * week_offset);
        const auto from = core::LocalDayStart(*zone, monday);
        const auto to = core::LocalDayStart(*zone, monday.AddDays(7));
        if (watch) {
            DrawServerWeek(monday, {from, to});
            return;
        }
        auto& cache = week_cache;
        if (cache.trainer != week_trainer || cache.offset != week_offset) cache.at = -1;
        if (Due(cache)) {
            store::BookingFilter f;
            f.from = from;
            f.to = to;
            f.trainer = week_trainer;
            auto list = store::BookingRepo(db).List(f);
            auto slots = store::SlotRepo(db).FreeSlots(*zone, Now(), week_trainer);  // within the booking horizon
            if (!Check(list, "Bookings") || !Check(slots, "Free slots")) return;
            cache.trainer = week_trainer;
            cache.offset = week_offset;
            cache.booked = std::move(*list);
            cache.free = std::move(*slots);
        }
        const auto* booked = &cache.booked;
        const auto* free = &cache.free;

        if (!ImGui::BeginTable("###week", 7, ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchSame)) return;
        for (int d = 0; d < 7; ++d)
            ImGui::TableSetupColumn((std::string(kDayNames[static_cast<std::size_t>(d)]) + " " + monday.AddDays(d).Iso().substr(5)).c_str());
        ImGui::TableHeadersRow();
        ImGui::TableNextRow();
        for (int d = 0; d < 7; ++d) {
            ImGui::TableNextColumn();
            const auto day = monday.AddDays(d);
            struct Cell {
                core::UnixSeconds start;
                const core::Booking* booking;
            };
            std::vector<Cell> cells;
            for (const auto& b : *booked)
                if (zone->ToLocal(b.slot.start).date == day && core::HoldsSlot(b.status)) cells.push_back({b.slot.start, &b});
            for (const auto& s : *free)
                if (zone->ToLocal(s.start).date == day) cells.push_back({s.start, nullptr});
            std::sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) { return a.start < b.start; });
            for (const auto& c : cells) {
                const std::string time = core::FormatClock(zone->ToLocal(c.start).minute_of_day);
                if (c.booking) {
                    const Row* row = model.Find(c.booking->referral);
                    ImGui::TextUnformatted((time + " " + (row ? row->reference : std::string("?"))).c_str());
                    if (row && row->revealed) Text(row->name, ImGui::GetContentRegionAvail().x, kMuted);
                } else {
                    const std::string id = "week.free." + std::to_string(c.start);
                    const bool can_book = selected && detail && !outbox;
                    if (Button(id, time + (can_book ? " book " + detail->referral.reference : " free"), can_book))
                        BookFor(*selected, {week_trainer, c.start, c.start});
                }
            }
            if (cells.empty()) ImGui::TextDisabled("—");
        }
        ImGui::EndTable();
    }

    // With --server the practice's week is the server's: its kiosks' and desks' bookings, and what is
    // free there. Read by the watcher; booked in the From kiosks view.
    void DrawServerWeek(core::LocalDate monday, WeekAsk week) {
        watch->ShowWeek(week);
        ImGui::TextDisabled("The practice's week on the shared database. Book a request's time in the From kiosks view.");
        if (!server.week || server.week->of != week) {
            ImGui::TextDisabled("Reading the week from the shared database...");
            return;
        }
        if (!server.week->slots) {
            const core::Error& e = server.week->slots.error();
            Callout(e.code == Errc::Forbidden ? "The week on the shared database is a practice desk's view, and this login is not a desk's: "
                                                "use the desk's login (ht-admin db add-desk)."
                                              : ProblemText(e));
            Record(e.code == Errc::Forbidden ? "week.server.not_a_desk" : "week.server.problem");
            return;
        }
        if (!ImGui::BeginTable("###week.server", 7, ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchSame))
            return;
        for (int d = 0; d < 7; ++d)
            ImGui::TableSetupColumn((std::string(kDayNames[static_cast<std::size_t>(d)]) + " " + monday.AddDays(d).Iso().substr(5)).c_str());
        ImGui::TableHeadersRow();
        ImGui::TableNextRow();
        const auto& slots = *server.week->slots;  // by start: each day's cells in time order
        for (int d = 0; d < 7; ++d) {
            ImGui::TableNextColumn();
            const auto day = monday.AddDays(d);
            bool any = false;
            for (const store::pg::WeekSlot& w : slots) {
                if (w.slot.trainer != week_trainer || zone->ToLocal(w.slot.start).date != day) continue;
                any = true;
                const std::string time = core::FormatClock(zone->ToLocal(w.slot.start).minute_of_day);
                if (w.booking) {
                    ImGui::TextUnformatted((time + " " + w.reference).c_str());
                    Record("week.server.booked." + std::to_string(w.slot.start));
                    ImGui::TextDisabled("%s, %s", OriginOf(w.origin).c_str(), Label(core::Key(w.status)).c_str());
                } else if (!w.offered_to.empty()) {
                    ImGui::TextUnformatted((time + " offered to " + w.offered_to).c_str());
                    Record("week.server.offered." + std::to_string(w.slot.start));
                } else {
                    ImGui::TextDisabled("%s free", time.c_str());
                    Record("week.server.free." + std::to_string(w.slot.start));
                }
            }
            if (!any) ImGui::TextDisabled("—");
        }
        ImGui::EndTable();
    }

    // ---- waiting list --------------------------------------------------------------------------

    void DrawWaiting() {
        if (watch) DrawServerWaiting();
        auto& c = waiting_cache;
        if (Due(c)) {
            store::WaitingRepo repo(db);
            auto o = repo.Offers(Now());
            auto w = repo.List();
            if (!Check(o, "Offers") || !Check(w, "Waiting list")) return;
            c.offers = std::move(*o);
            c.waiting = std::move(*w);
        }
        const auto* offers = &c.offers;
        const auto* waiting = &c.waiting;
        if (watch) {  // the file's own list, from before the shared database, only while it holds any
            if (offers->empty() && waiting->empty()) return;
            ImGui::Separator();
            ImGui::TextUnformatted("On this desk's own file, from before the shared database");
        }
        ImGui::TextUnformatted("Freed slots offered to the waiting list");
        if (offers->empty()) ImGui::TextDisabled("None at the moment.");
        for (const auto& o : *offers) {
            ImGui::Text("%s  %s with %s%s, until %s", o.reference.c_str(), When(*zone, o.slot.start).c_str(),
                        TrainerName(trainers, o.slot.trainer).c_str(), o.trainer_speaks ? "" : " (needs an interpreter)",
                        When(*zone, o.expires_at).c_str());
            if (const Row* row = model.Find(o.referral); row && row->revealed) {
                ImGui::SameLine();
                Text(row->name, 260, kMuted);
            }
            ImGui::SameLine();
            if (Button("offer.accept." + o.reference, "Accepts", !outbox)) AcceptOffer(o.referral);
            ImGui::SameLine();
            if (Button("offer.decline." + o.reference, "Declines")) DeclineOffer(o.referral);
        }
        ImGui::Separator();
        ImGui::Text("Waiting for a slot (%zu), oldest first", waiting->size());
        for (const auto& r : *waiting) {
            if (ImGui::Selectable((r.reference + "  " + When(*zone, r.created_at) + "  " + r.preferred_language +
                                   (r.interpreter ? " · interpreter" : "") + "###waiting." + r.reference).c_str())) {
                tab = Tab::Requests;
                selected = r.id;
                new_request = false;
                LoadDetail(r.id);
            }
            Record("waiting." + r.reference);
        }
    }

    // The shared database's waiting list: a slot freed there is offered by the server, which keeps it from
    // every kiosk and desk until reception hears back; the answers are made on the watcher's thread.
    void DrawServerWaiting() {
        ImGui::TextUnformatted("Freed slots offered to the waiting list, on the shared database");
        if (server.reads == 0) ImGui::TextDisabled("Reading the shared database...");
        if (server.problem) Callout(ProblemText(*server.problem));
        const bool saving = server.actions_pending > 0;
        if (server.read_ok && server.offers.empty()) ImGui::TextDisabled("None at the moment.");
        constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit;
        if (!server.offers.empty() && ImGui::BeginTable("###server.offers", 6, kFlags)) {
            ImGui::TableSetupColumn("Offered to", ImGuiTableColumnFlags_WidthFixed, 110);
            ImGui::TableSetupColumn("Time", ImGuiTableColumnFlags_WidthFixed, 150);
            ImGui::TableSetupColumn("Trainer", ImGuiTableColumnFlags_WidthFixed, 330);
            ImGui::TableSetupColumn("Until", ImGuiTableColumnFlags_WidthFixed, 150);
            ImGui::TableSetupColumn("From", ImGuiTableColumnFlags_WidthFixed, 150);
            ImGui::TableSetupColumn("The patient", ImGuiTableColumnFlags_WidthFixed, 190);
            ImGui::TableHeadersRow();
            for (const store::pg::ServerOffer& o : server.offers) {
                ImGui::TableNextRow();
                const auto cell = [&](const std::string& text, ImU32 colour = kInk) {
                    ImGui::TableNextColumn();
                    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ImGui::GetStyle().FramePadding.y);  // level with the row's buttons
                    Text(text, ImGui::GetContentRegionAvail().x, colour);
                };
                cell(o.reference);
                cell(When(*zone, o.slot.start));
                cell(o.trainer + (o.trainer_speaks ? "" : " (needs an interpreter)"));
                cell(When(*zone, o.expires_at));
                cell(OriginOf(o.origin), kMuted);
                ImGui::TableNextColumn();
                if (Button("server.offer.accept." + o.reference, "Accepts", !saving)) AskOffer(o, true);
                ImGui::SameLine();
                if (Button("server.offer.decline." + o.reference, "Declines", !saving)) AskOffer(o, false);
            }
            ImGui::EndTable();
        }
        std::vector<const store::pg::ServerRequest*> waiting;
        for (const auto& r : *server.requests)  // newest first, as read: served oldest first
            if (r.referral.waiting_list && !r.booking &&
                (r.referral.status == core::ReferralStatus::New || r.referral.status == core::ReferralStatus::Contacted))
                waiting.push_back(&r);
        std::reverse(waiting.begin(), waiting.end());
        ImGui::Separator();
        ImGui::Text("Waiting for a slot (%zu), oldest first, among the newest %d requests", waiting.size(), kServerRequestsShown);
        for (const store::pg::ServerRequest* r : waiting) {
            const core::Referral& ref = r->referral;
            const std::string id = "server.waiting." + r->origin + "/" + ref.reference;
            const bool offered = std::any_of(server.offers.begin(), server.offers.end(), [&](const auto& o) { return o.referral == r->id; });
            if (ImGui::Selectable((ref.reference + "  " + When(*zone, ref.created_at) + "  " + ref.preferred_language +
                                   (ref.interpreter ? " · interpreter" : "") + "  " + OriginOf(r->origin) + (offered ? "  · offered a time" : "") +
                                   "###" + id).c_str())) {
                tab = Tab::Forwarded;
                OpenForwarded(*r);
            }
            Record(id);
        }
    }

    void AskOffer(const store::pg::ServerOffer& o, bool accepts) {
        if (accepts) watch->Ask({o.referral, o.reference, Actor(), OfferAccepted{}});
        else watch->Ask({o.referral, o.reference, Actor(), OfferDeclined{}});
        Say(std::string(accepts ? "Booking " : "Declining ") + o.reference + "'s offer on the shared database...");
    }

    // ---- trainers and hours (manager) ----------------------------------------------------------

    void ChooseTrainer(const core::Trainer& t) {
        edit_trainer = t.id;
        trainer_languages.Set(JoinTags(t.languages));
        auto plan = store::PlanRepo(db).Load(t.id);
        if (!Check(plan, "Plan")) return;
        for (int d = 0; d < 7; ++d) {
            const auto& hours = plan->weekly[static_cast<std::size_t>(d)];
            week_hours[static_cast<std::size_t>(d)].Set(hours.Empty() ? "off" : core::FormatDayHours(hours));
        }
    }

    void DrawTrainers() {
        ImGui::BeginChild("###trainer_list", {340, 0}, true);
        for (const auto& t : trainers) {
            const std::string id = "trainer." + std::to_string(t.id);
            if (ImGui::Selectable(("###" + id).c_str(), edit_trainer == t.id, 0, {0, ImGui::GetTextLineHeight() * 2})) ChooseTrainer(t);
            Record(id);
            ImGui::SameLine(8);
            ImGui::BeginGroup();
            Text(t.display_name + (t.active ? "" : " (inactive)"), 300);
            ImGui::TextDisabled("%s", JoinTags(t.languages).c_str());
            ImGui::EndGroup();
        }
        ImGui::Separator();
        Input("trainer.new.name", "Name", trainer_name, 0, 200);
        if (Button("trainer.new.add", "Add trainer", !trainer_name.Empty())) {
            core::Trainer t;
            t.display_name = core::Trim(trainer_name.Str());
            auto id = store::TrainerRepo(db).Add(t);
            if (Check(id, "Adding the trainer")) {
                Audited({}, "Adding the trainer", "trainer.add", "trainer:" + std::to_string(*id), "", "Added " + t.display_name + ".");
                trainer_name.Clear();
                LoadTrainers();
            }
        }
        if (watch) {  // the kiosks book from the plan on the server: it goes there from here
            ImGui::Separator();
            ImGui::TextWrapped("Kiosks and desks book from the plan on the shared database: publish it after a change.");
            if (Button("trainers.publish", publish_asked ? "Publishing..." : "Publish to the shared database", !publish_asked))
                publish_asked = watch->AskPublish(zone->Id(), Actor());
        }
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("###trainer_edit", {0, 0}, true);
        auto it = std::find_if(trainers.begin(), trainers.end(), [&](const core::Trainer& t) { return t.id == edit_trainer; });
        if (it == trainers.end()) {
            ImGui::TextDisabled("Choose a trainer.");
        } else {
            DrawTrainerEditor(core::Trainer(*it));  // a copy: saving reloads `trainers` under it
        }
        ImGui::Separator();
        DrawBlockedDays();
        ImGui::EndChild();
    }

    void DrawTrainerEditor(const core::Trainer& t) {
        Text(t.display_name, 400);
        bool active = t.active;
        if (Tick("trainer.active", "Offers slots", &active)) {
            Audited(store::TrainerRepo(db).SetActive(t.id, active), "Saving", active ? "trainer.activate" : "trainer.deactivate",
                    "trainer:" + std::to_string(t.id), "", active ? "Offering slots again." : "No longer offering slots.");
            LoadTrainers();
        }
        Input("trainer.languages", "Languages (BCP 47, comma-separated)", trainer_languages, 0, 260);
        ImGui::SameLine();
        if (Button("trainer.languages.save", "Save languages")) {
            auto tags = core::SplitNonEmpty(trainer_languages.Str());
            for (const auto& tag : tags)
                if (!core::LooksLikeLanguageTag(tag)) {
                    Say("'" + tag + "' is not a language tag such as tr, so or pa-Guru.", true);
                    return;
                }
            std::string joined;
            for (const auto& tag : tags) joined += (joined.empty() ? "" : ",") + tag;
            Audited(store::TrainerRepo(db).SetLanguages(t.id, tags), "Saving languages", "trainer.languages",
                    "trainer:" + std::to_string(t.id), joined, "Languages saved.");
            LoadTrainers();
        }
        ImGui::Separator();
        ImGui::TextUnformatted("Weekly hours: 09:00-17:00/12:30-13:00 (breaks after '/'), or off");
        for (int d = 0; d < 7; ++d)
            Input("trainer.hours." + std::to_string(d), kDayNames[static_cast<std::size_t>(d)], week_hours[static_cast<std::size_t>(d)], 0, 300);
        if (Button("trainer.hours.save", "Save weekly hours")) SaveWeek(t.id);
        ImGui::Separator();
        ImGui::TextUnformatted("A different day (exception)");
        Input("trainer.exception.date", "Date (YYYY-MM-DD)", exception_date, 0, 140);
        Input("trainer.exception.hours", "Hours, or off", exception_hours, 0, 300);
        if (Button("trainer.exception.set", "Set")) {
            const auto date = core::LocalDate::ParseIso(core::Trim(exception_date.Str()));
            const std::string text = core::Trim(exception_hours.Str());
            std::optional<core::DayHours> hours;
            if (text != "off") hours = core::ParseDayHours(text);
            if (!date || (text != "off" && !hours)) {
                Say("Write the date as YYYY-MM-DD and hours as 09:00-13:00, or off.", true);
                return;
            }
            Audited(store::PlanRepo(db).SetException(t.id, *date, hours), "Saving the exception", "plan.exception",
                    "trainer:" + std::to_string(t.id), date->Iso() + "=" + (hours ? core::FormatDayHours(*hours) : "off"),
                    "Exception saved.");
        }
        ImGui::SameLine();
        if (Button("trainer.exception.clear", "Clear")) {
            const auto date = core::LocalDate::ParseIso(core::Trim(exception_date.Str()));
            if (!date) Say("Write the date as YYYY-MM-DD.", true);
            else
                Audited(store::PlanRepo(db).ClearException(t.id, *date), "Clearing", "plan.exception_cleared",
                        "trainer:" + std::to_string(t.id), date->Iso(), "Exception cleared.");
        }
        LoadPlanCache(t.id);
        for (const auto& e : plan_cache.exceptions)
            ImGui::BulletText("%s  %s", e.date.Iso().c_str(), e.hours ? core::FormatDayHours(*e.hours).c_str() : "off");
    }

    void LoadPlanCache(core::TrainerId trainer) {
        auto& c = plan_cache;
        if (c.trainer != trainer) c.at = -1;
        if (!Due(c)) return;
        c.trainer = trainer;
        c.exceptions.clear();
        if (auto plan = store::PlanRepo(db).Load(trainer); plan) c.exceptions = std::move(plan->exceptions);
        if (auto days = store::PlanRepo(db).BlockedDays(); days) c.blocked = std::move(*days);
    }

    // A manager's change, audited as `ht-admin` audits the same change.
    void Audited(const Result<void>& r, std::string_view what, std::string_view action, std::string subject,
                 std::string audit_detail, std::string said) {
        if (!Check(r, what)) return;
        (void)store::AuditRepo(db).Append({0, Now(), Actor(), std::string(action), std::move(subject), std::move(audit_detail)});
        ++epoch;
        Say(std::move(said));
    }

    void SaveWeek(core::TrainerId trainer) {
        auto plan = store::PlanRepo(db).Load(trainer);
        if (!Check(plan, "Plan")) return;
        for (int d = 0; d < 7; ++d) {
            const std::string text = core::Trim(week_hours[static_cast<std::size_t>(d)].Str());
            if (text == "off" || text.empty()) {
                plan->weekly[static_cast<std::size_t>(d)] = {};
                continue;
            }
            auto hours = core::ParseDayHours(text);
            if (!hours) {
                Say(std::string(kDayNames[static_cast<std::size_t>(d)]) + ": write hours as 09:00-17:00/12:30-13:00, or off.", true);
                return;
            }
            plan->weekly[static_cast<std::size_t>(d)] = *hours;
        }
        if (auto valid = core::Validate(*plan); !valid) {
            Say(valid.error().detail, true);  // overlapping hours, a break outside them: nothing saved
            return;
        }
        std::string days;
        for (int d = 0; d < 7; ++d)
            days += std::string(d ? " " : "") + kDayNames[static_cast<std::size_t>(d)] + "=" +
                      (plan->weekly[static_cast<std::size_t>(d)].Empty() ? "off" : core::FormatDayHours(plan->weekly[static_cast<std::size_t>(d)]));
        Audited(store::PlanRepo(db).Save(*plan), "Saving the hours", "plan.weekly", "trainer:" + std::to_string(trainer), days,
                "Weekly hours saved.");
    }

    void DrawBlockedDays() {
        ImGui::TextUnformatted("Days the practice is closed");
        Input("blocked.date", "Date (YYYY-MM-DD)", block_date, 0, 140);
        Input("blocked.reason", "Reason", block_reason, 0, 260);
        if (Button("blocked.add", "Close this day")) {
            const auto date = core::LocalDate::ParseIso(core::Trim(block_date.Str()));
            if (!date) {
                Say("Write the date as YYYY-MM-DD.", true);
                return;
            }
            Audited(store::PlanRepo(db).BlockDay({*date, core::Trim(block_reason.Str())}), "Closing the day", "plan.block",
                    "practice", date->Iso(), "Closed on " + date->Iso() + ".");
            block_date.Clear();
            block_reason.Clear();
        }
        LoadPlanCache(edit_trainer);
        for (const auto& d : plan_cache.blocked) {
            ImGui::BulletText("%s  %s", d.date.Iso().c_str(), d.reason.c_str());
            ImGui::SameLine();
            if (Button("blocked.remove." + d.date.Iso(), "Open again")) {
                Audited(store::PlanRepo(db).UnblockDay(d.date), "Opening", "plan.unblock", "practice", d.date.Iso(),
                        "Open again on " + d.date.Iso() + ".");
                break;  // the list just changed under this loop
            }
        }
    }

    // ---- reports (manager) ---------------------------------------------------------------------

    void LoadFigures() {
        const auto today = zone->ToLocal(Now()).date;
        if (report_from.Empty() || report_to.Empty()) {
            const auto range = DefaultReportRange(today);
            report_from.Set(range.from.Iso());
            report_to.Set(range.to.Iso());
        }
        const auto from = core::LocalDate::ParseIso(core::Trim(report_from.Str()));
        const auto to = core::LocalDate::ParseIso(core::Trim(report_to.Str()));
        if (!from || !to) {
            Say("Write the dates as YYYY-MM-DD.", true);
            return;
        }
        auto f = store::ReportRepo(db).Figures(*from, *to, *zone);
        if (!Check(f, "Report")) return;
        figures_of_service = false;
        if (!watch) {
            figures = std::move(*f);
            figures_source.clear();
            return;
        }
        figures.reset();
        file_figures = std::move(*f);
        figures_asked = watch->AskFigures({*from, *to, zone->Id()});
    }

    // The shared database's answer to the report asked for, added to this file's figures once it comes.
    void TakeServerFigures() {
        if (!figures_asked || !server.figures || server.figures->asked != figures_asked || !file_figures) return;
        figures_asked = 0;
        figures = std::move(*file_figures);
        file_figures.reset();
        auto answer = std::move(server.figures->figures);
        if (answer) {
            if (auto added = figures->Add(*answer); !added) {
                Check(added, "Report");
                figures_source = "This desk's requests only.";
            } else if (server.figures->practices.size() > 1) {  // a manager's login: the service's
                figures_of_service = true;
                figures_source = "Every practice's requests on the shared database (" + std::to_string(server.figures->practices.size()) +
                                 " practices: this desk's login is a manager's) and this desk's own.";
            } else {
                figures_source = "The kiosks' requests on the shared database and this desk's own.";
            }
            return;
        }
        figures_source = "This desk's requests only: the kiosks' are on the shared database, which could not be read (" +
                         ProblemText(answer.error()) + ").";
        Say("Report: " + ProblemText(answer.error()), true);
    }

    void Bars(const std::string& title, const std::vector<std::pair<std::string, int>>& items) {
        ImGui::TextUnformatted(title.c_str());
        int top = 1;
        for (const auto& [k, v] : items) top = std::max(top, v);
        for (const auto& [k, v] : items) {
            ImGui::TextUnformatted(k.c_str());
            ImGui::SameLine(180);
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const float w = 300.0f * static_cast<float>(v) / static_cast<float>(top);
            ImGui::GetWindowDrawList()->AddRectFilled(p, {p.x + w, p.y + ImGui::GetTextLineHeight()}, IM_COL32(40, 110, 180, 255));
            ImGui::Dummy({310, ImGui::GetTextLineHeight()});
            ImGui::SameLine();
            ImGui::Text("%d", v);
        }
    }

    void DrawReports() {
        Input("report.from", "From", report_from, 0, 140);
        ImGui::SameLine();
        Input("report.to", "To (not included)", report_to, 0, 140);
        ImGui::SameLine();
        if (Button("report.show", "Show")) LoadFigures();
        if (figures_asked) {
            ImGui::TextDisabled("Reading the shared database...");
            return;
        }
        if (!figures) return;
        const auto& f = *figures;
        if (!figures_source.empty()) ImGui::TextWrapped("%s", figures_source.c_str());
        ImGui::BeginChild("###report", {0, -ImGui::GetFrameHeightWithSpacing() * (watch ? 4 : 3)}, false);
        std::vector<float> weekly;
        for (const auto& w : f.weeks) weekly.push_back(static_cast<float>(w.requests));
        ImGui::Text("Requests per week, from %s: %d in all", f.from.Iso().c_str(), f.total.requests);
        ImGui::PlotHistogram("###report.weekly", weekly.data(), static_cast<int>(weekly.size()), 0, nullptr, 0.0f, FLT_MAX, {600, 120});
        std::vector<std::pair<std::string, int>> items;
        for (const auto& [r, n] : f.total.by_reason) items.emplace_back(Label(core::Key(r)), n);
        Bars("By reason (a request with two reasons counts under both)", items);
        items.clear();
        for (const auto& [l, n] : f.total.by_language) items.emplace_back(l, n);
        Bars("By language", items);
        items.clear();
        for (const auto& [r, n] : f.total.by_route) items.emplace_back(RouteLabel(r), n);
        Bars("By route", items);
        items.clear();
        for (const auto& [l, n] : f.interpreter_by_language) items.emplace_back(l, n);
        Bars("Interpreter needed, by language", items);
        ImGui::Text("Requests %d -> booked %d -> attended %d", f.funnel_requests, f.funnel_booked, f.funnel_attended);
        if (const auto rate = f.DidNotAttendRate()) ImGui::Text("Did not attend: %.1f%%", *rate * 100.0);
        else ImGui::TextDisabled("Did not attend: no outcomes yet");
        ImGui::EndChild();
        Input("report.csv", "CSV file", csv_path, 0, 420);
        ImGui::SameLine();
        if (Button("report.csv.save", "Save figures as CSV", !csv_path.Empty())) {
            auto settings = store::SettingsRepo(db).Get();
            const std::string named = settings ? settings->name : practice;
            const auto csv = ReportCsv(f, figures_of_service ? "all practices on the shared database, and " + named : named);
            if (Check(WriteFileAtomic(csv_path.Str(), csv, 0640), "Saving the CSV")) Say("Saved " + csv_path.Str() + ".");
        }
        if (watch)  // the export re-keys this file's requests; the kiosks' stay on the server, where they are listed
            ImGui::TextDisabled("The export below writes the requests on this desk's file. The kiosks' are on the shared database: "
                                "ht-admin db requests.");
        Input("export.csv", "Export requests to", export_path, 0, 420);
        ImGui::SameLine();
        Tick("export.identifying", "with names and contact details", &export_identifying);
        ImGui::SameLine();
        if (Button("export.save", "Export", !export_path.Empty())) {
            ExportOptions o;
            o.file = export_path.Str();
            o.from = f.from;
            o.to = f.to;
            o.identifying = export_identifying ? &*key : nullptr;
            auto done = ExportRequests(db, *zone, o, Actor(), Now());
            if (Check(done, "Export")) Say("Exported " + std::to_string(done->rows) + " requests to " + export_path.Str() + ".");
        }
    }

    // ---- audit (manager) -----------------------------------------------------------------------

    void LoadAudit() {
        store::AuditFilter f;
        f.action = core::Trim(audit_action.Str());
        f.limit = 1000;
        auto entries = store::AuditRepo(db).List(f);
        if (Check(entries, "Audit log")) audit = std::move(*entries);
    }

    void DrawAudit() {
        if (Input("audit.action", "Action (a prefix ends in '.', e.g. referral.)", audit_action, 0, 260)) LoadAudit();
        ImGui::SameLine();
        if (Button("audit.reload", "Reload")) LoadAudit();
        if (!ImGui::BeginTable("###audit", 5, ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        for (const char* h : {"When", "Who", "Action", "Subject", "Detail"}) ImGui::TableSetupColumn(h);
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(audit.size()));
        while (clipper.Step())
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const auto& e = audit[static_cast<std::size_t>(i)];
                ImGui::TableNextRow();
                for (const std::string& cell : std::array<std::string, 5>{When(*zone, e.at), e.actor, e.action, e.subject, e.detail}) {
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(cell.c_str());
                }
            }
        ImGui::EndTable();
    }

    // ---- from kiosks (with a shared server) ----------------------------------------------------

    const store::pg::ServerRequest* ForwardedRow(std::int64_t id) const {
        for (const auto& r : *server.requests)
            if (r.id == id) return &r;
        return nullptr;
    }

    void ForgetForwarded() {
        if (forwarded_patient) core::Wipe(*forwarded_patient);
        forwarded_patient.reset();
        for (auto& n : forwarded_notes) core::Wipe(n.text);
        forwarded_notes.clear();
        forwarded_notes_read.clear();
        forwarded_note.Clear();
        forwarded_selected = 0;
        picking_server_slot = false;
        if (watch) watch->Follow(0);
    }

    // Opens one forwarded request with this member of staff's key, audited here first as `ht-admin db
    // requests --reveal` does: the server holds no key, and the practice's audit log is on this machine.
    void OpenForwarded(const store::pg::ServerRequest& r) {
        ForgetForwarded();
        forwarded_selected = r.id;
        watch->Follow(r.id);
        auto audited = store::AuditRepo(db).Append({0, Now(), Actor(), "sealed.reveal", store::pg::AuditSubject(r), ""});
        if (!Check(audited, "Opening the request")) return;
        auto opened = store::Open(r.sealed, *key);
        if (Check(opened, "Opening the request")) forwarded_patient = std::move(*opened);
    }

    // Opens the notes the watcher read of the request shown, when they are not those already open:
    // audited here first, as its details are.
    void OpenForwardedNotes(const store::pg::ServerRequest& r) {
        std::vector<std::int64_t> ids;
        for (const auto& n : server.notes) ids.push_back(n.id);
        if (ids == forwarded_notes_read) return;
        for (auto& n : forwarded_notes) core::Wipe(n.text);
        forwarded_notes.clear();
        forwarded_notes_read = ids;  // a failure is said once, not every frame
        auto opened = store::pg::OpenNotes(db, store::pg::AuditSubject(r), r.id, server.notes, *key, Now());
        if (Check(opened, "Opening the notes")) forwarded_notes = std::move(*opened);
    }

    // The watcher's answer to the Trainers tab's Publish, said either way.
    void TakePublished() {
        if (!publish_asked || !server.published || server.published->asked != publish_asked) return;
        publish_asked = 0;
        const auto& done = server.published->done;
        if (!done) {
            const Errc c = done.error().code;
            const bool connection = c == Errc::Unavailable || c == Errc::Forbidden || c == Errc::SchemaTooOld || c == Errc::SchemaTooNew;
            Say("The plan was not published: " + (connection ? ProblemText(done.error()) : done.error().detail), true);
            return;
        }
        std::string said = PublishedText(done.value());
        std::replace(said.begin(), said.end(), '\n', ' ');
        Say("The plan is on the shared database: " + said + "." +
            (done->newly_shared ? " From now on this practice's times are booked there only." : ""));
    }

    // The watcher's answers to this desk's actions (made and audited on its thread), said either way.
    void TakeOutcomes() {
        for (ActionOutcome& o : watch->TakeOutcomes()) {
            const ServerAction& a = o.action;
            const auto* book = std::get_if<BookSlot>(&a.what);
            const auto* request = std::get_if<MoveRequest>(&a.what);
            const auto* booking = std::get_if<MoveBooking>(&a.what);
            const bool accept = std::holds_alternative<OfferAccepted>(a.what);
            if (book && (o.result || o.result.error().detail.starts_with(store::kMadeButNotAudited))) {
                picking_server_slot = false;
                if (forwarded_selected) watch->Follow(forwarded_selected);  // its free slots are no longer wanted
            }
            if (!o.result) {
                const core::Error& e = o.result.error();
                if (e.detail.starts_with(store::kMadeButNotAudited)) {  // made: only the audit line is missing
                    Say(a.reference + ": " + e.detail + ".", true);
                    continue;
                }
                const std::string failed = a.reference + (book || accept ? " was not booked: " : " was not changed: ");
                const bool connection = e.code == Errc::Unavailable || e.code == Errc::Forbidden || e.code == Errc::SchemaTooOld ||
                                        e.code == Errc::SchemaTooNew || e.code == Errc::BadConfig;
                if (e.code == Errc::SlotTaken || e.code == Errc::SlotHeld) Say(failed + e.detail + ". Choose another time.", true);
                else Say(failed + (connection ? ProblemText(e) : e.detail + "."), true);
                continue;
            }
            if (book) Say(a.reference + " booked: " + When(*zone, book->slot.slot.start) + " with " + book->slot.trainer + ".");
            else if (request) Say(a.reference + ": " + std::string(core::Key(request->to)) + ".");
            else if (std::holds_alternative<AddNote>(a.what)) Say(a.reference + ": note added.");
            else if (accept) Say(a.reference + " booked from the waiting list.");
            else if (std::holds_alternative<OfferDeclined>(a.what))
                Say(a.reference + " declined; " + (o.offered_next.empty() ? "the slot is free again." : "the slot is now offered to " + o.offered_next + "."));
            else Say(a.reference + "'s booking: " + std::string(core::Key(booking->to)) + ".");
        }
    }

    std::string ForwardedTabLabel() const {
        int fresh = 0;
        for (const auto& r : *server.requests) fresh += r.referral.status == core::ReferralStatus::New ? 1 : 0;
        return fresh ? "From kiosks (" + std::to_string(fresh) + " new)" : "From kiosks";
    }

    bool ForwardedShown(const store::pg::ServerRequest& r, const std::string& wanted) const {
        if (forwarded_status && r.referral.status != *forwarded_status) return false;
        return wanted.empty() || ReferenceKey(r.referral.reference).find(wanted) != std::string::npos;
    }

    // Who sent a request: "waiting-room" (a kiosk), or "desk reception" (a desk's login, for one taken there).
    // The schema keeps kiosk ids to ASCII letters, digits and ._-
    static std::string OriginOf(std::string_view origin) {
        if (origin.starts_with("kiosk:")) origin.remove_prefix(6);
        else if (origin.starts_with("desk:")) return "desk " + std::string(origin.substr(5));
        return std::string(origin);
    }

    static std::string ReferenceKey(std::string_view text) {  // "abc-defg" -> "ABCDEFG": as people type them
        std::string key;
        for (char c : text)
            if (std::isalnum(static_cast<unsigned char>(c))) key += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return key;
    }

    void DrawForwarded() {
        ImGui::BeginChild("###forwarded.filters", {kFilterWidth, 0}, true);
        ImGui::TextUnformatted("Search reference");
        Input("forwarded.search", "", forwarded_search, 0, -1);
        ImGui::Separator();
        ImGui::TextUnformatted("Status");
        if (Radio("forwarded.filter.any", "Any", !forwarded_status)) forwarded_status.reset();
        for (core::ReferralStatus s : core::AllReferralStatuses())
            if (Radio("forwarded.filter." + std::string(core::Key(s)), Label(core::Key(s)), forwarded_status == s)) forwarded_status = s;
        ImGui::Separator();
        ImGui::TextWrapped("The newest %d requests the kiosks and this practice's desks sent to the shared database. A name stays "
                           "sealed until you open its request.",
                           kServerRequestsShown);
        if (Button("forwarded.check", "Check now")) watch->Wake();
        if (server.read_ok) ImGui::TextDisabled("Read %s.", Ago(SecondsSinceRead()).c_str());
        ImGui::EndChild();
        ImGui::SameLine();
        const bool side = forwarded_selected != 0;
        ImGui::BeginChild("###forwarded.list", {side ? -kDetailWidth : 0, 0}, false);
        if (server.reads == 0) ImGui::TextDisabled("Reading the shared database...");
        if (server.problem) {
            Callout(ProblemText(*server.problem));
            ImGui::TextWrapped("Kiosks keep each request until the database is back.%s",
                               server.read_ok ? " Below: the list as it was last read." : "");
        }
        if (server.read_ok) DrawForwardedTable(side);
        ImGui::EndChild();
        if (side) {
            ImGui::SameLine();
            ImGui::BeginChild("###forwarded.detail", {0, 0}, true);
            DrawForwardedDetail();
            ImGui::EndChild();
        }
    }

    void DrawForwardedTable(bool narrow) {
        const std::string wanted = ReferenceKey(forwarded_search.Str());
        std::vector<const store::pg::ServerRequest*> shown;
        for (const auto& r : *server.requests)
            if (ForwardedShown(r, wanted)) shown.push_back(&r);
        constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                           ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
        // Two tables by id, so each keeps its own column widths.
        if (!ImGui::BeginTable(narrow ? "###forwarded.narrow" : "###forwarded", narrow ? 4 : 7, kFlags)) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Reference", ImGuiTableColumnFlags_WidthFixed, 100);
        ImGui::TableSetupColumn("From", ImGuiTableColumnFlags_WidthFixed, 150);
        ImGui::TableSetupColumn("Received", ImGuiTableColumnFlags_WidthFixed, 140);
        // Narrow: the status takes what the detail leaves, so no empty column trails the table.
        ImGui::TableSetupColumn("Status", narrow ? ImGuiTableColumnFlags_WidthStretch : ImGuiTableColumnFlags_WidthFixed, narrow ? 1.0f : 90.0f);
        if (!narrow) {
            ImGui::TableSetupColumn("Reasons", ImGuiTableColumnFlags_WidthStretch, 2.0f);
            ImGui::TableSetupColumn("Language", ImGuiTableColumnFlags_WidthFixed, 130);
            ImGui::TableSetupColumn("Booking", ImGuiTableColumnFlags_WidthStretch, 1.5f);
        }
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(shown.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const store::pg::ServerRequest& r = *shown[static_cast<std::size_t>(i)];
                const core::Referral& ref = r.referral;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                const std::string id = "forwarded.row." + r.origin + "/" + ref.reference;
                if (ImGui::Selectable((ref.reference + "###" + id).c_str(), forwarded_selected == r.id, ImGuiSelectableFlags_SpanAllColumns))
                    OpenForwarded(r);
                Record(id);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(OriginOf(r.origin).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(When(*zone, ref.created_at).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(Label(core::Key(ref.status)).c_str());
                if (narrow) continue;
                ImGui::TableNextColumn();
                std::uint32_t bits = 0;
                for (auto reason : ref.reasons) bits |= 1u << static_cast<int>(reason);
                ImGui::TextUnformatted(Reasons(bits).c_str());
                ImGui::TableNextColumn();
                const std::string lang = ref.preferred_language + (ref.interpreter ? " · interpreter" : "") + (ref.waiting_list ? " · waiting" : "");
                ImGui::TextUnformatted(lang.c_str());
                ImGui::TableNextColumn();
                if (r.booking) Text(When(*zone, r.booking->start) + " with " + r.trainer, ImGui::GetContentRegionAvail().x);
            }
        }
        ImGui::EndTable();
        if (shown.empty()) ImGui::TextDisabled(server.requests->empty() ? "No requests on the shared database yet." : "No requests match.");
    }

    void DrawForwardedDetail() {
        const store::pg::ServerRequest* r = ForwardedRow(forwarded_selected);
        if (!r) {
            ImGui::TextDisabled("This request is no longer among the newest %d.", kServerRequestsShown);
            return;
        }
        const core::Referral& ref = r->referral;
        ImGui::Text("Request %s", ref.reference.c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("%s", Label(core::Key(ref.status)).c_str());
        Text(std::string(r->origin.starts_with("kiosk:") ? "From kiosk " : "From ") + OriginOf(r->origin) + ", " + r->practice, ImGui::GetContentRegionAvail().x, kMuted);
        ImGui::Separator();
        if (forwarded_patient) DrawPatient(*forwarded_patient);
        DrawAbout(ref);
        const bool saving = server.actions_pending > 0;  // its buttons wait for the answer and the fresh read
        if (r->booking) {
            Line("Booked", When(*zone, r->booking->start) + " with " + r->trainer + ": " + Label(core::Key(r->booking_status)));
            bool first = true;
            for (core::BookingStatus to : core::AllBookingStatuses()) {
                if (!core::CanChange(r->booking_status, to)) continue;
                if (!first) ImGui::SameLine();
                first = false;
                if (Button("forwarded.booking." + std::string(core::Key(to)), Label(core::Key(to)), !saving)) {
                    watch->Ask({r->id, ref.reference, Actor(), MoveBooking{r->booking_id, r->booking_status, to}});
                    Say("Saving " + ref.reference + "'s booking as " + std::string(core::Key(to)) + " on the shared database...");
                }
            }
        }
        ImGui::Separator();
        if (auto to = MoveButtons("forwarded.move.", ref.status, !saving)) {
            watch->Ask({r->id, ref.reference, Actor(), MoveRequest{ref.status, *to}});
            Say("Saving " + ref.reference + " as " + std::string(core::Key(*to)) + " on the shared database...");
        }
        for (const store::pg::ServerOffer& o : server.offers) {
            if (o.referral != r->id) continue;
            ImGui::Separator();
            ImGui::TextWrapped("Offered from the waiting list: %s with %s%s, until %s.", When(*zone, o.slot.start).c_str(), o.trainer.c_str(),
                               o.trainer_speaks ? "" : " (needs an interpreter)", When(*zone, o.expires_at).c_str());
            if (Button("forwarded.offer.accept", "Patient accepts", !saving)) AskOffer(o, true);
            ImGui::SameLine();
            if (Button("forwarded.offer.decline", "Patient declines", !saving)) AskOffer(o, false);
        }
        const bool may_book = !r->booking && (ref.status == core::ReferralStatus::New || ref.status == core::ReferralStatus::Contacted);
        if (may_book && !picking_server_slot && Button("forwarded.book", "Book a time", !saving)) {
            picking_server_slot = true;
            watch->Follow(r->id, true);
        }
        if (saving) ImGui::TextDisabled("Saving on the shared database...");
        if (may_book && picking_server_slot) DrawServerSlots(*r, !saving);
        if (server.history_of != r->id) {
            ImGui::Separator();
            ImGui::TextDisabled("Reading its notes and history...");
            return;
        }
        OpenForwardedNotes(*r);
        DrawNotesOf(forwarded_notes, forwarded_note, "forwarded.note", [&](const std::string& text) {
            watch->Ask({r->id, ref.reference, Actor(), AddNote{text}});
            Say("Saving the note on " + ref.reference + " on the shared database...");
            return true;
        });
        ImGui::Separator();
        ImGui::TextUnformatted("History on the shared database");
        if (server.history.empty()) ImGui::TextDisabled("Not changed since it arrived.");
        for (const store::pg::StatusEvent& e : server.history) {
            const std::string line = When(*zone, e.at) + "  " + Label(core::Key(e.from)) + " -> " + Label(core::Key(e.to)) + "  by " + e.by;
            Text(line, ImGui::GetContentRegionAvail().x);
        }
    }

    // The practice's free slots on the server, trainers who speak the patient's language first; one
    // pressed is booked by the watcher, and the server's UNIQUE index decides against any kiosk or desk.
    void DrawServerSlots(const store::pg::ServerRequest& r, bool enabled) {
        ImGui::TextUnformatted("Free times on the shared database");
        ImGui::BeginChild("###forwarded.slots", {0, 220}, true);
        if (server.history_of != r.id || !server.free_slots) {
            ImGui::TextDisabled("Reading...");
            ImGui::EndChild();
            return;
        }
        // Each slot's trainer asked once a frame, not once a comparison: speakers first, each in time order.
        std::vector<std::pair<const store::pg::ServerSlot*, bool>> slots;
        for (const auto& s : *server.free_slots) {
            core::Trainer t;
            t.languages = s.languages;
            slots.emplace_back(&s, t.Speaks(r.referral.preferred_language));
        }
        std::stable_partition(slots.begin(), slots.end(), [](const auto& s) { return s.second; });
        if (slots.empty()) ImGui::TextDisabled("No free times: publish the plan (ht-admin db publish).");
        if (!enabled) ImGui::BeginDisabled();
        for (const auto& [s, speaks] : slots) {
            const std::string id = "forwarded.slot." + std::to_string(s->slot.trainer) + "." + std::to_string(s->slot.start);
            const std::string label = When(*zone, s->slot.start) + "  " + s->trainer + (speaks ? "  (speaks " + r.referral.preferred_language + ")" : "");
            if (ImGui::Selectable((label + "###" + id).c_str()) && enabled) {
                watch->Ask({r.id, r.referral.reference, Actor(), BookSlot{*s}});
                Say("Booking " + r.referral.reference + " on the shared database...");
            }
            Record(id);
        }
        if (!enabled) ImGui::EndDisabled();
        ImGui::EndChild();
    }

    // ---- kiosks (with a shared server) ---------------------------------------------------------

    std::int64_t SecondsSinceRead() const {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - server.read_at).count();
    }

    // The tab says when something needs a look, so reception notices from any other view.
    std::string KiosksTabLabel() const {
        if (server.problem) return "Kiosks (no connection)";
        int to_check = 0;
        for (const auto& line : KioskLines(server.kiosks, SecondsSinceRead())) to_check += line.warn ? 1 : 0;
        return to_check ? "Kiosks (" + std::to_string(to_check) + " to check)" : "Kiosks";
    }

    // A line on the theme's warning yellow (NHS warning callout), ink on it: 14:1, unlike yellow text.
    void Callout(const std::string& text) {
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        const float width = ImGui::GetContentRegionAvail().x;
        const float wrap = width - 2 * ImGui::GetStyle().FramePadding.x;
        const ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap);
        const ImVec2 pad = ImGui::GetStyle().FramePadding;
        ImGui::GetWindowDrawList()->AddRectFilled(pos, {pos.x + width, pos.y + size.y + 2 * pad.y}, ui::theme::kWarmYellow, 3.0f);
        ImGui::SetCursorScreenPos({pos.x + pad.x, pos.y + pad.y});
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
        ImGui::TextUnformatted(text.c_str());
        ImGui::PopTextWrapPos();
        ImGui::SetCursorScreenPos({pos.x, pos.y + size.y + 2 * pad.y});
        ImGui::Dummy({width, ImGui::GetStyle().ItemSpacing.y});
    }

    void DrawKiosks() {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Kiosks on the shared database");
        ImGui::SameLine();
        if (Button("kiosks.check", "Check now")) watch->Wake();
        if (server.read_ok) {
            ImGui::SameLine();
            ImGui::TextDisabled("Read %s, again every %d s. Each kiosk reports at least every 30 s.", Ago(SecondsSinceRead()).c_str(),
                                static_cast<int>(kServerReadEvery.count()));
        }
        if (server.reads == 0) {
            ImGui::TextDisabled("Reading the shared database...");
            return;
        }
        if (server.problem) {
            Callout(ProblemText(*server.problem));
            ImGui::TextWrapped("Kiosks keep each request until the database is back; the rest of the desk keeps working.%s",
                               server.read_ok ? " Below: what it said when it was last read." : "");
            if (!server.read_ok) return;
        }
        const auto lines = KioskLines(server.kiosks, SecondsSinceRead());
        if (lines.empty()) {
            ImGui::TextWrapped("No kiosks are registered on the shared database (ht-admin db add-kiosk).");
            return;
        }
        // No ScrollY: the table is as tall as its rows (a few per practice) and the body scrolls past that.
        constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                           ImGuiTableFlags_SizingFixedFit;
        if (!ImGui::BeginTable("###kiosks", 6, kFlags)) return;
        ImGui::TableSetupColumn("Practice", ImGuiTableColumnFlags_WidthFixed, 260);
        ImGui::TableSetupColumn("Kiosk", ImGuiTableColumnFlags_WidthFixed, 170);
        ImGui::TableSetupColumn("Last contact", ImGuiTableColumnFlags_WidthFixed, 130);
        ImGui::TableSetupColumn("Waiting on the kiosk", ImGuiTableColumnFlags_WidthFixed, 170);
        ImGui::TableSetupColumn("Refused", ImGuiTableColumnFlags_WidthFixed, 80);
        ImGui::TableSetupColumn("What to do", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        for (const KioskLine& k : lines) {
            ImGui::TableNextRow();
            if (k.warn) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, ui::theme::kWarmYellow);
            ImGui::TableNextColumn();
            Text(k.practice, ImGui::GetContentRegionAvail().x);
            ImGui::TableNextColumn();
            Text(k.kiosk, ImGui::GetContentRegionAvail().x);
            Record("kiosks.row." + k.kiosk);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(k.last_contact.c_str());
            ImGui::TableNextColumn();
            const std::string waiting = std::to_string(k.backlog) + (k.backlog == 1 ? " request" : " requests");
            ImGui::TextUnformatted(waiting.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%d", k.refused);
            ImGui::TableNextColumn();
            if (k.advice.empty()) ImGui::TextColored(kOkColour, "Working");
            for (const auto& a : k.advice) ImGui::TextWrapped("%s.", a.c_str());
        }
        ImGui::EndTable();
    }
};

void SetUpDeskGui(float font_px) {
    ImGuiIO& io = ImGui::GetIO();
    ImGui::GetStyle() = ImGuiStyle();
    ImGui::StyleColorsLight();
    ImGuiStyle& style = ImGui::GetStyle();
    style.FramePadding = {8, 5};
    style.ItemSpacing = {8, 6};
    style.WindowPadding = {10, 10};
    style.FrameRounding = 3;
    io.ConfigFlags &= ~ImGuiConfigFlags_NoMouseCursorChange;
    io.ConfigInputTextCursorBlink = false;  // a blinking caret would keep the desk drawing
    // The interface is English: Latin with its extensions covers staff and trainer names typed at
    // a UK desk; anything else (a patient's name) is drawn through kiosk/text.
    text::MemoryTextureBackend probe_textures;
    text::Engine probe(probe_textures, {.warn = [](std::string_view) {}});
    const auto info = probe.Describe(probe.AddFontSet({.families = {"Noto Sans"}}));
    static const ImWchar kRanges[] = {0x0020, 0x024F, 0x2010, 0x205E, 0x20AC, 0x20AC, 0x2190, 0x2193, 0x25B2, 0x25BC, 0};
    io.Fonts->Clear();
    if (!info.fonts.empty() && io.Fonts->AddFontFromFileTTF(info.fonts.front().file.c_str(), font_px, nullptr, kRanges)) {
        io.Fonts->Build();
        return;
    }
    io.Fonts->AddFontDefault();
    io.Fonts->Build();
}

DeskApp::DeskApp(store::Database& db, std::unique_ptr<core::TimeZone> zone, text::Engine& engine, DeskOptions options) {
    if (!options.now) options.now = [] { return static_cast<core::UnixSeconds>(std::time(nullptr)); };
    m = std::make_unique<State>(db, std::move(zone), engine, std::move(options));
    m->rects = &m_rects;
    if (!m->options.server.empty()) {
        m->watch = std::make_unique<ServerWatch>(m->options.server, db.Path());
        store::pg::ForwarderOptions outbox;
        outbox.database = db.Path();
        outbox.conninfo = m->options.server;
        outbox.actor = "desk-outbox";
        outbox.desk = true;
        m->outbox = std::make_unique<store::pg::Forwarder>(std::move(outbox));
        m->outbox->Start();
    }
    m->font = engine.AddFontSet({.families = {"Noto Sans"}});
    if (auto settings = store::SettingsRepo(db).Get()) m->practice = settings->name;
    m->LoadStaff();
}

DeskApp::~DeskApp() { m->Lock(""); }

ImDrawData* DeskApp::Frame() {
    ImGui::NewFrame();
    m_rects.Clear();
    m->engine.NewFrame();
    m->Draw();
    ImGui::Render();
    return ImGui::GetDrawData();
}

std::optional<double> DeskApp::NextWake() const {
    if (!m->key) return std::nullopt;
    if (!m->model.Progress().Finished()) return 0.1;  // names arriving
    if (m->watch && (m->server.reads == 0 || m->server.actions_pending > 0 || m->figures_asked || m->publish_asked)) return 0.1;  // a read or change on its way
    const double to_lock = static_cast<double>(m->last_input + m->options.lock_after_seconds - m->Now());
    return std::max(0.05, std::min(static_cast<double>(kRefreshEverySeconds), to_lock));
}

Result<void> DeskApp::Unlock(std::string_view staff, std::string_view passphrase) {
    m->who = std::string(staff);
    m->passphrase.Set(passphrase);
    return m->Unlock();
}

Result<void> DeskApp::Show(Tab tab) {
    if (State::ManagerTab(tab) && !m->Manager()) {
        if (m->key)
            (void)store::AuditRepo(m->db).Append({0, m->Now(), m->Actor(), "access.denied", "desk", "receptionist"});
        return core::Fail(Errc::Forbidden, "that view is for managers");
    }
    if ((tab == Tab::Kiosks || tab == Tab::Forwarded) && !m->watch)
        return core::Fail(Errc::InvalidInput, "that view needs a shared server (--server)");
    m->tab = tab;
    if (tab == Tab::Audit) m->LoadAudit();
    if (tab == Tab::Reports) m->LoadFigures();
    return {};
}

void DeskApp::Filter(const Query& query) {
    m->query = query;
    m->search.Set(query.search);
}

Result<void> DeskApp::Select(std::string_view reference) {
    if (!m->key) return core::Fail(Errc::Locked, "the desk is locked");
    auto r = store::ReferralRepo(m->db).GetByReference(reference);
    if (!r) return r.error();
    m->tab = Tab::Requests;
    m->selected = r->id;
    m->new_request = false;
    m->LoadDetail(r->id);
    return {};
}

Result<void> DeskApp::SelectForwarded(std::string_view reference, std::string_view origin) {
    if (!m->key) return core::Fail(Errc::Locked, "the desk is locked");
    if (!m->watch) return core::Fail(Errc::InvalidInput, "the From kiosks view needs a shared server (--server)");
    m->server = m->watch->Latest();
    if (!m->server.read_ok) return core::Fail(Errc::Busy, "the shared database's list is not read yet");
    for (const auto& r : *m->server.requests) {
        if (r.referral.reference != reference || (!origin.empty() && r.origin != origin)) continue;
        m->tab = Tab::Forwarded;
        m->OpenForwarded(r);
        return {};
    }
    return core::Fail(Errc::NotFound, "no request " + std::string(reference) + " among the newest forwarded ones");
}

void DeskApp::NewRequest() {
    m->tab = Tab::Requests;
    m->selected.reset();
    m->ForgetDetail();
    m->form.Clear();
    m->new_request = true;
}

bool DeskApp::Locked() const { return !m->key; }
Tab DeskApp::CurrentTab() const { return m->tab; }
const std::string& DeskApp::Message() const { return m->message; }
const DeskModel& DeskApp::Model() const { return m->model; }
const std::vector<int>& DeskApp::Visible() { return m->model.Apply(m->query); }
std::optional<core::ReferralId> DeskApp::Selected() const { return m->selected; }
const store::ReportFigures* DeskApp::Figures() const { return m->figures ? &*m->figures : nullptr; }
const std::string& DeskApp::FiguresSource() const { return m->figures_source; }
const std::vector<store::ReferralNote>& DeskApp::ForwardedNotes() const { return m->forwarded_notes; }

}  // namespace htk::admin::desk
