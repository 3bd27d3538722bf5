// The patient's two journeys, end to end through the real App and a real SQLite store, tapping by
// catalog key: a self-referral and a booking in every shipped language, a slot lost to another
// session, no free slots, the crisis information, the privacy timeout and a store failure.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <utility>
#include <string>
#include <vector>

#include "core/reference.h"
#include "i18n/catalog.h"
#include "store/booking_repo.h"
#include "store/referral_repo.h"
#include "store/slot_repo.h"
#include "tests/support/kiosk.h"
#include "tests/support/patient.h"  // NameFor
#include "ui/screens/screen.h"

using htk::test::Kiosk;
using htk::test::KioskOptions;
using htk::test::NameFor;
using htk::test::ShownReference;
using htk::test::StartIn;
using htk::test::TapInList;

namespace {

void TapDigits(Kiosk& k, std::string_view digits) {
    for (char c : digits) k.Tap(std::string("numpad.") + c);
}

// The details every request asks for, typed on the kiosk's own keyboards, from the reasons screen to the review.
void TypeDetails(Kiosk& k, const std::string& tag, bool with_phone = true) {
    htk::test::JourneyOptions options;
    options.on_screen_keyboard = true;
    options.with_phone = with_phone;
    htk::test::FillDetails(k, tag, options);
}

// No View and nothing on screen holds `name` (the privacy rule: only while the patient types it).
void CheckNameGone(Kiosk& k, const std::string& name) {
    for (const auto& t : k.Texts()) CHECK(t.text.find(name) == std::string::npos);
    const auto& a = k.App().CurrentViews().answers;
    CHECK(a.name.text.empty());
    CHECK(a.phone.text.empty());
}

}  // namespace

TEST_CASE("a self-referral by touch in every shipped language reaches the database, sealed, with the reference shown") {
    for (const std::string& tag : htk::test::ShippedPacks()) {
        CAPTURE(tag);
        Kiosk k(tag);
        StartIn(k, tag);
        k.Tap("home.refer");
        TypeDetails(k, tag);
        // The review never shows back what identifies the patient.
        for (const auto& t : k.Texts()) CHECK(t.text.find(NameFor(tag)) == std::string::npos);
        k.Tap("review.send");
        REQUIRE(k.Screen() == "sent");
        const std::string shown = ShownReference(k);
        CHECK(htk::core::NormalizeReference(shown).has_value());
        CheckNameGone(k, NameFor(tag));

        auto stored = htk::store::ReferralRepo(k.Db()).GetByReference(shown);
        REQUIRE(stored);
        CHECK(stored->route == htk::core::Route::SelfReferral);
        CHECK(stored->reasons == std::set{htk::core::Reason::EatingBetter, htk::core::Reason::MovingMore});
        CHECK(stored->preferred_language == tag);
        CHECK(stored->best_times == std::set{htk::core::BestTime::Morning});
        CHECK(stored->consent_version.starts_with(tag + "@"));
        const auto revealed = k.Revealed();
        REQUIRE(revealed.size() == 1);
        CHECK(revealed[0].name == NameFor(tag));
        CHECK(revealed[0].phone == "+447400123456");
        CHECK(revealed[0].date_of_birth == htk::core::LocalDate{1968, 5, 14});

        k.Tap("sent.finish");
        CHECK(k.Screen() == "attract");
        CHECK(k.App().CurrentViews() == k.App().FreshViews());
    }
}

