// Reception's requests on the shared PostgreSQL database (issue 9): the ones the practice's kiosks
// forwarded, as `ht-admin db requests` lists them. A desk's login sees its own practice's only (row-
// level security decides, not these queries); a manager's login every practice's. The details stay
// sealed here: the caller opens them with a member of staff's key and audits it on its own machine.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/booking.h"
#include "core/referral.h"
#include "core/result.h"
#include "core/slots.h"
#include "store/pg/connection.h"

namespace htk::store::pg {

struct ServerRequest {
    std::int64_t id = 0;   // the server's
    std::string practice;  // its name
    std::string origin;    // "kiosk:kiosk-1": references are drawn per kiosk, so this tells two alike apart
    core::Referral referral;
    std::vector<std::uint8_t> sealed;
    std::optional<core::Slot> booking;  // its newest booking that still holds a slot, if any
    std::string trainer;                // that booking's trainer
    std::int64_t booking_id = 0;        // the server's
    core::BookingStatus booking_status = core::BookingStatus::Requested;
};

struct ServerRequestFilter {
    std::optional<core::ReferralStatus> status;
    std::optional<std::string> reference;
    int limit = 500;
};

// "server:kiosk:kiosk-1/ABC-DEFG": how a desk's local audit log names a request on the server.
std::string AuditSubject(const ServerRequest& request);
std::string AuditSubject(std::string_view origin, std::string_view reference);

// Newest first.
core::Result<std::vector<ServerRequest>> ListRequests(Connection& server, const ServerRequestFilter& filter);

// Moves request `id` from `from` to `to` (core::CanChange decides), only if it is still at `from`:
// Busy when it changed meanwhile (another desk), NotFound when this login cannot see it, InvalidInput
// when it would close or cancel a request whose booking is still live (the server's rule, as SQLite's).
// `action`: a UUID the caller keeps for this one move across retries (empty: a new one); the move
// retried with it after a lost answer succeeds, made once, rather than Busy. `now`: the desk's clock,
// by which a request leaving the waiting list passes its offer on (none: the server's).
core::Result<void> SetRequestStatus(Connection& server, std::int64_t id, core::ReferralStatus from, core::ReferralStatus to,
                                    std::string_view action = {}, std::optional<core::UnixSeconds> now = {});
// The same for booking `id`: attended, did not attend, cancelled (which frees its slot, offered to the
// waiting list first by `now`).
core::Result<void> SetBookingStatus(Connection& server, std::int64_t id, core::BookingStatus from, core::BookingStatus to,
                                    std::string_view action = {}, std::optional<core::UnixSeconds> now = {});

// One line of a request's status history on the server (schema v4's trigger writes them).
struct StatusEvent {
    core::UnixSeconds at = 0;
    std::string by;  // the login that made the change
    core::ReferralStatus from = core::ReferralStatus::New;
    core::ReferralStatus to = core::ReferralStatus::New;
};

// Oldest first; empty when the request never changed or this login cannot see it.
core::Result<std::vector<StatusEvent>> StatusHistory(Connection& server, std::int64_t id);

// A member of staff's note on a forwarded request (schema v5), sealed to the practice's key.
struct ServerNote {
    std::int64_t id = 0;
    core::UnixSeconds at = 0;
    std::string actor;  // "staff:<name>"
    std::vector<std::uint8_t> sealed;
};

// Oldest first; empty when it has none or this login cannot see it.
core::Result<std::vector<ServerNote>> ListNotes(Connection& server, std::int64_t id);
// The note's id; NotFound when request `id` is not this desk login's practice's. `uid`: the note's own
// UUID, kept across retries: sent again after a lost answer, the note is kept once.
core::Result<std::int64_t> AddNote(Connection& server, std::int64_t id, std::string_view uid, std::string_view actor, core::UnixSeconds at,
                                   std::span<const std::uint8_t> sealed);

}  // namespace htk::store::pg
