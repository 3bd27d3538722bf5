// SDL2 window and event loop. Only the video subsystem is started: with joysticks or sensors
// open, SDL_WaitEventTimeout falls back to polling and an idle kiosk would burn CPU.
#include "platform/window.h"

#include <SDL.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "platform/gl_renderer.h"
#include "platform/input.h"
#include "platform/quit_signals.h"
#include "platform/renderer.h"
#include "platform/soft_renderer.h"
#include "platform/x11_errors.h"
#include "ui/theme.h"

namespace htk::platform {
namespace {

// Frames drawn after the last input: ImGui needs a press frame, a release frame, and one more to
// draw the screen the release led to without the pointer hovering.
constexpr int kSettleFrames = 3;

bool Set(const char* name) {
    const char* value = std::getenv(name);
    return value && *value;
}

SDL_Window* CreateWindow(const WindowOptions& options, int width, int height, Uint32 flags) {
    if (options.desktop)
        return SDL_CreateWindow(options.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height,
                                flags | SDL_WINDOW_RESIZABLE | SDL_WINDOW_SHOWN);
    return SDL_CreateWindow(options.title.c_str(), 0, 0, width, height,
                            flags | SDL_WINDOW_BORDERLESS | SDL_WINDOW_SHOWN);
}

}  // namespace

std::optional<std::string> DisplayProblem() {
    // An explicit SDL_VIDEODRIVER (e.g. "dummy" in tests) is trusted; otherwise a display must be named.
    if (Set("SDL_VIDEODRIVER") || Set("DISPLAY") || Set("WAYLAND_DISPLAY")) return std::nullopt;
    return "no display: set DISPLAY or WAYLAND_DISPLAY (or run under Xvfb)";
}

std::unique_ptr<Window> Window::Open(const WindowOptions& options, OpenFailure& failure, std::string& message) {
    failure = OpenFailure::None;
    if (auto problem = DisplayProblem()) {
        failure = OpenFailure::NoDisplay;
        message = *problem;
        return nullptr;
    }
    auto signals = std::make_unique<QuitSignals>();  // before SDL_Init: SDL's threads inherit the block
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");  // fingers are handled as fingers, not twice
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    if (!Set("SDL_VIDEODRIVER")) {
        // Only the display that is named: left to itself SDL falls through to an offscreen driver
        // and the kiosk would run with nothing on the screen.
        std::string drivers = Set("DISPLAY") ? "x11" : "";
        // libwayland finds a relative WAYLAND_DISPLAY in XDG_RUNTIME_DIR, and complains on stderr without it.
        const bool wayland = Set("WAYLAND_DISPLAY") && (std::getenv("WAYLAND_DISPLAY")[0] == '/' || Set("XDG_RUNTIME_DIR"));
        if (wayland) drivers += drivers.empty() ? "wayland" : ",wayland";
        if (drivers.empty()) {
            failure = OpenFailure::NoDisplay;
            message = std::string("no display: cannot open WAYLAND_DISPLAY=") + std::getenv("WAYLAND_DISPLAY") +
                      " (XDG_RUNTIME_DIR is not set)";
            return nullptr;
        }
        SDL_SetHint(SDL_HINT_VIDEODRIVER, drivers.c_str());
    }
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        failure = OpenFailure::NoDisplay;
        std::string where = Set("DISPLAY") ? std::string("DISPLAY=") + std::getenv("DISPLAY")
                                           : Set("WAYLAND_DISPLAY") ? std::string("WAYLAND_DISPLAY=") + std::getenv("WAYLAND_DISPLAY")
                                                                    : std::string("SDL_VIDEODRIVER=") + std::getenv("SDL_VIDEODRIVER");
        message = "no display: cannot open " + where + " (" + SDL_GetError() + ")";
        return nullptr;
    }
    int width = 0;
    int height = 0;
    if (options.size) {
        width = options.size->width;
        height = options.size->height;
    } else {
        // SDL_WINDOW_FULLSCREEN leaves 1280x720 without a window manager: size to the display instead.
        SDL_DisplayMode mode;
        if (SDL_GetDesktopDisplayMode(0, &mode) == 0) {
            width = mode.w;
            height = mode.h;
        } else {
            width = 1280;
            height = 800;
        }
    }

