// The kiosk's look: calm NHS colours for a waiting room, text sizes, touch target sizes.
// Constants only; screens take every colour and size from here.
#pragma once
#include <imgui.h>

#include <array>
#include <cstdint>

namespace htk::ui {

// ImGui's packed colour (IM_COL32 layout) from 0xRRGGBB, without the macro's C-style casts.
constexpr ImU32 Rgb(std::uint32_t rgb, std::uint32_t alpha = 255) {
    return (alpha << 24) | ((rgb & 0xFFu) << 16) | (rgb & 0xFF00u) | ((rgb >> 16) & 0xFFu);
}

// The sizes text is drawn at (ui/text.h maps them to pixels and weights).
enum class TextSize { Body, Button, Title, Hero };
enum class Weight { Regular, SemiBold, Bold };

struct TextFace {
    TextSize size;
    float pixels;
    Weight weight;
};

namespace theme {

inline constexpr float kMinTouchTarget = 88.0f;  // ~9 mm on a 24" 1080p panel; every tap target is this or more
inline constexpr float kMargin = 48.0f;          // from the screen's edge
inline constexpr float kGap = 28.0f;             // between stacked targets
inline constexpr float kRounding = 18.0f;
inline constexpr float kButtonHeight = 132.0f;   // the big choices on a screen
inline constexpr float kSmallButtonHeight = 96.0f;
inline constexpr float kMaxContentWidth = 1040.0f;

inline constexpr std::array<TextFace, 4> kFaces{{
    {TextSize::Body, 30.0f, Weight::Regular},  // em sizes: Noto Sans at 30 px reads at 2 m
    {TextSize::Button, 34.0f, Weight::SemiBold},
    {TextSize::Title, 48.0f, Weight::Bold},
    {TextSize::Hero, 72.0f, Weight::Bold},
}};

// NHS identity palette: blue for what can be tapped, dark blue for headings, pale for the room.
inline constexpr ImU32 kBackgroundTop = Rgb(0xF0F4F5);
inline constexpr ImU32 kBackgroundBottom = Rgb(0xDCE9F3);
inline constexpr ImU32 kAttractTop = Rgb(0xE6F0F8);
inline constexpr ImU32 kAttractBottom = Rgb(0xC9DEEF);
inline constexpr ImU32 kGlow = Rgb(0xFFFFFF, 70);
inline constexpr ImU32 kInk = Rgb(0x212B32);
inline constexpr ImU32 kHeading = Rgb(0x003087);
inline constexpr ImU32 kBlue = Rgb(0x005EB8);
inline constexpr ImU32 kBluePressed = Rgb(0x003D78);
inline constexpr ImU32 kShadow = Rgb(0x002F5C, 90);
inline constexpr ImU32 kWhite = Rgb(0xFFFFFF);
inline constexpr ImU32 kPaleBlue = Rgb(0xE8F1F8);
inline constexpr ImU32 kFieldBorder = Rgb(0x4C6272);
inline constexpr ImU32 kSelected = Rgb(0x007F3B);  // NHS green: the language in use

}  // namespace theme
}  // namespace htk::ui