TEST_CASE("a booking by touch in every shipped language books the slot and says when, with an interpreter where nobody speaks the language") {
    for (const std::string& tag : htk::test::ShippedPacks()) {
        CAPTURE(tag);
        Kiosk k(tag);
        StartIn(k, tag);
        k.Tap("home.book");
        REQUIRE(k.Screen() == "slots");
        const auto& slots = k.App().CurrentViews().slots;
        REQUIRE_FALSE(slots.empty());
        // Trainers who speak the patient's language come first.
        const bool speaker = tag == "ur" || tag == "pa" || tag == "pl" || tag == "en-GB";
        CHECK(slots.front().speaks == speaker);
        const auto chosen = slots.front().slot;
        k.Tap("booking.slot.0");
        TypeDetails(k, tag, tag != "so");
        k.Tap("review.book");
        REQUIRE(k.Screen() == "sent");
        const std::string shown = ShownReference(k);
        CheckNameGone(k, NameFor(tag));
        auto referral = htk::store::ReferralRepo(k.Db()).GetByReference(shown);
        REQUIRE(referral);
        CHECK(referral->interpreter == !speaker);
        if (tag == "so") CHECK(referral->contact == htk::core::ContactMethod::Letter);
        htk::store::BookingFilter filter;
        filter.referral = referral->id;
        auto bookings = htk::store::BookingRepo(k.Db()).List(filter);
        REQUIRE(bookings);
        REQUIRE(bookings->size() == 1);
        CHECK(bookings->front().slot == chosen);
        // The slot's day and time are on the screen in the patient's language.
        bool when_shown = false;
        for (const auto& t : k.Texts()) when_shown |= t.key == "sent.when" && !t.text.empty();
        CHECK(when_shown);
    }
}

TEST_CASE("two sessions race for one slot: one books it and the other is told plainly and offered the nearest others, in every pack") {
    for (const std::string& tag : htk::test::ShippedPacks()) {
        CAPTURE(tag);
        Kiosk first("en-GB");
        KioskOptions second_options;
        second_options.lang = tag;
        second_options.database = first.DataDir() / "kiosk.db";
        Kiosk second(second_options);
        StartIn(first, "en-GB");
        StartIn(second, tag);
        for (Kiosk* k : {&first, &second}) {
            k->Tap("home.book");
            REQUIRE(k->Screen() == "slots");
        }
        // The second kiosk's first choice (its own language's trainers first) is early in the first's
        // list too, which is by time alone.
        const auto contested = second.App().CurrentViews().slots.front().slot;
        const auto& mine = first.App().CurrentViews().slots;
        const auto same = std::find_if(mine.begin(), mine.end(), [&](const auto& s) { return s.slot == contested; });
        REQUIRE(same != mine.end());
        TapInList(first, htk::ui::SlotKey(static_cast<std::size_t>(same - mine.begin())));  // holds it
        REQUIRE(first.Screen() == "reasons");
        second.Tap("booking.slot.0");  // the list it shows is older than the hold
        REQUIRE(second.Screen() == "slot_lost");
        CHECK(second.Shows("booking.slot.0"));
        CHECK(second.Shows("booking.all_times"));
        for (const auto& s : second.App().CurrentViews().nearest) CHECK(s.slot != contested);
        // The nearest free time is offered first among them, and booking it works.
        second.Tap("booking.slot.0");
        REQUIRE(second.Screen() == "reasons");
        TypeDetails(second, tag, tag != "so");
        second.Tap("review.book");
        CHECK(second.Screen() == "sent");
        TypeDetails(first, "en-GB");
        first.Tap("review.book");
        CHECK(first.Screen() == "sent");
        auto bookings = htk::store::BookingRepo(first.Db()).List();
        REQUIRE(bookings);
        CHECK(bookings->size() == 2);
    }
}

