// Fuzz target: the date-of-birth checks the kiosk and ht-admin call: core::LocalDate::Valid and
// core::ValidateDateOfBirth against "today" in the practice's time zone (i18n::MakeTimeZone, chosen by
// the input), on dates typed into the kiosk's day/month/year fields, read by ht-admin as ISO text, or
// any three integers at all.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/validation.h"
#include "fuzz_input.h"
#include "i18n/time_zone.h"

namespace {

using htk::core::Invalid;
using htk::core::LocalDate;
using htk::fuzz::Input;

// Practices are in the UK; the others are zones with odd offsets, skipped days and half-hour summers.
constexpr const char* kZones[] = {"Europe/London", "Europe/Belfast", "UTC", "Pacific/Apia", "Pacific/Kiritimati",
                                  "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns", "Antarctica/Troll",
                                  "Africa/Casablanca", "Pacific/Chatham", "America/Godthab"};

std::string Describe(const LocalDate& d) {
    return std::to_string(d.year) + "/" + std::to_string(d.month) + "/" + std::to_string(d.day);
}

void CheckDate(const LocalDate& dob, const LocalDate& today) {
    const std::string what = Describe(dob) + " on " + Describe(today);
    const bool valid = dob.Valid();
    if (valid) {
        // A valid date is a real calendar day: its ISO text reads back, and day numbers round-trip.
        HTK_FUZZ_CHECK(dob.month >= 1 && dob.month <= 12 && dob.day >= 1 && dob.day <= 31, what);
        const auto iso = LocalDate::ParseIso(dob.Iso());
        HTK_FUZZ_CHECK(iso && *iso == dob, what);
        HTK_FUZZ_CHECK(LocalDate::FromDays(dob.DaysSinceEpoch()) == dob, what);
        const LocalDate next = dob.AddDays(1);
        HTK_FUZZ_CHECK(next > dob && (dob.year == 9999 || next.Valid()), what);
        HTK_FUZZ_CHECK((dob.Weekday() + 1) % 7 == next.Weekday(), what);
    }
    const Invalid code = htk::core::ValidateDateOfBirth(dob, today);
    if (!valid) {
        HTK_FUZZ_CHECK(code == Invalid::NotADate, what);
        return;
    }
    const int age = htk::core::AgeInYears(dob, today);
    switch (code) {
        case Invalid::None: HTK_FUZZ_CHECK(age >= htk::core::kMinAgeYears && age <= htk::core::kMaxAgeYears, what); break;
        case Invalid::InFuture: HTK_FUZZ_CHECK(dob > today, what); break;
        case Invalid::TooOld: HTK_FUZZ_CHECK(age > htk::core::kMaxAgeYears, what); break;
        case Invalid::TooYoung: HTK_FUZZ_CHECK(age < htk::core::kMinAgeYears && dob <= today, what); break;
        default: htk::fuzz::Fail("unexpected code", what);
    }
    if (dob <= today) {
        // Age counts birthdays: one more on each (on 1 March for 29 February in a common year).
        const bool common_year = !LocalDate{today.year, 2, 29}.Valid();
        const bool birthday = (today.month == dob.month && today.day == dob.day) ||
                              (common_year && dob.month == 2 && dob.day == 29 && today.month == 3 && today.day == 1);
        HTK_FUZZ_CHECK(age - htk::core::AgeInYears(dob, today.AddDays(-1)) == (birthday ? 1 : 0), what);
        HTK_FUZZ_CHECK(htk::core::AgeInYears(dob, dob) == 0, what);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static std::unique_ptr<htk::core::TimeZone> zones[std::size(kZones)];
    Input in(data, size);
    const std::size_t z = in.Pick(std::size(kZones));
    if (!zones[z]) zones[z] = htk::i18n::MakeTimeZone(kZones[z]);
    if (!zones[z]) htk::fuzz::Fail("ICU does not know a zone", kZones[z]);
    const htk::core::TimeZone& zone = *zones[z];

    // The wall clock: any second from 1970 to 2242 (a machine's clock may be wrong, never that wrong).
    const std::int64_t now = static_cast<std::int64_t>(in.Bits(5) % (std::int64_t{1} << 33));
    const auto local = zone.ToLocal(now);
    const LocalDate today = local.date;
    HTK_FUZZ_CHECK(today.Valid() && local.minute_of_day >= 0 && local.minute_of_day < 24 * 60, std::to_string(now));
    if (auto back = zone.ToUtc(local)) HTK_FUZZ_CHECK(zone.ToLocal(*back) == local, std::to_string(now));

    switch (in.Pick(3)) {
        case 0: {  // the kiosk's three fields, as the number pad fills them (or anything a test could put there)
            const std::string_view day = in.Until('/'), month = in.Until('/'), year = in.Rest();
            // The fields as App reads them, through the same function.
            const auto d = htk::core::DateFieldValue(day), m = htk::core::DateFieldValue(month),
                       y = htk::core::DateFieldValue(year);
            if (!d || !m || !y) return 0;
            const LocalDate dob{*y, *m, *d};
            CheckDate(dob, today);
            if (year.size() == 4 && dob.Valid() && htk::core::ValidateDateOfBirth(dob, today) == Invalid::None)
                HTK_FUZZ_CHECK(dob.Iso().starts_with(std::string(year)), std::string(year));
            break;
        }
        case 1: {  // ht-admin's date_of_birth: YYYY-MM-DD
            const std::string_view text = in.Rest();
            const auto dob = LocalDate::ParseIso(text);
            if (!dob) return 0;
            HTK_FUZZ_CHECK(dob->Valid() && dob->Iso() == text, std::string(text));
            CheckDate(*dob, today);
            break;
        }
        default: {  // any three integers
            const LocalDate dob{static_cast<int>(in.Bits(4)), static_cast<int>(in.Bits(4)), static_cast<int>(in.Bits(4))};
            CheckDate(dob, today);
            break;
        }
    }
    return 0;
}
