// The screens of a patient's request: self-referral (reasons to sent), booking (slots to booked),
// and the messages around them (crisis, help, more time, failure). Each draws from plain state and
// returns what was tapped; the App alone moves between them and talks to the store.
#pragma once
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/referral.h"
#include "ui/ctx.h"
#include "ui/keyboard.h"
#include "ui/screens/chrome.h"
#include "ui/screens/language_screen.h"
#include "ui/widgets.h"

namespace htk::ui {

// Everything the patient has answered in this session. Ending the session replaces it (the App
// wipes the typed fields first), so none of it outlives the patient at the screen.
struct Answers {
    std::set<core::Reason> reasons;
    TextFieldView note;
    TextFieldView name;
    TextFieldView day, month, year;  // date of birth, ASCII digits from the number pad
    TextFieldView phone;
    core::ContactMethod contact = core::ContactMethod::Phone;
    std::string contact_language;  // BCP 47; the session's language unless the patient changes it
    bool interpreter = false;
    std::set<core::BestTime> times;
    bool operator==(const Answers&) const = default;
};

// The current screen's own state; reset on every screen change.
struct StepState {
    KeyboardView keyboard;
    int focus = 0;           // which field of a screen with several (date of birth: day, month, year)
    float scroll = 0.0f;     // a list's offset in pixels, dragged by the finger
    std::string error_key;   // what the patient must correct, shown under the field ("invalid.empty")
    std::int64_t error_arg = 0;  // its {age} where it has one
    bool operator==(const StepState&) const = default;
};

struct StepIntent {
    Common common = Common::None;  // a chrome button
    int choice = -1;               // the screen's own choice, by the constants below
};

// Choices some screens return besides the chrome.
inline constexpr int kChoiceReception = 0;  // crisis, no slots, failure: talk to reception
inline constexpr int kChoiceNoPhone = 1;    // phone: the patient has none
inline constexpr int kChoiceCallBack = 2;   // no slots: a call-back referral on the waiting list
inline constexpr int kChoiceAllTimes = 3;   // slot lost: back to every free time
inline constexpr int kChoiceMoreTime = 4;   // more time: yes
// Slots and review rows return their index from kChoiceFirstItem.
inline constexpr int kChoiceFirstItem = 100;

StepIntent DrawReasons(Answers& answers, StepState& step, const Ctx& ctx, const Chrome& chrome);
StepIntent DrawCrisis(StepState& step, const Ctx& ctx, const Chrome& chrome);
StepIntent DrawNote(Answers& answers, StepState& step, const Ctx& ctx, const Chrome& chrome);
StepIntent DrawName(Answers& answers, StepState& step, const Ctx& ctx, const Chrome& chrome);
StepIntent DrawDateOfBirth(Answers& answers, StepState& step, const Ctx& ctx, const Chrome& chrome);
StepIntent DrawPhone(Answers& answers, StepState& step, const Ctx& ctx, const Chrome& chrome);
StepIntent DrawContact(Answers& answers, StepState& step, const Ctx& ctx, const Chrome& chrome);
StepIntent DrawContactLanguage(Answers& answers, StepState& step, const Ctx& ctx, const Chrome& chrome,
                               std::span<const LanguageChoice> languages);
StepIntent DrawTimes(Answers& answers, StepState& step, const Ctx& ctx, const Chrome& chrome);
// `months`: how long the practice keeps a closed request (its settings), said in the consent text.
StepIntent DrawConsent(int months, StepState& step, const Ctx& ctx, const Chrome& chrome);

// One line of the review: a label, what was answered (never a name or number: "Given"), and the
// screen that changes it (returned as kChoiceFirstItem + row).
struct ReviewRow {
    std::string label_key;
    std::string value;     // already in the session's language
    bool changeable = true;
};
StepIntent DrawReview(std::span<const ReviewRow> rows, bool booking, StepState& step, const Ctx& ctx,
                      const Chrome& chrome);

// The reference in large ASCII and what happens next. `when`: the booked slot, empty for a referral.
StepIntent DrawSent(const std::string& reference, const std::string& when, const Ctx& ctx);

// A free slot as the patient sees it, formatted by the App in the session's language.
struct SlotChoice {
    std::string day;      // "Tuesday, 24 November 2026"
    std::string time;     // "10:00"
    std::string trainer;  // the trainer's name as the practice writes it
    bool speaks = false;  // the trainer speaks the session's language
    bool operator==(const SlotChoice&) const = default;
};
// `note`: the line about who speaks the patient's language (already formatted), empty for none.
StepIntent DrawSlots(std::span<const SlotChoice> slots, const std::string& note, StepState& step, const Ctx& ctx,
                     const Chrome& chrome);
StepIntent DrawSlotLost(std::span<const SlotChoice> nearest, StepState& step, const Ctx& ctx, const Chrome& chrome);
// `unavailable`: booking itself is down (the shared database is away), not merely full.
StepIntent DrawNoSlots(bool unavailable, const Ctx& ctx, const Chrome& chrome);

StepIntent DrawHelp(const Ctx& ctx);
StepIntent DrawMoreTime(int seconds_left, const Ctx& ctx);
StepIntent DrawFailure(const Ctx& ctx);

// Tap keys of the choices, for tests and the fit check: "reasons.<key>", "times.<key>",
// "contact.<key>", "booking.slot.<i>", "review.change.<i>", "contact_language.<tag>".
std::string SlotKey(std::size_t index);

}  // namespace htk::ui