TEST_CASE("a held slot that lapsed and went to reception is said at the next step, with the nearest others") {
    Kiosk k("en-GB");
    StartIn(k, "en-GB");
    k.Tap("home.book");
    k.Tap("booking.slot.0");
    REQUIRE(k.Screen() == "reasons");
    const auto held = *k.App().CurrentViews().held;
    // Reception books the slot at the desk once the kiosk's hold has run out.
    const auto later = k.Wall() + htk::store::kDefaultHoldSeconds + 1;
    htk::core::Referral desk;
    desk.route = htk::core::Route::BookedByGp;
    desk.reasons = {htk::core::Reason::ChronicPain};
    desk.preferred_language = "en-GB";
    desk.consent_version = "desk";
    auto key = htk::store::PracticePublicKey(k.Db());
    REQUIRE(key);
    auto referral = htk::store::ReferralRepo(k.Db()).Create(desk, *key, "staff:test", later);
    REQUIRE(referral);
    REQUIRE(htk::store::BookingRepo(k.Db()).Book(referral->id, held, "staff:test", later));
    k.ShiftWall(htk::store::kDefaultHoldSeconds + 2);
    TapInList(k, "reasons.weight");
    k.Tap("common.next");
    CHECK(k.Screen() == "slot_lost");
    CHECK(k.App().CurrentViews().held == std::nullopt);
    k.Tap("common.back");
    CHECK(k.Screen() == "slots");
}

TEST_CASE("with no free slot the patient is offered a call back and a place on the waiting list, in every pack") {
    for (const std::string& tag : htk::test::ShippedPacks()) {
        CAPTURE(tag);
        KioskOptions options;
        options.lang = tag;
        options.trainers = {};
        Kiosk k(options);
        StartIn(k, tag);
        k.Tap("home.book");
        REQUIRE(k.Screen() == "no_slots");
        CHECK(k.Shows("home.reception"));
        CHECK(k.Drew("booking.none_title"));  // full, not unavailable: that is for a shared database out of reach
        CHECK_FALSE(k.Drew("booking.unavailable_title"));
        k.Tap("booking.callback");
        TypeDetails(k, tag);
        k.Tap("review.send");
        REQUIRE(k.Screen() == "sent");
        auto stored = htk::store::ReferralRepo(k.Db()).GetByReference(ShownReference(k));
        REQUIRE(stored);
        CHECK(stored->waiting_list);
        CHECK(stored->preferred_language == tag);
    }
}

TEST_CASE("choosing low mood shows what to do in a crisis, once, with the numbers kept in order, and offers reception") {
    for (const char* tag : {"en-GB", "ar", "ur"}) {
        CAPTURE(tag);
        Kiosk k(tag);
        StartIn(k, tag);
        k.Tap("home.refer");
        TapInList(k, "reasons.low_mood");
        k.Tap("common.next");
        REQUIRE(k.Screen() == "crisis");
        std::string body;
        for (const auto& t : k.Texts())
            if (t.key == "crisis.body") body = t.text;
        // Isolated ASCII: a right-to-left sentence cannot turn "116 123" into "123 116".
        CHECK(body.find("\u2066116 123\u2069") != std::string::npos);
        CHECK(body.find("\u2066999\u2069") != std::string::npos);
        CHECK(k.Shows("crisis.reception"));
        k.Tap("crisis.continue");
        CHECK(k.Screen() == "note");
        k.Tap("common.back");
        k.Tap("common.back");
        REQUIRE(k.Screen() == "reasons");
        k.Tap("common.next");
        CHECK(k.Screen() == "note");  // shown once a session
    }
    Kiosk k("en-GB");
    StartIn(k, "en-GB");
    k.Tap("home.refer");
    TapInList(k, "reasons.low_mood");
    k.Tap("common.next");
    k.Tap("crisis.reception");
    CHECK(k.Screen() == "reception");
}

