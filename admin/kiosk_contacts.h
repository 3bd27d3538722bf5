// Each kiosk's last contact and backlog as the shared PostgreSQL database holds them (issue 9): the
// one query behind `ht-admin db kiosks` and the desk's Kiosks view. Reads only; formats nothing.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "store/pg/connection.h"

namespace htk::admin {

// A kiosk reports at least every 30 s while it runs; past this it is shown as not heard from.
inline constexpr std::int64_t kSilentAfterSeconds = 120;

struct KioskContact {
    std::string practice;                           // the practice's name
    std::string kiosk;                              // its id, as in its config's [kiosk] id
    std::optional<core::UnixSeconds> last_contact;  // the server's clock; nullopt: never heard from
    std::int64_t age_seconds = 0;                   // the server's now() - last_contact, at the read
    int backlog = 0;                                // requests the kiosk holds, not yet on the server
    int rejected = 0;                               // requests the server refused (kept on the kiosk)
    std::optional<core::UnixSeconds> oldest_waiting;  // the kiosk's clock: when its oldest unsent request was made

    bool Never() const { return !last_contact.has_value(); }
    bool Silent() const { return Never() || age_seconds > kSilentAfterSeconds; }
};

// Every kiosk the login may see (all for a manager's, its own practice's for a desk's: row-level
// security decides), by practice name then kiosk id. The caller checks the schema first (pg::CheckSchema).
core::Result<std::vector<KioskContact>> ListKiosks(store::pg::Connection& db);

}  // namespace htk::admin
