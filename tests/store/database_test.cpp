// The connection layer: migrations, re-opening, and every file the store must refuse unchanged.
// Raw sqlite3 is used only to forge files that the store itself would never write.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "store/migrations.h"
#include "store_fixture.h"

using namespace htk;
using test::Must;

namespace {

int PragmaInt(store::Database& db, const char* sql) {
    auto stmt = Must(store::Statement::Prepare(db, sql));
    REQUIRE(Must(stmt.Step()));
    return static_cast<int>(stmt.Int(0));
}

std::string PragmaText(store::Database& db, const char* sql) {
    auto stmt = Must(store::Statement::Prepare(db, sql));
    REQUIRE(Must(stmt.Step()));
    return stmt.Text(0);
}

// A database file written by plain sqlite3, as another program or a newer release would.
void ForgeDatabase(const std::filesystem::path& path, const std::string& sql) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_close(raw) == SQLITE_OK);
}

int CountRows(store::Database& db, const std::string& table) {
    auto stmt = Must(store::Statement::Prepare(db, "SELECT count(*) FROM " + table));
    REQUIRE(Must(stmt.Step()));
    return static_cast<int>(stmt.Int(0));
}

}  // namespace

TEST_CASE("a new database file is created with every migration applied") {
    test::TempDir dir;
    const auto path = dir.File("kiosk.db");
    auto db = Must(store::Open(path));
    CHECK(std::filesystem::exists(path));
    CHECK(db.SchemaVersion() == store::LatestSchemaVersion());
    CHECK(PragmaInt(db, "PRAGMA user_version") == store::LatestSchemaVersion());
    CHECK(PragmaInt(db, "PRAGMA application_id") == store::kApplicationId);
    CHECK(PragmaText(db, "PRAGMA journal_mode") == "wal");
    CHECK(PragmaInt(db, "PRAGMA synchronous") == 2);  // FULL
    CHECK(PragmaInt(db, "PRAGMA foreign_keys") == 1);
    CHECK(PragmaInt(db, "PRAGMA busy_timeout") == store::kBusyTimeoutMs);
    for (const char* table : {"practice", "trainers", "trainer_languages", "weekly_hours", "date_exceptions",
                              "exception_hours", "blocked_days", "referrals", "referral_status_history", "bookings",
                              "booking_status_history", "slot_holds", "staff_keys", "audit_log", "referral_notes",
                              "offer_declines"}) {
        CAPTURE(table);
        CHECK(CountRows(db, table) == 0);
    }
}

TEST_CASE("an in-memory database gets the same schema") {
    auto db = Must(store::Open(":memory:"));
    CHECK(db.SchemaVersion() == store::LatestSchemaVersion());
    CHECK(CountRows(db, "bookings") == 0);
    CHECK(PragmaInt(db, "PRAGMA foreign_keys") == 1);
}

TEST_CASE("re-opening a database keeps its data and migrates nothing twice") {
    test::TempDir dir;
    const auto path = dir.File("kiosk.db");
    {
        auto db = Must(store::Open(path));
        core::Trainer t;
        t.display_name = "Hodan Warsame";
        t.languages = {"so", "ar"};
        Must(store::TrainerRepo(db).Add(t));
    }
    for (int i = 0; i < 3; ++i) {
        auto db = Must(store::Open(path));
        CHECK(PragmaInt(db, "PRAGMA user_version") == store::LatestSchemaVersion());
        const auto trainers = Must(store::TrainerRepo(db).List());
        REQUIRE(trainers.size() == 1);
        CHECK(trainers[0].display_name == "Hodan Warsame");
        CHECK(trainers[0].languages == std::vector<std::string>{"so", "ar"});
    }
}

TEST_CASE("a version 2 database from the field gains the desk's and the forwarding tables and keeps its requests") {
    test::TempDir dir;
    const auto path = dir.File("kiosk.db");
    const auto migrations = store::Migrations();
    ForgeDatabase(path, std::string(migrations[0]) + std::string(migrations[1]) +
                            "INSERT INTO referrals (reference, route, reasons, language, interpreter, contact, best_times, "
                            "consent_version, created_at, sealed, waiting_list) VALUES ('ACEFHJKL', 'self', 'smoking', "
                            "'ur', 0, 'phone', '', '2026-01', 5, zeroblob(64), 1); PRAGMA user_version = 2;");
    auto db = Must(store::Open(path));
    CHECK(db.SchemaVersion() == store::LatestSchemaVersion());
    CHECK(CountRows(db, "forward_queue") == 0);
    CHECK(CountRows(db, "referrals") == 1);
    CHECK(CountRows(db, "referral_notes") == 0);
    Must(db.Exec("INSERT INTO referral_notes (referral_id, at, actor, sealed) VALUES (1, 6, 'staff:T', zeroblob(64))"));
    Must(db.Exec("DELETE FROM referrals"));  // the notes go with their request (retention purge)
    CHECK(CountRows(db, "referral_notes") == 0);
}

TEST_CASE("a database from a newer release is refused and left exactly as it was") {
    test::TempDir dir;
    const auto path = dir.File("newer.db");
    ForgeDatabase(path, "PRAGMA application_id = 1213483859; CREATE TABLE future (x); PRAGMA user_version = " +
                            std::to_string(store::LatestSchemaVersion() + 1) + ";");
    const auto before = test::ReadBytes(path);
    auto db = store::Open(path);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().code == core::Errc::SchemaTooNew);
    CHECK(db.error().detail.find(path.string()) != std::string::npos);
    CHECK(test::ReadBytes(path) == before);
    CHECK_FALSE(std::filesystem::exists(path.string() + "-wal"));
    CHECK_FALSE(std::filesystem::exists(path.string() + "-journal"));
}

