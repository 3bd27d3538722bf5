// test::PgCluster: a private, throw-away PostgreSQL 15 server (Debian's packages) for one test: its
// own temp folder, initdb (a copy of one made once per machine), listening on 127.0.0.1 at a free port (and a unix socket inside the
// folder), stopped and removed by the destructor. As root (tests and CI) the server binaries run as
// the `postgres` user through runuser, since initdb and pg_ctl refuse root.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tests/temp_dir.h"

namespace htk::test {

class PgCluster {
public:
    static bool Available();  // Debian's PostgreSQL 15 server binaries are installed
    PgCluster();              // initdb + start; throws std::runtime_error with the server's log on failure
    ~PgCluster();             // pg_ctl stop -m immediate (errors ignored), then the folder is removed
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    int Port() const { return m_port; }
    // libpq keyword/value string for TCP on 127.0.0.1:
    // "host=127.0.0.1 port=N dbname=D user=U password=P connect_timeout=2".
    std::string ConnInfo(std::string_view user = kSuperUser, std::string_view password = kSuperPassword,
                         std::string_view dbname = "htk") const;
    void Stop();   // pg_ctl stop -m fast -w; Port() stays the same for Start()
    void Start();  // pg_ctl start -w on the same folder and port (after Stop)
    bool Running() const;  // pg_ctl status
    // Runs SQL (several statements allowed) as the superuser on `dbname` through libpq over the unix
    // socket; throws std::runtime_error with PQerrorMessage on failure.
    void Exec(std::string_view sql, std::string_view dbname = "htk") const;
    // First column of the first row as text ("" when no row), same error handling.
    std::string Scalar(std::string_view sql, std::string_view dbname = "htk") const;

    const std::filesystem::path& Folder() const { return m_dir.Path(); }  // data/, server.log, the socket
    std::filesystem::path DataDir() const { return m_dir.Path() / "data"; }
    std::filesystem::path LogFile() const { return m_dir.Path() / "server.log"; }

    static constexpr std::string_view kSuperUser = "htk_admin";
    static constexpr std::string_view kSuperPassword = "test-only-password";

private:
    void InitDb();                                    // a copy of the machine's template, made once
    void InitDbInto(const std::filesystem::path& data);  // initdb itself
    void StartOnFreePort();
    bool TryStart();
    void StopImmediately() noexcept;
    int Run(const std::vector<std::string>& args) const;
    [[noreturn]] void Fail(const std::string& what) const;

    TempDir m_dir;
    int m_port = 0;
};

}  // namespace htk::test
