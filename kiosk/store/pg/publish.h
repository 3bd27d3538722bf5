// The practice's plan on the shared PostgreSQL database (issue 9): its trainers and the slots their
// working plans give, read from the practice's own SQLite file (where `ht-admin plans` keeps them) and
// published in one server transaction by htk.publish_plan. Slots already booked never disappear.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/slots.h"
#include "core/time.h"
#include "core/trainer.h"
#include "store/database.h"
#include "store/pg/connection.h"

namespace htk::store::pg {

struct PlanToPublish {
    std::vector<core::Trainer> trainers;  // every trainer, the inactive ones too (their slots leave the kiosks)
    std::vector<core::Slot> slots;        // the active trainers' slots from `from` to the practice's horizon
    int min_notice_minutes = 0;           // applied by the server, at listing and at booking
    core::UnixSeconds from = 0;
};

// The whole plan from `now` on. The minimum notice is left out of the slots (the server applies it as
// time passes) and local bookings are ignored: on a shared database the server's are the ones that count.
core::Result<PlanToPublish> ReadPlan(Database& local, const core::TimeZone& zone, core::UnixSeconds now);

struct Published {
    int added = 0;        // slots new to the server
    int withdrawn = 0;    // slots that left the plan and were free: gone from every kiosk
    int kept_booked = 0;  // slots that left the plan but are booked: kept, for reception to move
};

// `practice`: nullopt for a desk's login (its own practice). Forbidden for a login that may not
// publish that practice's plan; InvalidInput (Rejected) for a practice the server does not have.
core::Result<Published> Publish(Connection& server, std::optional<std::int64_t> practice, const PlanToPublish& plan);

struct PracticePublished {
    Published published;
    std::size_t trainers = 0;
    std::size_t slots = 0;
    bool newly_shared = false;  // this publish was the file's first: it now books no time of its own
};

// What `ht-admin db publish` and the desk's Trainers tab do: reads the plan from the practice's file,
// marks the file shared first (audited as `actor`; see SettingsRepo::SharedSince), then publishes.
core::Result<PracticePublished> PublishPractice(Database& local, Connection& server, std::optional<std::int64_t> practice,
                                                const core::TimeZone& zone, core::UnixSeconds now, std::string_view actor);

}  // namespace htk::store::pg