TEST_CASE("after 60 s without a touch the kiosk asks, counts down 15 s, then wipes the typed name from every View, in every pack") {
    for (const std::string& tag : htk::test::ShippedPacks()) {
        CAPTURE(tag);
        const std::string name = NameFor(tag);
        Kiosk k(tag);
        StartIn(k, tag);
        k.Tap("home.refer");
        TapInList(k, "reasons.weight");
        k.Tap("common.larger_text");  // a session setting, which the timeout resets too
        k.Tap("common.next");
        k.Tap("common.next");
        REQUIRE(k.Screen() == "name");
        k.TypeOnScreen(name);
        REQUIRE(k.App().CurrentViews().answers.name.text == name);
        k.Advance(k.Config().idle_timeout_seconds);
        REQUIRE(k.Screen() == "more_time");
        for (const auto& t : k.Texts()) CHECK(t.text.find(name) == std::string::npos);  // hidden while asking
        // "Yes" returns to the same screen with what was typed.
        k.Tap("more_time.yes");
        REQUIRE(k.Screen() == "name");
        CHECK(k.App().CurrentViews().answers.name.text == name);
        k.Advance(k.Config().idle_timeout_seconds);
        REQUIRE(k.Screen() == "more_time");
        k.Advance(k.Config().more_time_seconds - 1.0);
        CHECK(k.Screen() == "more_time");
        k.Advance(1.0);
        CHECK(k.Screen() == "attract");
        CHECK(k.App().CurrentViews() == k.App().FreshViews());
        CheckNameGone(k, name);
        CHECK_FALSE(k.App().LargerText());
    }
}

TEST_CASE("a bad phone number, an impossible date and an empty name are explained in the patient's language and keep the screen") {
    Kiosk k("pl");
    StartIn(k, "pl");
    k.Tap("home.refer");
    TapInList(k, "reasons.weight");
    k.Tap("common.next");
    k.Tap("common.next");
    k.Tap("common.next");  // no name
    CHECK(k.Screen() == "name");
    CHECK(k.App().CurrentViews().step.error_key == "invalid.empty");
    k.TypeOnScreen("Jan");
    k.Tap("common.next");
    REQUIRE(k.Screen() == "date_of_birth");
    TapDigits(k, "31");
    TapDigits(k, "02");
    TapDigits(k, "1990");
    k.Tap("common.next");
    CHECK(k.Screen() == "date_of_birth");
    CHECK(k.App().CurrentViews().step.error_key == "invalid.not_a_date");
    bool explained = false;
    for (const auto& t : k.Texts())
        explained |= t.key == "invalid.not_a_date" && t.text == k.App().Language().Get("invalid.not_a_date");
    CHECK(explained);
    k.Tap("dob.day.field");
    k.Tap("numpad.backspace");
    k.Tap("numpad.backspace");
    TapDigits(k, "28");
    k.Tap("common.next");
    REQUIRE(k.Screen() == "phone");
    TapDigits(k, "12345");
    k.Tap("common.next");
    CHECK(k.Screen() == "phone");
    CHECK_FALSE(k.App().CurrentViews().step.error_key.empty());
}

TEST_CASE("a store failure shows Please see reception in the patient's language, discards what was typed and keeps running") {
    Kiosk k("ur");
    StartIn(k, "ur");
    k.Tap("home.refer");
    TypeDetails(k, "ur");
    // Another process holds the database's write lock past the kiosk's patience with it.
    auto other = htk::store::Open(k.DataDir() / "kiosk.db");
    REQUIRE(other);
    REQUIRE(other->Exec("BEGIN EXCLUSIVE"));
    k.Tap("review.send");
    CHECK(k.Screen() == "review");  // tried again from later frames, for a few seconds
    k.Advance(htk::app::kSendPatienceSeconds);
    CHECK(k.Screen() == "failure");
    CheckNameGone(k, NameFor("ur"));
    bool in_urdu = false;
    for (const auto& t : k.Texts()) in_urdu |= t.key == "failure.title" && t.text == k.App().Language().Get("failure.title");
    CHECK(in_urdu);
    REQUIRE(other->Exec("ROLLBACK"));
    CHECK(htk::store::ReferralRepo(k.Db()).List()->empty());
    k.Tap("common.start_again");
    CHECK(k.Screen() == "attract");
}

