// The kiosk's outbox when it shares a PostgreSQL database (issue 9). A request is stored in the local
// SQLite file first, with its queue row in the same transaction, so it is durable before its reference
// shows; the forwarding worker (store/pg/forwarder.h) sends what is due and, only once the server has
// confirmed it, removes the local copy. Nothing here touches the network.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/referral.h"
#include "core/result.h"
#include "core/time.h"
#include "store/database.h"
#include "store/sealing.h"

namespace htk::store {

// One queued request as stored: the columns go to the server as they are (keys, comma lists).
struct Outgoing {
    core::ReferralId id = 0;
    std::string uid;  // 36-character UUID, version 4
    std::string reference, route, reasons, language;
    bool interpreter = false;
    bool waiting_list = false;
    std::string contact, best_times, consent_version;
    core::UnixSeconds created_at = 0;
    SealedBlob sealed;
    int attempts = 0;
};

struct Backlog {
    int pending = 0;   // waiting to be forwarded
    int rejected = 0;  // refused by the server: kept, for staff
    std::optional<core::UnixSeconds> oldest;  // created_at of the oldest pending request
};

// A new random UUID (version 4) in its text form.
std::string NewUuid();

// A new request as the server takes it, never stored here: the patient's details sealed to `key`, a
// new reference and global id. For a booking made on the server (store/pg/booking.h), whose COMMIT
// there is the request's acknowledgement. InvalidInput as ReferralRepo::Create.
core::Result<Outgoing> MakeOutgoing(const core::Referral& r, const PublicKey& key, core::UnixSeconds now);

class ForwardRepo {
public:
    explicit ForwardRepo(Database& db) : m_db(db) {}

    // Queues the stored referral `id` under a new global id, inside the caller's transaction if any.
    core::Result<std::string> Enqueue(core::ReferralId id, core::UnixSeconds now);
    // Pending requests whose next attempt is due, oldest first.
    core::Result<std::vector<Outgoing>> Due(core::UnixSeconds now, int limit) const;
    // The server holds these: removes the local copies (queue row, history and notes with them) in one
    // transaction, auditing "referral.forwarded" for each (the id only).
    core::Result<void> Confirm(std::span<const core::ReferralId> ids, std::string_view actor, core::UnixSeconds now);
    // Not sent this time: try again at `next_at`.
    core::Result<void> Postpone(std::span<const core::ReferralId> ids, core::UnixSeconds next_at);
    // The server refused `id` (`why`: its SQLSTATE and message, never patient data): kept, not retried.
    core::Result<void> Reject(core::ReferralId id, std::string_view why, std::string_view actor, core::UnixSeconds now);
    core::Result<Backlog> Count() const;
    // Whether request `id` is in the queue: nullopt when not; "" while it waits to be sent; the server's
    // reason when it was refused.
    core::Result<std::optional<std::string>> Queued(core::ReferralId id) const;

private:
    Database& m_db;
};

}  // namespace htk::store
