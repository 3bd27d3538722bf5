// The kiosk's window: SDL2, a renderer (OpenGL3 on X11, GLES2 on Wayland, else SDL's software one), touch and mouse as
// ImGui input, and frame pacing that lets an idle kiosk sleep. The only SDL user (with input.cpp and
// the renderers); SDL types stay out of this header.
#pragma once
#include <imgui.h>

#include <memory>
#include <optional>
#include <string>

#include "platform/image.h"
#include "text/glyph_texture.h"

struct SDL_Window;
union SDL_Event;

namespace htk::platform {

class InputTranslator;
class QuitSignals;
class Renderer;

enum class RendererKind { OpenGl, Gles, Software };
// Auto: on Wayland GLES2 (SDL's opengles2 renderer: desktop GL drew black under a compositor that
// renders in software, such as cage with pixman), elsewhere OpenGL 3; either way software if that fails.
enum class RendererChoice { Auto, OpenGl, Gles, Software };

struct WindowSize {
    int width = 0;
    int height = 0;
};

struct WindowOptions {
    std::string title = "Health Trainer Kiosk";
    std::optional<WindowSize> size;  // nullopt: borderless over the whole display
    RendererChoice renderer = RendererChoice::Auto;
    bool desktop = false;  // a decorated, resizable window centred on the screen (the desk app)
};

enum class OpenFailure { None, NoDisplay, NoRenderer };

// Why no display can be opened, judged from the environment alone (DISPLAY, WAYLAND_DISPLAY, or an
// explicit SDL_VIDEODRIVER); nullopt when one is named. Lets a program say so before doing any work.
std::optional<std::string> DisplayProblem();

class Window {
public:
    // Needs a current ImGui context. On failure returns nullptr and says why in one line
    // (`message`, without a program prefix); NoDisplay when there is no display to open at all.
    static std::unique_ptr<Window> Open(const WindowOptions& options, OpenFailure& failure, std::string& message);
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    // Sleeps until input arrives or `wake_in_seconds` pass (nullopt: until input), then feeds
    // ImGui this frame's input. After input it returns at once for a few frames so ImGui's
    // press/release and the new screen settle. False when the kiosk is asked to quit (window
    // closed, SIGINT or SIGTERM).
    bool WaitFrame(std::optional<double> wake_in_seconds);
    // Takes whatever input is pending without sleeping (for --screenshot). False on quit.
    bool PollFrame();

    void Present(ImDrawData* draw_data);
    // Renders `draw_data`, reads the frame back, then shows it.
    Image Capture(ImDrawData* draw_data);

    // Where kiosk/text puts its glyph pages for this renderer. Outlives any text::Engine made on it
    // only while the Window lives: destroy the engine first.
    text::GlyphTextureBackend& GlyphTextures();
    RendererKind Kind() const;
    std::string RendererDescription() const;
    WindowSize Size() const;
    // Why the window stopped giving frames, for the log line a restarted kiosk leaves behind.
    std::string QuitReason() const;

private:
    Window(std::unique_ptr<QuitSignals> signals, SDL_Window* window, std::unique_ptr<Renderer> renderer);
    void Handle(const SDL_Event& event);
    void BeginFrame();

    std::unique_ptr<QuitSignals> m_signals;  // first in, last out: outlives SDL
    SDL_Window* m_window;
    std::unique_ptr<Renderer> m_renderer;
    std::unique_ptr<InputTranslator> m_input;
    int m_settle_frames = 0;
    bool m_quit = false;
    bool m_closed = false;  // the compositor or window manager asked the window to close
};

}  // namespace htk::platform
