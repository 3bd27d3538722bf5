// A request for a health trainer: the route it came by, the reasons, how to contact the patient.
// PatientDetails is everything that identifies the patient: the store seals it, the UI wipes it.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "core/time.h"

namespace htk::core {

using ReferralId = std::int64_t;

enum class Route { SelfReferral, BookedByGp, TaskedByGp, Signposted };

// The seed's list of who health trainers help (health-trainers-and-gp-practices.txt).
enum class Reason {
    LongTermCondition,  // such as diabetes
    ChronicPain,
    LowMood,            // low mood, stress or anxiety: the kiosk shows crisis signposting
    EatingBetter,
    MovingMore,
    LosingWeight,
    DrinkingLess,
    StoppingSmoking,
    SomethingElse,
};

enum class ContactMethod { Phone, Letter, CallIn };  // CallIn: the patient calls in at reception
enum class BestTime { Morning, Afternoon, Evening };

// New -> Contacted -> Booked -> Closed; Cancelled from any open state.
enum class ReferralStatus { New, Contacted, Booked, Closed, Cancelled };

struct PatientDetails {
    std::string name;
    std::optional<LocalDate> date_of_birth;
    std::string phone;    // E.164 once validated
    std::string email;
    std::string address;
    std::string note;     // free text the patient typed
    bool operator==(const PatientDetails&) const = default;
};

// Overwrites every buffer before clearing it, so nothing typed lingers in freed memory.
void Wipe(PatientDetails& details);
void Wipe(std::string& text);

struct Referral {
    ReferralId id = 0;                 // 0 until stored
    std::string reference;             // core/reference.h; shown to the patient
    Route route = Route::SelfReferral;
    std::set<Reason> reasons;
    std::string preferred_language;    // BCP 47
    bool interpreter = false;
    bool waiting_list = false;         // found no free slot: offer them the next one that frees up
    ContactMethod contact = ContactMethod::Phone;
    std::set<BestTime> best_times;
    std::string consent_version;       // version of the consent wording the patient was shown
    UnixSeconds created_at = 0;
    ReferralStatus status = ReferralStatus::New;
    PatientDetails patient;            // sealed at rest; empty when read back without the key
};

// Stable text keys, used in the database, in catalog keys ("reasons.<key>") and in CSV.
std::string_view Key(Route r);
std::string_view Key(Reason r);
std::string_view Key(ContactMethod c);
std::string_view Key(BestTime t);
std::string_view Key(ReferralStatus s);
std::optional<Route> ParseRoute(std::string_view key);
std::optional<Reason> ParseReason(std::string_view key);
std::optional<ContactMethod> ParseContactMethod(std::string_view key);
std::optional<BestTime> ParseBestTime(std::string_view key);
std::optional<ReferralStatus> ParseReferralStatus(std::string_view key);
std::span<const Reason> AllReasons();
std::span<const Route> AllRoutes();
std::span<const ReferralStatus> AllReferralStatuses();

bool CanChange(ReferralStatus from, ReferralStatus to);

}  // namespace htk::core
