// SqliteKioskStore: the kiosk's requests over the store's repositories, on the kiosk's own connection.
#include "app/kiosk_store.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "core/trainer.h"
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
    if (m_forwarding && !m_forwarding->steady)
        m_forwarding->steady = [] { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); };
    // Not the store's 5 s: that would freeze the screen (and the watchdog's pings) while a desk holds the lock.
    if (auto r = m_db.Exec("PRAGMA busy_timeout = " + std::to_string(kKioskBusyTimeoutMs)); !r)
        std::fprintf(stderr, "ht-kiosk: setting the busy timeout: %s\n", std::string(core::ErrcName(r.error().code)).c_str());
}

core::Result<std::vector<FreeSlot>> SqliteKioskStore::FreeSlots(std::string_view language, core::UnixSeconds now) {
    if (m_forwarding) return ServerFreeSlots(language);
    // A practice whose times are booked on its shared database, with this kiosk not pointed at it: a call back.
    auto shared = store::SettingsRepo(m_db).SharedSince();
    if (!shared) return shared.error();
    if (*shared) return core::Fail(core::Errc::Unavailable, "this practice books its times on its shared database");
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
    if (m_forwarding) {  // held on this kiosk only: the server settles a race at booking (SlotTaken)
        const core::UnixSeconds until = now + store::kDefaultHoldSeconds;
        m_holds.insert_or_assign(std::string(token), LocalHold{slot, until});
        return until;
    }
    auto held = store::SlotRepo(m_db).HoldSlot(slot, token, now);
    if (!held) return held.error();
    return held->expires_at;
}

void SqliteKioskStore::Release(std::string_view token) {
    if (m_forwarding) {
        if (auto it = m_holds.find(token); it != m_holds.end()) m_holds.erase(it);
        return;
    }
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
    if (m_forwarding) return BookOnServer(token, referral, now);
    auto booked = store::BookingRepo(m_db).BookHeldSlot(token, referral, m_key, m_actor, now);
    if (!booked) return booked.error();
    return booked->referral.reference;
}

core::Result<std::vector<FreeSlot>> SqliteKioskStore::ServerFreeSlots(std::string_view language) {
    std::vector<FreeSlot> out;
    if (!m_forwarding->slots || m_forwarding->server.empty()) return out;
    const auto slots = m_forwarding->slots->Get(m_forwarding->steady(), kServerSlotsMaxAge);
    if (m_forwarding->queued) m_forwarding->queued();  // a fresher list for the next patient
    if (!slots) return core::Fail(core::Errc::Unavailable, "no answer from the shared database for a while");  // a call back instead
    for (const store::pg::ServerSlot& s : *slots) {
        core::Trainer trainer;
        trainer.languages = s.languages;
        out.push_back({s.slot, s.trainer, trainer.Speaks(language)});
    }
    std::stable_sort(out.begin(), out.end(), [](const FreeSlot& a, const FreeSlot& b) {
        if (a.speaks != b.speaks) return a.speaks;
        return a.slot.start < b.slot.start;
    });
    return out;
}

core::Result<std::string> SqliteKioskStore::BookOnServer(std::string_view token, const core::Referral& referral,
                                                         core::UnixSeconds now) {
    if (m_booking) {
        if (m_booking->outcome.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
            return core::Fail(core::Errc::Busy, "booking on the shared database");
        auto outcome = m_booking->outcome.get();
        ServerBooking done = std::move(*m_booking);
        m_booking.reset();
        if (done.token == token) {
            if (!outcome) return outcome.error();
            if (*outcome == store::pg::BookOutcome::Taken)
                return done.lapsed ? core::Fail(core::Errc::HoldExpired, "the hold lapsed and the slot went to someone else")
                                   : core::Fail(core::Errc::SlotTaken, "booked on the server meanwhile");
            if (auto it = m_holds.find(token); it != m_holds.end()) m_holds.erase(it);
            return done.reference;
        }
        // The App gave up waiting on an earlier session; its request, if booked, is on the server for reception.
        std::fprintf(stderr, "ht-kiosk: an earlier booking answered after its session ended (%s)\n",
                     outcome ? "stored on the server" : std::string(core::ErrcName(outcome.error().code)).c_str());
    }
    // As on one SQLite file (store::BookingRepo): a lapsed hold still books a slot nobody else took.
    const auto hold = m_holds.find(token);
    if (hold == m_holds.end()) return core::Fail(core::Errc::HoldExpired, "no hold");
    const bool lapsed = hold->second.expires_at <= now;
    auto out = store::MakeOutgoing(referral, m_key, now);  // sealed here: no patient detail leaves this thread
    if (!out) return out.error();
    std::string reference = out->reference;
    m_booking = ServerBooking{std::string(token), reference, lapsed,
                              std::async(std::launch::async, [server = m_forwarding->server, slot = hold->second.slot,
                                                              request = std::move(*out)]() -> core::Result<store::pg::BookOutcome> {
                                  auto db = store::pg::Connection::Open(server, "ht-kiosk");
                                  if (!db) return db.error();
                                  return store::pg::KioskBook(*db, slot, request);
                              })};
    return core::Fail(core::Errc::Busy, "booking on the shared database");
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
