// The forwarding worker's rounds and its thread.
#include "store/pg/forwarder.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <span>

#include "store/pg/schema.h"

namespace htk::store::pg {

using core::Errc;
using core::Fail;
using core::Result;

Forwarder::Forwarder(ForwarderOptions options) : m_options(std::move(options)) {
    if (!m_options.wall) m_options.wall = [] { return static_cast<core::UnixSeconds>(std::time(nullptr)); };
    if (!m_options.log)
        m_options.log = [program = m_options.desk ? "ht-admin" : "ht-kiosk"](const std::string& line) {
            std::fprintf(stderr, "%s: %s\n", program, line.c_str());
        };
    if (!m_options.steady)
        m_options.steady = [] { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); };
    m_options.batch = std::max(1, m_options.batch);
}

Forwarder::~Forwarder() { Stop(); }

void Forwarder::Start() {
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable()) return;
    m_stop = false;
    m_thread = std::thread([this] { Loop(); });
}

void Forwarder::Stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void Forwarder::Wake() {
    {
        std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_wake.notify_all();
}

void Forwarder::RetryNow() {
    {
        std::lock_guard lock(m_mutex);
        m_retry = true;
    }
    m_wake.notify_all();
}

ForwarderStatus Forwarder::Status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

void Forwarder::Log(const std::string& line) const { m_options.log("forwarding: " + line); }

void Forwarder::Loop() {
    std::minstd_rand jitter(std::random_device{}());
    for (;;) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stop) return;
            m_woken = false;
            m_retry = false;
        }
        auto sent = RunOnce();
        double wait_s = m_options.heartbeat_s;
        if (sent) {
            m_backoff_s = 0;
            if (*sent == m_options.batch) wait_s = 0;  // more is due: go on at once
        } else {
            m_backoff_s = m_backoff_s == 0 ? m_options.first_backoff_s : std::min(m_options.max_backoff_s, m_backoff_s * 2);
            // ±20 %, so kiosks that lost the server together do not come back in lockstep.
            wait_s = m_backoff_s * std::uniform_real_distribution<double>(0.8, 1.2)(jitter);
        }
        std::unique_lock lock(m_mutex);
        const bool backing_off = m_backoff_s > 0;  // a new request does not cut a backoff short
        m_wake.wait_for(lock, std::chrono::duration<double>(wait_s), [&] { return m_stop || m_retry || (m_woken && !backing_off); });
    }
}

Result<void> Forwarder::Connect() {
    auto server = Connection::Open(m_options.conninfo, m_options.desk ? "ht-admin desk" : "ht-kiosk");
    if (!server) return server.error();
    if (auto version = CheckSchema(*server); !version) return version.error();
    m_server = std::move(*server);
    return {};
}

Result<int> Forwarder::RunOnce() {
    auto round = [&]() -> Result<int> {
        if (!m_local) {
            auto db = store::Open(m_options.database, {.create = false});
            if (!db) return db.error();
            m_local.emplace(std::move(*db));
        }
        if (m_server.Broken())
            if (auto r = Connect(); !r) return r.error();
        // A round that failed inside a transaction (a savepoint refused, say) must not poison the next.
        if (m_server.InTransaction()) (void)m_server.Exec("ROLLBACK");
        auto due = ForwardRepo(*m_local).Due(m_options.wall(), m_options.batch);
        if (!due) return due.error();
        auto sent = Forward(*m_local, *due);
        if (!sent) return sent.error();
        auto backlog = ForwardRepo(*m_local).Count();
        if (!backlog) return backlog.error();
        if (!m_options.desk) {
            auto contact = m_server.Query("SELECT htk.kiosk_contact($1, $2, $3)",
                                          {Int(backlog->pending), Int(backlog->rejected),
                                           backlog->oldest ? Int(*backlog->oldest) : Param{}});
            if (!contact) return contact.error();
        }
        if (m_options.slots) {
            auto slots = KioskFreeSlots(m_server, m_options.wall());
            if (!slots) return slots.error();
            m_options.slots->Put(std::move(*slots), m_options.steady());
        }
        {
            std::lock_guard lock(m_mutex);
            m_status.backlog = *backlog;
        }
        return *sent;
    };
    const bool had_server = m_server.IsOpen() && !m_server.Broken();
    auto result = round();
    if (!result && m_server.IsOpen() && m_server.Broken()) {
        m_server = Connection();
        // A connection that died while idle (the server restarted between rounds) is replaced at
        // once; only a server still away waits for the backoff. Resending is safe: uids are idempotent.
        if (had_server) result = round();
        if (!result && m_server.IsOpen() && m_server.Broken()) m_server = Connection();  // reconnect next round
    }
    if (!result && m_local)  // what waits now, for the log line and staff while the server is away
        if (auto backlog = ForwardRepo(*m_local).Count(); backlog) {
            std::lock_guard lock(m_mutex);
            m_status.backlog = *backlog;
        }
    Report(result ? nullptr : &result.error(), result ? *result : 0);
    return result;
}

