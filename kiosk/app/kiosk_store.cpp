// SqliteKioskStore: the kiosk's requests over the store's repositories, on the kiosk's own connection.
#include "app/kiosk_store.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "store/booking_repo.h"
#include "store/forward_repo.h"
#include "store/referral_repo.h"
#include "store/settings_repo.h"
#include "store/slot_repo.h"
#include "store/trainer_repo.h"

namespace htk::app {

SqliteKioskStore::SqliteKioskStore(store::Database& db, const core::TimeZone& zone, const store::PublicKey& key,
                                   std::string actor, std::optional<Forwarding> forwarding)
    : m_db(db), m_zone(zone), m_key(key), m_actor(std::move(actor)), m_forwarding(std::move(forwarding)) {
    // Not the store's 5 s: that would freeze the screen (and the watchdog's pings) while a desk holds the lock.
    if (auto r = m_db.Exec("PRAGMA busy_timeout = " + std::to_string(kKioskBusyTimeoutMs)); !r)
        std::fprintf(stderr, "ht-kiosk: setting the busy timeout: %s\n", std::string(core::ErrcName(r.error().code)).c_str());
}

core::Result<std::vector<FreeSlot>> SqliteKioskStore::FreeSlots(std::string_view language, core::UnixSeconds now) {
    // Local slots are not the practice's when the slots live on the server: none, so a call back is offered.
    if (m_forwarding) return std::vector<FreeSlot>{};
    auto trainers = store::TrainerRepo(m_db).List(false);
    if (!trainers) return trainers.error();
    auto slots = store::SlotRepo(m_db).FreeSlots(m_zone, now);
    if (!slots) return slots.error();
    std::map<core::TrainerId, const core::Trainer*> by_id;
    for (const core::Trainer& t : *trainers) by_id[t.id] = &t;
    std::vector<FreeSlot> out;
    out.reserve(slots->size());
    for (const core::Slot& s : *slots) {
        const auto it = by_id.find(s.trainer);
        if (it == by_id.end()) continue;
        out.push_back({s, it->second->display_name, it->second->Speaks(language)});
    }
    // Trainers who speak the patient's language first; each group by time (stable: FreeSlots sorts).
    std::stable_sort(out.begin(), out.end(), [](const FreeSlot& a, const FreeSlot& b) {
        if (a.speaks != b.speaks) return a.speaks;
        return a.slot.start < b.slot.start;
    });
    return out;
}

core::Result<core::UnixSeconds> SqliteKioskStore::Hold(const core::Slot& slot, std::string_view token,
                                                       core::UnixSeconds now) {
    auto held = store::SlotRepo(m_db).HoldSlot(slot, token, now);
    if (!held) return held.error();
    return held->expires_at;
}

void SqliteKioskStore::Release(std::string_view token) {
    // A hold left behind lapses by itself within minutes; nothing to tell the patient.
    if (auto r = store::SlotRepo(m_db).ReleaseHold(token); !r)
        std::fprintf(stderr, "ht-kiosk: releasing a hold: %s\n", std::string(core::ErrcName(r.error().code)).c_str());
}

core::Result<std::string> SqliteKioskStore::Submit(const core::Referral& referral, core::UnixSeconds now) {
    if (!m_forwarding) {
        auto stored = store::ReferralRepo(m_db).Create(referral, m_key, m_actor, now);
        if (!stored) return stored.error();
        return stored->reference;
    }
    // The request and its queue row commit together: durable here before the reference shows.
    auto tx = store::Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto stored = store::ReferralRepo(m_db).Create(referral, m_key, m_actor, now);
    if (!stored) return stored.error();
    if (auto queued = store::ForwardRepo(m_db).Enqueue(stored->id, now); !queued) return queued.error();
    if (auto committed = tx->Commit(); !committed) return committed.error();
    if (m_forwarding->queued) m_forwarding->queued();
    return stored->reference;
}

core::Result<std::string> SqliteKioskStore::Book(std::string_view token, const core::Referral& referral,
                                                 core::UnixSeconds now) {
    if (m_forwarding) return core::Fail(core::Errc::Unavailable, "booking is not available on a kiosk that forwards");
    auto booked = store::BookingRepo(m_db).BookHeldSlot(token, referral, m_key, m_actor, now);
    if (!booked) return booked.error();
    return booked->referral.reference;
}

core::Result<int> SqliteKioskStore::RetentionMonths() {
    auto settings = store::SettingsRepo(m_db).Get();
    if (!settings) return settings.error();
    // 365 days is "12 months"; never "0 months" for a practice that keeps requests a few days.
    return std::max(1, static_cast<int>(std::lround(settings->retention_days / 30.4375)));
}


ReopeningKioskStore::ReopeningKioskStore(std::filesystem::path database, const core::TimeZone& zone,
                                         const store::PublicKey& key, std::string actor, std::function<double()> clock, core::Error why,
                                         std::optional<Forwarding> forwarding)
    : m_path(std::move(database)), m_zone(zone), m_key(key), m_actor(std::move(actor)), m_clock(std::move(clock)),
      m_why(std::move(why)), m_forwarding(std::move(forwarding)) {}

ReopeningKioskStore::~ReopeningKioskStore() = default;

core::Result<KioskStore*> ReopeningKioskStore::Open() {
    if (m_store) return &*m_store;
    const double now = m_clock();
    if (m_tried_at && now - *m_tried_at < kReopenSeconds) return m_why;  // a frame never waits on repeated opens
    m_tried_at = now;
    auto db = store::Open(m_path, {.create = false});
    if (!db) {
        if (db.error().code != m_why.code || db.error().detail != m_why.detail)  // one line per change, not per try
            std::fprintf(stderr, "ht-kiosk: the database still cannot be written: %s\n", db.error().detail.c_str());
        m_why = db.error();
        return m_why;
    }
    std::fprintf(stderr, "ht-kiosk: the database can be written again; requests are stored from now on\n");
    m_db.emplace(std::move(db.value()));
    m_store.emplace(*m_db, m_zone, m_key, m_actor, m_forwarding);
    return &*m_store;
}

core::Result<std::vector<FreeSlot>> ReopeningKioskStore::FreeSlots(std::string_view language, core::UnixSeconds now) {
    auto store = Open();
    if (!store) return store.error();
    return (*store)->FreeSlots(language, now);
}

core::Result<core::UnixSeconds> ReopeningKioskStore::Hold(const core::Slot& slot, std::string_view token,
                                                          core::UnixSeconds now) {
    auto store = Open();
    if (!store) return store.error();
    return (*store)->Hold(slot, token, now);
}

void ReopeningKioskStore::Release(std::string_view token) {
    if (m_store) m_store->Release(token);  // nothing can be held before the database opened
}

core::Result<std::string> ReopeningKioskStore::Submit(const core::Referral& referral, core::UnixSeconds now) {
    auto store = Open();
    if (!store) return store.error();
    return (*store)->Submit(referral, now);
}

core::Result<std::string> ReopeningKioskStore::Book(std::string_view token, const core::Referral& referral,
                                                    core::UnixSeconds now) {
    auto store = Open();
    if (!store) return store.error();
    return (*store)->Book(token, referral, now);
}

core::Result<int> ReopeningKioskStore::RetentionMonths() {
    auto store = Open();
    if (!store) return store.error();
    return (*store)->RetentionMonths();
}

}  // namespace htk::app
