// test::PgCluster: a private server starts, answers over TCP with its ConnInfo(), refuses a wrong
// password, survives Stop()/Start() with its data, and clusters side by side get their own ports.
#include <doctest/doctest.h>
#include <libpq-fe.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/pg_cluster.h"

namespace {

using htk::test::PgCluster;
using ConnPtr = std::unique_ptr<PGconn, decltype(&PQfinish)>;

// The test command installs the server: its absence is a broken setup, never a reason to skip.
void RequireServer() {
    REQUIRE_MESSAGE(PgCluster::Available(),
                    "PostgreSQL 15 server is not installed: /usr/lib/postgresql/15/bin/{initdb,pg_ctl,postgres} "
                    "(and, as root, the postgres user and runuser) are needed; apt-get install postgresql-15");
}

ConnPtr Connect(const std::string& conninfo) { return ConnPtr(PQconnectdb(conninfo.c_str()), &PQfinish); }

std::string Message(PGconn* conn) { return PQerrorMessage(conn); }

// First column of the first row, through the test's own connection.
std::string Query(PGconn* conn, const char* sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn, sql), &PQclear);
    REQUIRE_MESSAGE(PQresultStatus(result.get()) == PGRES_TUPLES_OK, Message(conn));
    REQUIRE(PQntuples(result.get()) == 1);
    return PQgetvalue(result.get(), 0, 0);
}

}  // namespace

TEST_CASE("a cluster starts and answers SELECT 1 over TCP on 127.0.0.1 with ConnInfo()") {
    RequireServer();
    PgCluster pg;
    CHECK(pg.Running());
    CHECK(pg.Port() > 0);
    CHECK(pg.ConnInfo() == "host=127.0.0.1 port=" + std::to_string(pg.Port()) +
                               " dbname=htk user=htk_admin password=test-only-password connect_timeout=2");

    const ConnPtr conn = Connect(pg.ConnInfo());
    REQUIRE_MESSAGE(PQstatus(conn.get()) == CONNECTION_OK, Message(conn.get()));
    CHECK(Query(conn.get(), "SELECT 1") == "1");
    CHECK(Query(conn.get(), "SELECT current_database()") == "htk");
    CHECK(Query(conn.get(), "SELECT current_user") == "htk_admin");
    CHECK(Query(conn.get(), "SELECT host(inet_client_addr())") == "127.0.0.1");  // TCP, not the socket
    CHECK(Query(conn.get(), "SELECT pg_catalog.pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'htk'") ==
          "UTF8");
}

TEST_CASE("Exec and Scalar run SQL as the superuser and report the server's error") {
    RequireServer();
    PgCluster pg;
    pg.Exec("CREATE TABLE t(v int); INSERT INTO t VALUES (41), (42)");
    CHECK(pg.Scalar("SELECT max(v) FROM t") == "42");
    CHECK(pg.Scalar("SELECT v FROM t WHERE v > 100").empty());
    CHECK(pg.Scalar("SELECT count(*) FROM pg_database WHERE datname = 'htk'", "postgres") == "1");
    CHECK_THROWS_WITH_AS(pg.Exec("SELEC 1"), doctest::Contains("syntax error"), std::runtime_error);
    CHECK_THROWS_WITH_AS(pg.Scalar("SELECT 1", "no_such_db"), doctest::Contains("no_such_db"), std::runtime_error);
}

TEST_CASE("a wrong password is refused") {
    RequireServer();
    PgCluster pg;
    const ConnPtr conn = Connect(pg.ConnInfo(PgCluster::kSuperUser, "not-the-password"));
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    CHECK_MESSAGE(Message(conn.get()).find("password authentication failed") != std::string::npos, Message(conn.get()));
}

TEST_CASE("after Stop() connections fail fast and after Start() the data written before is still there") {
    RequireServer();
    PgCluster pg;
    pg.Exec("CREATE TABLE kept(v text); INSERT INTO kept VALUES ('before the stop')");
    const int port = pg.Port();

    pg.Stop();
    CHECK_FALSE(pg.Running());
    const auto before = std::chrono::steady_clock::now();
    {
        const ConnPtr conn = Connect(pg.ConnInfo());
        CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
    }
    CHECK(std::chrono::steady_clock::now() - before < std::chrono::milliseconds(2500));

    pg.Start();
    CHECK(pg.Running());
    CHECK(pg.Port() == port);
    const ConnPtr conn = Connect(pg.ConnInfo());
    REQUIRE_MESSAGE(PQstatus(conn.get()) == CONNECTION_OK, Message(conn.get()));
    CHECK(Query(conn.get(), "SELECT v FROM kept") == "before the stop");
}

TEST_CASE("two clusters at once get different ports and separate data") {
    RequireServer();
    PgCluster a;
    PgCluster b;
    CHECK(a.Port() != b.Port());
    a.Exec("CREATE TABLE only_in_a(v int)");
    CHECK(a.Scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'") == "1");
    CHECK(b.Scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'") == "0");
    for (const PgCluster* pg : {&a, &b}) {
        const ConnPtr conn = Connect(pg->ConnInfo());
        REQUIRE_MESSAGE(PQstatus(conn.get()) == CONNECTION_OK, Message(conn.get()));
        CHECK(Query(conn.get(), "SELECT 1") == "1");
    }
}

TEST_CASE("the destructor stops the server and removes the folder") {
    RequireServer();
    std::filesystem::path folder;
    std::string conninfo;
    {
        PgCluster pg;
        folder = pg.Folder();
        conninfo = pg.ConnInfo();
        REQUIRE(std::filesystem::exists(pg.DataDir() / "postmaster.pid"));
    }
    CHECK_FALSE(std::filesystem::exists(folder));
    const ConnPtr conn = Connect(conninfo);
    CHECK(PQstatus(conn.get()) == CONNECTION_BAD);
}
