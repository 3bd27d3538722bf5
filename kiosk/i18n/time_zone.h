// The practice's time zone, from ICU's tz database (g++ 12 has no std::chrono::zoned_time).
#pragma once
#include <memory>
#include <string_view>

#include "core/time.h"

namespace htk::i18n {

// nullptr when ICU does not know `iana_id` (ICU silently maps unknown ids to GMT; we refuse them).
std::unique_ptr<core::TimeZone> MakeTimeZone(std::string_view iana_id);

// Makes `iana_id` ICU's default zone, so catalog dates and times ("{when, time, short}") read as the
// practice's clocks do whatever the machine's TZ says. False for an id ICU does not know.
bool SetProcessTimeZone(std::string_view iana_id);

}  // namespace htk::i18n
