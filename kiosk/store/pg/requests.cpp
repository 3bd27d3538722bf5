// Reception's requests on the shared database: see requests.h.
#include "store/pg/requests.h"

#include "store/forward_repo.h"
#include "store/referral_repo.h"

namespace htk::store::pg {

using core::Errc;
using core::Fail;
using core::Result;

Result<std::vector<ServerRequest>> ListRequests(Connection& server, const ServerRequestFilter& filter) {
    auto rows = server.Query(
        "SELECT r.id, p.name, r.origin, r.reference, r.route, r.reasons, r.language, r.interpreter, r.contact, r.best_times, "
        "r.consent_version, r.created_at, r.status, r.waiting_list, r.sealed, b.trainer_id, b.start_at, b.end_at, t.display_name, "
        "b.id, b.status "
        "FROM htk.referrals r JOIN htk.practices p ON p.id = r.practice_id "
        // One row per request: its newest booking that holds a slot (an attended one, then a new one, is one request).
        "LEFT JOIN LATERAL (SELECT * FROM htk.bookings x WHERE x.referral_id = r.id "
        "AND x.status NOT IN ('cancelled_by_patient', 'cancelled_by_practice') ORDER BY x.start_at DESC LIMIT 1) b ON true "
        "LEFT JOIN htk.trainers t ON t.practice_id = b.practice_id AND t.id = b.trainer_id "
        "WHERE ($1::text IS NULL OR r.status = $1) AND ($2::text IS NULL OR r.reference = $2) "
        "ORDER BY r.created_at DESC, r.id DESC LIMIT $3",
        {filter.status ? Text(core::Key(*filter.status)) : Param{}, filter.reference ? Text(*filter.reference) : Param{},
         Int(filter.limit)});
    if (!rows) return rows.error();
    std::vector<ServerRequest> out;
    for (int i = 0; i < rows->Count(); ++i) {
        auto referral = ReferralFromColumns({.id = rows->Int(i, 0), .reference = rows->Text(i, 3), .route = rows->Text(i, 4),
                                             .reasons = rows->Text(i, 5), .language = rows->Text(i, 6),
                                             .interpreter = rows->Bool(i, 7), .contact = rows->Text(i, 8),
                                             .best_times = rows->Text(i, 9), .consent_version = rows->Text(i, 10),
                                             .created_at = rows->Int(i, 11), .status = rows->Text(i, 12),
                                             .waiting_list = rows->Bool(i, 13)});
        if (!referral) return referral.error();
        ServerRequest r{rows->Int(i, 0), rows->Text(i, 1), rows->Text(i, 2), std::move(*referral), rows->Bytea(i, 14), {}, {}, 0, {}};
        if (!rows->IsNull(i, 15)) {
            const auto status = core::ParseBookingStatus(rows->Text(i, 20));
            if (!status) return Fail(Errc::Internal, "the server holds a booking in an unknown status");
            r.booking = core::Slot{rows->Int(i, 15), rows->Int(i, 16), rows->Int(i, 17)};
            r.trainer = rows->Text(i, 18);
            r.booking_id = rows->Int(i, 19);
            r.booking_status = *status;
        }
        out.push_back(std::move(r));
    }
    return out;
}

namespace {

// UPDATE `table` SET status = `to` WHERE id = `id` AND status = `from`: the desk's optimistic move.
Result<void> MoveStatus(Connection& server, std::string_view table, std::int64_t id, std::string_view from, std::string_view to) {
    const std::string t(table);
    auto changed = server.Query("UPDATE " + t + " SET status = $1 WHERE id = $2 AND status = $3", {Text(to), Int(id), Text(from)});
    if (!changed) {
        core::Error e = changed.error();
        // 23514 from htk.refuse_closing_booked (schema v4): the rule SQLite's ReferralRepo keeps too.
        if (e.detail.find("[23514]") != std::string::npos) {
            const std::size_t said = e.detail.find("]: ");  // "querying [23514]: <the trigger's words>"
            return Fail(Errc::InvalidInput, said == std::string::npos ? e.detail : e.detail.substr(said + 3));
        }
        return e;
    }
    if (changed->Changed() == 1) return {};
    auto current = server.Query("SELECT status FROM " + t + " WHERE id = $1", {Int(id)});
    if (!current) return current.error();
    if (current->Count() == 1) return Fail(Errc::Busy, "another desk changed it first: it is " + current->Text(0, 0) + " now");
    return Fail(Errc::NotFound, "not found for this login");
}

// MoveStatus as one move with its own id, `action` (a new one when empty), in one transaction: the
// trigger that writes the history line in `events` (schema v5) keeps the id, so the move asked again
// after an attempt committed and its answer was lost is found there, made once, rather than Busy.
// `now`, the desk's clock, is what the waiting list's triggers (schema v7) offer and withdraw by.
Result<void> MoveOnce(Connection& server, std::string_view table, std::string_view events, std::string_view key, std::int64_t id,
                      std::string_view from, std::string_view to, std::string_view action, std::optional<core::UnixSeconds> now) {
    const std::string uid = action.empty() ? NewUuid() : std::string(action);
    if (auto r = server.Exec("BEGIN"); !r) return r;
    auto moved = [&]() -> Result<void> {
        if (auto r = server.Query("SELECT set_config('htk.action', $1, true), set_config('htk.now', $2, true)",
                                  {Text(uid), Text(now ? std::to_string(*now) : std::string())});
            !r)
            return r.error();
        auto made = MoveStatus(server, table, id, from, to);
        if (made || made.error().code != Errc::Busy) return made;
        auto before = server.Query("SELECT 1 FROM " + std::string(events) + " WHERE action = $1::uuid AND " + std::string(key) +
                                       " = $2 AND from_status = $3 AND to_status = $4",
                                   {Text(uid), Int(id), Text(from), Text(to)});
        if (!before) return before.error();
        if (before->Count() == 1) return {};
        return made;
    }();
    if (!moved) {
        if (server.InTransaction()) (void)server.Exec("ROLLBACK");
        return moved;
    }
    return server.Exec("COMMIT");
}

}  // namespace

Result<void> SetRequestStatus(Connection& server, std::int64_t id, core::ReferralStatus from, core::ReferralStatus to,
                              std::string_view action, std::optional<core::UnixSeconds> now) {
    if (!core::CanChange(from, to))
        return Fail(Errc::InvalidInput, std::string(core::Key(from)) + " -> " + std::string(core::Key(to)) + " is not allowed");
    return MoveOnce(server, "htk.referrals", "htk.referral_events", "referral_id", id, core::Key(from), core::Key(to), action, now);
}

Result<void> SetBookingStatus(Connection& server, std::int64_t id, core::BookingStatus from, core::BookingStatus to,
                              std::string_view action, std::optional<core::UnixSeconds> now) {
    if (!core::CanChange(from, to))
        return Fail(Errc::InvalidInput, std::string(core::Key(from)) + " -> " + std::string(core::Key(to)) + " is not allowed");
    return MoveOnce(server, "htk.bookings", "htk.booking_events", "booking_id", id, core::Key(from), core::Key(to), action, now);
}

std::string AuditSubject(std::string_view origin, std::string_view reference) {
    return "server:" + std::string(origin) + "/" + std::string(reference);
}
std::string AuditSubject(const ServerRequest& request) { return AuditSubject(request.origin, request.referral.reference); }

Result<std::vector<StatusEvent>> StatusHistory(Connection& server, std::int64_t id) {
    auto rows = server.Query("SELECT extract(epoch FROM at)::bigint, by_login, from_status, to_status FROM htk.referral_events "
                             "WHERE referral_id = $1 ORDER BY id",
                             {Int(id)});
    if (!rows) return rows.error();
    std::vector<StatusEvent> out;
    for (int i = 0; i < rows->Count(); ++i) {
        const auto from = core::ParseReferralStatus(rows->Text(i, 2));
        const auto to = core::ParseReferralStatus(rows->Text(i, 3));
        if (!from || !to) return Fail(Errc::Internal, "the server's history holds an unknown status");
        out.push_back({rows->Int(i, 0), rows->Text(i, 1), *from, *to});
    }
    return out;
}

Result<std::vector<ServerNote>> ListNotes(Connection& server, std::int64_t id) {
    auto rows = server.Query("SELECT id, at, actor, sealed FROM htk.referral_notes WHERE referral_id = $1 ORDER BY id", {Int(id)});
    if (!rows) return rows.error();
    std::vector<ServerNote> out;
    out.reserve(static_cast<std::size_t>(rows->Count()));
    for (int i = 0; i < rows->Count(); ++i) out.push_back({rows->Int(i, 0), rows->Int(i, 1), rows->Text(i, 2), rows->Bytea(i, 3)});
    return out;
}

Result<std::int64_t> AddNote(Connection& server, std::int64_t id, std::string_view uid, std::string_view actor, core::UnixSeconds at,
                             std::span<const std::uint8_t> sealed) {
    auto rows = server.Query("SELECT htk.desk_add_note($1, $2, $3, $4, $5)", {Int(id), Text(uid), Text(actor), Int(at), Bytea(sealed)});
    if (!rows) return rows.error();
    if (rows->Count() != 1 || rows->IsNull(0, 0)) return Fail(Errc::NotFound, "no such request in this practice");
    return rows->Int(0, 0);
}

}  // namespace htk::store::pg
