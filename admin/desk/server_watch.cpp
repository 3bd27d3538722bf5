// ServerWatch's thread, and the plain words the Kiosks view shows for what it read.
#include "admin/desk/server_watch.h"

#include <ctime>
#include <utility>

#include "i18n/time_zone.h"
#include "store/pg/desk_store.h"
#include "store/pg/reports.h"
#include "store/pg/schema.h"

namespace htk::admin::desk {

namespace pg = store::pg;

ServerWatch::ServerWatch(std::string conninfo, std::filesystem::path practice_file, std::chrono::milliseconds every)
    : m_conninfo(std::move(conninfo)), m_practice_file(std::move(practice_file)), m_every(every), m_thread([this] { Loop(); }) {}

ServerWatch::~ServerWatch() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

// Runs `read` on the thread's connection, opening one (and checking its schema) when there is none.
template <class Read>
auto ServerWatch::Connected(Read read) -> decltype(read(std::declval<pg::Connection&>())) {
    if (m_db.IsOpen() && !m_db.Broken()) {
        auto r = read(m_db);
        if (r || r.error().code != core::Errc::Unavailable) {
            if (!r && r.error().code != core::Errc::Busy) m_db = {};  // a fresh connection next time: it clears any odd state
            return r;
        }
        // The connection was lost: try a fresh one now, so a restarted server raises no alarm and a
        // stopped one is reported as "connection refused", not as the old session's last words.
    }
    m_db = {};
    auto opened = pg::Connection::Open(m_conninfo, "ht-admin desk");
    if (!opened) return opened.error();
    if (auto version = pg::CheckSchema(*opened); !version) return version.error();
    m_db = std::move(*opened);
    auto r = read(m_db);
    if (!r && r.error().code != core::Errc::Busy) m_db = {};
    return r;
}

ServerSnapshot ServerWatch::Latest() const {
    std::lock_guard lock(m_mutex);
    return m_latest;
}

void ServerWatch::Wake() {
    {
        std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_wake.notify_all();
}

void ServerWatch::Follow(std::int64_t id, bool slots) {
    {
        std::lock_guard lock(m_mutex);
        if (m_follow == id && m_follow_slots == slots) return;
        m_follow = id;
        m_follow_slots = slots;
        m_woken = true;
    }
    m_wake.notify_all();
}

void ServerWatch::Ask(ServerAction action) {
    {
        std::lock_guard lock(m_mutex);
        m_asked.push_back(std::move(action));
        ++m_latest.actions_pending;
    }
    m_wake.notify_all();
}

std::uint64_t ServerWatch::AskFigures(FiguresAsk ask) {
    std::uint64_t n = 0;
    {
        std::lock_guard lock(m_mutex);
        m_figures_ask = std::move(ask);
        n = ++m_figures_asked;
    }
    m_wake.notify_all();
    return n;
}

void ServerWatch::ShowWeek(std::optional<WeekAsk> week) {
    {
        std::lock_guard lock(m_mutex);
        if (m_week == week) return;
        m_week = week;
        if (!week) {
            m_latest.week.reset();
            return;
        }
        m_woken = true;
    }
    m_wake.notify_all();
}

std::uint64_t ServerWatch::AskPublish(std::string zone, std::string actor) {
    std::uint64_t n = 0;
    {
        std::lock_guard lock(m_mutex);
        m_publish_ask.emplace(std::move(zone), std::move(actor));
        n = ++m_publish_asked;
    }
    m_wake.notify_all();
    return n;
}

std::vector<ActionOutcome> ServerWatch::TakeOutcomes() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_answered, {});
}

// One change, through reception's store interface: the server decides, the practice file audits.
core::Result<store::Database*> ServerWatch::File() {
    if (m_practice_file.empty()) return core::Fail(core::Errc::BadConfig, "this watcher has no practice file to audit changes in");
    if (!m_file) {
        auto opened = store::Open(m_practice_file);
        if (!opened) return opened.error();
        m_file = std::move(*opened);
    }
    return &*m_file;
}

core::Result<void> ServerWatch::Make(const ServerAction& a, std::string& offered_next) {
    if (auto file = File(); !file) return file.error();
    const auto now = static_cast<core::UnixSeconds>(std::time(nullptr));
    return Connected([&](pg::Connection& db) -> core::Result<void> {
        pg::ServerDeskStore desk(db, *m_file);
        if (const auto* move = std::get_if<MoveRequest>(&a.what)) return desk.Move(a.id, move->from, move->to, a.actor, now, a.uid);
        if (const auto* move = std::get_if<MoveBooking>(&a.what)) return desk.MoveBooking(move->booking, move->from, move->to, a.actor, now, a.uid);
        if (const auto* note = std::get_if<AddNote>(&a.what)) {
            auto key = store::PracticePublicKey(*m_file);
            if (!key) return key.error();
            auto added = desk.AddNote(a.id, note->text, *key, a.actor, now, a.uid);
            if (!added) return added.error();
            return {};
        }
        if (std::holds_alternative<OfferAccepted>(a.what)) return desk.AcceptOffer(a.id, a.actor, now);
        if (std::holds_alternative<OfferDeclined>(a.what)) {
            auto next = desk.DeclineOffer(a.id, a.actor, now);
            if (!next) return next.error();
            if (*next) offered_next = (*next)->reference;
            return {};
        }
        auto booked = desk.Book(a.id, std::get<BookSlot>(a.what).slot.slot, a.actor, now);  // Already: made before, a lost answer
        if (!booked) return booked.error();
        return {};
    });
}

