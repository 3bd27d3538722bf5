// libpq behind core::Result. Parameters are always sent apart from the SQL text (no quoting by hand).
#include "store/pg/connection.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <utility>

namespace htk::store::pg {

using core::Errc;
using core::Fail;
using core::Result;

Param Text(std::string_view value) { return std::string(value); }
Param Int(std::int64_t value) { return std::to_string(value); }
Param Bool(bool value) { return std::string(value ? "t" : "f"); }

Param Bytea(std::span<const std::uint8_t> bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\\x";
    out.reserve(2 + bytes.size() * 2);
    for (std::uint8_t b : bytes) {
        out += kHex[b >> 4];
        out += kHex[b & 0xF];
    }
    return out;
}

Rows::Rows(pg_result* result) : m_result(result, &PQclear) {}
int Rows::Count() const { return PQntuples(m_result.get()); }
bool Rows::IsNull(int row, int column) const { return PQgetisnull(m_result.get(), row, column) != 0; }
std::string Rows::Text(int row, int column) const {
    return std::string(PQgetvalue(m_result.get(), row, column),
                       static_cast<std::size_t>(PQgetlength(m_result.get(), row, column)));
}
std::int64_t Rows::Int(int row, int column) const {
    return IsNull(row, column) ? 0 : std::strtoll(PQgetvalue(m_result.get(), row, column), nullptr, 10);
}
bool Rows::Bool(int row, int column) const { return !IsNull(row, column) && PQgetvalue(m_result.get(), row, column)[0] == 't'; }
std::vector<std::uint8_t> Rows::Bytea(int row, int column) const {
    if (IsNull(row, column)) return {};
    std::size_t length = 0;
    unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(m_result.get(), row, column)), &length);
    if (!raw) return {};
    std::vector<std::uint8_t> out(raw, raw + length);
    PQfreemem(raw);
    return out;
}
int Rows::Changed() const { return std::atoi(PQcmdTuples(m_result.get())); }

Errc ErrcOfSqlState(std::string_view s) {
    if (s.size() != 5) return Errc::Unavailable;  // no SQLSTATE: libpq lost the connection itself
    const std::string_view cls = s.substr(0, 2);
    if (cls == "08" || s == "57P01" || s == "57P02" || s == "57P03") return Errc::Unavailable;
    if (cls == "28" || s == "42501") return Errc::Forbidden;
    if (cls == "22" || cls == "23") return Errc::Rejected;
    if (s == "40001" || s == "40P01" || s == "55P03" || s == "57014") return Errc::Busy;
    if (s == "3D000") return Errc::BadConfig;
    return Errc::Internal;
}

Connection::Connection(Connection&& other) noexcept : m_conn(std::exchange(other.m_conn, nullptr)) {}
Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        if (m_conn) PQfinish(m_conn);
        m_conn = std::exchange(other.m_conn, nullptr);
    }
    return *this;
}
Connection::~Connection() {
    if (m_conn) PQfinish(m_conn);
}

namespace {

// libpq's messages end in a newline and may span lines; one line reads better in a log.
std::string OneLine(const char* message) {
    std::string out = message ? message : "";
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    for (char& c : out)
        if (c == '\n' || c == '\t') c = ' ';
    return out;
}

}  // namespace

Result<void> CheckConnInfo(std::string_view conninfo) {
    if (conninfo.empty()) return Fail(Errc::BadConfig, "empty connection string");
    char* parse_error = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(std::string(conninfo).c_str(), &parse_error);
    if (!parsed) {
        std::string why = parse_error ? OneLine(parse_error) : "out of memory";
        PQfreemem(parse_error);
        return Fail(Errc::BadConfig, "not a libpq connection string: " + why);
    }
    PQconninfoFree(parsed);
    return {};
}

Result<Connection> Connection::Open(std::string_view conninfo, std::string_view application) {
    if (auto valid = CheckConnInfo(conninfo); !valid) return valid.error();
    // Defaults first, the caller's string after: with expand_dbname, later keywords win.
    const std::string app(application);
    const char* keys[] = {"connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count",
                          "options", "application_name", "dbname", nullptr};
    const std::string info(conninfo);
    const char* values[] = {"5", "10", "5", "3", "-c statement_timeout=10000", app.c_str(), info.c_str(), nullptr};
    pg_conn* conn = PQconnectdbParams(keys, values, 1);
    if (!conn) return Fail(Errc::Internal, "libpq could not allocate a connection");
    if (PQstatus(conn) != CONNECTION_OK) {
        const std::string why = OneLine(PQerrorMessage(conn));
        PQfinish(conn);
        // libpq gives no SQLSTATE before the session starts; its wording is stable across 15.x.
        if (why.find("authentication failed") != std::string::npos || why.find("pg_hba.conf") != std::string::npos ||
            why.find("no password supplied") != std::string::npos)
            return Fail(Errc::Forbidden, "the database refused these credentials: " + why);
        if (why.find("does not exist") != std::string::npos)
            return Fail(Errc::BadConfig, "no such database: " + why);
        return Fail(Errc::Unavailable, "the database cannot be reached: " + why);
    }
    return Connection(conn);
}

core::Error Connection::ErrorOf(pg_result* result, std::string_view what) const {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string sqlstate = state ? state : "";
    // The primary message only: a constraint's DETAIL quotes the whole failing row.
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const std::string message = OneLine(primary ? primary : PQerrorMessage(m_conn));
    const Errc code = Broken() ? Errc::Unavailable : ErrcOfSqlState(sqlstate);
    return Fail(code, std::string(what) + (sqlstate.empty() ? "" : " [" + sqlstate + "]") + ": " + message);
}

Result<void> Connection::Exec(std::string_view sql) {
    if (!m_conn) return Fail(Errc::Unavailable, "not connected");
    pg_result* result = PQexec(m_conn, std::string(sql).c_str());
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        PQclear(result);
        return {};
    }
    core::Error error = ErrorOf(result, "running SQL");
    if (result) PQclear(result);
    return error;
}

Result<Rows> Connection::Query(std::string_view sql, std::initializer_list<Param> params) {
    return Query(sql, std::span<const Param>(params.begin(), params.size()));
}

Result<Rows> Connection::Query(std::string_view sql, std::span<const Param> params) {
    if (!m_conn) return Fail(Errc::Unavailable, "not connected");
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
    pg_result* result = PQexecParams(m_conn, std::string(sql).c_str(), static_cast<int>(values.size()), nullptr,
                                     values.data(), nullptr, nullptr, 0);
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Rows(result);
    core::Error error = ErrorOf(result, "querying");
    if (result) PQclear(result);
    return error;
}

bool Connection::Broken() const { return !m_conn || PQstatus(m_conn) != CONNECTION_OK; }

bool Connection::InTransaction() const {
    return m_conn && PQtransactionStatus(m_conn) != PQTRANS_IDLE && PQtransactionStatus(m_conn) != PQTRANS_UNKNOWN;
}

std::string Connection::ServerVersion() const {
    if (!m_conn) return {};
    const int v = PQserverVersion(m_conn);
    return std::to_string(v / 10000) + "." + std::to_string(v % 10000);
}

}  // namespace htk::store::pg
