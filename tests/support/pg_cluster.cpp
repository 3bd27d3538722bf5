// test::PgCluster: initdb, pg_ctl and libpq around a private temp folder (see pg_cluster.h).
#include "tests/support/pg_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace htk::test {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBinDir = "/usr/lib/postgresql/15/bin/";
constexpr const char* kRunuser = "/usr/sbin/runuser";
constexpr std::size_t kLogTail = 4000;  // bytes of each log quoted in an exception

std::string Bin(std::string_view name) { return std::string(kBinDir) + std::string(name); }

bool AsRoot() { return ::geteuid() == 0; }

struct Account {
    uid_t uid;
    gid_t gid;
};

Account PostgresAccount() {
    const passwd* entry = ::getpwnam("postgres");
    if (!entry) throw std::runtime_error("PgCluster: running as root but there is no `postgres` user to run the server as");
    return {entry->pw_uid, entry->pw_gid};
}

// initdb and pg_ctl refuse root, so as root whatever they write to must belong to `postgres`.
void GiveToPostgres(const fs::path& path) {
    if (!AsRoot()) return;
    const Account account = PostgresAccount();
    if (::chown(path.c_str(), account.uid, account.gid) != 0)
        throw std::runtime_error("PgCluster: cannot chown " + path.string() + " to postgres");
}

// As root the server runs as `postgres`, which must be able to enter every folder above its own:
// a private TMPDIR (the bench runner's is mode 0700) is skipped for /tmp, which anyone may enter.
fs::path ClusterBase() {
    const fs::path temp = fs::temp_directory_path();
    if (!AsRoot()) return temp;
    for (fs::path dir = fs::absolute(temp);; dir = dir.parent_path()) {
        std::error_code ec;
        const fs::perms perms = fs::status(dir, ec).permissions();
        if (ec || (perms & fs::perms::others_exec) == fs::perms::none) return "/tmp";
        if (dir == dir.parent_path()) return temp;
    }
}

std::string ReadFrom(const fs::path& file, std::uintmax_t offset) {
    std::ifstream in(file, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset));
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::uintmax_t SizeOf(const fs::path& file) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(file, ec);
    return ec ? 0 : size;
}

std::string Tail(const fs::path& file) {
    const std::uintmax_t size = SizeOf(file);
    return ReadFrom(file, size > kLogTail ? size - kLogTail : 0);
}

// The port is free when read back; the socket is closed so the server can bind it.
int FreePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("PgCluster: socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    const bool ok = ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0;
    ::close(fd);
    if (!ok) throw std::runtime_error("PgCluster: cannot find a free port on 127.0.0.1");
    return ntohs(addr.sin_port);
}

// pg_ctl hands -o to /bin/sh: the folder (mkdtemp under TMPDIR) goes there only if plainly safe.
void RequireShellSafe(const fs::path& path) {
    for (char c : path.string()) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                          c == '/' || c == '.' || c == '_' || c == '-' || c == '+';
        if (!safe) throw std::runtime_error("PgCluster: temp folder path unsafe for pg_ctl -o: " + path.string());
    }
}

// Between fork and exec only async-signal-safe calls: stdin from /dev/null, stdout and stderr
// appended to `output`, the cluster folder as working directory (postgres may not enter ours).
[[noreturn]] void ExecChild(char* const argv[], const char* dir, const char* output) {
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(output, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in < 0 || out < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0 || ::chdir(dir) != 0)
        ::_exit(127);
    ::close_range(3, ~0U, 0);  // no descriptor of the test (ctest's pipes) may live on in the server
    ::execv(argv[0], argv);
    ::_exit(127);
}

