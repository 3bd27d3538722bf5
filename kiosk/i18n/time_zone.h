// The practice's time zone, from ICU's tz database (g++ 12 has no std::chrono::zoned_time).
#pragma once
#include <memory>
#include <string_view>

#include "core/time.h"

namespace htk::i18n {

// nullptr when ICU does not know `iana_id` (ICU silently maps unknown ids to GMT; we refuse them).
std::unique_ptr<core::TimeZone> MakeTimeZone(std::string_view iana_id);

}  // namespace htk::i18n
