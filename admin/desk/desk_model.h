// The desk app's list of requests, in memory: every request with its newest booking, filtered,
// searched and sorted without touching the database, and refreshed from the audit log when a
// kiosk or another desk changes something. No ImGui here; names are wiped when the desk locks.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/booking.h"
#include "core/referral.h"
#include "core/result.h"
#include "core/time.h"
#include "i18n/name_keys.h"
#include "store/database.h"
#include "store/sealing.h"

namespace htk::admin::desk {

using Clock = std::function<core::UnixSeconds()>;

enum class Period { Today, Week, All };  // Today and Week: created, or booked for, in that local span
enum class Column { Reference, Created, Name, Status, Route, Reasons, Language, Booking };

struct Row {
    core::ReferralId id = 0;
    std::string reference;
    std::string reference_key;  // letters and digits only, upper case: what a search compares
    core::UnixSeconds created_at = 0;
    core::ReferralStatus status = core::ReferralStatus::New;
    core::Route route = core::Route::SelfReferral;
    std::uint32_t reasons = 0;  // bit (1 << Reason)
    std::string language;
    bool interpreter = false;
    bool waiting_list = false;
    core::ContactMethod contact = core::ContactMethod::Phone;
    core::BookingId booking = 0;  // the newest booking, 0: none
    core::TrainerId trainer = 0;
    core::UnixSeconds booking_start = 0;
    core::BookingStatus booking_status = core::BookingStatus::Requested;
    // Filled once the desk is unlocked and the names are opened; wiped on Lock.
    bool revealed = false;
    std::string name;
    std::string name_fold;  // i18n::NameKeys::Fold
    std::string name_sort;  // i18n::NameKeys::SortKey
};

struct Query {
    Period period = Period::All;
    std::uint32_t statuses = 0;  // bit (1 << ReferralStatus); 0: any
    std::optional<core::Route> route;
    std::optional<core::Reason> reason;
    std::string language;        // primary language ("pa" matches "pa-Guru"); empty: any
    bool interpreter_only = false;
    bool waiting_only = false;
    std::string search;          // a reference (with or without '-') or part of a name
    Column sort = Column::Created;
    bool ascending = false;
    bool operator==(const Query&) const = default;
};

struct RevealProgress {
    int done = 0;
    int total = 0;
    bool Finished() const { return done >= total; }
};

class DeskModel {
public:
    DeskModel(store::Database& db, const core::TimeZone& zone, Clock now);
    ~DeskModel();  // stops the name worker
    DeskModel(const DeskModel&) = delete;
    DeskModel& operator=(const DeskModel&) = delete;

    core::Result<void> Load();  // every request; forgets names (call Reveal again)
    // Looks at PRAGMA data_version (cheap) and, when another connection wrote, reloads only the
    // requests the new audit entries name (a purge reloads all). True when rows changed.
    core::Result<bool> Refresh();
    void Changed() { m_dirty = true; }  // this desk wrote: data_version only counts other connections

    // Opens every request's name on a worker thread with its own connection, newest first; one
    // "sealed.reveal" audit entry says how many. `key` must outlive Lock() or this model.
    core::Result<void> Reveal(const store::UnlockedKey& key);
    RevealProgress Progress() const;
    // Takes the names the worker has opened since the last call into the rows; true when any.
    bool TakeRevealed();
    void Lock();  // stops the worker and wipes every name

    // Indices into Rows(), filtered and in the query's order. Re-sorts only when the sort changes.
    const std::vector<int>& Apply(const Query& query);
    const std::vector<Row>& Rows() const { return m_rows; }
    const Row* Find(core::ReferralId id) const;
    std::vector<std::string> Languages() const;  // primary languages present, sorted
    std::uint64_t Generation() const { return m_generation; }  // bumps whenever rows change

private:
    core::Result<void> LoadRows(std::optional<core::ReferralId> only);  // all, or one (removed if gone)
    core::Result<void> RevealNow(const std::vector<core::ReferralId>& ids);
    core::Result<std::int64_t> DataVersion();
    core::Result<std::int64_t> LastAuditId();
    void Sort(Column column, bool ascending);
    void StopWorker();
    struct Worker;

    store::Database& m_db;
    const core::TimeZone& m_zone;
    std::unique_ptr<i18n::NameKeys> m_keys;  // folds the search query as the worker folds names
    Clock m_now;
    std::vector<Row> m_rows;
    std::unordered_map<core::ReferralId, int> m_by_id;
    std::vector<int> m_sorted;             // every row, in m_sorted_by order
    std::optional<std::pair<Column, bool>> m_sorted_by;
    std::vector<int> m_visible;
    std::optional<Query> m_visible_for;
    std::uint64_t m_visible_generation = 0;
    std::uint64_t m_generation = 1;
    std::int64_t m_data_version = -1;
    bool m_dirty = false;
    std::int64_t m_last_audit = 0;
    const store::UnlockedKey* m_key = nullptr;
    std::unique_ptr<Worker> m_worker;
};

}  // namespace htk::admin::desk
