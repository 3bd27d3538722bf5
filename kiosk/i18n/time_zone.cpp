// core::TimeZone over icu::BasicTimeZone. Local -> UTC uses getOffsetFromLocal with the "former"
// options, so an autumn-overlap time resolves to its first (summer) occurrence; a spring-gap time is
// detected by converting back and comparing wall clocks.
#include "i18n/time_zone.h"

#include <unicode/basictz.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <string>

namespace htk::i18n {
namespace {

class IcuTimeZone final : public core::TimeZone {
public:
    IcuTimeZone(std::string id, std::unique_ptr<icu::BasicTimeZone> zone) : m_id(std::move(id)), m_zone(std::move(zone)) {}

    std::string Id() const override { return m_id; }

    int OffsetSecondsAt(core::UnixSeconds utc) const override {
        int32_t raw = 0, dst = 0;
        UErrorCode status = U_ZERO_ERROR;
        m_zone->getOffset(static_cast<UDate>(utc) * 1000.0, false, raw, dst, status);
        return U_SUCCESS(status) ? (raw + dst) / 1000 : 0;
    }

    std::optional<core::UnixSeconds> ToUtc(core::LocalDateTime local) const override {
        const core::UnixSeconds wall = local.date.DaysSinceEpoch() * 86400 + local.minute_of_day * 60LL;
        int32_t raw = 0, dst = 0;
        UErrorCode status = U_ZERO_ERROR;
        m_zone->getOffsetFromLocal(static_cast<UDate>(wall) * 1000.0, UCAL_TZ_LOCAL_FORMER, UCAL_TZ_LOCAL_FORMER,
                                   raw, dst, status);
        if (U_FAILURE(status)) return std::nullopt;
        const core::UnixSeconds utc = wall - (raw + dst) / 1000;
        if (ToLocal(utc) != local) return std::nullopt;  // the wall-clock time was skipped
        return utc;
    }

private:
    std::string m_id;
    std::unique_ptr<icu::BasicTimeZone> m_zone;
};

}  // namespace

std::unique_ptr<core::TimeZone> MakeTimeZone(std::string_view iana_id) {
    const auto id = icu::UnicodeString::fromUTF8(icu::StringPiece(iana_id.data(), static_cast<int32_t>(iana_id.size())));
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString canonical;
    UBool is_system = false;
    icu::TimeZone::getCanonicalID(id, canonical, is_system, status);
    if (U_FAILURE(status) || !is_system) return nullptr;
    std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(id));
    auto* basic = dynamic_cast<icu::BasicTimeZone*>(zone.get());
    if (!basic) return nullptr;
    zone.release();
    return std::make_unique<IcuTimeZone>(std::string(iana_id), std::unique_ptr<icu::BasicTimeZone>(basic));
}

}  // namespace htk::i18n

namespace htk::i18n {

bool SetProcessTimeZone(std::string_view iana_id) {
    if (!MakeTimeZone(iana_id)) return false;  // refuses ids ICU would quietly turn into GMT
    const auto id = icu::UnicodeString::fromUTF8(icu::StringPiece(iana_id.data(), static_cast<int32_t>(iana_id.size())));
    icu::TimeZone::adoptDefault(icu::TimeZone::createTimeZone(id));
    return true;
}

}  // namespace htk::i18n
