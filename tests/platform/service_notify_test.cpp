// sd_notify as systemd sees it: a unix datagram socket of our own as NOTIFY_SOCKET. In process, the
// notifier's timing with a fake clock; then the real ht-kiosk (SDL's dummy video driver) sending
// READY=1 after its first frame and WATCHDOG=1 from an idle loop that still sleeps between pings.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "platform/service_notify.h"
#include "tests/env_var.h"
#include "tests/temp_dir.h"

using namespace htk;
using platform::ServiceNotifier;
using htk::test::EnvVar;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

// systemd's end of NOTIFY_SOCKET: a bound datagram socket in a temp dir.
class NotifySocket {
public:
    explicit NotifySocket(const std::filesystem::path& path) : m_path(path.string()) {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(m_fd >= 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        REQUIRE(m_path.size() < sizeof(addr.sun_path));
        std::memcpy(addr.sun_path, m_path.c_str(), m_path.size() + 1);
        REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    }
    ~NotifySocket() { ::close(m_fd); }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;
    const std::string& Path() const { return m_path; }

    // The next message, or nullopt after `wait` without one.
    std::optional<std::string> Receive(std::chrono::milliseconds wait) {
        timeval tv{static_cast<time_t>(wait.count() / 1000), static_cast<suseconds_t>((wait.count() % 1000) * 1000)};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        char buffer[4096];
        const ssize_t n = ::recv(m_fd, buffer, sizeof(buffer), 0);
        if (n < 0) return std::nullopt;
        return std::string(buffer, static_cast<std::size_t>(n));
    }
    std::vector<std::string> Drain() {
        std::vector<std::string> all;
        while (auto m = Receive(1ms)) all.push_back(*m);
        return all;
    }

private:
    std::string m_path;
    int m_fd = -1;
};

std::string Trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\0')) s.pop_back();
    return s;
}

}  // namespace

TEST_CASE("a kiosk run by hand (no NOTIFY_SOCKET) notifies nothing and never wakes for a watchdog") {
    EnvVar socket("NOTIFY_SOCKET", nullptr);
    EnvVar usec("WATCHDOG_USEC", "1000000");
    ServiceNotifier n;
    CHECK_FALSE(n.Enabled());
    n.FramePresented();
    CHECK(n.Sent() == 0);
    CHECK_FALSE(n.NextPing().has_value());
}

TEST_CASE("READY=1 after the first frame, then WATCHDOG=1 at half of WATCHDOG_USEC") {
    test::TempDir dir;
    NotifySocket systemd(dir.File("notify"));
    EnvVar socket("NOTIFY_SOCKET", systemd.Path().c_str());
    EnvVar usec("WATCHDOG_USEC", "10000000");  // 10 s: pings every 5 s
    EnvVar pid("WATCHDOG_PID", "1");           // not ours, as under cage: pinged all the same
    ServiceNotifier n;
    REQUIRE(n.Enabled());
    REQUIRE(n.PingInterval() == std::chrono::duration_cast<Clock::duration>(5s));

    CHECK_FALSE(n.NextPing().has_value());  // nothing is due before the first frame
    CHECK_FALSE(systemd.Receive(10ms).has_value());

    const auto t0 = Clock::now();
    n.FramePresented(t0);
    CHECK(Trim(systemd.Receive(1s).value_or("")) == "READY=1");
    CHECK(Trim(systemd.Receive(1s).value_or("")) == "WATCHDOG=1");

    // Frames before the interval is up send nothing more; the loop is told when to wake.
    n.FramePresented(t0 + 1s);
    n.FramePresented(t0 + 4900ms);
    CHECK(systemd.Drain().empty());
    CHECK(n.NextPing(t0 + 1s).value() == doctest::Approx(4.0).epsilon(0.001));
    CHECK(n.NextPing(t0 + 6s).value() == 0.0);  // overdue: wake at once

    for (int i = 1; i <= 3; ++i) n.FramePresented(t0 + i * 5s);
    const auto pings = systemd.Drain();
    CHECK(pings.size() == 3);
    for (const auto& p : pings) CHECK(Trim(p) == "WATCHDOG=1");
    CHECK(n.Sent() == 5);
}

