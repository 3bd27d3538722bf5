// sd_notify from libsystemd: it knows NOTIFY_SOCKET's forms (a path, an abstract name) and sends
// with the credentials systemd checks. A failed send is logged once and otherwise ignored: the
// watchdog restarting us is the right outcome if messages never arrive.
#include "platform/service_notify.h"

#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace htk::platform {

ServiceNotifier::ServiceNotifier() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    m_enabled = socket && *socket;
    if (!m_enabled) return;
    if (const char* usec = std::getenv("WATCHDOG_USEC"); usec && *usec) {
        char* end = nullptr;
        errno = 0;
        const unsigned long long value = std::strtoull(usec, &end, 10);
        // strtoull takes "-5" as a huge number: only digits are a number of microseconds here.
        if (usec[0] >= '0' && usec[0] <= '9' && errno == 0 && end && *end == '\0' && value > 0)
            m_interval = std::chrono::duration_cast<Clock::duration>(std::chrono::microseconds(value / 2));
        else
            std::fprintf(stderr, "platform: ignoring WATCHDOG_USEC=%s: not a positive number of microseconds\n", usec);
    }
}

void ServiceNotifier::Send(const char* message) {
    const int r = sd_notify(0, message);
    if (r > 0) {
        ++m_sent;
    } else if (!m_warned) {
        m_warned = true;
        std::fprintf(stderr, "platform: sd_notify(%s) failed: %s\n", message, r < 0 ? std::strerror(-r) : "no socket");
    }
}

void ServiceNotifier::FramePresented(Clock::time_point now) {
    if (!m_enabled) return;
    if (!m_ready) {
        m_ready = true;
        Send("READY=1");
        m_last_ping = now;  // READY counts as the first sign of life
        if (m_interval) Send("WATCHDOG=1");
        return;
    }
    if (m_interval && now - m_last_ping >= *m_interval) {
        Send("WATCHDOG=1");
        m_last_ping = now;
    }
}

std::optional<double> ServiceNotifier::NextPing(Clock::time_point now) const {
    if (!m_enabled || !m_interval) return std::nullopt;
    if (!m_ready) return std::nullopt;  // the first frame is drawn at once anyway
    const auto left = m_last_ping + *m_interval - now;
    return std::max(0.0, std::chrono::duration<double>(left).count());
}

std::optional<double> ServiceNotifier::Earliest(std::optional<double> a, std::optional<double> b) {
    if (!a) return b;
    if (!b) return a;
    return std::min(*a, *b);
}

}  // namespace htk::platform
