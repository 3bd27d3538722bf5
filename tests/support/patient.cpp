// The journeys of patient.h. Each step checks the screen it reached, so a journey that goes astray
// stops at once with the screen's name instead of tapping on into the wrong one.
#include "tests/support/patient.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "ui/theme.h"

namespace htk::test {
namespace {

// The keys of `list` ("reasons.") drawn wholly in view, top first.
std::vector<std::pair<std::string, ui::Rect>> ListShown(const Kiosk& k, const std::string& list) {
    std::vector<std::pair<std::string, ui::Rect>> shown;
    for (const auto& key : k.Keys())
        if (key.starts_with(list)) shown.emplace_back(key, *k.RectOf(key));
    std::stable_sort(shown.begin(), shown.end(), [](const auto& a, const auto& b) { return a.second.min.y < b.second.min.y; });
    return shown;
}

// The first key of `list` drawn wholly in view; throws naming what is on screen when there is none.
std::pair<std::string, ui::Rect> FirstShown(const Kiosk& k, const std::string& list) {
    const auto shown = ListShown(k, list);
    if (!shown.empty()) return shown.front();
    std::string keys;
    for (const auto& s : k.Keys()) keys += (keys.empty() ? "" : ", ") + s;
    throw std::runtime_error("no " + list + "* on screen \"" + k.Screen() + "\" (it shows: " + keys + ")");
}

// Drags the list `by` pixels up (negative: down) by its first key in view, as a finger would.
void DragList(Kiosk& k, const std::string& list, float by) {
    const auto [handle, r] = FirstShown(k, list);
    const float from = std::floor(r.Centre().y);  // ImGui floors the mouse position: whole pixels
    k.Slide(handle, {r.Centre().x, from - by});
}

void TapDigits(Kiosk& k, std::string_view digits) {
    for (char c : digits) k.Tap(std::string("numpad.") + c);
}

// To another language and back to `tag`, by the language button; the patient returns to the same step.
void SwitchLanguage(Kiosk& k, const std::string& tag) {
    const std::string screen = k.Screen();
    k.Tap("common.language");
    Expect(k, "language");
    std::string other;
    for (const auto& choice : k.App().CurrentViews().language.choices)
        if (other.empty() && choice.tag != tag) other = choice.tag;
    if (other.empty()) throw std::runtime_error("the language picker offers nothing but " + tag);
    k.Tap("language." + other);
    Expect(k, screen);
    k.Tap("common.language");
    Expect(k, "language");
    k.Tap("language." + tag);
    Expect(k, screen);
}

void TypeName(Kiosk& k, const std::string& tag, bool on_screen) {
    if (on_screen) k.TypeOnScreen(NameFor(tag));
    else k.Type("name.field", NameFor(tag));
}


}  // namespace

void FillDetails(Kiosk& k, const std::string& tag, const JourneyOptions& o) {
    Expect(k, "reasons");
    if (o.larger_text) k.Tap("common.larger_text");
    TapInList(k, "reasons.eating");
    TapInList(k, "reasons.moving");
    if (o.low_mood) TapInList(k, "reasons.low_mood");
    k.Tap("common.next");
    if (k.Screen() == "crisis") k.Tap("crisis.continue");  // shown once a session
    Expect(k, "note");
    if (o.note) k.Type("note.field", "Knee hurts on the stairs");
    k.Tap("common.next");
    Expect(k, "name");
    TypeName(k, tag, o.on_screen_keyboard);
    k.Tap("common.next");
    Expect(k, "date_of_birth");
    if (o.on_screen_keyboard) {
        TapDigits(k, "14");  // a full day moves on to the month, and a full month to the year
        TapDigits(k, "05");
        TapDigits(k, "1968");
    } else {
        k.Type("dob.day.field", "14");
        k.Type("dob.month.field", "05");
        k.Type("dob.year.field", "1968");
    }
    if (o.switch_language) SwitchLanguage(k, tag);
    if (o.back) {
        k.Tap("common.back");
        Expect(k, "name");
        k.Tap("common.next");
        Expect(k, "date_of_birth");
    }
    k.Tap("common.next");
    Expect(k, "phone");
    if (o.with_phone) {
        if (o.on_screen_keyboard) TapDigits(k, "07400123456");
        else k.Type("phone.field", "07400123456");
        k.Tap("common.next");
        Expect(k, "times");
        k.Tap("times.morning");
        k.Tap("common.next");
    } else {
        k.Tap("phone.none");
        Expect(k, "contact");
        k.Tap("contact.letter");
        k.Tap("common.next");
    }
    Expect(k, "contact_language");
    k.Tap("common.next");
    Expect(k, "consent");
    k.Tap("consent.agree");
    Expect(k, "review");
}

std::string Send(Kiosk& k, const std::string& button, const JourneyOptions& o) {
    // The reasons row: the first, after the appointment's when booking. A long first row in larger
    // text can fill the whole list, with no Change wholly in view to start a drag from: then none.
    const std::string change = button == "review.book" ? "review.change.1" : "review.change.0";
    bool any_change = false;
    for (const auto& key : k.Keys()) any_change |= key.starts_with("review.change.");
    if (o.change_from_review && any_change) {
        TapInList(k, change);
        Expect(k, "reasons");
        k.Tap("common.next");
        Expect(k, "review");
    }
    if (o.before_send) o.before_send();
    k.Tap(button);
    // A kiosk on a shared database books on the server from a background thread: the App asks again
    // every kSendRetrySeconds until it answers.
    for (int i = 0; i < 400 && k.Screen() == "review"; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        k.Advance(app::kSendRetrySeconds);
    }
    Expect(k, "sent");
    std::string shown = ShownReference(k);
    if (shown.empty()) throw std::runtime_error("the Sent screen shows no reference");
    return shown;
}

std::string NameFor(const std::string& tag) {
    if (tag == "ur") return "عائشہ خان";
    if (tag == "bn") return "রহিম";
    if (tag == "tr") return "Ayşe Yılmaz";
    if (tag == "pl") return "Łucja Żak";
    return "Amina Noor";
}

void Expect(const Kiosk& k, const std::string& screen) {
    if (k.Screen() != screen)
        throw std::runtime_error("expected the screen \"" + screen + "\", the kiosk shows \"" + k.Screen() + "\"");
}

// Only a target wholly in view is recorded, and where the list is barely a row tall (Arabic, larger
// text) most scroll positions leave no row whole: so the list goes back to its top, where the first
// row's top is the list's, then each drag lifts the next row to that line (to the whole pixel below).
void TapInList(Kiosk& k, const std::string& key) {
    const std::string list = key.substr(0, key.rfind('.') + 1);
    constexpr float kGridGap = ui::theme::kGap * 0.6f;  // the screens' Grid gap between rows
    if (k.Shows(key)) return k.Tap(key);
    const auto scroll = [&] { return k.App().CurrentViews().step.scroll; };
    if (scroll() > 0.0f) DragList(k, list, -(scroll() + 2.0f * ui::theme::kTapSlop));
    if (scroll() != 0.0f) throw std::runtime_error("the list on \"" + k.Screen() + "\" does not go back to its top");
    const float line = FirstShown(k, list).second.min.y;
    for (int drag = 0; drag < 32 && !k.Shows(key); ++drag) {
        const auto shown = ListShown(k, list);
        const ui::Rect top = FirstShown(k, list).second, low = shown.back().second;
        // The lowest row in view, or when only one row is, the row after it.
        const float next = low.min.y > top.min.y ? low.min.y : low.min.y + top.Height() + kGridGap;
        const float before = scroll();
        DragList(k, list, std::floor(next - line));
        if (scroll() == before) break;  // the end of the list
    }
    if (!k.Shows(key)) throw std::runtime_error("\"" + key + "\" is in no part of the list on \"" + k.Screen() + "\"");
    k.Tap(key);
}

void StartIn(Kiosk& k, const std::string& tag) {
    Expect(k, "attract");
    k.Tap("attract.touch");
    if (k.Screen() == "language") k.Tap("language." + tag);
    Expect(k, "home");
}

std::string Refer(Kiosk& k, const std::string& tag, const JourneyOptions& options) {
    Expect(k, "home");
    k.Tap("home.refer");
    FillDetails(k, tag, options);
    return Send(k, "review.send", options);
}

std::string Book(Kiosk& k, const std::string& tag, const JourneyOptions& options) {
    Expect(k, "home");
    k.Tap("home.book");
    if (k.Screen() == "no_slots") {
        k.Tap("booking.callback");
        FillDetails(k, tag, options);
        return Send(k, "review.send", options);
    }
    Expect(k, "slots");
    k.Tap("booking.slot.0");
    FillDetails(k, tag, options);
    return Send(k, "review.book", options);
}

std::string ShownReference(const Kiosk& k) {
    for (const auto& t : k.Texts())
        if (t.key == "sent.code") return t.text;
    return {};
}

}  // namespace htk::test
