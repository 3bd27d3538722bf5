// What the kiosk asks of storage, in patient terms: free times, a short hold, a durable request.
// The App talks to this interface only; SqliteKioskStore is the single-machine implementation.
// Every call returns before the next frame (a durable SQLite write is about 2 ms; another process's
// write lock is waited for kKioskBusyTimeoutMs at most, then Errc::Busy) and never touches the network.
#pragma once
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/referral.h"
#include "core/result.h"
#include "core/slots.h"
#include "core/time.h"
#include "store/database.h"
#include "store/pg/booking.h"
#include "store/sealing.h"

namespace htk::app {

// The kiosk's connection waits this long for another process's write lock, on the UI thread: long
// enough for any normal write by the desk or a second kiosk, short enough that a frame never stalls
// visibly; a request that still meets the lock is retried by the App across frames.
inline constexpr int kKioskBusyTimeoutMs = 200;

struct FreeSlot {
    core::Slot slot;
    std::string trainer;  // display name
    bool speaks = false;  // the trainer speaks the language asked about
    bool operator==(const FreeSlot&) const = default;
};

class KioskStore {
public:
    virtual ~KioskStore() = default;
    // Free slots, those of trainers who speak `language` first, each group by start. Unavailable:
    // booking itself is down (a shared database out of reach), which the App tells the patient.
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

// A kiosk that shares a PostgreSQL database (config [server] database) still writes every request to
// its own SQLite file first; `queued` is then called after each COMMIT so the forwarding worker
// (store/pg/forwarder.h) sends it at once. Slots and bookings are the server's: the kiosk offers the
// free slots the worker last read (Unavailable when they are older than kServerSlotsMaxAge: the server
// is away, and the patient is told booking is unavailable and offered a call back), and books on the
// server in its own transaction, on a background thread: Book answers Busy until the server has (the
// App retries across frames).
inline constexpr double kServerSlotsMaxAge = 90.0;  // three of the worker's 30 s rounds

struct Forwarding {
    std::function<void()> queued;
    std::string server;                            // libpq connection string; empty: no slots offered
    std::shared_ptr<store::pg::SlotCache> slots;   // filled by the worker
    std::function<double()> steady;                // the cache's clock (monotonic seconds)
};

class SqliteKioskStore final : public KioskStore {
public:
    // `zone`: the practice's; `key`: the practice's public key (the kiosk can seal, never open);
    // `actor`: "kiosk:<id>" in the audit log. Sets `db`'s busy timeout to kKioskBusyTimeoutMs.
    SqliteKioskStore(store::Database& db, const core::TimeZone& zone, const store::PublicKey& key, std::string actor,
                     std::optional<Forwarding> forwarding = std::nullopt);

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
    std::optional<Forwarding> m_forwarding;

    // Forwarding: the slot each session chose, until when, and the booking on its way to the server.
    struct LocalHold {
        core::Slot slot;
        core::UnixSeconds expires_at = 0;
    };
    struct ServerBooking {
        std::string token;
        std::string reference;
        bool lapsed = false;  // the hold had lapsed: a slot gone meanwhile is HoldExpired, not SlotTaken
        std::future<core::Result<store::pg::BookOutcome>> outcome;
    };
    core::Result<std::vector<FreeSlot>> ServerFreeSlots(std::string_view language);
    core::Result<std::string> BookOnServer(std::string_view token, const core::Referral& referral, core::UnixSeconds now);
    std::map<std::string, LocalHold, std::less<>> m_holds;
    std::optional<ServerBooking> m_booking;
};

// The kiosk when its database could not be opened for writing at start (the data partition remounted
// read-only after an error, a file left without write permission): rather than exit and leave a blank
// screen while systemd restarts it, the kiosk serves, each request ends on "Please see reception"
// (Errc::ReadOnly), and the database is opened again, at most every kReopenSeconds, until it can be
// written; from then on every call goes to a SqliteKioskStore on it.
class ReopeningKioskStore final : public KioskStore {
public:
    static constexpr double kReopenSeconds = 5.0;
    // As SqliteKioskStore; `clock`: monotonic seconds (tests inject theirs); `why`: store::Open's error
    // at start (already logged: the same error again is not).
    ReopeningKioskStore(std::filesystem::path database, const core::TimeZone& zone, const store::PublicKey& key,
                        std::string actor, std::function<double()> clock, core::Error why,
                        std::optional<Forwarding> forwarding = std::nullopt);
    ~ReopeningKioskStore() override;

    core::Result<std::vector<FreeSlot>> FreeSlots(std::string_view language, core::UnixSeconds now) override;
    core::Result<core::UnixSeconds> Hold(const core::Slot& slot, std::string_view token, core::UnixSeconds now) override;
    void Release(std::string_view token) override;
    core::Result<std::string> Submit(const core::Referral& referral, core::UnixSeconds now) override;
    core::Result<std::string> Book(std::string_view token, const core::Referral& referral, core::UnixSeconds now) override;
    core::Result<int> RetentionMonths() override;

private:
    core::Result<KioskStore*> Open();  // the store once the database opens for writing; else why not

    std::filesystem::path m_path;
    const core::TimeZone& m_zone;
    store::PublicKey m_key;
    std::string m_actor;
    std::function<double()> m_clock;
    std::optional<store::Database> m_db;
    std::optional<SqliteKioskStore> m_store;
    std::optional<double> m_tried_at;
    core::Error m_why;
    std::optional<Forwarding> m_forwarding;  // the last open's error, returned until the next try
};

}  // namespace htk::app