void ServerWatch::Loop() {
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        auto asked = std::exchange(m_asked, {});
        const std::int64_t follow = m_follow;
        const bool follow_slots = m_follow_slots;
        const auto figures_ask = std::exchange(m_figures_ask, std::nullopt);
        const std::uint64_t figures_asked = m_figures_asked;
        const std::optional<WeekAsk> week = m_week;
        const auto publish_ask = std::exchange(m_publish_ask, std::nullopt);
        const std::uint64_t publish_asked = m_publish_asked;
        lock.unlock();  // the network is waited on with the mutex free, so Latest() never blocks

        std::vector<ActionOutcome> answered;
        for (ServerAction& a : asked) {
            std::string offered_next;
            auto made = Make(a, offered_next);
            if (auto* note = std::get_if<AddNote>(&a.what)) core::Wipe(note->text);  // sealed and sent, or refused: not kept
            answered.push_back({std::move(a), std::move(made), std::move(offered_next)});
        }
        std::optional<FiguresAnswer> figured;
        if (figures_ask) {
            const auto zone = i18n::MakeTimeZone(figures_ask->zone);
            auto read = zone ? Connected([&](pg::Connection& db) { return pg::FiguresByPractice(db, figures_ask->from, figures_ask->to, *zone); })
                             : core::Fail(core::Errc::BadConfig, "unknown time zone '" + figures_ask->zone + "'");
            if (!read) {
                figured = FiguresAnswer{figures_asked, read.error(), {}};
            } else {
                std::vector<std::string> practices;
                for (const auto& p : *read)
                    if (!p.practice.empty()) practices.push_back(p.practice);
                figured = FiguresAnswer{figures_asked, std::move(read->back().figures), std::move(practices)};  // the sum, last
            }
        }
        std::optional<PublishAnswer> published;
        if (publish_ask) {
            const auto zone = i18n::MakeTimeZone(publish_ask->first);
            auto file = File();
            const auto now = static_cast<core::UnixSeconds>(std::time(nullptr));
            published = PublishAnswer{publish_asked, !zone  ? core::Fail(core::Errc::BadConfig, "unknown time zone '" + publish_ask->first + "'")
                                                     : !file ? core::Result<pg::PracticePublished>(file.error())
                                                             : Connected([&](pg::Connection& db) {
                                                                   return pg::PublishPractice(**file, db, std::nullopt, *zone, now, publish_ask->second);
                                                               })};
        }
        auto kiosks = Connected([](pg::Connection& db) { return ListKiosks(db); });
        core::Result<ServerRequests> requests = core::Fail(core::Errc::Unavailable, "not read");
        core::Result<std::vector<pg::StatusEvent>> history = std::vector<pg::StatusEvent>{};
        core::Result<std::vector<pg::ServerNote>> notes = std::vector<pg::ServerNote>{};
        core::Result<std::optional<std::vector<pg::ServerSlot>>> slots = std::optional<std::vector<pg::ServerSlot>>{};
        core::Result<std::vector<pg::ServerOffer>> offers = std::vector<pg::ServerOffer>{};
        const auto now = static_cast<core::UnixSeconds>(std::time(nullptr));
        if (kiosks) {
            pg::ServerRequestFilter newest;
            newest.limit = kServerRequestsShown;
            requests = Connected([&](pg::Connection& db) { return pg::ListRequests(db, newest); });
            if (requests) offers = Connected([&](pg::Connection& db) { return pg::DeskOffers(db, now); });
            if (requests && follow) history = Connected([&](pg::Connection& db) { return pg::StatusHistory(db, follow); });
            if (requests && history && follow) notes = Connected([&](pg::Connection& db) { return pg::ListNotes(db, follow); });
            if (requests && history && follow && follow_slots) {
                auto free = Connected([&](pg::Connection& db) { return pg::DeskFreeSlots(db, follow, now, kServerSlotsShown); });
                if (free) slots = std::optional(std::move(*free));
                else slots = free.error();
            }
        }
        std::optional<WeekAnswer> week_read;
        if (week && kiosks)
            week_read = WeekAnswer{*week, Connected([&](pg::Connection& db) { return pg::DeskWeek(db, week->from, week->to, now); })};
        const auto at = std::chrono::steady_clock::now();

        lock.lock();
        ++m_latest.reads;
        m_latest.actions_pending -= static_cast<int>(asked.size());
        for (auto& a : answered) m_answered.push_back(std::move(a));
        if (figured) m_latest.figures = std::move(*figured);
        if (published) m_latest.published = std::move(*published);
        if (week_read && m_week == week) m_latest.week = std::move(*week_read);  // not one the desk has moved on from
        if (kiosks && requests && offers && history && notes && slots) {
            m_latest.kiosks = std::move(*kiosks);
            m_latest.requests = std::make_shared<const ServerRequests>(std::move(*requests));
            m_latest.history_of = follow;
            m_latest.history = std::move(*history);
            m_latest.notes = std::move(*notes);
            m_latest.free_slots = std::move(*slots);
            m_latest.offers = std::move(*offers);
            m_latest.read_ok = true;
            m_latest.read_at = at;
            m_latest.problem.reset();
        } else {
            m_latest.problem = !kiosks     ? kiosks.error()
                               : !requests ? requests.error()
                               : !offers   ? offers.error()
                               : !history  ? history.error()
                               : !notes    ? notes.error()
                                           : slots.error();
        }
        if (!m_asked.empty() || m_figures_ask || m_publish_ask || m_follow != follow || m_follow_slots != follow_slots || m_week != week) continue;  // asked for meanwhile: at once
        m_wake.wait_for(lock, m_every, [this] { return m_stop || m_woken || !m_asked.empty() || m_figures_ask || m_publish_ask; });
        m_woken = false;
    }
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
