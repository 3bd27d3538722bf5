// The numbered schema migrations of the kiosk database: migration i takes user_version i to i + 1.
// Append only: a released migration is never edited, or databases in the field diverge.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

namespace htk::store {

inline constexpr std::int32_t kApplicationId = 0x48544B53;  // "HTKS" in PRAGMA application_id

std::span<const std::string_view> Migrations();
int LatestSchemaVersion();  // Migrations().size(): the newest schema this build can read and write

}  // namespace htk::store
