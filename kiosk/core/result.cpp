// Names of error codes: stable, used in logs and the admin tool's --json output.
#include "core/result.h"

namespace htk::core {

std::string_view ErrcName(Errc code) {
    switch (code) {
        case Errc::NotFound: return "not_found";
        case Errc::InvalidInput: return "invalid_input";
        case Errc::SlotTaken: return "slot_taken";
        case Errc::SlotHeld: return "slot_held";
        case Errc::HoldExpired: return "hold_expired";
        case Errc::Busy: return "busy";
        case Errc::DiskFull: return "disk_full";
        case Errc::ReadOnly: return "read_only";
        case Errc::NotADatabase: return "not_a_database";
        case Errc::SchemaTooNew: return "schema_too_new";
        case Errc::SchemaTooOld: return "schema_too_old";
        case Errc::Unavailable: return "unavailable";
        case Errc::Rejected: return "rejected";
        case Errc::BadConfig: return "bad_config";
        case Errc::WrongPassphrase: return "wrong_passphrase";
        case Errc::TooManyAttempts: return "too_many_attempts";
        case Errc::Forbidden: return "forbidden";
        case Errc::Locked: return "locked";
        case Errc::Crypto: return "crypto";
        case Errc::Io: return "io";
        case Errc::Internal: return "internal";
    }
    return "internal";
}

}  // namespace htk::core
