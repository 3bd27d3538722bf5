// SDL events to ImGui 1.86 input. Touch drives the pointer like a mouse; after a finger lifts the
// pointer leaves the window, so nothing stays highlighted (ImGui would otherwise keep it hovered).
#include "platform/input.h"

#include <SDL.h>

#include <cfloat>

namespace htk::platform {
namespace {

int ButtonIndex(Uint8 sdl_button) {
    switch (sdl_button) {
        case SDL_BUTTON_LEFT: return 0;
        case SDL_BUTTON_RIGHT: return 1;
        case SDL_BUTTON_MIDDLE: return 2;
        default: return -1;
    }
}

}  // namespace

void InputTranslator::Handle(const SDL_Event& e, ImVec2 window_size) {
    switch (e.type) {
        case SDL_MOUSEMOTION:
            if (e.motion.which == SDL_TOUCH_MOUSEID) break;  // touch is handled as fingers below
            m_pos = ImVec2(static_cast<float>(e.motion.x), static_cast<float>(e.motion.y));
            m_forget_pos = false;
            break;
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP: {
            if (e.button.which == SDL_TOUCH_MOUSEID) break;
            const int b = ButtonIndex(e.button.button);
            if (b < 0) break;
            m_pos = ImVec2(static_cast<float>(e.button.x), static_cast<float>(e.button.y));
            m_forget_pos = false;
            const bool down = e.type == SDL_MOUSEBUTTONDOWN;
            m_down[static_cast<std::size_t>(b)] = down;
            if (down) m_pressed_since[static_cast<std::size_t>(b)] = true;
            break;
        }
        case SDL_MOUSEWHEEL:
            if (e.wheel.which == SDL_TOUCH_MOUSEID) break;
            m_wheel += e.wheel.preciseY;
            break;
        case SDL_FINGERDOWN:
            if (m_finger) break;  // one finger drives the pointer; a second is a resting palm
            m_finger = e.tfinger.fingerId;
            m_pos = ImVec2(e.tfinger.x * window_size.x, e.tfinger.y * window_size.y);
            m_down[0] = true;
            m_pressed_since[0] = true;
            m_forget_pos = false;
            break;
        case SDL_FINGERMOTION:
            if (m_finger != e.tfinger.fingerId) break;
            m_pos = ImVec2(e.tfinger.x * window_size.x, e.tfinger.y * window_size.y);
            break;
        case SDL_FINGERUP:
            if (m_finger != e.tfinger.fingerId) break;
            m_finger.reset();
            m_pos = ImVec2(e.tfinger.x * window_size.x, e.tfinger.y * window_size.y);
            m_down[0] = false;
            m_forget_pos = true;
            m_release_frame_done = false;
            break;
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_LEAVE && !m_finger) m_pos.reset();
            break;
        case SDL_TEXTINPUT:
            m_text += e.text.text;
            break;
        case SDL_KEYDOWN:
        case SDL_KEYUP: {
            const int sc = e.key.keysym.scancode;
            if (sc >= 0 && sc < static_cast<int>(m_keys.size())) m_keys[static_cast<std::size_t>(sc)] = e.type == SDL_KEYDOWN;
            break;
        }
        default:
            break;
    }
}

void InputTranslator::Apply(ImGuiIO& io) {
    for (int b = 0; b < kButtons; ++b) {
        const auto i = static_cast<std::size_t>(b);
        io.MouseDown[b] = m_down[i] || m_pressed_since[i];  // a quick tap still shows as down for one frame
        m_pressed_since[i] = false;
    }
    if (m_forget_pos && !io.MouseDown[0]) {
        // Keep the position for the release frame (ImGui needs it to see the release inside the
        // button), then take the pointer away.
        if (m_release_frame_done) {
            m_pos.reset();
            m_forget_pos = false;
        } else {
            m_release_frame_done = true;
        }
    }
    io.MousePos = m_pos ? *m_pos : ImVec2(-FLT_MAX, -FLT_MAX);
    io.MouseWheel = m_wheel;
    m_wheel = 0.0f;
    if (!m_text.empty()) {
        io.AddInputCharactersUTF8(m_text.c_str());
        m_text.clear();
    }
    for (std::size_t k = 0; k < m_keys.size(); ++k) io.KeysDown[k] = m_keys[k];
    const SDL_Keymod mods = SDL_GetModState();
    io.KeyCtrl = (mods & KMOD_CTRL) != 0;
    io.KeyShift = (mods & KMOD_SHIFT) != 0;
    io.KeyAlt = (mods & KMOD_ALT) != 0;
    io.KeySuper = (mods & KMOD_GUI) != 0;
}

void InstallKeyMap(ImGuiIO& io) {
    io.KeyMap[ImGuiKey_Tab] = SDL_SCANCODE_TAB;
    io.KeyMap[ImGuiKey_LeftArrow] = SDL_SCANCODE_LEFT;
    io.KeyMap[ImGuiKey_RightArrow] = SDL_SCANCODE_RIGHT;
    io.KeyMap[ImGuiKey_UpArrow] = SDL_SCANCODE_UP;
    io.KeyMap[ImGuiKey_DownArrow] = SDL_SCANCODE_DOWN;
    io.KeyMap[ImGuiKey_PageUp] = SDL_SCANCODE_PAGEUP;
    io.KeyMap[ImGuiKey_PageDown] = SDL_SCANCODE_PAGEDOWN;
    io.KeyMap[ImGuiKey_Home] = SDL_SCANCODE_HOME;
    io.KeyMap[ImGuiKey_End] = SDL_SCANCODE_END;
    io.KeyMap[ImGuiKey_Insert] = SDL_SCANCODE_INSERT;
    io.KeyMap[ImGuiKey_Delete] = SDL_SCANCODE_DELETE;
    io.KeyMap[ImGuiKey_Backspace] = SDL_SCANCODE_BACKSPACE;
    io.KeyMap[ImGuiKey_Space] = SDL_SCANCODE_SPACE;
    io.KeyMap[ImGuiKey_Enter] = SDL_SCANCODE_RETURN;
    io.KeyMap[ImGuiKey_Escape] = SDL_SCANCODE_ESCAPE;
    io.KeyMap[ImGuiKey_KeyPadEnter] = SDL_SCANCODE_KP_ENTER;
    io.KeyMap[ImGuiKey_A] = SDL_SCANCODE_A;
    io.KeyMap[ImGuiKey_C] = SDL_SCANCODE_C;
    io.KeyMap[ImGuiKey_V] = SDL_SCANCODE_V;
    io.KeyMap[ImGuiKey_X] = SDL_SCANCODE_X;
    io.KeyMap[ImGuiKey_Y] = SDL_SCANCODE_Y;
    io.KeyMap[ImGuiKey_Z] = SDL_SCANCODE_Z;
}

}  // namespace htk::platform
