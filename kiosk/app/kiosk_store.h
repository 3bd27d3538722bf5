// What the kiosk asks of storage, in patient terms: free times, a short hold, a durable request.
// The App talks to this interface only; SqliteKioskStore is the single-machine implementation.
// Every call returns before the next frame (a durable SQLite write is about 2 ms) and never
// touches the network.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/referral.h"
#include "core/result.h"
#include "core/slots.h"
#include "core/time.h"
#include "store/database.h"
#include "store/sealing.h"

namespace htk::app {

struct FreeSlot {
    core::Slot slot;
    std::string trainer;  // display name
    bool speaks = false;  // the trainer speaks the language asked about
    bool operator==(const FreeSlot&) const = default;
};

class KioskStore {
public:
    virtual ~KioskStore() = default;
    // Free slots, those of trainers who speak `language` first, each group by start.
    virtual core::Result<std::vector<FreeSlot>> FreeSlots(std::string_view language, core::UnixSeconds now) = 0;
    // Holds `slot` for the session `token` until the returned time. SlotHeld / SlotTaken: gone.
    virtual core::Result<core::UnixSeconds> Hold(const core::Slot& slot, std::string_view token,
                                                 core::UnixSeconds now) = 0;
    virtual void Release(std::string_view token) = 0;
    // Seals the patient's details and stores the request; returns its reference after COMMIT.
    virtual core::Result<std::string> Submit(const core::Referral& referral, core::UnixSeconds now) = 0;
    // Books the slot `token` holds for a new referral, in one transaction; returns the reference.
    // HoldExpired / SlotTaken: another session got the slot.
    virtual core::Result<std::string> Book(std::string_view token, const core::Referral& referral,
                                           core::UnixSeconds now) = 0;
    // How long the practice keeps a closed request, in whole months: the consent screen says it.
    virtual core::Result<int> RetentionMonths() = 0;
};

class SqliteKioskStore final : public KioskStore {
public:
    // `zone`: the practice's; `key`: the practice's public key (the kiosk can seal, never open);
    // `actor`: "kiosk:<id>" in the audit log.
    SqliteKioskStore(store::Database& db, const core::TimeZone& zone, const store::PublicKey& key, std::string actor);

    core::Result<std::vector<FreeSlot>> FreeSlots(std::string_view language, core::UnixSeconds now) override;
    core::Result<core::UnixSeconds> Hold(const core::Slot& slot, std::string_view token, core::UnixSeconds now) override;
    void Release(std::string_view token) override;
    core::Result<std::string> Submit(const core::Referral& referral, core::UnixSeconds now) override;
    core::Result<std::string> Book(std::string_view token, const core::Referral& referral, core::UnixSeconds now) override;
    core::Result<int> RetentionMonths() override;

private:
    store::Database& m_db;
    const core::TimeZone& m_zone;
    store::PublicKey m_key;
    std::string m_actor;
};

}  // namespace htk::app
