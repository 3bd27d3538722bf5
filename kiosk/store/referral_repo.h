// Referrals (requests for a health trainer). What identifies the patient is sealed on the way in
// and comes back only through Reveal, which needs an unlocked key and writes "sealed.reveal".
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/referral.h"
#include "core/result.h"
#include "store/database.h"
#include "store/sealing.h"

namespace htk::store {

// Fills the span with random bytes; the default is libsodium's randombytes_buf. Tests pass their own
// to force reference collisions.
using RandomSource = std::function<void(std::span<std::uint8_t>)>;

struct ReferralStatusChange {
    core::ReferralStatus to = core::ReferralStatus::New;
    core::UnixSeconds at = 0;
    std::string actor;
};

struct ReferralFilter {
    std::optional<core::ReferralStatus> status;
    std::optional<core::UnixSeconds> from;  // created_at, inclusive
    std::optional<core::UnixSeconds> to;    // created_at, exclusive
    int limit = 1000;                       // newest first
    std::optional<core::Route> route;
    std::optional<core::Reason> reason;     // one of the request's reasons
    std::string language;                   // primary-language match when not empty ("pa" finds "pa-Guru")
    std::optional<bool> interpreter;
    std::optional<bool> waiting_list;
};

inline constexpr std::size_t kMaxNoteLength = 2000;  // characters (code points) of one staff note

// A member of staff's note on a request. The text may name the patient: sealed at rest, and
// filled in only by Notes(id, key, now).
struct ReferralNote {
    std::int64_t id = 0;
    core::ReferralId referral = 0;
    core::UnixSeconds at = 0;
    std::string actor;  // "staff:<name>"
    std::string text;   // empty unless revealed
};

// Whether `text` may be a staff note: InvalidInput when empty, over kMaxNoteLength characters, not
// UTF-8 or holding control characters other than tab and newline. Both backends ask this first.
core::Result<void> CheckNote(std::string_view text);

// A request's columns as either backend stores them (the shared PostgreSQL database has the same ones):
// parsed in one place, so a value this release does not know is refused the same way on both.
struct ReferralColumns {
    core::ReferralId id = 0;
    std::string reference, route, reasons, language;
    bool interpreter = false;
    std::string contact, best_times, consent_version;
    core::UnixSeconds created_at = 0;
    std::string status;
    bool waiting_list = false;
};
core::Result<core::Referral> ReferralFromColumns(const ReferralColumns& c);  // NotADatabase: an unknown value

class ReferralRepo {
public:
    explicit ReferralRepo(Database& db, RandomSource random = {});

    // Seals r.patient, gives the referral a unique reference and returns after COMMIT: the reference
    // may be shown to the patient as soon as this returns. The result's patient is empty.
    core::Result<core::Referral> Create(const core::Referral& r, const PublicKey& key, std::string_view actor,
                                        core::UnixSeconds now);
    core::Result<core::Referral> Get(core::ReferralId id) const;             // patient empty; NotFound
    core::Result<core::Referral> GetByReference(std::string_view typed) const;  // any case, with or without '-'
    core::Result<std::vector<core::Referral>> List(const ReferralFilter& filter = {}) const;
    core::Result<std::vector<ReferralStatusChange>> History(core::ReferralId id) const;  // oldest first

    // InvalidInput when core::CanChange refuses; history and an audit entry ("referral.status") commit with it.
    core::Result<core::Referral> ChangeStatus(core::ReferralId id, core::ReferralStatus to, std::string_view actor,
                                              core::UnixSeconds now);

    // Opens the sealed details, after writing "sealed.reveal" by "staff:<key.Staff()>" to the audit log.
    core::Result<core::PatientDetails> Reveal(core::ReferralId id, const UnlockedKey& key, core::UnixSeconds now);
    core::Result<SealedBlob> Sealed(core::ReferralId id) const;  // the stored blob as it is

    // A staff note, sealed to `key` ("referral.note" audited with the note's id, never its text).
    // InvalidInput when empty, over kMaxNoteLength characters, not UTF-8 or holding control characters
    // other than tab and newline; NotFound for no such referral. Returns the note's id.
    core::Result<std::int64_t> AddNote(core::ReferralId id, std::string_view text, const PublicKey& key,
                                       std::string_view actor, core::UnixSeconds now);
    // The notes, oldest first, opened; "sealed.reveal" (detail "notes") is written first when there are any.
    core::Result<std::vector<ReferralNote>> Notes(core::ReferralId id, const UnlockedKey& key, core::UnixSeconds now);
    core::Result<std::vector<ReferralNote>> Notes(core::ReferralId id) const;  // who and when only; text empty

private:
    Database& m_db;
    RandomSource m_random;
};

}  // namespace htk::store
