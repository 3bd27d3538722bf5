// Chrome layout: a top bar of small secondary buttons and a bottom bar with the screen's primary
// action at the end; laid out left-to-right and mirrored with Logical() for right-to-left sessions.
#include "ui/screens/chrome.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "ui/pictograms.h"
#include "ui/text.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace htk::ui {
namespace {

constexpr std::string_view kEnglish = "English";  // in English whatever the session: it is for those who read English
constexpr float kIconSize = 44.0f;

// A secondary button with a pictogram at its start and, when `with_label`, its label after it.
bool IconButton(const Ctx& ctx, std::string_view key, std::string_view icon, const Rect& rect, bool with_label,
                bool selected = false) {
    const std::string label = ctx.Text(key);
    const bool pressed = TouchButton(ctx, key, std::string_view{}, rect, ButtonKind::Secondary, selected);
    const float pad = 22.0f;
    const float icon_x = with_label ? rect.min.x + pad : rect.Centre().x - kIconSize * 0.5f;
    Rect icon_rect = Rect::FromSize({icon_x, rect.Centre().y - kIconSize * 0.5f - 2.5f}, {kIconSize, kIconSize});
    Rect label_rect{{icon_rect.max.x + 12.0f, rect.min.y}, {rect.max.x - pad, rect.max.y - 5.0f}};
    if (ctx.RightToLeft() && with_label) {  // the icon leads at the start (right) side
        icon_rect = Rect::FromSize({rect.max.x - pad - kIconSize, icon_rect.min.y}, {kIconSize, kIconSize});
        label_rect = {{rect.min.x + pad, rect.min.y}, {icon_rect.min.x - 12.0f, rect.max.y - 5.0f}};
    }
    if (ctx.pictograms) ctx.pictograms->Draw(ImGui::GetWindowDrawList(), icon, icon_rect, ctx.C().blue);
    if (with_label || !ctx.pictograms)
        DrawText(ctx, label, with_label ? label_rect : rect.Inset(8.0f, 0.0f), Align::Start, TextSize::Button,
                 ctx.C().blue, nullptr, key);
    return pressed;
}

float IconButtonWidth(const Ctx& ctx, std::string_view key, bool with_label) {
    if (!with_label && ctx.pictograms) return theme::kSmallButtonHeight;
    return std::ceil(22.0f * 2.0f + kIconSize + 12.0f + MeasureText(ctx, ctx.Text(key), TextSize::Button).x);
}

}  // namespace

namespace {

// The session buttons (Language, English, Help, Read aloud, Larger text) in the order they are
// laid out, with how wide each is at a given level of detail.
struct SessionButton {
    std::string_view key, icon;
    Common action;
    bool selected = false;
    bool text_only = false;  // English: a word, never an icon
};

float Width(const Ctx& ctx, const SessionButton& b, bool with_label) {
    if (b.text_only) return SmallButtonWidth(ctx, kEnglish);
    return IconButtonWidth(ctx, b.key, with_label);
}

bool Draw(const Ctx& ctx, const SessionButton& b, const Rect& r, bool with_label) {
    if (b.text_only) return TouchButton(ctx, b.key, kEnglish, r, ButtonKind::Secondary);
    return IconButton(ctx, b.key, b.icon, r, with_label, b.selected);
}

}  // namespace

float BodyHeight(const Ctx& ctx, bool one_bar) {
    const float h = theme::kSmallButtonHeight;
    if (one_bar) return ctx.display.y - theme::kMargin - h - theme::kGap * 0.5f;
    return ctx.display.y - (theme::kMargin * 0.5f + h + theme::kGap) - (theme::kMargin + h + theme::kGap);
}