// Runs argv (argv[0] an absolute path, no shell) to completion; its exit code, or -1.
int Spawn(const std::vector<std::string>& args, const fs::path& dir, const fs::path& output) {
    std::vector<char*> argv;
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    const std::string dirText = dir.string(), outputText = output.string();
    const pid_t pid = ::fork();
    if (pid < 0) return -1;
    if (pid == 0) ExecChild(argv.data(), dirText.c_str(), outputText.c_str());
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A libpq keyword/value: quoted only when libpq needs it, so ordinary values read as written.
std::string ConnValue(std::string_view value) {
    if (!value.empty() && value.find_first_of(" \t\n'\\") == std::string_view::npos) return std::string(value);
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

using ConnPtr = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

// Over the unix socket (trust): the superuser's SQL needs no password round trip.
ResultPtr Query(const fs::path& socketDir, int port, std::string_view sql, std::string_view dbname) {
    const std::string host = socketDir.string(), portText = std::to_string(port), db(dbname),
                      user(PgCluster::kSuperUser), text(sql);
    const char* const keys[] = {"host", "port", "dbname", "user", "connect_timeout", nullptr};
    const char* const values[] = {host.c_str(), portText.c_str(), db.c_str(), user.c_str(), "10", nullptr};
    ConnPtr conn(PQconnectdbParams(keys, values, 0), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK)
        throw std::runtime_error("PgCluster: cannot connect to " + db + ": " + PQerrorMessage(conn.get()));
    ResultPtr result(PQexec(conn.get(), text.c_str()), &PQclear);
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        throw std::runtime_error("PgCluster: SQL failed on " + db + ": " + PQerrorMessage(conn.get()) + "SQL: " + text);
    return result;
}

}  // namespace

bool PgCluster::Available() {
    for (std::string_view name : {"initdb", "pg_ctl", "postgres"})
        if (::access(Bin(name).c_str(), X_OK) != 0) return false;
    return !AsRoot() || (::access(kRunuser, X_OK) == 0 && ::getpwnam("postgres") != nullptr);
}

PgCluster::PgCluster() : m_dir(ClusterBase()) {
    if (!Available())
        throw std::runtime_error("PgCluster: PostgreSQL 15 server not installed (" + std::string(kBinDir) +
                                 "{initdb,pg_ctl,postgres}; apt-get install postgresql-15)");
    RequireShellSafe(Folder());
    GiveToPostgres(Folder());  // initdb creates data/ in it; the server puts its socket there
    InitDb();
    StartOnFreePort();
    try {
        Exec("CREATE DATABASE htk OWNER htk_admin", "postgres");
    } catch (const std::exception& e) {
        StopImmediately();  // the destructor does not run for a throwing constructor
        Fail(e.what());
    }
}

PgCluster::~PgCluster() { StopImmediately(); }

void PgCluster::StopImmediately() noexcept {
    try {
        std::error_code ec;
        if (fs::exists(DataDir() / "postmaster.pid", ec))
            Run({Bin("pg_ctl"), "stop", "-D", DataDir().string(), "-m", "immediate", "-w", "-t", "30"});
    } catch (...) {
        // Nothing to report from a destructor; the folder goes anyway.
    }
}

std::string PgCluster::ConnInfo(std::string_view user, std::string_view password, std::string_view dbname) const {
    return "host=127.0.0.1 port=" + std::to_string(m_port) + " dbname=" + ConnValue(dbname) + " user=" +
           ConnValue(user) + " password=" + ConnValue(password) + " connect_timeout=2";
}

void PgCluster::Stop() {
    const int code = Run({Bin("pg_ctl"), "stop", "-D", DataDir().string(), "-m", "fast", "-w", "-t", "30"});
    if (code != 0) Fail("PgCluster: pg_ctl stop failed (exit " + std::to_string(code) + ")");
}

void PgCluster::Start() {
    if (!TryStart()) Fail("PgCluster: pg_ctl start failed on port " + std::to_string(m_port));
}

bool PgCluster::Running() const { return Run({Bin("pg_ctl"), "status", "-D", DataDir().string()}) == 0; }

void PgCluster::Exec(std::string_view sql, std::string_view dbname) const { Query(Folder(), m_port, sql, dbname); }

std::string PgCluster::Scalar(std::string_view sql, std::string_view dbname) const {
    const ResultPtr result = Query(Folder(), m_port, sql, dbname);
    if (PQntuples(result.get()) == 0 || PQnfields(result.get()) == 0) return "";
    return PQgetvalue(result.get(), 0, 0);
}

// initdb runs once for all the clusters of a machine's test run: its data folder is kept as a
// template beside them and each cluster copies it (cp -a keeps the owner and modes), a tenth of
// initdb's second; some 60 clusters start in CI's ASan pass. The template is made under an exclusive
// lock and used only when it is ours, whole (PG_VERSION is initdb's last file) and of this layout.
void PgCluster::InitDb() {
    const fs::path base = ClusterBase();
    const std::string name = "htk-pg15-template-v1-" + std::to_string(::geteuid());
    const fs::path lock_file = base / (name + ".lock");
    const int lock = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (lock < 0 || ::flock(lock, LOCK_EX) != 0) {
        if (lock >= 0) ::close(lock);
        InitDbInto(DataDir());  // no template today: the cluster's own initdb
        return;
    }
    struct Unlock {
        int fd;
        ~Unlock() { ::close(fd); }  // releases the flock
    } unlock{lock};
    const fs::path template_dir = base / name;
    struct stat st{};
    if (::lstat(template_dir.c_str(), &st) != 0) {
        InitDbInto(DataDir());
        // Kept for the next cluster; any failure here only means the next one runs initdb too.
        const fs::path fresh = base / (name + ".new-" + std::to_string(::getpid()));
        std::error_code ec;
        fs::create_directory(fresh, ec);
        if (!ec && Spawn({"/bin/cp", "-a", DataDir().string(), (fresh / "data").string()}, Folder(), Folder() / "commands.log") == 0)
            fs::rename(fresh, template_dir, ec);
        if (ec || !fs::exists(template_dir)) fs::remove_all(fresh, ec);
        return;
    }
    if (!S_ISDIR(st.st_mode) || st.st_uid != ::geteuid() || !fs::exists(template_dir / "data" / "PG_VERSION") ||
        Spawn({"/bin/cp", "-a", (template_dir / "data").string(), DataDir().string()}, Folder(), Folder() / "commands.log") != 0) {
        std::error_code ec;
        fs::remove_all(DataDir(), ec);
        InitDbInto(DataDir());
    }
}

void PgCluster::InitDbInto(const std::filesystem::path& data) {
    const fs::path pwfile = Folder() / "pwfile";
    {
        std::ofstream out(pwfile);
        out << kSuperPassword << '\n';
    }
    GiveToPostgres(pwfile);
    // --no-sync: a throw-away cluster need not survive a power cut, and initdb's fsyncs cost seconds.
    const int code = Run({Bin("initdb"), "-D", data.string(), "-U", std::string(kSuperUser),
                          "--pwfile=" + pwfile.string(), "--auth-local=trust", "--auth-host=scram-sha-256",
                          "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"});
    std::error_code ec;
    fs::remove(pwfile, ec);
    if (code != 0) Fail("PgCluster: initdb failed (exit " + std::to_string(code) + ")");
}

// A port read back from bind(0) is free only until someone else takes it (another cluster of a
// parallel ctest, an outgoing connection): a start that failed to bind is retried on a new port.
void PgCluster::StartOnFreePort() {
    for (int attempt = 0; attempt < 3; ++attempt) {
        m_port = FreePort();
        const std::uintmax_t logBefore = SizeOf(LogFile());
        if (TryStart()) return;
        if (ReadFrom(LogFile(), logBefore).find("could not bind") == std::string::npos) break;
    }
    Fail("PgCluster: pg_ctl start failed on port " + std::to_string(m_port));
}

bool PgCluster::TryStart() {
    const std::string options = "-c listen_addresses=127.0.0.1 -c port=" + std::to_string(m_port) +
                                " -c unix_socket_directories=" + Folder().string() +
                                " -c fsync=on -c max_connections=50 -c shared_buffers=32MB";
    return Run({Bin("pg_ctl"), "start", "-D", DataDir().string(), "-l", LogFile().string(), "-w", "-t", "30",
                "-o", options}) == 0;
}

// As root through runuser, since initdb and pg_ctl refuse to run as root.
int PgCluster::Run(const std::vector<std::string>& args) const {
    std::vector<std::string> argv;
    if (AsRoot()) argv = {kRunuser, "-u", "postgres", "--"};
    argv.insert(argv.end(), args.begin(), args.end());
    return Spawn(argv, Folder(), Folder() / "commands.log");
}

void PgCluster::Fail(const std::string& what) const {
    throw std::runtime_error(what + "\n--- " + LogFile().string() + " (tail) ---\n" + Tail(LogFile()) +
                             "\n--- initdb/pg_ctl output (tail) ---\n" + Tail(Folder() / "commands.log"));
}

}  // namespace htk::test
