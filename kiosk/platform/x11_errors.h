// Where GLX cannot make a context (no DRI driver), SDL's probe for GL extensions raises an X
// protocol error outside any handler of its own, and Xlib's default handler exits the process.
// XErrorGuard counts errors instead, so the window can fall back to the software renderer.
#pragma once

struct SDL_Window;

namespace htk::platform {

class XErrorGuard {
public:
    XErrorGuard();   // installs the counting handler
    ~XErrorGuard();  // puts the previous one back
    XErrorGuard(const XErrorGuard&) = delete;
    XErrorGuard& operator=(const XErrorGuard&) = delete;

    // True when an X error arrived since construction; first waits for the X server to answer every
    // request sent so far (when `window` is an X11 window).
    bool Failed(SDL_Window* window) const;

private:
    void* m_previous;  // Xlib's XErrorHandler, kept out of this header with Xlib's macros
};

}  // namespace htk::platform
