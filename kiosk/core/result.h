// Tier-2 errors (STYLE.md §5): an expected failure is a value, never an exception.
// Error::code maps to a catalog key in the UI; Error::detail is for staff and logs, never a patient.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace htk::core {

enum class Errc {
    NotFound,
    InvalidInput,
    SlotTaken,        // another request got the slot first
    SlotHeld,         // someone else is holding it while they confirm
    HoldExpired,      // our own hold ran out before confirming
    Busy,             // database locked beyond the busy timeout
    DiskFull,
    ReadOnly,         // file or directory not writable
    NotADatabase,     // the file is not SQLite or is damaged
    SchemaTooNew,     // written by a newer release
    SchemaTooOld,     // the shared server's schema is older than this release: `ht-admin db init` it
    Unavailable,      // the shared server cannot be reached (network, server down)
    Rejected,         // the shared server refused the data (a constraint): kept, never retried blindly
    BadConfig,
    WrongPassphrase,
    TooManyAttempts,  // wrong passphrases in a row: wait before the next try
    Forbidden,        // the staff member's role does not allow it
    Locked,           // the secret key is not unlocked
    Crypto,
    Io,
    Internal,
};

std::string_view ErrcName(Errc code);  // stable snake_case name for logs and --json

struct Error {
    Errc code;
    std::string detail;  // for staff and logs only; never holds patient data
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::move(value)) {}  // NOLINT: implicit by design, like std::expected
    Result(Error error) : m_v(std::move(error)) {}
    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const Error& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}
    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error& error() const { return m_error; }

private:
    Error m_error{Errc::Internal, {}};
    bool m_ok = true;
};

inline Error Fail(Errc code, std::string detail = {}) { return Error{code, std::move(detail)}; }

}  // namespace htk::core
