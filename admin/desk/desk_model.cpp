// DeskModel: one query loads the list; the audit log says what changed since; a worker thread
// opens the sealed names with its own SQLite connection so the desk stays responsive meanwhile.
#include "admin/desk/desk_model.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "core/strings.h"
#include "core/trainer.h"
#include "store/audit_repo.h"

namespace htk::admin::desk {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

constexpr std::string_view kRowSql =
    "SELECT r.id, r.reference, r.created_at, r.status, r.route, r.reasons, r.language, r.interpreter, "
    "r.waiting_list, r.contact, b.id, b.trainer_id, b.start_at, b.status FROM referrals r "
    "LEFT JOIN bookings b ON b.id = (SELECT max(id) FROM bookings WHERE referral_id = r.id)";

constexpr int kRevealBatch = 256;  // names handed to the UI thread at a time

std::uint32_t ReasonBits(std::string_view text) {
    std::uint32_t bits = 0;
    for (const auto& key : core::SplitNonEmpty(text))
        if (auto r = core::ParseReason(key)) bits |= 1u << static_cast<int>(*r);
    return bits;
}

// "ACE-FHJK", "ace fhjk" and "acefhjk" alike.
std::string ReferenceKey(std::string_view text) {
    std::string out;
    for (char c : text)
        if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// "referral:12" -> 12; nullopt for another prefix or anything malformed.
std::optional<std::int64_t> IdAfter(std::string_view subject, std::string_view prefix) {
    if (subject.substr(0, prefix.size()) != prefix) return std::nullopt;
    subject.remove_prefix(prefix.size());
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(subject.data(), subject.data() + subject.size(), id);
    if (ec != std::errc{} || end != subject.data() + subject.size()) return std::nullopt;
    return id;
}

struct Revealed {
    core::ReferralId id = 0;
    std::string name, fold, sort;
};

void Wipe(Revealed& r) {
    core::Wipe(r.name);
    core::Wipe(r.fold);
    core::Wipe(r.sort);
}

}  // namespace

struct DeskModel::Worker {
    std::thread thread;
    std::atomic<bool> stop{false};
    std::atomic<int> done{0};
    int total = 0;
    std::mutex mutex;
    std::vector<Revealed> ready;  // guarded by mutex