Rect DrawChrome(const Ctx& ctx, const Chrome& chrome, const ChromeSpec& spec, Common& tapped) {
    const ImVec2 d = ctx.display;
    DrawBackground(ctx, ctx.C().background_top, ctx.C().background_bottom);
    const float m = theme::kMargin;
    const float h = theme::kSmallButtonHeight;
    const float gap = theme::kGap * 0.5f;
    const float edge = spec.one_bar ? m * 0.5f : m;  // a short screen gives its margins to the keyboard

    std::vector<SessionButton> start, end;  // logical start and end of the bar they sit in
    if (spec.top_bar) {
        if (chrome.offer_language) start.push_back({"common.language", "language", Common::Language});
        if (chrome.offer_english) start.push_back({"common.english", {}, Common::English, false, true});
        end.push_back({"common.help", "help", Common::Help});
        if (chrome.read_aloud) end.push_back({"common.read_aloud", "read_aloud", Common::ReadAloud, chrome.speaking});
        end.push_back({"common.larger_text", "larger_text", Common::LargerText, chrome.larger_text});
    }

    // Bottom bar: Back and Start again at the start, the primary action at the end.
    const std::string back = ctx.Text("common.back");
    const std::string again = ctx.Text("common.start_again");
    const std::string next = spec.next_key.empty() ? std::string() : ctx.Text(spec.next_key);
    // One bar holds everything: Back and Start again are as wide as their words, no wider.
    auto fitted = [&](const std::string& label) {
        if (!spec.one_bar) return SmallButtonWidth(ctx, label);
        return std::max(theme::kMinTouchTarget * 1.5f, MeasureText(ctx, label, TextSize::Button).x + 2.0f * 32.0f);
    };
    float back_w = spec.back ? fitted(back) : 0.0f;
    const float again_w = spec.start_again ? fitted(again) : 0.0f;
    const float next_min = next.empty() ? 0.0f : MeasureText(ctx, next, TextSize::Button).x + 2.0f * 44.0f;
    const float next_w = next.empty() ? 0.0f : std::max(360.0f, next_min);

    // How much detail the session buttons keep: every label; Language's and Help's; Language's
    // alone; icons only. `spare` is the width the bar leaves them.
    auto layout_width = [&](int detail) {
        float w = 0;
        for (std::size_t i = 0; i < start.size(); ++i)
            w += Width(ctx, start[i], detail <= 2 && i == 0) + gap;
        for (std::size_t i = 0; i < end.size(); ++i) w += Width(ctx, end[i], detail == 0 || (detail == 1 && i == 0)) + gap;
        return w;
    };
    // In one bar the primary action may wrap its words onto two lines rather than crowd the others.
    const float next_floor = std::min(next_min, theme::kMinTouchTarget * 1.5f);
    auto spare_width = [&] {
        return spec.one_bar ? d.x - 2.0f * edge - back_w - again_w - next_floor - 3.0f * gap : d.x - 2.0f * m;
    };
    float spare = spare_width();
    int detail = 0;
    while (detail < 3 && layout_width(detail) > spare) ++detail;
    // Still too full: Back becomes its arrow alone (mirrored for right-to-left), as on every phone.
    bool back_icon = false;
    if (spec.one_bar && spec.back && ctx.pictograms && layout_width(detail) > spare) {
        back_icon = true;
        back_w = h;
        spare = spare_width();
    }
    // A one-bar screen too narrow even for icons (a long Start again) gives up English, which stays
    // two taps away through Language; every other screen keeps it one tap away.
    if (layout_width(detail) > spare && start.size() > 1 && start.back().text_only) start.pop_back();
    auto labelled = [&](bool is_start, std::size_t i) {
        if (is_start) return detail <= 2 && i == 0;
        return detail == 0 || (detail == 1 && i == 0);
    };

    float body_top = m * 0.5f;
    const float bottom_y = d.y - edge - h;
    if (!spec.one_bar && (!start.empty() || !end.empty())) {
        const float top = m * 0.5f;
        float x = m;
        for (std::size_t i = 0; i < start.size(); ++i) {
            const float w = Width(ctx, start[i], labelled(true, i));
            if (Draw(ctx, start[i], Logical(ctx, Rect::FromSize({x, top}, {w, h})), labelled(true, i)))
                tapped = start[i].action;
            x += w + gap;
        }
        float right = d.x - m;
        for (std::size_t i = 0; i < end.size(); ++i) {
            const float w = Width(ctx, end[i], labelled(false, i));
            if (Draw(ctx, end[i], Logical(ctx, Rect::FromSize({right - w, top}, {w, h})), labelled(false, i)))
                tapped = end[i].action;
            right -= w + gap;
        }
        body_top = top + h + theme::kGap;
    }

    float x = edge;
    if (spec.back) {
        const Rect r = Logical(ctx, Rect::FromSize({x, bottom_y}, {back_w, h}));
        if (TouchButton(ctx, "common.back", back_icon ? std::string_view{} : std::string_view(back), r, ButtonKind::Secondary))
            tapped = Common::Back;
        if (back_icon)
            ctx.pictograms->Draw(ImGui::GetWindowDrawList(), "back", Rect::Centred({r.Centre().x, r.Centre().y - 2.5f}, {kIconSize, kIconSize}),
                                 ctx.C().blue, ctx.RightToLeft());
        x += back_w + gap;
    }
    if (spec.start_again) {
        if (TouchButton(ctx, "common.start_again", again, Logical(ctx, Rect::FromSize({x, bottom_y}, {again_w, h})),
                        ButtonKind::Secondary))
            tapped = Common::StartAgain;
        x += again_w + gap;
    }
    if (spec.one_bar) {  // the session buttons join the bottom bar, after Start again
        for (int pass = 0; pass < 2; ++pass) {
            const auto& list = pass == 0 ? start : end;
            for (std::size_t i = 0; i < list.size(); ++i) {
                const bool label = labelled(pass == 0, i);
                const float w = Width(ctx, list[i], label);
                if (Draw(ctx, list[i], Logical(ctx, Rect::FromSize({x, bottom_y}, {w, h})), label)) tapped = list[i].action;
                x += w + gap;
            }
        }
    }
    if (!next.empty()) {
        // The one primary action: wide, at the end where reading finishes.
        // When the bar is full the label wraps (TouchButton steps down a size) rather than overlap.
        const float w = std::max(std::min(next_w, d.x - edge - x), theme::kMinTouchTarget * (spec.one_bar ? 1.5f : 2.5f));
        const Rect r = Logical(ctx, Rect::FromSize({d.x - edge - w, bottom_y}, {w, h}));
        if (spec.next_enabled) {
            if (TouchButton(ctx, spec.next_key, next, r, ButtonKind::Primary)) tapped = Common::Next;
        } else {  // greyed: the same size and words, so nothing jumps when it becomes tappable
            ImDrawList* draw = ImGui::GetWindowDrawList();
            draw->AddRectFilled({r.min.x, r.min.y + 5.0f}, r.max, ctx.C().pale_blue, theme::kRounding);
            Rect inner = r.Inset(28.0f, 8.0f);
            TextSize size = TextSize::Button;
            if (MeasureText(ctx, next, size, inner.Width()).y > inner.Height()) {
                size = TextSize::Body;
                if (MeasureText(ctx, next, size, inner.Width()).y > inner.Height()) inner = r.Inset(28.0f, 0.0f);
            }
            DrawText(ctx, next, inner, Align::Centre, size, ctx.C().field_border, nullptr, spec.next_key);
        }
    }
    return {{0, spec.one_bar ? edge : body_top}, {d.x, bottom_y - (spec.one_bar ? gap : theme::kGap)}};
}

