// RAII over one SQLite connection (SQLiteCpp's shape): Database, Statement, Transaction.
// Every public function returns core::Result and never throws; no SQLite type leaks past this header.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace htk::store {

inline constexpr int kBusyTimeoutMs = 5000;  // a second kiosk or the desk may hold the write lock briefly

struct OpenOptions {
    bool create = true;  // false: a missing file is Errc::NotFound instead of a new database
};

class Database {
public:
    Database() = default;  // not open; only useful as a moved-to value
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    // Opens (or creates) the file, checks it is ours and not newer than this build, sets WAL,
    // synchronous=FULL, foreign keys and the busy timeout, and applies pending migrations in one
    // transaction. A file that is not SQLite, is newer, or is read-only is left exactly as it was.
    static core::Result<Database> Open(const std::filesystem::path& path, OpenOptions options = {});

    core::Result<void> Exec(std::string_view sql);  // one or more statements, no results
    bool IsOpen() const { return m_db != nullptr; }
    bool InTransaction() const;
    const std::string& Path() const { return m_path; }
    int SchemaVersion() const { return m_schema_version; }
    std::int64_t LastInsertId() const;
    int Changes() const;  // rows changed by the last statement
    sqlite3* Handle() const { return m_db; }

private:
    explicit Database(sqlite3* db, std::string path) : m_db(db), m_path(std::move(path)) {}
    sqlite3* m_db = nullptr;
    std::string m_path;
    int m_schema_version = 0;
};

// Shorthand used by the apps: `auto db = htk::store::Open(cfg.database);`
core::Result<Database> Open(const std::filesystem::path& path, OpenOptions options = {});

// A prepared statement. Bind errors are kept and reported by the next Step/Run, so binding chains.
class Statement {
public:
    static core::Result<Statement> Prepare(Database& db, std::string_view sql);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Parameters are 1-based, as in SQLite.
    Statement& Bind(int index, std::int64_t value);
    Statement& Bind(int index, int value) { return Bind(index, static_cast<std::int64_t>(value)); }
    Statement& Bind(int index, bool value) { return Bind(index, static_cast<std::int64_t>(value ? 1 : 0)); }
    Statement& Bind(int index, std::string_view text);
    Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
    Statement& Bind(int index, const std::string& text) { return Bind(index, std::string_view(text)); }
    Statement& Bind(int index, std::span<const std::uint8_t> blob);
    Statement& BindNull(int index);

    core::Result<bool> Step();  // true: a row is ready; false: done
    core::Result<void> Run();   // steps to the end, for statements without rows
    void Reset();               // ready to bind and step again; bindings are cleared

    // Columns are 0-based, as in SQLite.
    bool IsNull(int column) const;
    std::int64_t Int(int column) const;
    std::string Text(int column) const;
    std::vector<std::uint8_t> Blob(int column) const;

    int ExtendedCode() const { return m_last_code; }  // SQLite's code of the last Step, for repos
    bool IsUniqueViolation() const;

private:
    Statement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
    void NoteBind(int rc);
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    int m_bind_error = 0;
    int m_last_code = 0;
};

// Rolls back unless committed. Writes begin IMMEDIATE so the write lock is taken up front and a
// race is settled by the busy timeout, not by a failed upgrade halfway through. Begun inside
// another transaction it becomes a SAVEPOINT, so repository calls compose.
class Transaction {
public:
    enum class Kind { Immediate, Deferred };
    static core::Result<Transaction> Begin(Database& db, Kind kind = Kind::Immediate);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    core::Result<void> Commit();  // returns only after COMMIT reached the disk (synchronous=FULL)
    void Rollback();

private:
    Transaction(Database* db, std::string savepoint) : m_db(db), m_savepoint(std::move(savepoint)) {}
    Database* m_db = nullptr;
    std::string m_savepoint;  // empty: a top-level transaction
    bool m_done = false;
};

// Maps a SQLite result code to a tier-2 error naming the file; `what` says what was being done.
core::Error SqliteError(sqlite3* db, int code, std::string_view what);

}  // namespace htk::store