TEST_CASE("without WATCHDOG_USEC only READY=1 is sent, and a bad value is ignored") {
    test::TempDir dir;
    NotifySocket systemd(dir.File("notify"));
    EnvVar socket("NOTIFY_SOCKET", systemd.Path().c_str());
    for (const char* value : {static_cast<const char*>(nullptr), "", "soon", "-5", "0"}) {
        const std::string shown = value ? value : "(unset)";
        CAPTURE(shown);
        EnvVar usec("WATCHDOG_USEC", value);
        ServiceNotifier n;
        CHECK_FALSE(n.PingInterval().has_value());
        n.FramePresented();
        n.FramePresented(Clock::now() + 1h);
        CHECK_FALSE(n.NextPing().has_value());
        const auto got = systemd.Drain();
        REQUIRE(got.size() == 1);
        CHECK(Trim(got[0]) == "READY=1");
    }
}

TEST_CASE("Earliest picks the sooner wake-up, either may be none") {
    CHECK_FALSE(ServiceNotifier::Earliest(std::nullopt, std::nullopt).has_value());
    CHECK(ServiceNotifier::Earliest(2.0, std::nullopt) == 2.0);
    CHECK(ServiceNotifier::Earliest(std::nullopt, 3.0) == 3.0);
    CHECK(ServiceNotifier::Earliest(5.0, 0.5) == 0.5);
}

namespace {

// CPU seconds (user + system) the process has used so far, from /proc/<pid>/stat.
double CpuSeconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; fields >> field; ++i) {
        if (i == 14) utime = std::stol(field);
        if (i == 15) { stime = std::stol(field); break; }
    }
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

pid_t Spawn(const std::vector<std::string>& args, const std::filesystem::path& log) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        if (std::FILE* f = std::freopen(log.c_str(), "w", stderr)) (void)f;
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

int Wait(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ReadFile(const std::filesystem::path& file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("the real ht-kiosk: READY=1 once its first frame is drawn, then pings while idle and asleep") {
    test::TempDir dir;
    const auto data = dir.File("data");
    const pid_t admin = Spawn({HTK_ADMIN_EXE, "demo", "--data-dir", data.string()}, dir.File("admin.log"));
    REQUIRE_MESSAGE(Wait(admin) == 0, ReadFile(dir.File("admin.log")));

    NotifySocket systemd(dir.File("notify"));
    const auto rects = dir.File("rects.txt");
    EnvVar socket("NOTIFY_SOCKET", systemd.Path().c_str());
    EnvVar usec("WATCHDOG_USEC", "400000");  // pings every 0.2 s
    EnvVar pid_var("WATCHDOG_PID", "1");
    EnvVar driver("SDL_VIDEODRIVER", "dummy");
    EnvVar audio("SDL_AUDIODRIVER", "dummy");
    const pid_t kiosk = Spawn({HTK_KIOSK_EXE, "--config", (data / "kiosk.conf").string(), "--window", "800x600",
                               "--lang", "en-GB", "--rects", rects.string()},
                              dir.File("kiosk.log"));
    struct Reap {
        pid_t pid;
        ~Reap() {
            ::kill(pid, SIGTERM);
            Wait(pid);
        }
    } reap{kiosk};

    const auto ready = systemd.Receive(20s);
    REQUIRE_MESSAGE(ready.has_value(), "no READY=1 within 20 s: " << ReadFile(dir.File("kiosk.log")));
    CHECK(Trim(*ready) == "READY=1");
    // The rects file is written after each frame is presented and before the notifier runs.
    CHECK(std::filesystem::exists(rects));

    // Idle on the attract screen: the pings keep coming, and between them the kiosk sleeps.
    (void)systemd.Receive(1s);  // the ping sent with READY
    const double cpu_before = CpuSeconds(kiosk);
    const auto start = Clock::now();
    int pings = 0;
    while (Clock::now() - start < 2s)
        if (auto m = systemd.Receive(500ms)) {
            CHECK(Trim(*m) == "WATCHDOG=1");
            ++pings;
        }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpu = CpuSeconds(kiosk) - cpu_before;
    CAPTURE(pings);
    CAPTURE(cpu);
    CHECK(pings >= 6);                 // every 0.2 s over 2 s: about 10
    CHECK(pings <= 14);                // not every frame
    CHECK(cpu < 0.6 * elapsed);        // asleep most of the time, not polling (a busy loop is ~1.0)
    CHECK(::kill(kiosk, 0) == 0);      // still running
}
