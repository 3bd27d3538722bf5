// Attract screen layout: a calm gradient, the practice's name large, a blue "Touch to start" pill.
#include "ui/screens/attract_screen.h"

#include <algorithm>
#include <cmath>

#include "ui/text.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace htk::ui {

namespace {

// A filled circle as one rectangle a pixel row, clipped to the display: SDL's software renderer
// fills rectangles fast and shades triangles slowly, and this screen is redrawn on every greeting
// change all day. Its edge is not anti-aliased, which a pale glow on a pale ground does not show.
void FillCircleByRows(ImDrawList* draw, ImVec2 centre, float radius, ImU32 colour, ImVec2 display) {
    const float top = std::max(0.0f, std::floor(centre.y - radius));
    const float bottom = std::min(display.y, std::ceil(centre.y + radius));
    for (float y = top; y < bottom; y += 1.0f) {
        const float dy = y + 0.5f - centre.y;
        if (std::abs(dy) >= radius) continue;
        const float half = std::round(std::sqrt(radius * radius - dy * dy));
        if (half >= 1.0f) draw->AddRectFilled({std::round(centre.x) - half, y}, {std::round(centre.x) + half, y + 1.0f}, colour);
    }
}

}  // namespace

AttractIntent DrawAttract(AttractView& view, const Ctx& ctx) {
    const ImVec2 d = ctx.display;
    DrawBackground(ctx, theme::kAttractTop, theme::kAttractBottom);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // Two soft light pools: something to rest the eye on, nothing that moves.
    FillCircleByRows(draw, {d.x * 0.86f, d.y * 0.12f}, d.y * 0.36f, theme::kGlow, d);
    FillCircleByRows(draw, {d.x * 0.08f, d.y * 0.96f}, d.y * 0.30f, theme::kGlow, d);

    const bool tapped = TapArea(ctx, "attract.touch", {{0, 0}, d});
    const bool held = ImGui::IsItemActive();

    const float width = std::min(d.x - 2.0f * theme::kMargin, 1500.0f);
    const ImVec2 name_size = MeasureText(ctx, view.practice_name, TextSize::Hero, width);
    DrawText(ctx, view.practice_name, Rect::Centred({d.x * 0.5f, d.y * 0.38f}, {width, name_size.y}), Align::Centre,
             TextSize::Hero, theme::kHeading);
    const float rule_y = d.y * 0.38f + name_size.y * 0.5f + 36.0f;
    draw->AddRectFilled({d.x * 0.5f - 60.0f, rule_y}, {d.x * 0.5f + 60.0f, rule_y + 6.0f}, theme::kBlue, 3.0f);

    const std::string touch = ctx.Text("attract.touch");
    const ImVec2 text = MeasureText(ctx, touch, TextSize::Title, width - 160.0f);
    const ImVec2 pill_size{text.x + 2.0f * 80.0f, std::max(text.y + 2.0f * 40.0f, 136.0f)};
    const Rect pill = Rect::Centred({d.x * 0.5f, d.y * 0.66f}, pill_size);
    const float radius = std::min(pill_size.y * 0.5f, 68.0f);
    const float lift = held ? 0.0f : 6.0f;
    draw->AddRectFilled({pill.min.x, pill.min.y + 6.0f}, {pill.max.x, pill.max.y + 6.0f}, theme::kShadow, radius);
    const Rect face{{pill.min.x, pill.min.y + 6.0f - lift}, {pill.max.x, pill.max.y + 6.0f - lift}};
    draw->AddRectFilled(face.min, face.max, held ? theme::kBluePressed : theme::kBlue, radius);
    DrawText(ctx, touch, face.Inset(80.0f, 0.0f), Align::Centre, TextSize::Title, theme::kWhite, nullptr, "attract.touch");

    return {tapped ? AttractIntent::Start : AttractIntent::None};
}

}  // namespace htk::ui
