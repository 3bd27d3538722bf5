// Calendar arithmetic on std::chrono's proleptic Gregorian calendar.
#include "core/time.h"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace htk::core {
namespace chr = std::chrono;

bool LocalDate::Valid() const {
    // Ranges first: chrono keeps a month or day in 8 bits, so month 257 would pass as January.
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 && year >= 1 && year <= 9999 &&
           chr::year_month_day{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                               chr::day{static_cast<unsigned>(day)}}.ok();
}

std::int64_t LocalDate::DaysSinceEpoch() const {
    const chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                                  chr::day{static_cast<unsigned>(day)}};
    return chr::sys_days{ymd}.time_since_epoch().count();
}

LocalDate LocalDate::FromDays(std::int64_t days) {
    const chr::year_month_day ymd{chr::sys_days{chr::days{days}}};
    return LocalDate{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                     static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int LocalDate::Weekday() const {
    const chr::weekday wd{chr::sys_days{chr::days{DaysSinceEpoch()}}};
    return static_cast<int>(wd.iso_encoding()) - 1;
}

std::string LocalDate::Iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

static bool ParseInt(std::string_view text, int& out) {
    if (text.empty()) return false;
    for (char c : text)
        if (c < '0' || c > '9') return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

std::optional<LocalDate> LocalDate::ParseIso(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    LocalDate d;
    if (!ParseInt(text.substr(0, 4), d.year) || !ParseInt(text.substr(5, 2), d.month) ||
        !ParseInt(text.substr(8, 2), d.day) || !d.Valid())
        return std::nullopt;
    return d;
}

LocalDateTime TimeZone::ToLocal(UnixSeconds utc) const {
    const UnixSeconds local = utc + OffsetSecondsAt(utc);
    std::int64_t days = local / 86400;
    std::int64_t secs = local % 86400;
    if (secs < 0) {
        secs += 86400;
        --days;
    }
    return LocalDateTime{LocalDate::FromDays(days), static_cast<int>(secs / 60)};
}

std::string FixedZone::Id() const {
    if (m_offset == 0) return "UTC";
    char buf[32];
    const int a = m_offset < 0 ? -m_offset : m_offset;
    std::snprintf(buf, sizeof buf, "UTC%c%02d:%02d", m_offset < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
    return buf;
}

std::optional<UnixSeconds> FixedZone::ToUtc(LocalDateTime local) const {
    return local.date.DaysSinceEpoch() * 86400 + local.minute_of_day * 60 - m_offset;
}

UnixSeconds LocalDayStart(const TimeZone& zone, LocalDate day) {
    for (int minute = 0; minute < 24 * 60; minute += 15)
        if (auto t = zone.ToUtc({day, minute})) return *t;
    return day.DaysSinceEpoch() * 86400;
}

std::optional<int> ParseClock(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() - colon != 3)
        return std::nullopt;
    int h = 0, m = 0;
    if (!ParseInt(text.substr(0, colon), h) || !ParseInt(text.substr(colon + 1), m)) return std::nullopt;
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return h * 60 + m;
}

std::string FormatClock(int minute_of_day) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minute_of_day / 60, minute_of_day % 60);
    return buf;
}

}  // namespace htk::core
