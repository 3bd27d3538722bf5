// The desk app headless, as reception and a manager use it: unlock, the list's filters and search,
// a status change, a booking made at the desk, the waiting list's offer, live refresh, locking.
#include <doctest/doctest.h>
#include <imgui_internal.h>

#include <algorithm>

#include "desk_fixture.h"
#include "store/audit_repo.h"
#include "store/booking_repo.h"
#include "store/referral_repo.h"
#include "store/slot_repo.h"
#include "store/waiting_repo.h"

using namespace htk;
using test::Desk;

namespace {

std::vector<std::string> VisibleReferences(Desk& d) {
    std::vector<std::string> out;
    for (int i : d.app->Visible()) out.push_back(d.app->Model().Rows()[static_cast<std::size_t>(i)].reference);
    return out;
}

int AuditCount(Desk& d, const std::string& action) {
    store::AuditFilter f;
    f.action = action;
    return static_cast<int>(d.Must(store::AuditRepo(*d.db).List(f)).size());
}

// Whether ImGui's own copy of the field last edited (text, first text, undo history) still holds `text`.
bool ImGuiStillHolds(const std::string& text) {
    const ImGuiInputTextState& state = ImGui::GetCurrentContext()->InputTextState;
    auto in = [&](const char* data, std::size_t size) { return std::string_view(data, size).find(text) != std::string_view::npos; };
    std::string wide;  // TextW as Latin-1 bytes: enough for the ASCII texts the tests type
    for (int i = 0; i < state.TextW.Size; ++i) wide += static_cast<char>(state.TextW[i] & 0xFF);
    std::string undo;
    for (const auto& c : state.Stb.undostate.undo_char) undo += static_cast<char>(c & 0xFF);
    return in(state.TextA.Data ? state.TextA.Data : "", static_cast<std::size_t>(state.TextA.Size)) ||
           in(state.InitialTextA.Data ? state.InitialTextA.Data : "", static_cast<std::size_t>(state.InitialTextA.Size)) ||
           in(wide.data(), wide.size()) || undo.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("reception unlocks with their passphrase and the list opens on this week's requests with names") {
    Desk d;
    const auto ayse = d.Request("Ayşe Yılmaz", "tr");
    const auto lukasz = d.Request("Łukasz Kowalski", "pl", false, false, core::Reason::StoppingSmoking);
    const auto amina = d.Request("نمونہ مریض", "ur", true);
    CHECK(d.app->Locked());
    CHECK(d.Has("unlock.staff.Tomasz"));
    CHECK_FALSE(d.Has("row." + ayse.reference));

    d.UnlockAs("Tomasz", test::kReceptionPass);
    REQUIRE_FALSE(d.app->Locked());
    CHECK(d.app->Message() == "Unlocked as Tomasz.");
    CHECK(VisibleReferences(d).size() == 3);
    const auto* row = d.app->Model().Find(amina.id);
    REQUIRE(row != nullptr);
    CHECK(row->revealed);
    CHECK(row->name == "نمونہ مریض");
    CHECK(d.Has("row." + lukasz.reference));
    // A receptionist has no manager's tabs; opening the names is one audited reveal.
    CHECK(d.Has("tab.week"));
    CHECK_FALSE(d.Has("tab.reports"));
    CHECK_FALSE(d.Has("tab.trainers"));
    CHECK(AuditCount(d, "sealed.reveal") == 1);
}

TEST_CASE("a wrong passphrase keeps the desk locked, says so, and is audited") {
    Desk d;
    d.Request("Ayşe Yılmaz", "tr");
    d.UnlockAs("Tomasz", "not tomasz's passphrase");
    CHECK(d.app->Locked());
    CHECK(d.app->Message() == "Wrong passphrase for Tomasz.");
    CHECK(AuditCount(d, "key.unlock_failed") == 1);
    CHECK(AuditCount(d, "sealed.reveal") == 0);
}

TEST_CASE("filters, and a search for a name typed without its accents or in any case") {
    Desk d;
    const auto ayse = d.Request("Ayşe Yılmaz", "tr");
    const auto lukasz = d.Request("Łukasz Kowalski", "pl", false, false, core::Reason::StoppingSmoking);
    const auto amina = d.Request("نمونہ مریض", "ur", true);
    d.UnlockAs("Tomasz", test::kReceptionPass);

    d.Type("filter.search", "yilmaz");
    CHECK(VisibleReferences(d) == std::vector<std::string>{ayse.reference});
    d.Retype("filter.search", "LUKASZ");
    CHECK(VisibleReferences(d) == std::vector<std::string>{lukasz.reference});
    d.Retype("filter.search", "");
    CHECK(VisibleReferences(d).size() == 3);

    // By reference, typed loosely.
    std::string typed = amina.reference;
    typed.erase(std::remove(typed.begin(), typed.end(), '-'), typed.end());
    std::transform(typed.begin(), typed.end(), typed.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
    d.Type("filter.search", typed);
    CHECK(VisibleReferences(d) == std::vector<std::string>{amina.reference});
    d.Retype("filter.search", "");

    d.Tap("filter.interpreter");
    CHECK(VisibleReferences(d) == std::vector<std::string>{amina.reference});
    d.Tap("filter.interpreter");
    d.Tap("filter.reason");
    d.Frame();  // a combo's list is measured on the frame it appears and shown on the next
    d.Tap("filter.reason.smoking");
    CHECK(VisibleReferences(d) == std::vector<std::string>{lukasz.reference});
    d.Tap("filter.reason");
    d.Frame();
    d.Tap("filter.reason.any");
    d.Tap("filter.language");
    d.Frame();
    d.Tap("filter.language.tr");
    CHECK(VisibleReferences(d) == std::vector<std::string>{ayse.reference});
}

TEST_CASE("reception opens a request, sees the details, moves it to contacted and adds a note") {
    Desk d;
    const auto ayse = d.Request("Ayşe Yılmaz", "tr");
    d.UnlockAs("Tomasz", test::kReceptionPass);
    d.Tap("row." + ayse.reference);
    REQUIRE(d.app->Selected() == ayse.id);
    CHECK(AuditCount(d, "sealed.reveal") == 2);  // the list's names, then this request's details

    d.Tap("detail.status.contacted");
    CHECK(d.Must(store::ReferralRepo(*d.db).Get(ayse.id)).status == core::ReferralStatus::Contacted);
    CHECK(d.app->Message() == ayse.reference + ": contacted.");
    store::AuditFilter f;
    f.action = "referral.status";
    const auto entries = d.Must(store::AuditRepo(*d.db).List(f));
    REQUIRE(entries.size() == 1);
    CHECK(entries.front().actor == "staff:Tomasz");
    // A move the domain forbids is not offered at all.
    CHECK_FALSE(d.Has("detail.status.new"));

    d.Type("detail.note", "Called at 10:15, will ring back after school pick-up");
    d.Tap("detail.note.add");
    CHECK(d.app->Message() == "Note added.");
    auto key = d.Must(store::Unlock(*d.db, "Rukhsana", test::kManagerPass, d.now));
    const auto notes = d.Must(store::ReferralRepo(*d.db).Notes(ayse.id, key, d.now));
    REQUIRE(notes.size() == 1);
    CHECK(notes.front().text == "Called at 10:15, will ring back after school pick-up");
    CHECK(notes.front().actor == "staff:Tomasz");
}

TEST_CASE("reception books a slot at the desk: the Urdu speaker's slots come first, and it cannot be booked twice") {
    Desk d;
    const auto amina = d.Request("نمونہ مریض", "ur");
    d.UnlockAs("Tomasz", test::kReceptionPass);
    d.Tap("row." + amina.reference);
    d.Tap("detail.book");
    const auto zone = i18n::MakeTimeZone("Europe/London");
    const auto free = d.Must(store::SlotRepo(*d.db).FreeSlots(*zone, d.now, std::nullopt, 14));
    REQUIRE_FALSE(free.empty());
    // Amira (trainer 1) speaks Urdu: her first slot is offered before Tomasz Nowak's.
    const auto first = *std::min_element(free.begin(), free.end(), [](const core::Slot& a, const core::Slot& b) {
        return std::make_pair(a.trainer, a.start) < std::make_pair(b.trainer, b.start);
    });
    CHECK(first.trainer == 1);
    const std::string slot_key = "slot.1." + std::to_string(first.start);
    REQUIRE(d.Has(slot_key));
    d.Tap(slot_key);
    CHECK(d.app->Message().rfind("Booked ", 0) == 0);
    store::BookingFilter f;
    f.referral = amina.id;
    const auto bookings = d.Must(store::BookingRepo(*d.db).List(f));
    REQUIRE(bookings.size() == 1);
    CHECK(bookings.front().slot.start == first.start);
    CHECK(d.Must(store::ReferralRepo(*d.db).Get(amina.id)).status == core::ReferralStatus::Booked);
    const auto* row = d.app->Model().Find(amina.id);
    REQUIRE(row != nullptr);
    CHECK(row->booking == bookings.front().id);

    // The same slot again, for someone else, from a list opened before it went: refused, nothing changed.
    const auto other = d.Request("Second Patient", "ur");
    d.Frame();
    d.now += 1;
    d.Frame();
    d.Tap("row." + other.reference);
    d.Tap("detail.book");
    CHECK_FALSE(d.Has(slot_key));  // gone from the free list
    auto booked = store::BookingRepo(*d.db).Book(other.id, first, "staff:Tomasz", d.now);
    CHECK(booked.error().code == core::Errc::SlotTaken);
}

TEST_CASE("a cancelled booking's slot is offered to the waiting list first, and reception books it on the phone") {
    Desk d;
    const auto booked = d.Request("Booked Patient", "ur");
    const auto waiting = d.Request("Waiting Patient", "pa", false, true);
    const auto zone = i18n::MakeTimeZone("Europe/London");
    const auto free = d.Must(store::SlotRepo(*d.db).FreeSlots(*zone, d.now, 1, 14));
    const auto slot = free.at(3);
    const auto booking = d.Must(store::BookingRepo(*d.kiosk).Book(booked.id, slot, "staff:Rukhsana", d.now));

    d.UnlockAs("Tomasz", test::kReceptionPass);
    d.Tap("row." + booked.reference);
    d.Tap("detail.booking." + std::to_string(booking.id) + ".cancelled_by_patient");
    CHECK(d.app->Message() == "Booking " + std::to_string(booking.id) + ": cancelled_by_patient. Slot freed and offered to " +
                                  waiting.reference + " (pa).");
    // Kiosks do not see the slot while it is offered.
    const auto after = d.Must(store::SlotRepo(*d.db).FreeSlots(*zone, d.now, 1, 14));
    CHECK(std::find(after.begin(), after.end(), slot) == after.end());

    d.Tap("tab.waiting");
    REQUIRE(d.Has("offer.accept." + waiting.reference));
    d.Tap("offer.accept." + waiting.reference);
    CHECK(d.app->Message().rfind("Booked ", 0) == 0);
    store::BookingFilter f;
    f.referral = waiting.id;
    const auto bookings = d.Must(store::BookingRepo(*d.db).List(f));
    REQUIRE(bookings.size() == 1);
    CHECK(bookings.front().slot == slot);
    CHECK_FALSE(d.Must(store::ReferralRepo(*d.db).Get(waiting.id)).waiting_list);
}

TEST_CASE("a move from a status another desk changed meanwhile is refused, said and shown, and overwrites nothing") {
    Desk d;
    const auto ayse = d.Request("Ayşe Yılmaz", "tr");
    d.UnlockAs("Tomasz", test::kReceptionPass);
    d.Tap("row." + ayse.reference);
    REQUIRE(d.Has("detail.status.cancelled"));  // it shows new

    // A second desk on the same file (another PC's ht-admin, or the kiosk's staff mode) moves it first.
    auto other = d.Must(store::Open(d.path));
    d.Must(store::ReferralRepo(other).ChangeStatus(ayse.id, core::ReferralStatus::Contacted, "staff:Rukhsana", d.now));
    d.Tap("detail.status.cancelled");
    CHECK(d.app->Message() == "Changing the status: another desk changed it first: it is contacted now");
    CHECK(d.Must(store::ReferralRepo(*d.db).Get(ayse.id)).status == core::ReferralStatus::Contacted);
    d.Frame();
    CHECK_FALSE(d.Has("detail.status.contacted"));  // re-read: it shows contacted, and contacted's moves
    store::AuditFilter f;
    f.action = "referral.status";
    f.actor = "staff:Tomasz";
    CHECK(d.Must(store::AuditRepo(*d.db).List(f)).empty());
}

TEST_CASE("the list refreshes itself when a kiosk adds a request, without a button or a restart") {
    Desk d;
    d.Request("First Patient", "so");
    d.UnlockAs("Tomasz", test::kReceptionPass);
    CHECK(VisibleReferences(d).size() == 1);

    // Another connection, as a kiosk process has.
    auto kiosk = d.Must(store::Open(d.path));
    core::Referral r;
    r.reasons = {core::Reason::LosingWeight};
    r.preferred_language = "bn";
    r.consent_version = "2026-01";
    r.patient.name = "রহিম উদ্দিন";
    const auto added = d.Must(store::ReferralRepo(kiosk).Create(r, d.public_key, "kiosk:kiosk-1", d.now));
    d.now += 1;  // the desk looks once a second
    d.Frame();
    const auto refs = VisibleReferences(d);
    CHECK(refs.size() == 2);
    CHECK(refs.front() == added.reference);  // newest first
    const auto* row = d.app->Model().Find(added.id);
    REQUIRE(row != nullptr);
    CHECK(row->name == "রহিম উদ্দিন");
}

TEST_CASE("the desk locks itself after minutes without use and forgets every name") {
    Desk d(120);
    d.Request("Ayşe Yılmaz", "tr");
    d.UnlockAs("Tomasz", test::kReceptionPass);
    d.Tap("row." + d.app->Model().Rows().front().reference);
    d.now += 119;
    d.Frame();
    CHECK_FALSE(d.app->Locked());
    d.now += 2;
    d.Frame();
    CHECK(d.app->Locked());
    CHECK(d.app->Message() == "Locked after 2 minutes without use.");
    for (const auto& row : d.app->Model().Rows()) {
        CHECK(row.name.empty());
        CHECK_FALSE(row.revealed);
    }
    CHECK(d.Has("unlock.passphrase"));
}

TEST_CASE("a manager sees reports and trainers, and saves weekly hours; overlapping hours are refused") {
    Desk d;
    d.Request("Ayşe Yılmaz", "tr");
    d.UnlockAs("Rukhsana", test::kManagerPass);
    REQUIRE(d.Has("tab.reports"));
    d.Tap("tab.trainers");
    d.Tap("trainer.1");
    d.Retype("trainer.hours.0", "09:00-12:00/11:00-13:00");  // a break past the end of the hours
    d.Tap("trainer.hours.save");
    CHECK(d.app->Message() != "Weekly hours saved.");
    CHECK(core::FormatDayHours(d.Must(store::PlanRepo(*d.db).Load(1)).weekly[0]) == "09:00-17:00");

    d.Retype("trainer.hours.0", "10:00-14:00");
    d.Tap("trainer.hours.save");
    CHECK(d.app->Message() == "Weekly hours saved.");
    CHECK(core::FormatDayHours(d.Must(store::PlanRepo(*d.db).Load(1)).weekly[0]) == "10:00-14:00");

    d.Tap("tab.reports");
    CHECK(d.Has("report.csv.save"));
}

TEST_CASE("neither the passphrase nor a patient's name typed at the desk stays in ImGui's edit buffers") {
    Desk d;
    d.Tap("unlock.staff.Tomasz");
    d.Type("unlock.passphrase", test::kReceptionPass);
    CHECK(ImGuiStillHolds(test::kReceptionPass));  // the check can see it while it is typed
    d.Tap("unlock.go");
    d.WaitForNames();
    REQUIRE_FALSE(d.app->Locked());
    CHECK_FALSE(ImGuiStillHolds(test::kReceptionPass));

    d.Tap("requests.new");
    d.Type("new.name", "Zeynep Arslan");
    CHECK(ImGuiStillHolds("Zeynep Arslan"));
    d.Tap("lock");
    CHECK(d.app->Locked());
    CHECK_FALSE(ImGuiStillHolds("Zeynep Arslan"));
}

TEST_CASE("reception takes a GP-booked request at the desk and books the GP's slot with it") {
    Desk d;
    d.UnlockAs("Tomasz", test::kReceptionPass);
    d.Tap("requests.new");
    d.Tap("new.route.gp_booked");
    d.Tap("new.reason.long_term_condition");
    d.Type("new.language", "ur");
    d.Tap("new.interpreter");
    d.Type("new.name", "Zainab Ali");
    d.Type("new.dob", "1961-04-02");
    d.Type("new.phone", "07400 123456");
    d.Tap("new.save");
    CHECK(d.app->Message() == "Choose the slot the GP booked.");  // nothing saved without it
    CHECK(d.app->Model().Rows().empty());

    d.Tap("new.pick");
    const auto zone = i18n::MakeTimeZone("Europe/London");
    const auto free = d.Must(store::SlotRepo(*d.db).FreeSlots(*zone, d.now, 1, 14));
    const auto slot = free.front();
    d.Tap("slot.1." + std::to_string(slot.start));
    d.Tap("new.save");
    REQUIRE(d.app->Message().rfind("Saved as ", 0) == 0);
    REQUIRE(d.app->Model().Rows().size() == 1);
    const auto& row = d.app->Model().Rows().front();
    CHECK(row.route == core::Route::BookedByGp);
    CHECK(row.interpreter);
    CHECK(row.name == "Zainab Ali");
    CHECK(row.booking != 0);
    CHECK(row.booking_start == slot.start);
    auto key = d.Must(store::Unlock(*d.db, "Rukhsana", test::kManagerPass, d.now));
    const auto details = d.Must(store::ReferralRepo(*d.db).Reveal(row.id, key, d.now));
    CHECK(details.phone == "+447400123456");  // checked and stored as the kiosk stores it
    CHECK(details.date_of_birth == core::LocalDate{1961, 4, 2});
}

TEST_CASE("a manager's changes at the desk are audited as ht-admin audits them") {
    Desk d;
    d.UnlockAs("Rukhsana", test::kManagerPass);
    d.Tap("tab.trainers");
    d.Tap("trainer.2");
    d.Tap("trainer.active");
    d.Type("blocked.date", "2026-12-25");
    d.Type("blocked.reason", "Christmas Day");
    d.Tap("blocked.add");
    CHECK(d.app->Message() == "Closed on 2026-12-25.");
    CHECK(d.Must(store::PlanRepo(*d.db).BlockedDays()).size() == 1);
    CHECK(d.Has("blocked.remove.2026-12-25"));
    CHECK(AuditCount(d, "trainer.deactivate") == 1);
    CHECK(AuditCount(d, "plan.block") == 1);
    CHECK_FALSE(d.Must(store::TrainerRepo(*d.db).Get(2)).active);
}

TEST_CASE("a receptionist cannot open a manager's view, even by asking for it directly") {
    Desk d;
    d.UnlockAs("Tomasz", test::kReceptionPass);
    for (auto tab : {admin::desk::Tab::Trainers, admin::desk::Tab::Reports, admin::desk::Tab::Audit}) {
        const auto shown = d.app->Show(tab);
        REQUIRE_FALSE(shown.ok());
        CHECK(shown.error().code == core::Errc::Forbidden);
        d.Frame();
        CHECK(d.app->CurrentTab() == admin::desk::Tab::Requests);
    }
    CHECK(AuditCount(d, "access.denied") == 3);
}

TEST_CASE("after a lock, the next person's session opens no one's details they did not choose") {
    Desk d;
    const auto ayse = d.Request("Ayşe Yılmaz", "tr");
    d.UnlockAs("Rukhsana", test::kManagerPass);
    d.Tap("row." + ayse.reference);
    d.Tap("lock");
    const int reveals = AuditCount(d, "sealed.reveal");
    d.UnlockAs("Tomasz", test::kReceptionPass);
    CHECK_FALSE(d.app->Selected());
    d.Request("Another Patient", "so");  // a kiosk writes: the desk refreshes
    d.now += 1;
    d.Frame();
    d.Frame();
    store::AuditFilter f;
    f.action = "sealed.reveal";
    f.subject = "referral:" + std::to_string(ayse.id);
    CHECK(d.Must(store::AuditRepo(*d.db).List(f)).size() == 1);  // Rukhsana's own, nothing under Tomasz
    CHECK(AuditCount(d, "sealed.reveal") == reveals + 2);  // Tomasz's list, then the new request's name
}

TEST_CASE("a note being typed survives a kiosk's write and the refresh it brings") {
    Desk d;
    const auto ayse = d.Request("Ayşe Yılmaz", "tr");
    d.UnlockAs("Tomasz", test::kReceptionPass);
    d.Tap("row." + ayse.reference);
    d.Type("detail.note", "Rang twice, ");
    d.Request("Another Patient", "so");
    d.now += 1;
    d.Frame();
    ImGui::GetIO().AddInputCharactersUTF8("no answer");
    d.Frame();
    d.Tap("detail.note.add");
    auto key = d.Must(store::Unlock(*d.db, "Rukhsana", test::kManagerPass, d.now));
    const auto notes = d.Must(store::ReferralRepo(*d.db).Notes(ayse.id, key, d.now));
    REQUIRE(notes.size() == 1);
    CHECK(notes.front().text == "Rang twice, no answer");
}