    ~Worker() {
        stop = true;
        if (thread.joinable()) thread.join();
        for (auto& r : ready) Wipe(r);
    }
};

DeskModel::DeskModel(store::Database& db, const core::TimeZone& zone, Clock now)
    : m_db(db), m_zone(zone), m_keys(std::make_unique<i18n::NameKeys>()), m_now(std::move(now)) {}

DeskModel::~DeskModel() { Lock(); }

Result<std::int64_t> DeskModel::DataVersion() {
    auto stmt = store::Statement::Prepare(m_db, "PRAGMA data_version");
    if (!stmt) return stmt.error();
    auto row = stmt->Step();
    if (!row) return row.error();
    return stmt->Int(0);
}

Result<std::int64_t> DeskModel::LastAuditId() {
    auto stmt = store::Statement::Prepare(m_db, "SELECT coalesce(max(id), 0) FROM audit_log");
    if (!stmt) return stmt.error();
    auto row = stmt->Step();
    if (!row) return row.error();
    return stmt->Int(0);
}

Result<void> DeskModel::LoadRows(std::optional<core::ReferralId> only) {
    auto stmt = store::Statement::Prepare(m_db, std::string(kRowSql) + (only ? " WHERE r.id = ?" : ""));
    if (!stmt) return stmt.error();
    if (only) stmt->Bind(1, *only);
    bool found = false;
    for (;;) {
        auto more = stmt->Step();
        if (!more) return more.error();
        if (!*more) break;
        found = true;
        const auto& s = *stmt;
        Row fresh;
        fresh.id = s.Int(0);
        fresh.reference = s.Text(1);
        fresh.reference_key = ReferenceKey(fresh.reference);
        fresh.created_at = s.Int(2);
        fresh.status = core::ParseReferralStatus(s.Text(3)).value_or(core::ReferralStatus::New);
        fresh.route = core::ParseRoute(s.Text(4)).value_or(core::Route::SelfReferral);
        fresh.reasons = ReasonBits(s.Text(5));
        fresh.language = s.Text(6);
        fresh.interpreter = s.Int(7) != 0;
        fresh.waiting_list = s.Int(8) != 0;
        fresh.contact = core::ParseContactMethod(s.Text(9)).value_or(core::ContactMethod::Phone);
        if (!s.IsNull(10)) {
            fresh.booking = s.Int(10);
            fresh.trainer = s.Int(11);
            fresh.booking_start = s.Int(12);
            fresh.booking_status = core::ParseBookingStatus(s.Text(13)).value_or(core::BookingStatus::Requested);
        }
        if (auto it = m_by_id.find(fresh.id); it != m_by_id.end()) {
            Row& old = m_rows[static_cast<std::size_t>(it->second)];
            // A request's name never changes: keep what was opened.
            fresh.revealed = old.revealed;
            fresh.name = std::move(old.name);
            fresh.name_fold = std::move(old.name_fold);
            fresh.name_sort = std::move(old.name_sort);
            old = std::move(fresh);
        } else {
            m_by_id.emplace(fresh.id, static_cast<int>(m_rows.size()));
            m_rows.push_back(std::move(fresh));
            m_sorted_by.reset();
        }
    }
    if (only && !found) {
        if (auto it = m_by_id.find(*only); it != m_by_id.end()) {  // purged: take it out
            const auto index = static_cast<std::size_t>(it->second);
            Row& gone = m_rows[index];
            core::Wipe(gone.name);
            core::Wipe(gone.name_fold);
            core::Wipe(gone.name_sort);
            m_rows.erase(m_rows.begin() + static_cast<std::ptrdiff_t>(index));
            m_by_id.clear();
            for (std::size_t i = 0; i < m_rows.size(); ++i) m_by_id.emplace(m_rows[i].id, static_cast<int>(i));
            m_sorted_by.reset();
        }
    }
    ++m_generation;
    return {};
}

Result<void> DeskModel::Load() {
    Lock();
    m_rows.clear();
    m_by_id.clear();
    m_sorted_by.reset();
    auto tx = store::Transaction::Begin(m_db, store::Transaction::Kind::Deferred);  // one snapshot
    if (!tx) return tx.error();
    auto last = LastAuditId();
    if (!last) return last.error();
    if (auto r = LoadRows(std::nullopt); !r) return r;
    if (auto r = tx->Commit(); !r) return r;
    m_last_audit = *last;
    auto version = DataVersion();
    if (!version) return version.error();
    m_data_version = *version;
    m_dirty = false;
    return {};
}

Result<bool> DeskModel::Refresh() {
    auto version = DataVersion();
    if (!version) return version.error();
    if (*version == m_data_version && !m_dirty) return false;
    m_data_version = *version;
    m_dirty = false;

    std::set<core::ReferralId> referrals;
    std::vector<std::int64_t> bookings;
    bool everything = false;
    {
        auto stmt = store::Statement::Prepare(m_db, "SELECT id, action, subject FROM audit_log WHERE id > ? ORDER BY id");
        if (!stmt) return stmt.error();
        stmt->Bind(1, m_last_audit);
        for (;;) {
            auto more = stmt->Step();
            if (!more) return more.error();
            if (!*more) break;
            m_last_audit = stmt->Int(0);
            const std::string action = stmt->Text(1);
            const std::string subject = stmt->Text(2);
            if (action == "purge") everything = true;
            if (const auto id = IdAfter(subject, "referral:")) {
                referrals.insert(*id);
            } else if (const auto booking = IdAfter(subject, "booking:")) {
                bookings.push_back(*booking);
            }
        }
    }
    if (everything) {
        const store::UnlockedKey* key = m_key;
        if (auto r = Load(); !r) return r.error();
        if (key) {
            if (auto r = Reveal(*key); !r) return r.error();
        }
        return true;
    }
    if (!bookings.empty()) {
        auto stmt = store::Statement::Prepare(m_db, "SELECT referral_id FROM bookings WHERE id = ?");
        if (!stmt) return stmt.error();
        for (auto id : bookings) {
            stmt->Reset();
            stmt->Bind(1, id);
            auto row = stmt->Step();
            if (!row) return row.error();
            if (*row) referrals.insert(stmt->Int(0));
        }
    }
    if (referrals.empty()) return false;
    for (auto id : referrals)
        if (auto r = LoadRows(id); !r) return r.error();
    if (m_key) {
        std::vector<core::ReferralId> unopened;
        for (auto id : referrals)
            if (const Row* row = Find(id); row && !row->revealed) unopened.push_back(id);
        if (auto r = RevealNow(unopened); !r) return r.error();
    }
    return true;
}

Result<void> DeskModel::RevealNow(const std::vector<core::ReferralId>& ids) {
    if (ids.empty() || !m_key) return {};
    if (auto r = store::AuditRepo(m_db).Append({0, m_now(), "staff:" + m_key->Staff(), "sealed.reveal", "referrals",
                                                "names:" + std::to_string(ids.size())});
        !r)
        return r.error();
    auto stmt = store::Statement::Prepare(m_db, "SELECT sealed FROM referrals WHERE id = ?");
    if (!stmt) return stmt.error();
    for (auto id : ids) {
        stmt->Reset();
        stmt->Bind(1, id);
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) continue;
        auto details = store::Open(stmt->Blob(0), *m_key);
        if (!details) continue;  // a blob sealed to another key stays sealed; the detail view says why
        Row& r = m_rows[static_cast<std::size_t>(m_by_id.at(id))];
        r.name = details->name;
        r.name_fold = m_keys->Fold(details->name);
        r.name_sort = m_keys->SortKey(details->name);
        r.revealed = true;
        core::Wipe(*details);
    }
    m_sorted_by.reset();
    ++m_generation;
    return {};
}

