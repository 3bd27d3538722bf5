// SQLite connection, statements and transactions. Opening never writes to a file it is about to
// refuse: every check that can fail (not SQLite, not ours, too new, read-only) runs before the first write.
#include "store/database.h"

#include <sqlite3.h>

#include <cstdio>
#include <utility>
#include <system_error>

#include "store/migrations.h"

namespace htk::store {

namespace fs = std::filesystem;
using core::Errc;
using core::Fail;
using core::Result;

namespace {

std::string FileName(sqlite3* db) {
    const char* name = db ? sqlite3_db_filename(db, "main") : nullptr;
    return name && *name ? name : ":memory:";
}

Errc MapCode(int code) {
    switch (code & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return Errc::Busy;
        case SQLITE_FULL: return Errc::DiskFull;
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_PERM:
        case SQLITE_AUTH: return Errc::ReadOnly;
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT: return Errc::NotADatabase;
        case SQLITE_IOERR: return Errc::Io;
        case SQLITE_CONSTRAINT:
        case SQLITE_MISMATCH:
        case SQLITE_RANGE:
        case SQLITE_TOOBIG: return Errc::InvalidInput;
        default: return Errc::Internal;
    }
}

bool IsMemory(const std::string& name) { return name.empty() || name == ":memory:"; }

// Removes a database we created ourselves during a failed Open, so a failure leaves nothing behind.
void RemoveCreated(const fs::path& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(fs::path(path.string() + suffix), ec);
}

Result<int> ReadPragmaInt(Database& db, const char* sql) {
    auto stmt = Statement::Prepare(db, sql);
    if (!stmt) return stmt.error();
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return Fail(Errc::Internal, std::string(sql) + " returned no row");
    return static_cast<int>(stmt->Int(0));
}

}  // namespace

core::Error SqliteError(sqlite3* db, int code, std::string_view what) {
    std::string detail = FileName(db);
    detail += ": ";
    detail += what;
    detail += ": ";
    const char* message = db ? sqlite3_errmsg(db) : nullptr;
    detail += message && (sqlite3_extended_errcode(db) == code) ? message : sqlite3_errstr(code);
    return core::Error{MapCode(code), std::move(detail)};
}

// ---- Database -----------------------------------------------------------------------------------

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)),
      m_path(std::move(other.m_path)),
      m_schema_version(other.m_schema_version) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (m_db) sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
        m_schema_version = other.m_schema_version;
    }
    return *this;
}

Database::~Database() {
    if (m_db) sqlite3_close_v2(m_db);  // _v2: closes once the last statement is finalized
}

bool Database::InTransaction() const { return m_db && sqlite3_get_autocommit(m_db) == 0; }
std::int64_t Database::LastInsertId() const { return sqlite3_last_insert_rowid(m_db); }
int Database::Changes() const { return sqlite3_changes(m_db); }

Result<void> Database::Exec(std::string_view sql) {
    if (!m_db) return Fail(Errc::Internal, "database is not open");
    const std::string text(sql);  // sqlite3_exec wants a terminated string
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return SqliteError(m_db, rc, "exec");
    return {};
}

Result<Database> Open(const fs::path& path, OpenOptions options) { return Database::Open(path, options); }

