// The X error guard. Xlib's handler is process-wide and called on the thread that talks to X, which
// is the main thread here, so a plain counter is enough.
#include "platform/x11_errors.h"

#include <SDL.h>
#include <SDL_syswm.h>  // with Debian's SDL (X11 enabled) this brings Xlib

namespace htk::platform {
namespace {

int g_x_errors = 0;

int CountXError(Display*, XErrorEvent*) {
    ++g_x_errors;
    return 0;
}

}  // namespace

XErrorGuard::XErrorGuard() : m_previous(reinterpret_cast<void*>(XSetErrorHandler(CountXError))) { g_x_errors = 0; }

XErrorGuard::~XErrorGuard() { XSetErrorHandler(reinterpret_cast<XErrorHandler>(m_previous)); }

bool XErrorGuard::Failed(SDL_Window* window) const {
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (window && SDL_GetWindowWMInfo(window, &info) && info.subsystem == SDL_SYSWM_X11)
        XSync(info.info.x11.display, False);
    return g_x_errors > 0;
}

}  // namespace htk::platform
