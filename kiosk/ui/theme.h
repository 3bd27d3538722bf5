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
// On-screen keyboard keys on a short landscape screen may be this tall (never narrower than
// kMinTouchTarget): 72 px is still 9 mm up to 203 ppi, and a 1280x800 kiosk panel is a 10-12"
// tablet of at most 150 ppi. Seven rows of Bengali then fit above a field and the one-bar chrome.
inline constexpr float kMinKeyHeight = 72.0f;
inline constexpr float kMinTargetMm = 9.0f;  // the least size of a touch target on the glass
inline float MinKeyHeight(ImVec2 display) { return display.y < 1000.0f ? kMinKeyHeight : kMinTouchTarget; }
inline constexpr float kTapSlop = 16.0f;         // a finger that moves further is dragging, not tapping
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
inline constexpr ImU32 kWarmYellow = Rgb(0xFFEB3B);  // NHS warning callout: crisis numbers
inline constexpr ImU32 kError = Rgb(0xD5281B);       // NHS red: what the patient must correct

// The colours a screen draws with. "Larger text" switches the session to the high-contrast set
// (WCAG AAA: ink on white 16:1, white on dark blue 12:1) and back when the session ends.
struct Palette {
    ImU32 background_top, background_bottom;
    ImU32 ink, heading, blue, blue_pressed, shadow, white, pale_blue, field_border, selected, callout, error;
    float outline;  // Secondary buttons' and fields' border width
};
inline constexpr Palette kStandard{kBackgroundTop, kBackgroundBottom, kInk,  kHeading,  kBlue,       kBluePressed, kShadow,
                                   kWhite,         kPaleBlue,         kFieldBorder, kSelected, kWarmYellow, kError, 3.0f};
inline constexpr Palette kHighContrast{Rgb(0xFFFFFF), Rgb(0xFFFFFF), Rgb(0x000000), Rgb(0x000000), Rgb(0x002060),
                                       Rgb(0x000000), Rgb(0x000000, 160), Rgb(0xFFFFFF), Rgb(0xFFEB3B), Rgb(0x000000),
                                       Rgb(0x005A2B), Rgb(0xFFEB3B), Rgb(0xA00000), 5.0f};
inline constexpr float kLargerText = 1.3f;  // the session's text scale after "Larger text"

}  // namespace theme
}  // namespace htk::ui