Result<Database> Database::Open(const fs::path& path, OpenOptions options) {
    try {
        const std::string name = path.string();
        const bool memory = IsMemory(name);
        bool created = false;
        if (!memory) {
            std::error_code ec;
            const auto st = fs::status(path, ec);
            if (fs::exists(st)) {
                if (!fs::is_regular_file(st))
                    return Fail(Errc::NotADatabase, name + " is not a regular file");
                // Root ignores permission bits; a file nobody may write is read-only by intent anyway.
                const auto writable = fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write;
                if ((st.permissions() & writable) == fs::perms::none)
                    return Fail(Errc::ReadOnly, name + " is read-only; nothing was changed");
            } else if (!options.create) {
                return Fail(Errc::NotFound, name + ": no such database");
            } else {
                created = true;
            }
        }

        sqlite3* raw = nullptr;
        const int flags = SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_EXRESCODE;
        const int rc = sqlite3_open_v2(memory ? ":memory:" : name.c_str(), &raw, flags, nullptr);
        Database db(raw, memory ? std::string(":memory:") : name);
        auto fail = [&](core::Error error) -> Result<Database> {
            db = Database();  // close before removing what we created
            if (created) RemoveCreated(path);
            return error;
        };
        if (rc != SQLITE_OK) {
            core::Error error = SqliteError(raw, rc, "cannot open");
            if (error.code == Errc::ReadOnly) error.detail = name + ": cannot open for writing (" + error.detail + ")";
            return fail(std::move(error));
        }
        sqlite3_extended_result_codes(raw, 1);
        sqlite3_busy_timeout(raw, kBusyTimeoutMs);
        if (!memory && sqlite3_db_readonly(raw, "main") == 1)
            return fail(Fail(Errc::ReadOnly, name + " is read-only; nothing was changed"));

        // Reads only: a file that is not SQLite fails here, before anything could be written to it.
        auto version = ReadPragmaInt(db, "PRAGMA user_version");
        if (!version) {
            core::Error error = version.error();
            if (error.code == Errc::NotADatabase)
                error.detail = name + " is not a SQLite database (or is damaged); nothing was changed";
            return fail(std::move(error));
        }
        if (*version > LatestSchemaVersion())
            return fail(Fail(Errc::SchemaTooNew, name + " was written by a newer release (schema " +
                                                     std::to_string(*version) + ", this release knows up to " +
                                                     std::to_string(LatestSchemaVersion()) + "); nothing was changed"));
        auto app_id = ReadPragmaInt(db, "PRAGMA application_id");
        if (!app_id) return fail(app_id.error());
        auto objects = ReadPragmaInt(db, "SELECT count(*) FROM sqlite_schema");
        if (!objects) return fail(objects.error());
        if (*app_id != kApplicationId && (*version != 0 || *objects != 0))
            return fail(Fail(Errc::NotADatabase,
                             name + " is a SQLite database of another program; nothing was changed"));

        if (!memory) {
            auto stmt = Statement::Prepare(db, "PRAGMA journal_mode = WAL");
            if (!stmt) return fail(stmt.error());
            auto row = stmt->Step();
            if (!row) return fail(row.error());
            if (!*row || stmt->Text(0) != "wal")
                return fail(Fail(Errc::Io, name + ": the file system does not support write-ahead logging"));
        }
        // secure_delete: an updated or deleted row's old bytes (a sealed blob among them) are zeroed in
        // the page at once, so a purge leaves nothing behind that an earlier status change copied.
        if (auto r = db.Exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;"); !r)
            return fail(r.error());

        if (*version < LatestSchemaVersion()) {
            auto tx = Transaction::Begin(db);
            if (!tx) return fail(tx.error());
            // Another process may have migrated between our first look and taking the write lock.
            auto now_version = ReadPragmaInt(db, "PRAGMA user_version");
            if (!now_version) return fail(now_version.error());
            if (*now_version > LatestSchemaVersion())
                return fail(Fail(Errc::SchemaTooNew, name + " was written by a newer release; nothing was changed"));
            const auto migrations = Migrations();
            for (int v = *now_version; v < LatestSchemaVersion(); ++v)
                if (auto r = db.Exec(migrations[static_cast<std::size_t>(v)]); !r) return fail(r.error());
            if (auto r = db.Exec("PRAGMA user_version = " + std::to_string(LatestSchemaVersion())); !r)
                return fail(r.error());
            if (auto r = tx->Commit(); !r) return fail(r.error());
            if (!memory && *now_version > 0)  // a new file is the caller's news; an upgrade is ours
                std::fprintf(stderr, "htk-store: %s: schema %d -> %d\n", name.c_str(), *now_version,
                             LatestSchemaVersion());
        }
        db.m_schema_version = LatestSchemaVersion();
        return db;
    } catch (const std::exception& e) {  // std::filesystem and std::string may throw; tier 3 -> tier 2
        return Fail(Errc::Internal, std::string("open: ") + e.what());
    }
}

// ---- Statement ----------------------------------------------------------------------------------

Result<Statement> Statement::Prepare(Database& db, std::string_view sql) {
    if (!db.Handle()) return Fail(Errc::Internal, "database is not open");
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(db.Handle(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db.Handle(), rc, "prepare");
    if (!stmt) return Fail(Errc::Internal, "empty SQL statement");
    return Statement(db.Handle(), stmt);
}

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db),
      m_stmt(std::exchange(other.m_stmt, nullptr)),
      m_bind_error(other.m_bind_error),
      m_last_code(other.m_last_code) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (m_stmt) sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_bind_error = other.m_bind_error;
        m_last_code = other.m_last_code;
    }
    return *this;
}