    std::unique_ptr<Renderer> renderer;
    SDL_Window* window = nullptr;
    std::string gl_why;
    const char* video = SDL_GetCurrentVideoDriver();
    const bool on_wayland = video && std::string_view(video) == "wayland";
    const bool want_gles = options.renderer == RendererChoice::Gles || (options.renderer == RendererChoice::Auto && on_wayland);
    if (want_gles) {
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 2);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
        SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
        const XErrorGuard guard;
        window = CreateWindow(options, width, height, SDL_WINDOW_OPENGL);
        if (window) renderer = MakeGlesRenderer(window, gl_why);
        else gl_why = SDL_GetError();
        if (guard.Failed(window)) {
            renderer.reset();
            gl_why = "the X server refused a GLES context";
        }
        if (!renderer && window) {
            SDL_DestroyWindow(window);
            window = nullptr;
        }
        if (!renderer && options.renderer == RendererChoice::Gles) {
            failure = OpenFailure::NoRenderer;
            message = "no OpenGL ES 2.0: " + gl_why;
            SDL_Quit();
            return nullptr;
        }
        SDL_GL_ResetAttributes();
        // Desktop GL is not tried after it on Wayland: that is what drew black.
        if (!renderer) std::fprintf(stderr, "platform: no OpenGL ES 2.0 (%s); using the software renderer\n", gl_why.c_str());
    } else if (options.renderer != RendererChoice::Software) {
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
        SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
        SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
        SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
        const XErrorGuard guard;
        window = CreateWindow(options, width, height, SDL_WINDOW_OPENGL);
        if (window) renderer = MakeGlRenderer(window, gl_why);
        else gl_why = SDL_GetError();
        if (guard.Failed(window)) {
            renderer.reset();
            gl_why = "the X server refused a GLX context";
        }
        if (!renderer && window) {
            SDL_DestroyWindow(window);
            window = nullptr;
        }
        if (!renderer && options.renderer == RendererChoice::OpenGl) {
            failure = OpenFailure::NoRenderer;
            message = "no OpenGL 3.0: " + gl_why;
            SDL_Quit();
            return nullptr;
        }
        if (!renderer) std::fprintf(stderr, "platform: no OpenGL 3.0 (%s); using the software renderer\n", gl_why.c_str());
    }
    if (!renderer) {
        std::string why;
        // SDL would otherwise back the window's surface with a hidden OpenGL texture: the very thing
        // this fallback is here to avoid.
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        window = CreateWindow(options, width, height, 0);
        if (window) renderer = MakeSoftwareRenderer(window, why);
        else why = SDL_GetError();
        if (!renderer) {
            if (window) SDL_DestroyWindow(window);
            failure = OpenFailure::NoRenderer;
            message = "no renderer: " + (gl_why.empty() ? why : "OpenGL: " + gl_why + "; software: " + why);
            SDL_Quit();
            return nullptr;
        }
    }
    InstallKeyMap(ImGui::GetIO());
    // A touchscreen that also reports itself as a mouse would otherwise leave an arrow on the
    // kiosk's screen; the desk app at reception keeps its pointer.
    if (!options.desktop) SDL_ShowCursor(SDL_DISABLE);
    return std::unique_ptr<Window>(new Window(std::move(signals), window, std::move(renderer)));
}

Window::Window(std::unique_ptr<QuitSignals> signals, SDL_Window* window, std::unique_ptr<Renderer> renderer)
    : m_signals(std::move(signals)),
      m_window(window),
      m_renderer(std::move(renderer)),
      m_input(std::make_unique<InputTranslator>()) {
    m_settle_frames = kSettleFrames;  // the first frames draw the opening screen
}

Window::~Window() {
    m_renderer.reset();  // before the window it draws into
    SDL_DestroyWindow(m_window);
    SDL_Quit();
}

void Window::Handle(const SDL_Event& e) {
    if (e.type == SDL_QUIT) m_quit = true;
    if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE) m_quit = m_closed = true;
    const WindowSize size = Size();
    m_input->Handle(e, ImVec2(static_cast<float>(size.width), static_cast<float>(size.height)));
    m_settle_frames = kSettleFrames;
}

bool Window::WaitFrame(std::optional<double> wake_in_seconds) {
    SDL_Event e;
    if (m_settle_frames > 0) {
        --m_settle_frames;
    } else {
        int got = 0;
        if (!wake_in_seconds) {
            got = SDL_WaitEvent(&e);
        } else {
            const double ms = std::ceil(std::max(0.0, *wake_in_seconds) * 1000.0);
            got = SDL_WaitEventTimeout(&e, static_cast<int>(std::min(ms, 24.0 * 3600.0 * 1000.0)));
        }
        if (got) {
            Handle(e);
            // Handle() asks for settle frames; this frame is the first of them.
            --m_settle_frames;
        }
    }
    return PollFrame();
}

bool Window::PollFrame() {
    SDL_Event e;
    while (SDL_PollEvent(&e)) Handle(e);
    if (m_quit) return false;
    BeginFrame();
    return true;
}

std::string Window::QuitReason() const {
    if (const int signal = m_signals->Received(); signal != 0)
        return signal == SIGTERM ? "SIGTERM" : signal == SIGINT ? "SIGINT" : "signal " + std::to_string(signal);
    return m_closed ? "the compositor closed the window" : "SDL_QUIT from the display server";
}

void Window::BeginFrame() {
    ImGuiIO& io = ImGui::GetIO();
    const WindowSize size = Size();
    io.DisplaySize = ImVec2(static_cast<float>(size.width), static_cast<float>(size.height));
    io.DisplayFramebufferScale = m_renderer->FramebufferScale();
    m_input->Apply(io);
}

void Window::Present(ImDrawData* draw_data) {
    m_renderer->Render(draw_data, ui::theme::kBackgroundTop);
    m_renderer->Present();
}

Image Window::Capture(ImDrawData* draw_data) {
    m_renderer->Render(draw_data, ui::theme::kBackgroundTop);
    Image image = m_renderer->ReadPixels();
    m_renderer->Present();
    return image;
}

text::GlyphTextureBackend& Window::GlyphTextures() { return m_renderer->GlyphTextures(); }
RendererKind Window::Kind() const { return m_renderer->Kind(); }
std::string Window::RendererDescription() const { return m_renderer->Describe(); }

WindowSize Window::Size() const {
    WindowSize s;
    SDL_GetWindowSize(m_window, &s.width, &s.height);
    return s;
}

}  // namespace htk::platform
