// Publishing the plan: see publish.h.
#include "store/pg/publish.h"

#include <string>

#include "store/audit_repo.h"
#include "store/plan_repo.h"
#include "store/settings_repo.h"
#include "store/trainer_repo.h"

namespace htk::store::pg {

using core::Result;

namespace {

// A PostgreSQL array literal in text format: every element quoted, so commas, braces and any script pass as written.
template <typename T, typename F>
std::string ArrayOf(const std::vector<T>& items, F&& text) {
    std::string out = "{";
    for (const T& item : items) {
        if (out.size() > 1) out += ',';
        out += '"';
        for (char c : std::string(text(item))) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::string JoinedTags(const std::vector<std::string>& tags) {
    std::string out;
    for (const std::string& tag : tags) out += (out.empty() ? "" : ",") + tag;
    return out;
}

}  // namespace

Result<PlanToPublish> ReadPlan(Database& local, const core::TimeZone& zone, core::UnixSeconds now) {
    auto tx = Transaction::Begin(local, Transaction::Kind::Deferred);  // one snapshot of trainers and plans
    if (!tx) return tx.error();
    auto rules = SettingsRepo(local).Rules();
    if (!rules) return rules.error();
    auto blocked = PlanRepo(local).BlockedDays();
    if (!blocked) return blocked.error();
    auto trainers = TrainerRepo(local).List(true);
    if (!trainers) return trainers.error();
    PlanToPublish out;
    out.min_notice_minutes = rules->min_notice_minutes;
    out.from = now;
    core::SlotRules all = *rules;
    all.min_notice_minutes = 0;
    for (const core::Trainer& t : *trainers) {
        if (!t.active) continue;
        auto plan = PlanRepo(local).Load(t.id);
        if (!plan) return plan.error();
        auto slots = core::GenerateSlots(*plan, *blocked, all, zone, now);
        out.slots.insert(out.slots.end(), slots.begin(), slots.end());
    }
    out.trainers = std::move(*trainers);
    return out;
}

Result<Published> Publish(Connection& server, std::optional<std::int64_t> practice, const PlanToPublish& plan) {
    const auto number = [](auto v) { return std::to_string(v); };
    const std::vector<Param> params = {
        practice ? Int(*practice) : Param{},
        Int(plan.min_notice_minutes),
        Int(plan.from),
        Text(ArrayOf(plan.trainers, [&](const core::Trainer& t) { return number(t.id); })),
        Text(ArrayOf(plan.trainers, [](const core::Trainer& t) { return t.display_name; })),
        Text(ArrayOf(plan.trainers, [](const core::Trainer& t) { return JoinedTags(t.languages); })),
        Text(ArrayOf(plan.trainers, [](const core::Trainer& t) { return std::string(t.active ? "t" : "f"); })),
        Text(ArrayOf(plan.slots, [&](const core::Slot& s) { return number(s.trainer); })),
        Text(ArrayOf(plan.slots, [&](const core::Slot& s) { return number(s.start); })),
        Text(ArrayOf(plan.slots, [&](const core::Slot& s) { return number(s.end); })),
    };
    auto rows = server.Query("SELECT added, withdrawn, kept_booked FROM htk.publish_plan($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", params);
    if (!rows) return rows.error();
    return Published{static_cast<int>(rows->Int(0, 0)), static_cast<int>(rows->Int(0, 1)), static_cast<int>(rows->Int(0, 2))};
}

Result<PracticePublished> PublishPractice(Database& local, Connection& server, std::optional<std::int64_t> practice,
                                          const core::TimeZone& zone, core::UnixSeconds now, std::string_view actor) {
    auto plan = ReadPlan(local, zone, now);
    if (!plan) return plan.error();
    // Before the server has the plan, this file stops booking: refusing a booking is safe, two are not.
    auto shared = SettingsRepo(local).SharedSince();
    if (!shared) return shared.error();
    if (!*shared) {
        auto tx = Transaction::Begin(local);
        if (!tx) return tx.error();
        if (auto marked = SettingsRepo(local).MarkShared(now); !marked) return marked.error();
        if (auto a = AuditRepo(local).Append({0, now, std::string(actor), "practice.shared", "practice", "times booked on the shared database"}); !a)
            return a.error();
        if (auto committed = tx->Commit(); !committed) return committed.error();
    }
    auto published = Publish(server, practice, *plan);
    if (!published) return published.error();
    return PracticePublished{*published, plan->trainers.size(), plan->slots.size(), !*shared};
}

}  // namespace htk::store::pg