Statement::~Statement() {
    if (m_stmt) sqlite3_finalize(m_stmt);
}

void Statement::NoteBind(int rc) {
    if (rc != SQLITE_OK && m_bind_error == SQLITE_OK) m_bind_error = rc;
}

Statement& Statement::Bind(int index, std::int64_t value) {
    NoteBind(sqlite3_bind_int64(m_stmt, index, value));
    return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
    NoteBind(sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Statement& Statement::Bind(int index, std::span<const std::uint8_t> blob) {
    // A zero-length blob must still be a blob, not NULL: sqlite3_bind_blob treats nullptr as NULL.
    static const std::uint8_t kEmpty = 0;
    NoteBind(sqlite3_bind_blob64(m_stmt, index, blob.empty() ? &kEmpty : blob.data(), blob.size(), SQLITE_TRANSIENT));
    return *this;
}

Statement& Statement::BindNull(int index) {
    NoteBind(sqlite3_bind_null(m_stmt, index));
    return *this;
}

Result<bool> Statement::Step() {
    if (m_bind_error != SQLITE_OK) {
        m_last_code = m_bind_error;
        return SqliteError(nullptr, m_bind_error, "bind");
    }
    const int rc = sqlite3_step(m_stmt);
    m_last_code = rc;
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    core::Error error = SqliteError(m_db, rc, "step");
    sqlite3_reset(m_stmt);  // releases the statement's locks; the error is already taken
    return error;
}

Result<void> Statement::Run() {
    for (;;) {
        auto row = Step();
        if (!row) return row.error();
        if (!*row) return {};
    }
}

void Statement::Reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_bind_error = SQLITE_OK;
}

bool Statement::IsNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }
std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(m_stmt, column); }

std::string Statement::Text(int column) const {
    const auto* p = sqlite3_column_text(m_stmt, column);
    const int n = sqlite3_column_bytes(m_stmt, column);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

std::vector<std::uint8_t> Statement::Blob(int column) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, column));
    const int n = sqlite3_column_bytes(m_stmt, column);
    return p ? std::vector<std::uint8_t>(p, p + n) : std::vector<std::uint8_t>();
}

bool Statement::IsUniqueViolation() const {
    return m_last_code == SQLITE_CONSTRAINT_UNIQUE || m_last_code == SQLITE_CONSTRAINT_PRIMARYKEY;
}

// ---- Transaction --------------------------------------------------------------------------------

Result<Transaction> Transaction::Begin(Database& db, Kind kind) {
    if (db.InTransaction()) {
        if (auto r = db.Exec("SAVEPOINT htk_nested"); !r) return r.error();
        return Transaction(&db, "htk_nested");
    }
    if (auto r = db.Exec(kind == Kind::Immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"); !r) return r.error();
    return Transaction(&db, {});
}

Transaction::Transaction(Transaction&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_savepoint(std::move(other.m_savepoint)), m_done(other.m_done) {
    other.m_done = true;
}

Transaction::~Transaction() { Rollback(); }

Result<void> Transaction::Commit() {
    if (m_done || !m_db) return Fail(Errc::Internal, "transaction already finished");
    auto r = m_db->Exec(m_savepoint.empty() ? "COMMIT" : "RELEASE " + m_savepoint);
    if (!r) return r;
    m_done = true;
    return {};
}

void Transaction::Rollback() {
    if (m_done || !m_db) return;
    m_done = true;
    if (!m_savepoint.empty()) {
        (void)m_db->Exec("ROLLBACK TO " + m_savepoint + "; RELEASE " + m_savepoint);
    } else if (m_db->InTransaction()) {  // a failed COMMIT may already have rolled back
        (void)m_db->Exec("ROLLBACK");
    }
}

}  // namespace htk::store
