// Touch and mouse to ImGui 1.86 input: a quick tap spans a press and a release frame, then the
// pointer leaves; synthetic touch-mouse events and second fingers are ignored.
#include <doctest/doctest.h>

#include <SDL.h>

#include <cfloat>

#include "platform/input.h"
#include "ui/gui_context.h"

using htk::platform::InputTranslator;

namespace {

SDL_Event Finger(Uint32 type, SDL_FingerID id, float x, float y) {
    SDL_Event e{};
    e.type = type;
    e.tfinger.fingerId = id;
    e.tfinger.x = x;
    e.tfinger.y = y;
    return e;
}

SDL_Event MouseButton(Uint32 type, int x, int y, Uint32 which = 0) {
    SDL_Event e{};
    e.type = type;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.x = x;
    e.button.y = y;
    e.button.which = which;
    return e;
}

const ImVec2 kWindow{1000, 500};

}  // namespace

TEST_CASE("a finger down and up between two frames is a press frame then a release frame then no pointer") {
    htk::ui::GuiContext gui;
    ImGuiIO& io = ImGui::GetIO();
    InputTranslator input;
    input.Handle(Finger(SDL_FINGERDOWN, 7, 0.25f, 0.5f), kWindow);
    input.Handle(Finger(SDL_FINGERUP, 7, 0.25f, 0.5f), kWindow);

    input.Apply(io);
    CHECK(io.MouseDown[0]);
    CHECK(io.MousePos.x == doctest::Approx(250));
    CHECK(io.MousePos.y == doctest::Approx(250));

    input.Apply(io);
    CHECK_FALSE(io.MouseDown[0]);
    CHECK(io.MousePos.x == doctest::Approx(250));  // still there, so ImGui sees the release inside

    input.Apply(io);
    CHECK_FALSE(io.MouseDown[0]);
    CHECK(io.MousePos.x == -FLT_MAX);  // gone: nothing stays hovered after the finger lifts
}

TEST_CASE("a finger held and dragged moves the pointer and a second finger is ignored") {
    htk::ui::GuiContext gui;
    ImGuiIO& io = ImGui::GetIO();
    InputTranslator input;
    input.Handle(Finger(SDL_FINGERDOWN, 1, 0.1f, 0.1f), kWindow);
    input.Apply(io);
    input.Handle(Finger(SDL_FINGERMOTION, 1, 0.2f, 0.1f), kWindow);
    input.Handle(Finger(SDL_FINGERDOWN, 2, 0.9f, 0.9f), kWindow);
    input.Handle(Finger(SDL_FINGERMOTION, 2, 0.8f, 0.8f), kWindow);
    input.Apply(io);
    CHECK(io.MouseDown[0]);
    CHECK(io.MousePos.x == doctest::Approx(200));
    CHECK(io.MousePos.y == doctest::Approx(50));
    input.Handle(Finger(SDL_FINGERUP, 2, 0.8f, 0.8f), kWindow);
    input.Apply(io);
    CHECK(io.MouseDown[0]);  // the first finger is still down
}

TEST_CASE("mouse events that SDL synthesises from touch are ignored and a real mouse keeps hovering") {
    htk::ui::GuiContext gui;
    ImGuiIO& io = ImGui::GetIO();
    InputTranslator input;
    input.Handle(MouseButton(SDL_MOUSEBUTTONDOWN, 10, 10, SDL_TOUCH_MOUSEID), kWindow);
    input.Apply(io);
    CHECK_FALSE(io.MouseDown[0]);
    CHECK(io.MousePos.x == -FLT_MAX);

    input.Handle(MouseButton(SDL_MOUSEBUTTONDOWN, 30, 40), kWindow);
    input.Handle(MouseButton(SDL_MOUSEBUTTONUP, 30, 40), kWindow);
    input.Apply(io);
    CHECK(io.MouseDown[0]);
    input.Apply(io);
    CHECK_FALSE(io.MouseDown[0]);
    input.Apply(io);
    CHECK(io.MousePos.x == doctest::Approx(30));  // a desk mouse stays where it is
}

TEST_CASE("typed text and keys reach ImGui") {
    htk::ui::GuiContext gui;
    ImGuiIO& io = ImGui::GetIO();
    htk::platform::InstallKeyMap(io);
    InputTranslator input;
    SDL_Event text{};
    text.type = SDL_TEXTINPUT;
    std::snprintf(text.text.text, sizeof text.text.text, "%s", "ğü");
    input.Handle(text, kWindow);
    SDL_Event key{};
    key.type = SDL_KEYDOWN;
    key.key.keysym.scancode = SDL_SCANCODE_BACKSPACE;
    input.Handle(key, kWindow);
    input.Apply(io);
    REQUIRE(io.InputQueueCharacters.Size == 2);
    CHECK(io.InputQueueCharacters[0] == 0x011F);
    CHECK(io.InputQueueCharacters[1] == 0x00FC);
    CHECK(io.KeysDown[io.KeyMap[ImGuiKey_Backspace]]);
    key.type = SDL_KEYUP;
    input.Handle(key, kWindow);
    input.Apply(io);
    CHECK_FALSE(io.KeysDown[io.KeyMap[ImGuiKey_Backspace]]);
}
