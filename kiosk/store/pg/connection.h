// RAII over one libpq connection to the shared PostgreSQL database (issue 9). Parameters travel
// separately from the SQL (PQexecParams, text format), results are read by row and column, and every
// failure is a core::Error whose code says what staff can do about it; no libpq type leaks past here.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

struct pg_conn;
struct pg_result;

namespace htk::store::pg {

// One query parameter in PostgreSQL's text format; nullopt is SQL NULL.
using Param = std::optional<std::string>;
Param Text(std::string_view value);
Param Int(std::int64_t value);
Param Bool(bool value);
Param Bytea(std::span<const std::uint8_t> bytes);  // "\x..." hex, which bytea reads in text format

// The rows of one statement's result.
class Rows {
public:
    int Count() const;
    bool IsNull(int row, int column) const;
    std::string Text(int row, int column) const;
    std::int64_t Int(int row, int column) const;  // 0 when NULL or not a number
    bool Bool(int row, int column) const;         // 't'
    std::vector<std::uint8_t> Bytea(int row, int column) const;
    int Changed() const;  // rows an INSERT/UPDATE/DELETE touched

private:
    friend class Connection;
    explicit Rows(pg_result* result);
    std::shared_ptr<pg_result> m_result;
};

class Connection {
public:
    Connection() = default;
    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // `conninfo`: a libpq connection string or URI ("service=htk", "postgresql://host/db?sslmode=verify-full").
    // Unless it says otherwise: connect_timeout 5 s, statement_timeout 10 s and TCP keepalives, so a
    // vanished server or network is noticed in seconds, never waited on for minutes.
    // Unavailable: not reachable; Forbidden: credentials refused; BadConfig: a bad string or no such database.
    static core::Result<Connection> Open(std::string_view conninfo, std::string_view application = "ht-kiosk");

    core::Result<void> Exec(std::string_view sql);  // one or more statements, no parameters, no rows
    core::Result<Rows> Query(std::string_view sql, std::initializer_list<Param> params = {});
    core::Result<Rows> Query(std::string_view sql, std::span<const Param> params);

    bool IsOpen() const { return m_conn != nullptr; }
    bool Broken() const;  // the connection was lost: open a new one
    bool InTransaction() const;
    std::string ServerVersion() const;  // "15.20"

private:
    explicit Connection(pg_conn* conn) : m_conn(conn) {}
    core::Error ErrorOf(pg_result* result, std::string_view what) const;
    pg_conn* m_conn = nullptr;
};

// Whether libpq can parse `conninfo` (keywords and URI form); BadConfig naming the problem. Connects to nothing.
core::Result<void> CheckConnInfo(std::string_view conninfo);

// Maps a SQLSTATE to the store's error codes: 08xxx/57P0x Unavailable, 28xxx/42501 Forbidden,
// 22xxx/23xxx Rejected, 40001/40P01/55P03 Busy, 3D000 BadConfig, anything else Internal.
core::Errc ErrcOfSqlState(std::string_view sqlstate);

}  // namespace htk::store::pg
