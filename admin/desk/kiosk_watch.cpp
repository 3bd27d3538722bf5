// KioskWatch's thread, and the plain words the Kiosks view shows for what it read.
#include "admin/desk/kiosk_watch.h"

#include <utility>

#include "store/pg/schema.h"

namespace htk::admin::desk {

namespace pg = store::pg;

KioskWatch::KioskWatch(std::string conninfo, std::chrono::milliseconds every)
    : m_conninfo(std::move(conninfo)), m_every(every), m_thread([this] { Loop(); }) {}

KioskWatch::~KioskWatch() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

KioskSnapshot KioskWatch::Latest() const {
    std::lock_guard lock(m_mutex);
    return m_latest;
}

void KioskWatch::Wake() {
    {
        std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_wake.notify_all();
}

void KioskWatch::Loop() {
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        lock.unlock();  // the network is waited on with the mutex free, so Latest() never blocks
        auto read = ReadOnce();
        const auto at = std::chrono::steady_clock::now();
        lock.lock();
        ++m_latest.reads;
        if (read) {
            m_latest.kiosks = std::move(*read);
            m_latest.read_ok = true;
            m_latest.read_at = at;
            m_latest.problem.reset();
        } else {
            m_latest.problem = read.error();
        }
        m_wake.wait_for(lock, m_every, [this] { return m_stop || m_woken; });
        m_woken = false;
    }
}

core::Result<std::vector<KioskContact>> KioskWatch::ReadOnce() {
    if (m_db.IsOpen() && !m_db.Broken()) {
        auto kiosks = ListKiosks(m_db);
        if (kiosks || kiosks.error().code != core::Errc::Unavailable) {
            if (!kiosks) m_db = {};  // a fresh connection next time: cheap every 10 s, and it clears any odd state
            return kiosks;
        }
        // The connection was lost: try a fresh one now, so a restarted server raises no alarm and a
        // stopped one is reported as "connection refused", not as the old session's last words.
    }
    m_db = {};
    auto opened = pg::Connection::Open(m_conninfo, "ht-admin desk");
    if (!opened) return opened.error();
    if (auto version = pg::CheckSchema(*opened); !version) return version.error();
    m_db = std::move(*opened);
    auto kiosks = ListKiosks(m_db);
    if (!kiosks) m_db = {};
    return kiosks;
}

namespace {

std::string Span(std::int64_t seconds) {  // "12 s", "5 min", "3 h", "2 days": the largest whole unit
    if (seconds < 0) seconds = 0;
    if (seconds < 60) return std::to_string(seconds) + " s";
    if (seconds < 3600) return std::to_string(seconds / 60) + " min";
    if (seconds < 48 * 3600) return std::to_string(seconds / 3600) + " h";
    return std::to_string(seconds / 86400) + " days";
}

std::string Requests(int n) { return std::to_string(n) + (n == 1 ? " request" : " requests"); }

// libpq's and the schema check's wording after our own prefix, without repeating it.
std::string After(std::string_view detail, std::string_view prefix) {
    if (detail.starts_with(prefix)) detail.remove_prefix(prefix.size());
    return std::string(detail);
}

}  // namespace

std::string Ago(std::int64_t seconds) { return Span(seconds) + " ago"; }

std::vector<KioskLine> KioskLines(const std::vector<KioskContact>& kiosks, std::int64_t since_read) {
    std::vector<KioskLine> lines;
    lines.reserve(kiosks.size());
    for (const KioskContact& k : kiosks) {
        const std::int64_t age = k.age_seconds + since_read;
        KioskLine line;
        line.practice = k.practice;
        line.kiosk = k.kiosk;
        line.last_contact = k.Never() ? "never" : Ago(age);
        line.backlog = k.backlog;
        line.refused = k.rejected;
        if (k.Never())
            line.advice.push_back("Never heard from: check it is on and connected, and set up for this database");
        else if (age > kSilentAfterSeconds)
            line.advice.push_back("Not heard from for " + Span(age) + ": check it is on and connected");
        if (k.rejected > 0)
            line.advice.push_back("The shared database refused " + Requests(k.rejected) +
                                  ": they are kept on the kiosk; ask IT support to read the kiosk's log");
        line.warn = !line.advice.empty();
        lines.push_back(std::move(line));
    }
    return lines;
}

std::string ProblemText(const core::Error& error) {
    switch (error.code) {
        case core::Errc::Unavailable:
            return "The shared database cannot be reached: " + After(error.detail, "the database cannot be reached: ");
        case core::Errc::Forbidden:
            return "The shared database refused this desk's login: " + After(error.detail, "the database refused these credentials: ");
        case core::Errc::SchemaTooOld:
        case core::Errc::SchemaTooNew: return "The shared database does not match this release: " + error.detail;
        case core::Errc::BadConfig: return "The desk's --server setting does not work: " + error.detail;
        default: return "Reading the shared database failed: " + error.detail;
    }
}

}  // namespace htk::admin::desk