Rect ContentColumn(const Rect& body) {
    const float width = std::min(body.Width() - 2.0f * theme::kMargin, theme::kMaxContentWidth * 1.25f);
    const float x0 = std::round(body.Centre().x - width * 0.5f);
    return {{x0, body.min.y}, {x0 + width, body.max.y}};
}

float DrawQuestion(const Ctx& ctx, const Rect& column, std::string_view title_key, std::string_view hint_key,
                   bool compact, float reserve) {
    const float w = column.Width();
    const std::string title = ctx.Text(title_key);
    const std::string hint = hint_key.empty() ? std::string() : ctx.Text(hint_key);
    auto title_h = [&](TextSize size) { return MeasureText(ctx, title, size, w).y; };
    const float hint_h = hint.empty() ? 0.0f : MeasureText(ctx, hint, TextSize::Body, w).y + theme::kGap * 0.5f;
    // With `reserve` the question gives way to the answers: first the hint goes, then the heading
    // steps down a size (a tall script on a short landscape screen).
    bool show_hint = !hint.empty();
    TextSize size = compact ? TextSize::Button : TextSize::Title;
    if (reserve > 0.0f) {
        const float room = column.Height() - reserve - theme::kGap;
        if (show_hint && title_h(size) + hint_h > room) show_hint = false;
        if (!show_hint && title_h(size) > room) size = TextSize::Button;
    }
    const float th = title_h(size);
    DrawText(ctx, title, Rect::FromSize(column.min, {w, th}), Align::Start, size, ctx.C().heading, nullptr, title_key);
    float y = column.min.y + th;
    if (show_hint) {
        y += theme::kGap * 0.5f;
        DrawText(ctx, hint, Rect::FromSize({column.min.x, y}, {w, hint_h - theme::kGap * 0.5f}), Align::Start,
                 TextSize::Body, ctx.C().ink, nullptr, hint_key);
        y += hint_h - theme::kGap * 0.5f;
    }
    return y + theme::kGap;
}

float DrawError(const Ctx& ctx, std::string_view key, std::int64_t arg, const Rect& column, float y) {
    if (key.empty()) return 0.0f;
    const std::string text = ctx.catalog.Format(key, {{"age", arg}});
    const float h = MeasureText(ctx, text, TextSize::Body, column.Width() - 24.0f).y;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // A bar at the column's start edge (Logical() would mirror across the screen, not the column).
    const Rect edge = ctx.RightToLeft() ? Rect::FromSize({column.max.x - 8.0f, y}, {8.0f, h})
                                        : Rect::FromSize({column.min.x, y}, {8.0f, h});
    draw->AddRectFilled(edge.min, edge.max, ctx.C().error);
    const Rect text_rect = ctx.RightToLeft() ? Rect::FromSize({column.min.x, y}, {column.Width() - 24.0f, h})
                                             : Rect::FromSize({column.min.x + 24.0f, y}, {column.Width() - 24.0f, h});
    DrawText(ctx, text, text_rect, Align::Start, TextSize::Body, ctx.C().error, nullptr, key);
    return h;
}

}  // namespace htk::ui
