// Keys and transitions of referrals.
#include "core/referral.h"

#include <array>

namespace htk::core {

void Wipe(std::string& text) {
    volatile char* p = text.data();  // volatile: the compiler may not drop stores to dying memory
    for (std::size_t i = 0; i < text.capacity(); ++i) p[i] = 0;
    text.clear();
}

void Wipe(PatientDetails& d) {
    Wipe(d.name);
    Wipe(d.phone);
    Wipe(d.email);
    Wipe(d.address);
    Wipe(d.note);
    d.date_of_birth.reset();
}

namespace {
template <class E, std::size_t N>
struct KeyTable {
    std::array<E, N> values;
    std::array<std::string_view, N> keys;
    std::string_view Key(E e) const {
        for (std::size_t i = 0; i < N; ++i)
            if (values[i] == e) return keys[i];
        return {};
    }
    std::optional<E> Parse(std::string_view k) const {
        for (std::size_t i = 0; i < N; ++i)
            if (keys[i] == k) return values[i];
        return std::nullopt;
    }
};

constexpr KeyTable<Route, 4> kRoutes{
    {Route::SelfReferral, Route::BookedByGp, Route::TaskedByGp, Route::Signposted},
    {"self", "gp_booked", "gp_tasked", "signposted"}};
constexpr KeyTable<Reason, 9> kReasons{
    {Reason::LongTermCondition, Reason::ChronicPain, Reason::LowMood, Reason::EatingBetter, Reason::MovingMore,
     Reason::LosingWeight, Reason::DrinkingLess, Reason::StoppingSmoking, Reason::SomethingElse},
    {"long_term_condition", "chronic_pain", "low_mood", "eating", "moving", "weight", "drinking", "smoking",
     "other"}};
constexpr KeyTable<ContactMethod, 3> kContacts{
    {ContactMethod::Phone, ContactMethod::Letter, ContactMethod::CallIn}, {"phone", "letter", "call_in"}};
constexpr KeyTable<BestTime, 3> kTimes{
    {BestTime::Morning, BestTime::Afternoon, BestTime::Evening}, {"morning", "afternoon", "evening"}};
constexpr KeyTable<ReferralStatus, 5> kStatuses{
    {ReferralStatus::New, ReferralStatus::Contacted, ReferralStatus::Booked, ReferralStatus::Closed,
     ReferralStatus::Cancelled},
    {"new", "contacted", "booked", "closed", "cancelled"}};
}  // namespace

std::string_view Key(Route r) { return kRoutes.Key(r); }
std::string_view Key(Reason r) { return kReasons.Key(r); }
std::string_view Key(ContactMethod c) { return kContacts.Key(c); }
std::string_view Key(BestTime t) { return kTimes.Key(t); }
std::string_view Key(ReferralStatus s) { return kStatuses.Key(s); }
std::optional<Route> ParseRoute(std::string_view k) { return kRoutes.Parse(k); }
std::optional<Reason> ParseReason(std::string_view k) { return kReasons.Parse(k); }
std::optional<ContactMethod> ParseContactMethod(std::string_view k) { return kContacts.Parse(k); }
std::optional<BestTime> ParseBestTime(std::string_view k) { return kTimes.Parse(k); }
std::optional<ReferralStatus> ParseReferralStatus(std::string_view k) { return kStatuses.Parse(k); }
std::span<const Reason> AllReasons() { return kReasons.values; }
std::span<const Route> AllRoutes() { return kRoutes.values; }
std::span<const ReferralStatus> AllReferralStatuses() { return kStatuses.values; }

bool CanChange(ReferralStatus from, ReferralStatus to) {
    using S = ReferralStatus;
    switch (from) {
        case S::New: return to == S::Contacted || to == S::Booked || to == S::Closed || to == S::Cancelled;
        case S::Contacted: return to == S::Booked || to == S::Closed || to == S::Cancelled;
        case S::Booked: return to == S::Contacted || to == S::Closed || to == S::Cancelled;
        case S::Closed:
        case S::Cancelled: return false;
    }
    return false;
}

}  // namespace htk::core
