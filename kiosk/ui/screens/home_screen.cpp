// Home layout: the question, three big choices stacked in the middle, Start again and Language at
// the bottom and top corners.
#include "ui/screens/home_screen.h"

#include <algorithm>
#include <cmath>

#include "ui/text.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace htk::ui {

HomeIntent DrawHome(HomeView& view, const Ctx& ctx) {
    const ImVec2 d = ctx.display;
    DrawBackground(ctx, theme::kBackgroundTop, theme::kBackgroundBottom);
    HomeIntent intent;

    float top = theme::kMargin;
    if (view.offer_language) {
        const std::string label = ctx.Text("common.language");
        const float w = SmallButtonWidth(ctx, label);
        if (TouchButton(ctx, "common.language", label,
                        Logical(ctx, Rect::FromSize({d.x - theme::kMargin - w, theme::kMargin}, {w, theme::kSmallButtonHeight})),
                        ButtonKind::Secondary))
            intent.kind = HomeIntent::Language;
        top += theme::kSmallButtonHeight + theme::kGap;
    }

    const float width = std::min(d.x - 2.0f * theme::kMargin, theme::kMaxContentWidth);
    const std::string title = ctx.Text("home.title");
    const float bottom_y = d.y - theme::kMargin - theme::kSmallButtonHeight;
    const float available = bottom_y - theme::kGap - top;
    // On a short landscape screen the choices shrink, never below a touch target, and then a tall
    // title (Nastaliq, or two lines) steps down a size.
    TextSize title_size = TextSize::Title;
    float title_h = MeasureText(ctx, title, title_size, width).y;
    if (title_h + 4.0f * theme::kGap + 3.0f * theme::kMinTouchTarget > available) {
        title_size = TextSize::Button;
        title_h = MeasureText(ctx, title, title_size, width).y;
    }
    const float button_h = std::clamp((available - title_h - 4.0f * theme::kGap) / 3.0f, theme::kMinTouchTarget,
                                      theme::kButtonHeight);
    const float block_h = title_h + 2.0f * theme::kGap + 3.0f * button_h + 2.0f * theme::kGap;
    const float y0 = std::round(top + std::max(0.0f, (available - block_h) * 0.5f));
    const float x0 = std::round((d.x - width) * 0.5f);
    DrawText(ctx, title, Rect::FromSize({x0, y0}, {width, title_h}), Align::Centre, title_size, theme::kHeading, nullptr,
             "home.title");

    struct Choice {
        const char* key;
        HomeIntent::Kind kind;
        ButtonKind look;
    };
    constexpr Choice kChoices[] = {
        {"home.refer", HomeIntent::Refer, ButtonKind::Primary},
        {"home.book", HomeIntent::Book, ButtonKind::Primary},
        {"home.reception", HomeIntent::Reception, ButtonKind::Secondary},
    };
    float y = y0 + title_h + 2.0f * theme::kGap;
    for (const Choice& c : kChoices) {
        if (TouchButton(ctx, c.key, Rect::FromSize({x0, y}, {width, button_h}), c.look)) intent.kind = c.kind;
        y += button_h + theme::kGap;
    }

    const std::string again = ctx.Text("common.start_again");
    if (TouchButton(ctx, "common.start_again", again,
                    Logical(ctx, Rect::FromSize({theme::kMargin, bottom_y},
                                                {SmallButtonWidth(ctx, again), theme::kSmallButtonHeight})),
                    ButtonKind::Secondary))
        intent.kind = HomeIntent::StartAgain;
    return intent;
}

}  // namespace htk::ui
