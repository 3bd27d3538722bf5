// A sigwait() thread that pushes SDL_QUIT; SDL_PushEvent wakes a thread blocked in SDL_WaitEvent.
#include "platform/quit_signals.h"

#include <SDL.h>
#include <pthread.h>

namespace htk::platform {

QuitSignals::QuitSignals() {
    sigemptyset(&m_signals);
    sigaddset(&m_signals, SIGINT);
    sigaddset(&m_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &m_signals, &m_previous);
    m_waiter = std::thread([this] {
        for (;;) {
            int signal = 0;
            if (sigwait(&m_signals, &signal) != 0 || m_stopping) return;
            m_received = signal;
            SDL_Event quit{};
            quit.type = SDL_QUIT;
            SDL_PushEvent(&quit);
        }
    });
}

QuitSignals::~QuitSignals() {
    m_stopping = true;
    pthread_kill(m_waiter.native_handle(), SIGTERM);  // wakes sigwait(); the signal is consumed there
    m_waiter.join();
    pthread_sigmask(SIG_SETMASK, &m_previous, nullptr);
}

}  // namespace htk::platform
