// Whole patient sessions on a test::Kiosk, tapping by catalog key as request_journey_test.cpp does,
// for the programs that drive many of them (the crash autopilot, the soak). Never reads the store;
// an unexpected screen throws std::runtime_error naming it.
#pragma once
#include <functional>
#include <string>

#include "tests/support/kiosk.h"

namespace htk::test {

struct JourneyOptions {
    bool on_screen_keyboard = false;  // type the name key by key on the kiosk's keyboard (slow) instead of at once
    bool with_phone = true;           // false: "no phone", then a letter
    bool note = false;                // types a free-text note
    bool low_mood = false;            // Low mood too, which shows the crisis information once
    bool larger_text = false;         // taps Larger text on the first step
    bool switch_language = false;     // mid-journey: to English and back to the session's language
    bool back = false;                // Back from the date of birth to the name, then on again
    bool change_from_review = false;  // Change on the review's reasons row, then back to the review
    std::function<void()> before_send;  // called just before the tap that sends
};

// A name the pack's own keyboard can type (its script where it has one, else Latin letters).
std::string NameFor(const std::string& tag);

// attract -> the language picker (when it shows) -> home, in `tag`.
void StartIn(Kiosk& k, const std::string& tag);

// From home to the Sent screen; returns the reference it shows.
std::string Refer(Kiosk& k, const std::string& tag, const JourneyOptions& options = {});

// From home: the first free slot (the language's trainers first) booked for a new request; with no
// free slot, the call back offered instead (a waiting-list request). Returns the reference shown.
std::string Book(Kiosk& k, const std::string& tag, const JourneyOptions& options = {});

// The details every request asks for, from the reasons screen to the review.
void FillDetails(Kiosk& k, const std::string& tag, const JourneyOptions& options = {});

// From the review: taps `button` ("review.send", "review.book"), waits out a server booking's
// answer, and returns the reference the Sent screen shows; throws on any other screen.
std::string Send(Kiosk& k, const std::string& button, const JourneyOptions& options = {});

// The reference the Sent screen draws under sent.code; empty elsewhere.
std::string ShownReference(const Kiosk& k);

// Taps `key` ("reasons.smoking") in a scrolling list, dragging the list as a finger would until the
// key is wholly in view. Throws when no part of the list has it.
void TapInList(Kiosk& k, const std::string& key);

// Throws unless the kiosk shows `screen`.
void Expect(const Kiosk& k, const std::string& screen);

}  // namespace htk::test
