// Reception screen layout: a heading and a short paragraph centred, Back and Start again below.
#include "ui/screens/reception_screen.h"

#include <algorithm>

#include "ui/text.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace htk::ui {

ReceptionIntent DrawReception(ReceptionView&, const Ctx& ctx) {
    const ImVec2 d = ctx.display;
    DrawBackground(ctx, theme::kBackgroundTop, theme::kBackgroundBottom);
    ReceptionIntent intent;

    const float width = std::min(d.x - 2.0f * theme::kMargin, theme::kMaxContentWidth);
    const std::string title = ctx.Text("reception.title");
    const std::string body = ctx.Text("reception.body");
    const float title_h = MeasureText(ctx, title, TextSize::Title, width).y;
    const float body_h = MeasureText(ctx, body, TextSize::Body, width).y;
    const float bottom_y = d.y - theme::kMargin - theme::kSmallButtonHeight;
    const float block_h = title_h + theme::kGap * 1.5f + body_h;
    const float y0 = std::max(theme::kMargin, (bottom_y - block_h) * 0.5f);
    const float x0 = (d.x - width) * 0.5f;
    DrawText(ctx, title, Rect::FromSize({x0, y0}, {width, title_h}), Align::Centre, TextSize::Title, theme::kHeading,
             nullptr, "reception.title");
    DrawText(ctx, body, Rect::FromSize({x0, y0 + title_h + theme::kGap * 1.5f}, {width, body_h}), Align::Centre,
             TextSize::Body, theme::kInk, nullptr, "reception.body");

    const std::string back = ctx.Text("common.back");
    if (TouchButton(ctx, "common.back", back,
                    Logical(ctx, Rect::FromSize({theme::kMargin, bottom_y},
                                                {SmallButtonWidth(ctx, back), theme::kSmallButtonHeight})),
                    ButtonKind::Secondary))
        intent.kind = ReceptionIntent::Back;
    const std::string again = ctx.Text("common.start_again");
    const float w = SmallButtonWidth(ctx, again);
    if (TouchButton(ctx, "common.start_again", again,
                    Logical(ctx, Rect::FromSize({d.x - theme::kMargin - w, bottom_y}, {w, theme::kSmallButtonHeight})),
                    ButtonKind::Secondary))
        intent.kind = ReceptionIntent::StartAgain;
    return intent;
}

}  // namespace htk::ui
