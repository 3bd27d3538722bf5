// Language picker layout: one column for a few packs, up to four for many, a Back button below.
#include "ui/screens/language_screen.h"

#include <algorithm>
#include <cmath>

#include "ui/text.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace htk::ui {

std::string LanguageKey(const std::string& tag) { return "language." + tag; }

LanguageIntent DrawLanguage(LanguageView& view, const Ctx& ctx) {
    const ImVec2 d = ctx.display;
    DrawBackground(ctx, theme::kBackgroundTop, theme::kBackgroundBottom);
    LanguageIntent intent;

    const float content = d.x - 2.0f * theme::kMargin;
    const std::string heading = ctx.Text("language.title");
    const float heading_h = std::max(100.0f, MeasureText(ctx, heading, TextSize::Title, content).y);
    const Rect title{{theme::kMargin, theme::kMargin * 0.5f}, {d.x - theme::kMargin, theme::kMargin * 0.5f + heading_h}};
    DrawText(ctx, heading, title, Align::Centre, TextSize::Title, theme::kHeading, nullptr, "language.title");

    const float bottom_y = d.y - theme::kMargin - theme::kSmallButtonHeight;
    if (TouchButton(ctx, "common.back",
                    Logical(ctx, Rect::FromSize({theme::kMargin, bottom_y},
                                                {SmallButtonWidth(ctx, ctx.Text("common.back")), theme::kSmallButtonHeight})),
                    ButtonKind::Secondary))
        intent.kind = LanguageIntent::Back;

    const auto n = static_cast<int>(view.choices.size());
    const float top = title.max.y + theme::kGap;
    const float area = bottom_y - theme::kGap - top;
    // The fewest columns whose rows still fit as touch targets: one for a handful of packs, up to
    // four for a city's worth on a landscape screen.
    int cols = n <= 4 ? 1 : 2;
    int rows = 1;
    float gap = theme::kGap;
    for (;; ++cols) {
        rows = (n + cols - 1) / cols;
        const float fit = (area - gap * static_cast<float>(rows - 1)) / static_cast<float>(std::max(rows, 1));
        if (fit >= theme::kMinTouchTarget || cols == 4) break;
    }
    if ((area - gap * static_cast<float>(rows - 1)) / static_cast<float>(std::max(rows, 1)) < theme::kMinTouchTarget)
        gap = theme::kGap * 0.5f;
    const float cell_h = std::clamp((area - gap * static_cast<float>(rows - 1)) / static_cast<float>(std::max(rows, 1)),
                                    theme::kMinTouchTarget, theme::kButtonHeight);
    const float grid_w = cols == 1 ? std::min(content, theme::kMaxContentWidth) : content;
    const float cell_w = (grid_w - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    const float grid_h = cell_h * static_cast<float>(rows) + gap * static_cast<float>(rows - 1);
    const float x0 = std::round((d.x - grid_w) * 0.5f);
    const float y0 = std::round(top + std::max(0.0f, (area - grid_h) * 0.5f));
    for (int i = 0; i < n; ++i) {
        const LanguageChoice& choice = view.choices[static_cast<std::size_t>(i)];
        const int col = i % cols;
        const int row = i / cols;
        const Rect cell = Rect::FromSize({x0 + static_cast<float>(col) * (cell_w + gap),
                                          y0 + static_cast<float>(row) * (cell_h + gap)},
                                         {cell_w, cell_h});
        if (TouchButton(ctx, LanguageKey(choice.tag), choice.endonym, Logical(ctx, cell), ButtonKind::Secondary,
                        choice.tag == view.current, &choice.faces)) {
            intent.kind = LanguageIntent::Choose;
            intent.tag = choice.tag;
        }
    }
    return intent;
}

}  // namespace htk::ui