TEST_CASE("a file that is not SQLite is refused and left byte for byte unchanged") {
    test::TempDir dir;
    const auto path = dir.File("notes.db");
    const std::string text = "Shopping list: milk, bread, this is not a database at all.\n"
                             "It is long enough to have a header-sized first line of bytes.\n";
    test::WriteBytes(path, text);
    auto db = store::Open(path);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().code == core::Errc::NotADatabase);
    CHECK(db.error().detail.find(path.string()) != std::string::npos);
    const auto after = test::ReadBytes(path);
    CHECK(std::string(after.begin(), after.end()) == text);
    CHECK_FALSE(std::filesystem::exists(path.string() + "-wal"));
    CHECK_FALSE(std::filesystem::exists(path.string() + "-shm"));
}

TEST_CASE("another program's SQLite database is refused and not given our tables") {
    test::TempDir dir;
    const auto path = dir.File("browser.sqlite");
    ForgeDatabase(path, "CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('https://example.org');");
    const auto before = test::ReadBytes(path);
    auto db = store::Open(path);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().code == core::Errc::NotADatabase);
    CHECK(test::ReadBytes(path) == before);
}

TEST_CASE("a read-only database file is refused with a message naming it") {
    test::TempDir dir;
    const auto path = dir.File("kiosk.db");
    { auto db = Must(store::Open(path)); }
    std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::group_read);
    const auto before = test::ReadBytes(path);
    auto db = store::Open(path);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().code == core::Errc::ReadOnly);
    CHECK(db.error().detail.find(path.string()) != std::string::npos);
    CHECK(test::ReadBytes(path) == before);
}

TEST_CASE("a directory where the database should be is refused") {
    test::TempDir dir;
    const auto path = dir.File("kiosk.db");
    std::filesystem::create_directory(path);
    auto db = store::Open(path);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().code == core::Errc::NotADatabase);
}

TEST_CASE("opening without create refuses a missing file and creates nothing") {
    test::TempDir dir;
    const auto path = dir.File("missing.db");
    auto db = store::Open(path, {.create = false});
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().code == core::Errc::NotFound);
    CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("a database in a directory that does not exist cannot be opened") {
    test::TempDir dir;
    auto db = store::Open(dir.File("no/such/dir/kiosk.db"));
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().code == core::Errc::ReadOnly);
}

TEST_CASE("a transaction that is not committed rolls back") {
    auto db = Must(store::Open(":memory:"));
    {
        auto tx = Must(store::Transaction::Begin(db));
        Must(db.Exec("INSERT INTO trainers (display_name) VALUES ('Imran Hussain')"));
        CHECK(CountRows(db, "trainers") == 1);
    }
    CHECK(CountRows(db, "trainers") == 0);
    CHECK_FALSE(db.InTransaction());
    {
        auto tx = Must(store::Transaction::Begin(db));
        Must(db.Exec("INSERT INTO trainers (display_name) VALUES ('Imran Hussain')"));
        Must(tx.Commit());
    }
    CHECK(CountRows(db, "trainers") == 1);
}

TEST_CASE("a transaction begun inside another is a savepoint that rolls back alone") {
    auto db = Must(store::Open(":memory:"));
    auto outer = Must(store::Transaction::Begin(db));
    Must(db.Exec("INSERT INTO trainers (display_name) VALUES ('Outer')"));
    {
        auto inner = Must(store::Transaction::Begin(db));
        Must(db.Exec("INSERT INTO trainers (display_name) VALUES ('Inner, rolled back')"));
    }
    {
        auto inner = Must(store::Transaction::Begin(db));
        Must(db.Exec("INSERT INTO trainers (display_name) VALUES ('Inner, kept')"));
        Must(inner.Commit());
    }
    Must(outer.Commit());
    CHECK(CountRows(db, "trainers") == 2);
    CHECK_FALSE(db.InTransaction());
}

TEST_CASE("SQL errors come back as values with a code, never as exceptions") {
    auto db = Must(store::Open(":memory:"));
    auto bad = store::Statement::Prepare(db, "SELEC nonsense");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == core::Errc::Internal);

    auto stmt = Must(store::Statement::Prepare(db, "INSERT INTO trainers (display_name, active) VALUES (?, ?)"));
    stmt.Bind(1, "").Bind(2, 1);  // the CHECK constraint refuses an empty name
    auto r = stmt.Run();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == core::Errc::InvalidInput);

    stmt.Reset();
    stmt.Bind(7, "out of range");
    auto range = stmt.Run();
    REQUIRE_FALSE(range.ok());
    CHECK(range.error().code == core::Errc::InvalidInput);
}

TEST_CASE("the audit log cannot be edited or deleted, even with raw SQL") {
    auto db = Must(store::Open(":memory:"));
    Must(db.Exec("INSERT INTO audit_log (at, actor, action) VALUES (1, 'staff:Ann', 'export')"));
    CHECK_FALSE(db.Exec("UPDATE audit_log SET actor = 'staff:Bob'").ok());
    CHECK_FALSE(db.Exec("DELETE FROM audit_log").ok());
    CHECK(CountRows(db, "audit_log") == 1);
}