TEST_CASE("Language mid-journey returns to the same step in the new language, and English is one tap away") {
    Kiosk k("ur");
    StartIn(k, "ur");
    k.Tap("home.refer");
    TapInList(k, "reasons.eating");
    k.Tap("common.english");
    CHECK(k.Screen() == "reasons");
    CHECK(k.App().Language().Tag() == "en-GB");
    CHECK_FALSE(k.Shows("common.english"));
    k.Tap("common.next");
    k.Tap("common.next");
    REQUIRE(k.Screen() == "name");
    k.Tap("common.language");
    REQUIRE(k.Screen() == "language");
    k.Tap("language.bn");
    CHECK(k.Screen() == "name");
    CHECK(k.App().Language().Tag() == "bn");
    CHECK(k.App().CurrentViews().answers.reasons.size() == 1);  // nothing answered is lost
}

TEST_CASE("Larger text and high contrast last for the session and reset after it") {
    Kiosk k("en-GB");
    StartIn(k, "en-GB");
    k.Tap("home.refer");
    const auto before = k.RectOf("reasons.eating");
    k.Tap("common.larger_text");
    CHECK(k.App().LargerText());
    float title_size = 0;
    for (const auto& t : k.Texts())
        if (t.key == "reasons.title") title_size = t.size.y;
    CHECK(title_size > 60.0f);  // 48 px Title at 1.3
    k.Tap("common.start_again");
    CHECK_FALSE(k.App().LargerText());
    (void)before;
}

TEST_CASE("English is one tap away on every request screen in every pack, in landscape and portrait") {
    using htk::ui::Screen;
    const Screen screens[] = {Screen::Reasons, Screen::Crisis,          Screen::Note,  Screen::Name,
                              Screen::DateOfBirth, Screen::Phone,       Screen::Contact, Screen::ContactLanguage,
                              Screen::Times,   Screen::Consent,         Screen::Review, Screen::Slots,
                              Screen::SlotLost, Screen::NoSlots};
    for (const ImVec2 display : {ImVec2{1280, 800}, ImVec2{1080, 1920}}) {
        for (const std::string& tag : htk::test::ShippedPacks()) {
            if (tag == "en-GB") continue;
            CAPTURE(tag);
            CAPTURE(display.x);
            KioskOptions options;
            options.lang = tag;
            options.display = display;
            Kiosk k(options);
            for (Screen s : screens) {
                CAPTURE(htk::ui::ScreenName(s));
                k.Open(s);
                CHECK(k.Shows("common.english"));
                CHECK(k.Shows("common.language"));
                CHECK(k.Shows("common.help"));
                CHECK(k.Shows("common.start_again"));
            }
        }
    }
}

namespace {

// Read aloud as the App sees it: which language and words it was asked to read, and for how long.
class FakeVoice final : public htk::platform::ReadAloud {
public:
    std::set<std::string> voices{"en-GB", "ur", "bn"};  // as espeak-ng: no Somali, Tigrinya or Sorani
    std::vector<std::pair<std::string, std::string>> read;
    bool speaking = false;
    bool CanRead(std::string_view bcp47, const std::filesystem::path& recording) const override {
        return voices.contains(std::string(bcp47)) || std::filesystem::exists(recording);
    }
    void Read(std::string_view bcp47, std::string_view text, const std::filesystem::path&) override {
        read.emplace_back(bcp47, text);
        speaking = true;
    }
    void Stop() override { speaking = false; }
    bool Speaking() const override { return speaking; }
};

}  // namespace

