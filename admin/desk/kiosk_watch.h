// The desk's Kiosks view, off the UI thread (issue 9): a thread of its own connects to the shared
// PostgreSQL database and re-reads each kiosk's last contact and backlog every 10 s; the UI takes
// the latest copy under a mutex and never waits on the network. No ImGui here, no patient data.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "admin/kiosk_contacts.h"
#include "core/result.h"

namespace htk::admin::desk {

inline constexpr std::chrono::seconds kKioskReadEvery{10};

struct KioskSnapshot {
    std::uint64_t reads = 0;              // answers so far, good or failed; 0: the first is on its way
    std::vector<KioskContact> kiosks;     // as of the last good read (kept through a failed one)
    bool read_ok = false;                 // kiosks came from a good read at least once
    std::chrono::steady_clock::time_point read_at;  // of the last good read
    std::optional<core::Error> problem;   // the latest read's failure; nullopt once one succeeds
};

class KioskWatch {
public:
    // Starts the thread; does not connect on the caller's thread. `conninfo`: a libpq string.
    explicit KioskWatch(std::string conninfo, std::chrono::milliseconds every = kKioskReadEvery);
    // Waits for a read in progress, which the connection's own timeouts bound (connect 5 s, statements 10 s).
    ~KioskWatch();
    KioskWatch(const KioskWatch&) = delete;
    KioskWatch& operator=(const KioskWatch&) = delete;

    KioskSnapshot Latest() const;  // a copy, under the mutex only: never waits on the network
    void Wake();                   // read again now ("Check now")

private:
    void Loop();
    core::Result<std::vector<KioskContact>> ReadOnce();

    const std::string m_conninfo;
    const std::chrono::milliseconds m_every;
    store::pg::Connection m_db;  // the thread's alone

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_woken = false;
    KioskSnapshot m_latest;
    std::thread m_thread;  // last: starts once everything above exists
};

// What the Kiosks view shows for one kiosk, in plain words; the view draws these and nothing else.
struct KioskLine {
    std::string practice;
    std::string kiosk;
    std::string last_contact;  // "12 s ago", "5 min ago", "never"
    int backlog = 0;           // requests waiting on the kiosk
    int refused = 0;
    bool warn = false;         // not heard from for over 2 minutes, or refused requests
    std::vector<std::string> advice;  // what to do, one sentence each; empty when all is well
};

// `since_read`: seconds since the snapshot was read, added to each age so the view keeps counting.
std::vector<KioskLine> KioskLines(const std::vector<KioskContact>& kiosks, std::int64_t since_read);
std::string Ago(std::int64_t seconds);             // "12 s ago", "5 min ago", "3 h ago", "2 days ago"
std::string ProblemText(const core::Error& error);  // "The shared database cannot be reached: <reason>"

}  // namespace htk::admin::desk
