// Turns SDL's touch, mouse and keyboard events into Dear ImGui 1.86 input (which has no event
// queue: it reads io.MousePos / io.MouseDown once per frame). A press and release that arrive
// between two frames still span a press frame and a release frame.
#pragma once
#include <imgui.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

union SDL_Event;

namespace htk::platform {

class InputTranslator {
public:
    // `window_size` maps SDL's normalised finger coordinates to pixels.
    void Handle(const SDL_Event& event, ImVec2 window_size);
    // Writes this frame's state into `io`; call once per frame, before ImGui::NewFrame.
    void Apply(ImGuiIO& io);

private:
    static constexpr int kButtons = 3;
    std::optional<ImVec2> m_pos;                   // nullopt: no pointer over the window
    std::array<bool, kButtons> m_down{};           // as the device reports it now
    std::array<bool, kButtons> m_pressed_since{};  // went down since the last frame
    std::optional<std::int64_t> m_finger;          // the finger that drives the pointer
    bool m_forget_pos = false;                     // a finger lifted: drop the pointer after the release frame
    bool m_release_frame_done = false;
    float m_wheel = 0.0f;
    std::string m_text;                            // typed since the last frame (UTF-8)
    std::array<bool, 512> m_keys{};                // by SDL scancode, which io.KeyMap points at
};

// Points io.KeyMap at SDL scancodes, as InputTranslator fills io.KeysDown by scancode.
void InstallKeyMap(ImGuiIO& io);

}  // namespace htk::platform
