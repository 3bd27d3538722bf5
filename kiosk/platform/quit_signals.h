// SIGINT and SIGTERM as SDL_QUIT, delivered at once even while the kiosk sleeps in SDL_WaitEvent.
// With SDL's own handlers a process-directed signal may land on one of Mesa's threads and leave the
// main thread asleep in poll(); here every thread blocks them and one thread waits for them.
#pragma once
#include <signal.h>

#include <atomic>
#include <thread>

namespace htk::platform {

class QuitSignals {
public:
    // Blocks SIGINT and SIGTERM in the calling thread, so every thread started after it (SDL's,
    // Mesa's) inherits the block, and waits for them on a thread of its own.
    QuitSignals();
    ~QuitSignals();
    QuitSignals(const QuitSignals&) = delete;
    QuitSignals& operator=(const QuitSignals&) = delete;
    // The last SIGINT or SIGTERM received, 0 if none: tells a signal's SDL_QUIT from SDL's own.
    int Received() const { return m_received.load(); }

private:
    sigset_t m_signals;
    sigset_t m_previous;
    std::atomic<bool> m_stopping{false};
    std::atomic<int> m_received{0};
    std::thread m_waiter;
};

}  // namespace htk::platform