Result<void> DeskModel::Reveal(const store::UnlockedKey& key) {
    StopWorker();
    m_key = &key;
    if (auto r = store::AuditRepo(m_db).Append({0, m_now(), "staff:" + key.Staff(), "sealed.reveal", "referrals",
                                                "names:" + std::to_string(m_rows.size())});
        !r)
        return r.error();
    auto worker = std::make_unique<Worker>();
    worker->total = static_cast<int>(m_rows.size());
    Worker* w = worker.get();
    const std::string path = m_db.Path();
    w->thread = std::thread([w, path, &key] {
        auto db = store::Open(path, {.create = false});
        if (!db) {
            w->done = w->total;
            return;
        }
        const i18n::NameKeys keys;
        auto stmt = store::Statement::Prepare(*db, "SELECT id, sealed FROM referrals ORDER BY id DESC");
        if (!stmt) {
            w->done = w->total;
            return;
        }
        std::vector<Revealed> batch;
        auto hand_over = [&] {
            const std::lock_guard lock(w->mutex);
            for (auto& r : batch) w->ready.push_back(std::move(r));
            batch.clear();
        };
        while (!w->stop) {
            auto more = stmt->Step();
            if (!more || !*more) break;
            auto details = store::Open(stmt->Blob(1), key);
            if (details) {
                batch.push_back({stmt->Int(0), details->name, keys.Fold(details->name), keys.SortKey(details->name)});
                core::Wipe(*details);
            }
            ++w->done;
            if (static_cast<int>(batch.size()) >= kRevealBatch) hand_over();
        }
        hand_over();
        w->done = w->total;
    });
    m_worker = std::move(worker);
    return {};
}

RevealProgress DeskModel::Progress() const {
    if (!m_worker) return {0, 0};
    return {std::min(m_worker->done.load(), m_worker->total), m_worker->total};
}

bool DeskModel::TakeRevealed() {
    if (!m_worker) return false;
    std::vector<Revealed> ready;
    {
        const std::lock_guard lock(m_worker->mutex);
        ready.swap(m_worker->ready);
    }
    if (ready.empty()) return false;
    for (auto& r : ready) {
        auto it = m_by_id.find(r.id);
        if (it == m_by_id.end()) {
            Wipe(r);
            continue;
        }
        Row& row = m_rows[static_cast<std::size_t>(it->second)];
        row.name = std::move(r.name);
        row.name_fold = std::move(r.fold);
        row.name_sort = std::move(r.sort);
        row.revealed = true;
    }
    if (m_sorted_by && m_sorted_by->first == Column::Name) m_sorted_by.reset();
    ++m_generation;
    return true;
}

void DeskModel::StopWorker() { m_worker.reset(); }

void DeskModel::Lock() {
    StopWorker();
    m_key = nullptr;
    for (auto& row : m_rows) {
        core::Wipe(row.name);
        core::Wipe(row.name_fold);
        core::Wipe(row.name_sort);
        row.revealed = false;
    }
    if (m_visible_for) core::Wipe(m_visible_for->search);  // a search may hold part of a name
    m_visible_for.reset();
    ++m_generation;
}

const Row* DeskModel::Find(core::ReferralId id) const {
    auto it = m_by_id.find(id);
    return it == m_by_id.end() ? nullptr : &m_rows[static_cast<std::size_t>(it->second)];
}