TEST_CASE("Read aloud reads the screen's own words in the session's language, stops on a second tap, and hides without a voice") {
    FakeVoice voice;
    KioskOptions options;
    options.lang = "ur";
    options.voice = &voice;
    Kiosk k(options);
    StartIn(k, "ur");
    k.Tap("home.refer");
    REQUIRE(k.Screen() == "reasons");
    CHECK_FALSE(k.Shows("common.next"));  // nothing chosen yet: Next is greyed, not a target
    k.Tap("common.read_aloud");
    REQUIRE(voice.read.size() == 1);
    CHECK(voice.read[0].first == "ur");
    CHECK(voice.read[0].second.find(k.App().Language().Get("reasons.title")) != std::string::npos);
    CHECK(voice.read[0].second.find(k.App().Language().Get("reasons.low_mood")) != std::string::npos);
    k.Tap("common.read_aloud");  // a second tap stops it
    CHECK_FALSE(voice.speaking);
    CHECK(voice.read.size() == 1);
    // The name the patient types is never read out.
    TapInList(k, "reasons.eating");
    k.Tap("common.next");
    k.Tap("common.next");
    REQUIRE(k.Screen() == "name");
    k.TypeOnScreen(NameFor("ur"));
    k.Tap("common.read_aloud");
    CHECK(voice.read.back().second.find(NameFor("ur")) == std::string::npos);
    CHECK(voice.read.back().second.find(k.App().Language().Get("name.title")) != std::string::npos);
    // Somali has no voice and no recording: the button is not offered.
    k.Tap("common.language");
    k.Tap("language.so");
    CHECK(k.Screen() == "name");
    CHECK_FALSE(k.Shows("common.read_aloud"));
}

TEST_CASE("on a dense panel the keys grow to 9 mm at the configured pixels per millimetre") {
    for (const double ppmm : {0.0, 5.9, 10.0}) {  // unstated; a 10" 1280x800 tablet; a denser one
        CAPTURE(ppmm);
        KioskOptions options;
        options.display = {1280, 800};
        options.pixels_per_mm = ppmm;
        Kiosk k(options);
        CHECK(k.Config().pixels_per_mm == ppmm);
        k.Open(htk::ui::Screen::Name);
        const float least = std::max(htk::ui::theme::kMinKeyHeight, static_cast<float>(std::ceil(9.0 * ppmm)));
        int keys = 0;
        for (const auto& [key, rect] : k.App().Rects().All()) {
            if (!key.starts_with("keyboard.")) continue;
            CAPTURE(key);
            CHECK(rect.Height() >= least);
            ++keys;
        }
        CHECK(keys > 30);
    }
}

TEST_CASE("the attract screen greets in each installed language in turn, waking only to change it") {
    KioskOptions options;
    options.languages = {"en-GB", "tr", "ur"};
    Kiosk k(options);
    REQUIRE(k.Screen() == "attract");
    auto greeting = [&] {
        for (const auto& t : k.Texts())
            if (t.key == "attract.touch") return t.text;
        return std::string();
    };
    std::vector<std::string> seen{greeting()};
    for (int turn = 0; turn < 3; ++turn) {
        const auto wake = k.App().NextWake();
        REQUIRE(wake.has_value());
        CHECK(*wake > 3.0);  // it sleeps until the next greeting is due, not a frame sooner
        CHECK(*wake <= htk::app::kAttractRotateSeconds);
        k.Advance(htk::app::kAttractRotateSeconds);
        seen.push_back(greeting());
    }
    CHECK(seen[0] == "Touch to start");
    CHECK(seen[1] != seen[0]);
    CHECK(seen[2] != seen[1]);
    CHECK(seen[3] == seen[0]);  // three languages, then round again
    k.Tap("attract.touch");
    CHECK(k.Screen() == "language");
    CHECK(k.App().Language().Tag() == "en-GB");
}

TEST_CASE("Help says where reception is, in the patient's language, and Close returns to the same step") {
    Kiosk k("bn");
    StartIn(k, "bn");
    k.Tap("home.refer");
    TapInList(k, "reasons.moving");
    k.Tap("common.help");
    REQUIRE(k.Screen() == "help");
    bool said = false;
    for (const auto& t : k.Texts()) said |= t.key == "help.body" && t.text == k.App().Language().Get("help.body");
    CHECK(said);
    k.Tap("common.close");
    CHECK(k.Screen() == "reasons");
    CHECK(k.App().CurrentViews().answers.reasons.size() == 1);
}
