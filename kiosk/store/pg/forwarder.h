// The forwarding worker of a kiosk that shares a PostgreSQL database (issue 9). On its own thread, with
// its own SQLite and PostgreSQL connections, it sends the local outbox (store/forward_repo.h) to the
// server through htk.kiosk_forward, keyed by each request's global id so a retry never makes a second
// copy, and removes a local copy only after the server's COMMIT. It reports the kiosk's backlog on every
// contact (htk.kiosk_contact), so the desk sees when a kiosk was last heard from. The UI never waits on it.
#pragma once
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/result.h"
#include "core/time.h"
#include "store/forward_repo.h"
#include "store/pg/booking.h"
#include "store/pg/connection.h"

namespace htk::store::pg {

struct ForwarderOptions {
    std::filesystem::path database;  // the kiosk's SQLite file
    std::string conninfo;            // libpq connection string of the shared database
    std::string actor = "forwarder";  // in the local audit log: "kiosk:<id>"
    // A desk's requests taken there: sent through htk.desk_forward under the desk's login, with no kiosk
    // heartbeat (the desk shows its own backlog).
    bool desk = false;
    int batch = 200;                 // requests per server transaction
    double first_backoff_s = 1.0;    // after a failure; doubled each time, with jitter, up to max_backoff_s
    double max_backoff_s = 60.0;
    double heartbeat_s = 30.0;       // contact the server at least this often when idle
    std::function<core::UnixSeconds()> wall;           // default: the system clock
    std::function<void(const std::string&)> log;       // default: stderr, "ht-kiosk: ..." (a desk's: "ht-admin: ...")
    std::shared_ptr<SlotCache> slots;                  // set: refreshed with the server's free slots each round
    std::function<double()> steady;                    // the cache's clock; default: steady_clock seconds
};

struct ForwarderStatus {
    bool connected = false;
    std::optional<core::UnixSeconds> last_contact;  // the server's last confirmation
    Backlog backlog;
    long forwarded = 0;   // confirmed since start
    std::string problem;  // the current failure for staff ("" when none)
};

class Forwarder {
public:
    explicit Forwarder(ForwarderOptions options);
    ~Forwarder();  // Stop()
    Forwarder(const Forwarder&) = delete;
    Forwarder& operator=(const Forwarder&) = delete;

    void Start();  // the thread; idempotent
    void Stop();   // ends the thread after the current round trip (bounded by the connection's timeouts)
    void Wake();   // something was queued: forward it now rather than at the next heartbeat
    // The server is known to be back (a desk's watcher read it): try now, even during a backoff. Kiosks
    // never call it, so that kiosks which lost the server together do not all come back at once.
    void RetryNow();

    // One round, on the caller's thread (tests, benchmarks, the thread's loop): connects if need be,
    // checks the schema, forwards up to `batch` due requests and reports the backlog. The number
    // confirmed; an error leaves everything queued for the next round.
    core::Result<int> RunOnce();
    ForwarderStatus Status() const;

private:
    void Loop();
    core::Result<void> Connect();
    core::Result<int> Forward(Database& local, std::vector<Outgoing>& due);
    void Report(const core::Error* error, int forwarded);
    void Log(const std::string& line) const;

    ForwarderOptions m_options;
    std::optional<Database> m_local;
    Connection m_server;
    double m_backoff_s = 0;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_woken = false;
    bool m_retry = false;
    ForwarderStatus m_status;
    std::string m_last_logged;  // a failure is logged once when it starts and once when it ends
    std::thread m_thread;
};

}  // namespace htk::store::pg
