// Practice settings and slot rules: one row. The public key is not set here (sealing.h owns it),
// and the time zone is kept as an IANA id: resolving it is i18n's job, not the store's.
#pragma once
#include <optional>
#include <string>

#include "core/result.h"
#include "core/slots.h"
#include "store/database.h"
#include "store/sealing.h"

namespace htk::store {

struct PracticeSettings {
    std::string name;                        // "Chapeltown Health Centre"
    std::string time_zone = "Europe/London";  // IANA id
    std::optional<PublicKey> public_key;     // read only here; set by CreatePracticeKeys
    core::SlotRules rules;
    int retention_days = 365;                // closed requests are kept this long (12 months); the kiosk's consent text says it
};

class SettingsRepo {
public:
    explicit SettingsRepo(Database& db) : m_db(db) {}
    core::Result<PracticeSettings> Get() const;           // NotFound before the practice is set up
    core::Result<void> Save(const PracticeSettings& s);  // creates or updates; keeps the key
    core::Result<void> SetRules(const core::SlotRules& rules);
    core::Result<core::SlotRules> Rules() const;          // the defaults before the practice is set up
    // Since when the practice books its times on a shared PostgreSQL database (its plan was published
    // there); nullopt: this file's slots are the practice's. Once set, this file refuses a new booking.
    core::Result<std::optional<core::UnixSeconds>> SharedSince() const;
    core::Result<void> MarkShared(core::UnixSeconds now);  // keeps the first time

private:
    Database& m_db;
};

}  // namespace htk::store