// Sends `due` in one server transaction. A request the server refuses (a CHECK, a clashing reference)
// must not hold back the others: on the first refusal the batch is sent again with a savepoint around
// each request, and the refused ones are set aside for staff.
Result<int> Forwarder::Forward(Database& local, std::vector<Outgoing>& due) {
    if (due.empty()) return 0;
    std::vector<core::ReferralId> sent;
    std::vector<std::pair<core::ReferralId, std::string>> refused;
    for (bool careful : {false, true}) {
        sent.clear();
        refused.clear();
        if (auto r = m_server.Exec("BEGIN"); !r) return r.error();
        bool retry_carefully = false;
        for (const Outgoing& o : due) {
            if (careful)
                if (auto r = m_server.Exec("SAVEPOINT one"); !r) return r.error();
            auto r = m_server.Query(m_options.desk ? "SELECT htk.desk_forward($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                                                   : "SELECT htk.kiosk_forward($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                                    {Text(o.uid), Text(o.reference), Text(o.route), Text(o.reasons), Text(o.language),
                                     Bool(o.interpreter), Bool(o.waiting_list), Text(o.contact), Text(o.best_times),
                                     Text(o.consent_version), Int(o.created_at), Bytea(o.sealed)});
            if (r) {
                sent.push_back(o.id);
                if (careful)
                    if (auto rr = m_server.Exec("RELEASE SAVEPOINT one"); !rr) return rr.error();
                continue;
            }
            if (r.error().code != Errc::Rejected) {
                (void)m_server.Exec("ROLLBACK");
                return r.error();
            }
            if (!careful) {
                retry_carefully = true;
                break;
            }
            if (auto rr = m_server.Exec("ROLLBACK TO SAVEPOINT one"); !rr) return rr.error();
            refused.emplace_back(o.id, r.error().detail);
        }
        if (retry_carefully) {
            (void)m_server.Exec("ROLLBACK");
            continue;
        }
        // Past this COMMIT the server holds them; if its answer is lost, the next round sends them
        // again and kiosk_forward's ON CONFLICT (uid) makes that a no-op.
        if (auto r = m_server.Exec("COMMIT"); !r) return r.error();
        break;
    }
    const core::UnixSeconds now = m_options.wall();
    // In short transactions: the kiosk's own submit waits at most 200 ms for the write lock.
    constexpr std::size_t kConfirmChunk = 20;
    for (std::size_t from = 0; from < sent.size(); from += kConfirmChunk) {
        const auto chunk = std::span<const core::ReferralId>(sent).subspan(from, std::min(kConfirmChunk, sent.size() - from));
        if (auto r = ForwardRepo(local).Confirm(chunk, m_options.actor, now); !r) return r.error();
    }
    for (const auto& [id, why] : refused) {
        Log("the server refused request " + std::to_string(id) + " (kept on this " + (m_options.desk ? "desk" : "kiosk") +
            " for staff): " + why);
        if (auto r = ForwardRepo(local).Reject(id, why, m_options.actor, now); !r) return r.error();
    }
    return static_cast<int>(sent.size());
}

void Forwarder::Report(const core::Error* error, int forwarded) {
    std::string line;
    {
        std::lock_guard lock(m_mutex);
        m_status.forwarded += forwarded;
        if (error) {
            m_status.connected = !m_server.Broken();
            m_status.problem = std::string(core::ErrcName(error->code)) + ": " + error->detail;
            if (m_status.problem != m_last_logged) {
                const int n = m_status.backlog.pending;
                line = m_status.problem + " (" + std::to_string(n) + (n == 1 ? " request waits" : " requests wait") + " on this " +
                       (m_options.desk ? "desk" : "kiosk") + "; retrying with backoff)";
                m_last_logged = m_status.problem;
            }
        } else {
            m_status.connected = true;
            m_status.last_contact = m_options.wall();
            if (!m_last_logged.empty()) line = "the server is reachable again; forwarding resumed";
            m_last_logged.clear();
            m_status.problem.clear();
        }
    }
    if (!line.empty()) Log(line);
}

}  // namespace htk::store::pg
