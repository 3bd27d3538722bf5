// Tells systemd how the kiosk is doing (sd_notify): READY=1 once the first frame is on screen, then
// WATCHDOG=1 from the main loop at half of WATCHDOG_USEC. Never draws, never blocks, no SDL here.
#pragma once
#include <chrono>
#include <optional>
#include <string>

namespace htk::platform {

class ServiceNotifier {
public:
    using Clock = std::chrono::steady_clock;

    // Reads NOTIFY_SOCKET and WATCHDOG_USEC once. WATCHDOG_PID is not checked: under cage the kiosk is
    // not the unit's main PID (so sd_watchdog_enabled() says 0), yet systemd accepts its pings with
    // NotifyAccess=all. Without NOTIFY_SOCKET (a run by hand) every call does nothing.
    ServiceNotifier();

    // After each frame is presented: the first sends READY=1, later ones WATCHDOG=1 when half the
    // interval has passed since the last ping. `now` is for tests.
    void FramePresented(Clock::time_point now = Clock::now());
    // Seconds until the next ping is due (0 when overdue); nullopt without a watchdog. The loop wakes
    // for this even when idle, so an idle kiosk still sleeps between pings.
    std::optional<double> NextPing(Clock::time_point now = Clock::now()) const;

    bool Enabled() const { return m_enabled; }
    std::optional<Clock::duration> PingInterval() const { return m_interval; }  // half of WATCHDOG_USEC
    int Sent() const { return m_sent; }  // messages that reached the socket

    // The earlier of two wake-ups, either of which may be "not needed" (nullopt).
    static std::optional<double> Earliest(std::optional<double> a, std::optional<double> b);

private:
    void Send(const char* message);

    bool m_enabled = false;
    bool m_ready = false;
    std::optional<Clock::duration> m_interval;
    Clock::time_point m_last_ping{};
    int m_sent = 0;
    bool m_warned = false;
};

}  // namespace htk::platform