std::vector<std::string> DeskModel::Languages() const {
    std::set<std::string> seen;
    for (const auto& row : m_rows) seen.insert(std::string(core::PrimaryLanguage(row.language)));
    return {seen.begin(), seen.end()};
}

void DeskModel::Sort(Column column, bool ascending) {
    m_sorted.resize(m_rows.size());
    for (std::size_t i = 0; i < m_sorted.size(); ++i) m_sorted[i] = static_cast<int>(i);
    const auto& rows = m_rows;
    auto key_less = [&](const Row& a, const Row& b) -> int {  // <0, 0, >0
        auto cmp = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
        switch (column) {
            case Column::Reference: return cmp(a.reference, b.reference);
            case Column::Created: return cmp(a.created_at, b.created_at);
            case Column::Name:
                if (a.revealed != b.revealed) return a.revealed ? -1 : 1;  // sealed rows last either way
                return cmp(a.name_sort, b.name_sort);
            case Column::Status: return cmp(static_cast<int>(a.status), static_cast<int>(b.status));
            case Column::Route: return cmp(static_cast<int>(a.route), static_cast<int>(b.route));
            case Column::Reasons: return cmp(a.reasons, b.reasons);
            case Column::Language: return cmp(a.language, b.language);
            case Column::Booking:
                if ((a.booking == 0) != (b.booking == 0)) return a.booking ? -1 : 1;  // unbooked last
                return cmp(a.booking_start, b.booking_start);
        }
        return 0;
    };
    std::sort(m_sorted.begin(), m_sorted.end(), [&](int x, int y) {
        const Row& a = rows[static_cast<std::size_t>(x)];
        const Row& b = rows[static_cast<std::size_t>(y)];
        int c = key_less(a, b);
        if (c == 0) return a.id > b.id;  // newest first among equals, whichever the direction
        if (column == Column::Name && a.revealed != b.revealed) return c < 0;
        return ascending ? c < 0 : c > 0;
    });
    m_sorted_by = std::make_pair(column, ascending);
}

const std::vector<int>& DeskModel::Apply(const Query& query) {
    if (!m_sorted_by || *m_sorted_by != std::make_pair(query.sort, query.ascending)) {
        Sort(query.sort, query.ascending);
        m_visible_for.reset();
    }
    if (m_visible_for && *m_visible_for == query && m_visible_generation == m_generation) return m_visible;

    std::optional<std::pair<core::UnixSeconds, core::UnixSeconds>> span;
    if (query.period != Period::All) {
        const auto today = m_zone.ToLocal(m_now()).date;
        const auto first = query.period == Period::Today ? today : today.AddDays(-today.Weekday());
        const auto after = first.AddDays(query.period == Period::Today ? 1 : 7);
        span = std::make_pair(core::LocalDayStart(m_zone, first), core::LocalDayStart(m_zone, after));
    }
    const std::string wanted_ref = ReferenceKey(query.search);
    const std::string wanted_name = core::Trim(query.search).empty() ? std::string() : m_keys->Fold(core::Trim(query.search));
    const std::uint32_t reason_bit = query.reason ? 1u << static_cast<int>(*query.reason) : 0;

    m_visible.clear();
    for (int i : m_sorted) {
        const Row& r = m_rows[static_cast<std::size_t>(i)];
        if (query.statuses && !(query.statuses & (1u << static_cast<int>(r.status)))) continue;
        if (query.route && r.route != *query.route) continue;
        if (reason_bit && !(r.reasons & reason_bit)) continue;
        if (!query.language.empty() && core::PrimaryLanguage(r.language) != query.language) continue;
        if (query.interpreter_only && !r.interpreter) continue;
        if (query.waiting_only && !r.waiting_list) continue;
        if (span) {
            const bool created_in = r.created_at >= span->first && r.created_at < span->second;
            const bool booked_in = r.booking && r.booking_start >= span->first && r.booking_start < span->second;
            if (!created_in && !booked_in) continue;
        }
        if (!wanted_name.empty()) {
            const bool by_ref = !wanted_ref.empty() && r.reference_key.find(wanted_ref) != std::string::npos;
            const bool by_name = r.revealed && r.name_fold.find(wanted_name) != std::string::npos;
            if (!by_ref && !by_name) continue;
        }
        m_visible.push_back(i);
    }
    m_visible_for = query;
    m_visible_generation = m_generation;
    return m_visible;
}

}  // namespace htk::admin::desk
