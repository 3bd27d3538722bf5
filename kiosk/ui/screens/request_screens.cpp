// Layouts of the request screens. Each is one question in a calm column: heading at the start,
// large tiles or a field with its keyboard below, one primary action at the bottom's end. Landscape
// screens put the keyboard or number pad beside or below the question, whichever leaves targets
// their full size.
#include "ui/screens/request_screens.h"

#include <algorithm>
#include <cmath>

#include "i18n/validate.h"
#include "ui/pictograms.h"
#include "ui/text.h"
#include "ui/theme.h"

namespace htk::ui {
namespace {

constexpr float kTileIcon = 64.0f;
constexpr float kFieldHeight = 100.0f;
constexpr float kPadWidth = 3.0f * 170.0f + 2.0f * 16.0f;  // a number pad a thumb finds without looking
constexpr float kPadHeight = 4.0f * 116.0f + 3.0f * 16.0f;

// A choice card: pictogram at the start, label, and a tick box at the end when it is one of
// several (`multi`). Selected cards have a thick green outline and a filled tick.
bool Tile(const Ctx& ctx, std::string_view key, std::string_view label, std::string_view icon, const Rect& rect,
          bool selected, bool multi, const Faces* faces = nullptr) {
    const bool pressed = TouchButton(ctx, key, std::string_view{}, rect, ButtonKind::Secondary, selected);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const bool rtl = ctx.RightToLeft();
    const float pad = 24.0f;
    const float lift = (ImGui::IsItemActive() && ImGui::IsItemHovered()) ? 0.0f : 5.0f;
    const float cy = rect.Centre().y + 2.5f - lift;
    float start = rtl ? rect.max.x - pad : rect.min.x + pad;
    float end = rtl ? rect.min.x + pad : rect.max.x - pad;
    const float dir = rtl ? -1.0f : 1.0f;
    const float icon_size = std::min(kTileIcon, rect.Height() - 24.0f);
    if (!icon.empty() && ctx.pictograms && ctx.pictograms->Has(icon)) {
        const float x = rtl ? start - icon_size : start;
        ctx.pictograms->Draw(draw, icon, Rect::FromSize({x, cy - icon_size * 0.5f}, {icon_size, icon_size}), ctx.C().blue);
        start += dir * (icon_size + 20.0f);
    }
    if (multi) {  // a tick box the size of a fingertip's view
        const float box = 44.0f;
        const float x = rtl ? end : end - box;
        const Rect b = Rect::FromSize({x, cy - box * 0.5f}, {box, box});
        draw->AddRectFilled(b.min, b.max, selected ? ctx.C().selected : ctx.C().white, 8.0f);
        draw->AddRect(b.min, b.max, selected ? ctx.C().selected : ctx.C().field_border, 8.0f, 0, 3.0f);
        if (selected) {  // a tick drawn as two strokes: no font has to carry it
            const ImVec2 p1{b.min.x + 10.0f, b.min.y + 23.0f}, p2{b.min.x + 19.0f, b.min.y + 32.0f},
                p3{b.min.x + 34.0f, b.min.y + 13.0f};
            draw->AddLine(p1, p2, ctx.C().white, 5.0f);
            draw->AddLine(p2, p3, ctx.C().white, 5.0f);
        }
        end -= dir * (box + 20.0f);
    }
    const Rect text_rect = rtl ? Rect{{end, rect.min.y + 6.0f - lift}, {start, rect.max.y - lift}}
                               : Rect{{start, rect.min.y + 6.0f - lift}, {end, rect.max.y - lift}};
    TextSize size = TextSize::Button;
    if (MeasureText(ctx, label, size, text_rect.Width(), faces).y > text_rect.Height()) size = TextSize::Body;
    DrawText(ctx, label, text_rect, Align::Start, size, ctx.C().ink, faces, key);
    return pressed;
}

// Columns and row height for `n` tiles in `area`: the fewest columns (up to `max_cols`) whose rows
// fit at `min_h` or more; rows no taller than `max_h`.
struct Grid {
    int cols = 1;
    float cell_w = 0, cell_h = 0, gap = theme::kGap * 0.6f;
    Rect Cell(const Rect& area, int i) const {
        return Rect::FromSize({area.min.x + static_cast<float>(i % cols) * (cell_w + gap),
                               area.min.y + static_cast<float>(i / cols) * (cell_h + gap)},
                              {cell_w, cell_h});
    }
    float Height(int n) const {
        const int rows = (n + cols - 1) / cols;
        return static_cast<float>(rows) * cell_h + static_cast<float>(std::max(rows - 1, 0)) * gap;
    }
};

Grid LayoutGrid(int n, const Rect& area, float min_h, float max_h, int max_cols, float min_w) {
    Grid g;
    for (g.cols = 1;; ++g.cols) {
        const int rows = (n + g.cols - 1) / g.cols;
        g.cell_h = (area.Height() - g.gap * static_cast<float>(rows - 1)) / static_cast<float>(std::max(rows, 1));
        const float w = (area.Width() - g.gap * static_cast<float>(g.cols)) / static_cast<float>(g.cols + 1);
        if (g.cell_h >= min_h || g.cols == max_cols || w < min_w) break;
    }
    g.cell_h = std::clamp(g.cell_h, min_h, max_h);
    g.cell_w = (area.Width() - g.gap * static_cast<float>(g.cols - 1)) / static_cast<float>(g.cols);
    return g;
}

// Mirrors a rect within `area` for right-to-left sessions (grids fill from the start side).
Rect InArea(const Ctx& ctx, const Rect& area, const Rect& r) {
    if (!ctx.RightToLeft()) return r;
    return {{area.min.x + area.max.x - r.max.x, r.min.y}, {area.min.x + area.max.x - r.min.x, r.max.y}};
}

// A list taller than its area scrolls by dragging anywhere in it; returns the offset to add to y.
// The tap a drag began is cancelled by the widgets' slop rule (theme::kTapSlop).
float BeginScroll(const Ctx& ctx, StepState& step, const Rect& area, float content_h) {
    const ImGuiIO& io = ImGui::GetIO();
    const float max_scroll = std::max(0.0f, content_h - area.Height());
    const float slop = theme::kTapSlop;
    if (io.MouseDown[ImGuiMouseButton_Left] && area.Contains(io.MouseClickedPos[ImGuiMouseButton_Left]) &&
        io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] > slop * slop)
        step.scroll -= io.MouseDelta.y;
    step.scroll = std::clamp(step.scroll, 0.0f, max_scroll);
    ImGui::PushClipRect(area.min, area.max, true);
    if (max_scroll > 0.0f) {  // a thin bar at the end edge: there is more below
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const float track = area.Height();
        const float thumb = std::max(48.0f, track * area.Height() / content_h);
        const float y = area.min.y + (track - thumb) * (step.scroll / max_scroll);
        const float x = ctx.RightToLeft() ? area.min.x : area.max.x - 6.0f;
        draw->AddRectFilled({x, y}, {x + 6.0f, y + thumb}, ctx.C().field_border, 3.0f);
    }
    return -step.scroll;
}

void EndScroll() { ImGui::PopClipRect(); }

// Whether a tile at `r` is inside the visible list: hidden tiles are not drawn (or tappable).
bool Visible(const Rect& area, const Rect& r) { return r.max.y > area.min.y && r.min.y < area.max.y; }

float FieldAndPadLayout(const Ctx& ctx, const Rect& column, float y, TextFieldView& field, std::string_view key,
                        const StepState& step) {
    TextField(ctx, key, field, Rect::FromSize({column.min.x, y}, {column.Width(), kFieldHeight}));
    y += kFieldHeight + 8.0f;
    if (!step.error_key.empty()) y += DrawError(ctx, step.error_key, step.error_arg, column, y) + 8.0f;
    return y;
}

// Body text below a heading, as one paragraph; returns its height.
float Paragraph(const Ctx& ctx, std::string_view key, const std::string& text, const Rect& column, float y,
                TextSize size = TextSize::Body) {
    const float h = MeasureText(ctx, text, size, column.Width()).y;
    DrawText(ctx, text, Rect::FromSize({column.min.x, y}, {column.Width(), h}), Align::Start, size, ctx.C().ink,
             nullptr, key);
    return h;
}

StepIntent Chromed(const Ctx& ctx, const Chrome& chrome, const ChromeSpec& spec, Rect& body) {
    StepIntent intent;
    body = DrawChrome(ctx, chrome, spec, intent.common);
    return intent;
}

// A message screen's chrome: no top bar, no Back, one button (and Start again when asked for).
StepIntent MessageChrome(const Ctx& ctx, std::string_view next_key, bool start_again, Rect& body) {
    return Chromed(ctx, Chrome{}, {.next_key = next_key, .back = false, .start_again = start_again, .top_bar = false},
                   body);
}

// A keyboard screen (note, name): the question, the field, the keyboard under it.
StepIntent KeyboardScreen(TextFieldView& field, std::string_view field_key, std::string_view title_key,
                          std::string_view hint_key, StepState& step, const Ctx& ctx, const Chrome& chrome) {
    // Keys as wide as the screen allows: a 14-key Bengali row stays one row at 1232 px (14 x 88).
    const float kb_width = std::min(ctx.display.x - theme::kMargin, 1500.0f);
    const float kb_h = KeyboardHeight(ctx, ctx.keyboards, kb_width);
    const float column_w = std::min(ctx.display.x - 2.0f * theme::kMargin, theme::kMaxContentWidth * 1.25f);
    const float title_h = MeasureText(ctx, ctx.Text(title_key), TextSize::Title, column_w).y;
    const float compact_h = MeasureText(ctx, ctx.Text(title_key), TextSize::Button, column_w).y;
    const float hint_h = MeasureText(ctx, ctx.Text(hint_key), TextSize::Body, column_w).y + theme::kGap * 0.5f;
    const float fixed = kFieldHeight + 8.0f + kb_h + 2.0f * theme::kGap;
    // The most the screen can keep, in order: everything; without the hint; a smaller question;
    // and on a short landscape screen the top bar's buttons join the bottom bar.
    bool one_bar = false, compact = false, hint = true;
    if (title_h + hint_h + fixed > BodyHeight(ctx, false)) hint = false;
    if (!hint && title_h + fixed > BodyHeight(ctx, false)) compact = true;
    if (compact && compact_h + fixed > BodyHeight(ctx, false)) one_bar = true;
    // Last, on the shortest screens with the tallest keyboards, the question moves into the empty field.
    const bool in_field = one_bar && compact_h + fixed > BodyHeight(ctx, true);
    Rect body;
    StepIntent intent = Chromed(ctx, chrome, {.next_key = "common.next", .one_bar = one_bar}, body);
    const Rect column = ContentColumn(body);
    float y = column.min.y;
    if (!in_field) y = DrawQuestion(ctx, column, title_key, hint ? hint_key : std::string_view{}, compact);
    if (one_bar && !in_field) y -= theme::kGap * 0.5f;
    field.focused = true;  // the keyboard is always up on these screens
    const float field_y = y;
    y = FieldAndPadLayout(ctx, column, y, field, field_key, step);
    if (in_field && field.text.empty())
        DrawText(ctx, ctx.Text(title_key), Rect::FromSize({column.min.x, field_y}, {column.Width(), kFieldHeight}).Inset(40.0f, 0.0f),
                 Align::Start, TextSize::Body, ctx.C().field_border, nullptr, title_key);
    const float kb_top = std::max(y + (one_bar ? 0.0f : theme::kGap * 0.5f), body.max.y - kb_h);
    const float x0 = std::round(body.Centre().x - kb_width * 0.5f);
    if (!ctx.keyboards.empty())
        DrawKeyboard(ctx, ctx.keyboards, step.keyboard, field, Rect::FromSize({x0, kb_top}, {kb_width, kb_h}));
    return intent;
}

}  // namespace

std::string SlotKey(std::size_t index) { return "booking.slot." + std::to_string(index); }

StepIntent DrawReasons(Answers& answers, StepState& step, const Ctx& ctx, const Chrome& chrome) {
    Rect body;
    StepIntent intent = Chromed(ctx, chrome, {.next_key = "common.next", .next_enabled = !answers.reasons.empty()}, body);
    const Rect column = ContentColumn(body);
    const float y = DrawQuestion(ctx, column, "reasons.title", "reasons.hint");
    const Rect area{{column.min.x, y}, column.max};
    const auto reasons = core::AllReasons();
    const int n = static_cast<int>(reasons.size());
    Grid grid = LayoutGrid(n, area, 112.0f, 180.0f, 3, 360.0f);
    // Every tile tall enough for its words (the list scrolls when they are many), with fewer, wider
    // columns when three would make the words too tall; never taller than the list itself.
    for (;; --grid.cols) {
        grid.cell_w = (area.Width() - grid.gap * static_cast<float>(grid.cols - 1)) / static_cast<float>(grid.cols);
        const float text_w = grid.cell_w - 2.0f * 24.0f - (kTileIcon + 20.0f) - (44.0f + 20.0f);
        float need = 0;
        for (core::Reason r : reasons)
            need = std::max(need, MeasureText(ctx, ctx.Text("reasons." + std::string(core::Key(r))), TextSize::Body,
                                              text_w).y + 20.0f);
        if (need <= 180.0f || grid.cols == 1) {
            grid.cell_h = std::min(std::max(grid.cell_h, need), area.Height());
            break;
        }
    }
    const float offset = BeginScroll(ctx, step, area, grid.Height(n));
    for (int i = 0; i < n; ++i) {
        const core::Reason r = reasons[static_cast<std::size_t>(i)];
        Rect cell = grid.Cell(area, i);
        cell.min.y += offset;
        cell.max.y += offset;
        if (!Visible(area, cell)) continue;
        const std::string key = "reasons." + std::string(core::Key(r));
        const bool on = answers.reasons.contains(r);
        if (Tile(ctx, key, ctx.Text(key), core::Key(r), InArea(ctx, area, cell), on, true)) {
            if (on) answers.reasons.erase(r);
            else answers.reasons.insert(r);
        }
    }
    EndScroll();
    return intent;
}

StepIntent DrawCrisis(StepState& step, const Ctx& ctx, const Chrome& chrome) {
    Rect body;
    StepIntent intent = Chromed(ctx, chrome, {.next_key = "crisis.continue"}, body);
    const Rect column = ContentColumn(body);
    // The reception button is fixed at the bottom; the numbers above it scroll on a screen too
    // short for them (Nastaliq at 1280x800), never pushed out of reach.
    const Rect button = Rect::FromSize({column.min.x, column.max.y - theme::kButtonHeight}, {column.Width(), theme::kButtonHeight});
    const float y = DrawQuestion(ctx, Rect{column.min, {column.max.x, button.min.y}}, "crisis.title", {}, false,
                                 button.min.y - column.min.y - 220.0f);
    // The numbers are isolated ASCII: "116 123" must not reverse its groups in a right-to-left sentence.
    const std::string text = ctx.catalog.Format("crisis.body", {{"emergency", i18n::AsciiIsolated("999")},
                                                                {"nhs111", i18n::AsciiIsolated("111")},
                                                                {"option", i18n::AsciiIsolated("2")},
                                                                {"samaritans", i18n::AsciiIsolated("116 123")}});
    const float pad = 32.0f;
    const float text_w = column.Width() - 2.0f * pad - 12.0f;
    const Rect area{{column.min.x, y}, {column.max.x, button.min.y - theme::kGap}};
    TextSize size = TextSize::Button;  // large type when it fits, body type on a short screen
    float h = MeasureText(ctx, text, size, text_w).y;
    if (h + 2.0f * pad > area.Height()) {
        size = TextSize::Body;
        h = MeasureText(ctx, text, size, text_w).y;
    }
    const float offset = BeginScroll(ctx, step, area, h + 2.0f * pad);
    const Rect callout{{column.min.x, y + offset}, {column.max.x, y + offset + h + 2.0f * pad}};
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(callout.min, callout.max, ctx.C().callout, 8.0f);
    const Rect edge = ctx.RightToLeft() ? Rect{{callout.max.x - 12.0f, callout.min.y}, callout.max}
                                        : Rect{callout.min, {callout.min.x + 12.0f, callout.max.y}};
    draw->AddRectFilled(edge.min, edge.max, ctx.C().ink);
    const float ty = callout.min.y + pad;
    const Rect text_rect = ctx.RightToLeft() ? Rect{{callout.min.x + pad, ty}, {callout.max.x - pad - 12.0f, ty + h}}
                                             : Rect{{callout.min.x + pad + 12.0f, ty}, {callout.max.x - pad, ty + h}};
    DrawText(ctx, text, text_rect, Align::Start, size, ctx.C().ink, nullptr, "crisis.body");
    EndScroll();
    if (TouchButton(ctx, "crisis.reception", button, ButtonKind::Secondary)) intent.choice = kChoiceReception;
    return intent;
}

StepIntent DrawNote(Answers& answers, StepState& step, const Ctx& ctx, const Chrome& chrome) {
    return KeyboardScreen(answers.note, "note.field", "note.title", "note.hint", step, ctx, chrome);
}

StepIntent DrawName(Answers& answers, StepState& step, const Ctx& ctx, const Chrome& chrome) {
    return KeyboardScreen(answers.name, "name.field", "name.title", "name.hint", step, ctx, chrome);
}

StepIntent DrawDateOfBirth(Answers& answers, StepState& step, const Ctx& ctx, const Chrome& chrome) {
    Rect body;
    StepIntent intent = Chromed(ctx, chrome, {.next_key = "common.next"}, body);
    const Rect column = ContentColumn(body);
    const bool wide = body.Width() > body.Height() * 1.3f;
    const float pad_w = kPadWidth;
    const Rect left = wide ? InArea(ctx, column, Rect{column.min, {column.max.x - pad_w - theme::kGap * 2.0f, column.max.y}})
                           : column;
    float y = DrawQuestion(ctx, left, "dob.title", {});
    TextFieldView* fields[3] = {&answers.day, &answers.month, &answers.year};
    const char* keys[3] = {"dob.day", "dob.month", "dob.year"};
    const float widths[3] = {0.28f, 0.28f, 0.44f};
    // Day, month, year in the British order the NHS number letters use, whatever the script.
    float x = left.min.x;
    const float label_h = MeasureText(ctx, ctx.Text("dob.year"), TextSize::Body).y;
    for (int i = 0; i < 3; ++i) {
        const float w = widths[i] * (left.Width() - 2.0f * theme::kGap * 0.5f);
        const Rect label = InArea(ctx, left, Rect::FromSize({x, y}, {w, label_h}));
        DrawText(ctx, ctx.Text(keys[i]), label, Align::Start, TextSize::Body, ctx.C().ink, nullptr, keys[i]);
        fields[i]->focused = step.focus == i;
        const Rect f = InArea(ctx, left, Rect::FromSize({x, y + label_h + 6.0f}, {w, kFieldHeight}));
        TextFieldView before = *fields[i];
        TextField(ctx, std::string(keys[i]) + ".field", *fields[i], f);
        if (fields[i]->focused && !before.focused) step.focus = i;
        x += w + theme::kGap * 0.5f;
    }
    for (int i = 0; i < 3; ++i) fields[i]->focused = step.focus == i;
    y += label_h + 6.0f + kFieldHeight + 8.0f;
    if (!step.error_key.empty()) y += DrawError(ctx, step.error_key, step.error_arg, left, y) + 8.0f;

    TextFieldView& field = *fields[step.focus];
    const std::size_t max_digits = step.focus == 2 ? 4 : 2;
    const float pad_h = std::max(NumberPadHeight(), std::min(kPadHeight, body.Height() - (wide ? 0.0f : y - body.min.y + theme::kGap)));
    const Rect pad = wide ? InArea(ctx, column, Rect::FromSize({column.max.x - pad_w, column.min.y}, {pad_w, pad_h}))
                          : Rect::FromSize({column.Centre().x - pad_w * 0.5f, std::max(y + theme::kGap, body.max.y - pad_h)},
                                           {pad_w, pad_h});
    const std::size_t before = field.text.size();
    DrawNumberPad(ctx, field, pad, max_digits, false);
    // A full day or month moves on to the next field, as paper forms' boxes do.
    if (field.text.size() > before && field.text.size() >= max_digits && step.focus < 2) ++step.focus;
    return intent;
}

StepIntent DrawPhone(Answers& answers, StepState& step, const Ctx& ctx, const Chrome& chrome) {
    Rect body;
    StepIntent intent = Chromed(ctx, chrome, {.next_key = "common.next"}, body);
    const Rect column = ContentColumn(body);
    const bool wide = body.Width() > body.Height() * 1.3f;
    const float pad_w = kPadWidth;
    const Rect left = wide ? InArea(ctx, column, Rect{column.min, {column.max.x - pad_w - theme::kGap * 2.0f, column.max.y}})
                           : column;
    float y = DrawQuestion(ctx, left, "phone.title", "phone.hint", false,
                           kFieldHeight + 8.0f + theme::kGap + theme::kSmallButtonHeight + (wide ? 0.0f : kPadHeight));
    answers.phone.focused = true;
    // Phone numbers are ASCII digits and read left to right in every language.
    y = FieldAndPadLayout(ctx, left, y, answers.phone, "phone.field", step);
    const float pad_h = std::max(NumberPadHeight(), std::min(kPadHeight, body.Height() - (wide ? 0.0f : y - body.min.y + theme::kGap)));
    const std::string none = ctx.Text("phone.none");
    const float none_w = std::min(left.Width(), SmallButtonWidth(ctx, none));
    Rect pad;
    Rect none_rect;
    if (wide) {
        pad = InArea(ctx, column, Rect::FromSize({column.max.x - pad_w, column.min.y}, {pad_w, pad_h}));
        none_rect = InArea(ctx, left, Rect::FromSize({left.min.x, y + theme::kGap}, {none_w, theme::kSmallButtonHeight}));
    } else {
        none_rect = InArea(ctx, left, Rect::FromSize({left.min.x, y + theme::kGap * 0.5f}, {none_w, theme::kSmallButtonHeight}));
        pad = Rect::FromSize({column.Centre().x - pad_w * 0.5f,
                              std::max(none_rect.max.y + theme::kGap, body.max.y - pad_h)},
                             {pad_w, pad_h});
    }
    DrawNumberPad(ctx, answers.phone, pad, 15, true);
    if (TouchButton(ctx, "phone.none", none, none_rect, ButtonKind::Secondary)) intent.choice = kChoiceNoPhone;
    return intent;
}

StepIntent DrawContact(Answers& answers, StepState&, const Ctx& ctx, const Chrome& chrome) {
    Rect body;
    const bool chosen = answers.contact != core::ContactMethod::Phone;
    StepIntent intent = Chromed(ctx, chrome, {.next_key = "common.next", .next_enabled = chosen}, body);
    const Rect column = ContentColumn(body);
    float y = DrawQuestion(ctx, column, "contact.title", {}, false, 2.0f * (theme::kMinTouchTarget + 60.0f));
    struct Option {
        core::ContactMethod method;
        const char* key;
        const char* hint;
        const char* icon;
    };
    const Option options[] = {{core::ContactMethod::Letter, "contact.letter", "contact.letter_hint", "letter"},
                              {core::ContactMethod::CallIn, "contact.call_in", "contact.call_in_hint", "reception"}};
    float hints = 0;
    for (const Option& o : options) hints += MeasureText(ctx, ctx.Text(o.hint), TextSize::Body, column.Width()).y;
    const float tile_h = std::clamp((column.max.y - y - hints - 2.0f * (10.0f + theme::kGap)) / 2.0f,
                                    theme::kMinTouchTarget, theme::kButtonHeight);
    for (const Option& o : options) {
        const Rect tile = Rect::FromSize({column.min.x, y}, {column.Width(), tile_h});
        if (Tile(ctx, o.key, ctx.Text(o.key), o.icon, tile, answers.contact == o.method, false))
            answers.contact = o.method;
        y += tile_h + 10.0f;
        y += Paragraph(ctx, o.hint, ctx.Text(o.hint), column, y) + theme::kGap;
    }
    return intent;
}

StepIntent DrawContactLanguage(Answers& answers, StepState& step, const Ctx& ctx, const Chrome& chrome,
                               std::span<const LanguageChoice> languages) {
    Rect body;
    StepIntent intent = Chromed(ctx, chrome, {.next_key = "common.next"}, body);
    const Rect column = ContentColumn(body);
    float y = DrawQuestion(ctx, column, "contact_language.title", {});
    const Rect tile = Rect::FromSize({column.min.x, y}, {column.Width(), theme::kButtonHeight});
    if (Tile(ctx, "contact_language.interpreter", ctx.Text("contact_language.interpreter"), "interpreter", tile,
             answers.interpreter, true))
        answers.interpreter = !answers.interpreter;
    y += theme::kButtonHeight + 10.0f;
    y += Paragraph(ctx, "contact_language.interpreter_hint", ctx.Text("contact_language.interpreter_hint"), column, y) +
         theme::kGap;
    const Rect area{{column.min.x, y}, column.max};
    const int n = static_cast<int>(languages.size());
    const Grid grid = LayoutGrid(n, area, theme::kMinTouchTarget, 110.0f, 4, 220.0f);
    const float offset = BeginScroll(ctx, step, area, grid.Height(n));
    for (int i = 0; i < n; ++i) {
        const LanguageChoice& l = languages[static_cast<std::size_t>(i)];
        Rect cell = grid.Cell(area, i);
        cell.min.y += offset;
        cell.max.y += offset;
        if (!Visible(area, cell)) continue;
        if (TouchButton(ctx, "contact_language." + l.tag, l.endonym, InArea(ctx, area, cell), ButtonKind::Secondary,
                        l.tag == answers.contact_language, &l.faces))
            answers.contact_language = l.tag;
    }
    EndScroll();
    return intent;
}

StepIntent DrawTimes(Answers& answers, StepState&, const Ctx& ctx, const Chrome& chrome) {
    Rect body;
    StepIntent intent = Chromed(ctx, chrome, {.next_key = "common.next", .next_enabled = !answers.times.empty()}, body);
    const Rect column = ContentColumn(body);
    float y = DrawQuestion(ctx, column, "times.title", "times.hint", false,
                           3.0f * theme::kMinTouchTarget + 2.0f * theme::kGap * 0.6f);
    const float gap = theme::kGap * 0.6f;
    const float tile_h = std::clamp((column.max.y - y - 2.0f * gap) / 3.0f, theme::kMinTouchTarget, theme::kButtonHeight);
    for (core::BestTime t : {core::BestTime::Morning, core::BestTime::Afternoon, core::BestTime::Evening}) {
        const std::string key = "times." + std::string(core::Key(t));
        const bool on = answers.times.contains(t);
        if (Tile(ctx, key, ctx.Text(key), {}, Rect::FromSize({column.min.x, y}, {column.Width(), tile_h}), on, true)) {
            if (on) answers.times.erase(t);
            else answers.times.insert(t);
        }
        y += tile_h + gap;
    }
    return intent;
}

StepIntent DrawConsent(int months, StepState& step, const Ctx& ctx, const Chrome& chrome) {
    Rect body;
    StepIntent intent = Chromed(ctx, chrome, {.next_key = "consent.agree"}, body);
    const Rect column = ContentColumn(body);
    const float y = DrawQuestion(ctx, column, "consent.title", {});
    const std::string text = ctx.catalog.Format("consent.body", {{"months", std::int64_t{months}}});
    const float button_h = theme::kSmallButtonHeight;
    const Rect area{{column.min.x, y}, {column.max.x, column.max.y - button_h - theme::kGap}};
    const float h = MeasureText(ctx, text, TextSize::Button, area.Width() - 16.0f).y;
    const float offset = BeginScroll(ctx, step, area, h);
    DrawText(ctx, text, Rect::FromSize({area.min.x, area.min.y + offset}, {area.Width() - 16.0f, h}), Align::Start,
             TextSize::Button, ctx.C().ink, nullptr, "consent.body");
    EndScroll();
    const std::string reception = ctx.Text("home.reception");
    const float w = std::min(column.Width(), SmallButtonWidth(ctx, reception));
    if (TouchButton(ctx, "home.reception", reception,
                    InArea(ctx, column, Rect::FromSize({column.min.x, column.max.y - button_h}, {w, button_h})),
                    ButtonKind::Secondary))
        intent.choice = kChoiceReception;
    return intent;
}

StepIntent DrawReview(std::span<const ReviewRow> rows, bool booking, StepState& step, const Ctx& ctx,
                      const Chrome& chrome) {
    Rect body;
    StepIntent intent = Chromed(ctx, chrome, {.next_key = booking ? "review.book" : "review.send"}, body);
    const Rect column = ContentColumn(body);
    const float y = DrawQuestion(ctx, column, "review.title", {});
    const Rect area{{column.min.x, y}, column.max};
    // Each row: label over value at the start, Change at the end; rows separated by rules.
    const std::string change = ctx.Text("common.change");
    const float change_w = SmallButtonWidth(ctx, change);
    const float text_w = area.Width() - change_w - theme::kGap;
    std::vector<float> heights;
    float total = 0;
    for (const ReviewRow& row : rows) {
        const float h = std::max(theme::kSmallButtonHeight + 16.0f,
                                 MeasureText(ctx, ctx.Text(row.label_key), TextSize::Body, text_w).y +
                                     MeasureText(ctx, row.value, TextSize::Button, text_w).y + 24.0f);
        heights.push_back(h);
        total += h;
    }
    const float offset = BeginScroll(ctx, step, area, total);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    float row_y = area.min.y + offset;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ReviewRow& row = rows[i];
        const Rect r = Rect::FromSize({area.min.x, row_y}, {area.Width(), heights[i]});
        row_y += heights[i];
        if (!Visible(area, r)) continue;
        const std::string label = ctx.Text(row.label_key);
        const float label_h = MeasureText(ctx, label, TextSize::Body, text_w).y;
        const Rect text_col = InArea(ctx, area, Rect::FromSize({r.min.x, r.min.y + 12.0f}, {text_w, r.Height() - 24.0f}));
        DrawText(ctx, label, Rect::FromSize(text_col.min, {text_w, label_h}), Align::Start, TextSize::Body,
                 ctx.C().field_border, nullptr, row.label_key);
        DrawText(ctx, row.value, Rect{{text_col.min.x, text_col.min.y + label_h}, text_col.max}, Align::Start,
                 TextSize::Button, ctx.C().ink);
        if (row.changeable &&
            TouchButton(ctx, "review.change." + std::to_string(i), change,
                        InArea(ctx, area, Rect::FromSize({r.max.x - change_w, r.Centre().y - theme::kSmallButtonHeight * 0.5f},
                                                         {change_w, theme::kSmallButtonHeight})),
                        ButtonKind::Secondary))
            intent.choice = kChoiceFirstItem + static_cast<int>(i);
        draw->AddLine({r.min.x, r.max.y - 1.0f}, {r.max.x, r.max.y - 1.0f}, ctx.C().field_border, 1.0f);
    }
    EndScroll();
    return intent;
}

StepIntent DrawSent(const std::string& reference, const std::string& when, const Ctx& ctx) {
    Rect body;
    StepIntent intent = MessageChrome(ctx, "sent.finish", false, body);
    const Rect column = ContentColumn(body);
    const bool booked = !when.empty();
    float y = column.min.y + theme::kGap;
    const std::string title = ctx.Text(booked ? "sent.booked" : "sent.title");
    y += Paragraph(ctx, booked ? "sent.booked" : "sent.title", title, column, y, TextSize::Title) + theme::kGap;
    if (booked) y += Paragraph(ctx, "sent.when", when, column, y, TextSize::Button) + theme::kGap;
    y += Paragraph(ctx, "sent.reference", ctx.Text("sent.reference"), column, y) + 12.0f;
    // The reference in large ASCII on white: reception reads it off the screen or a phone photo.
    const float code_h = MeasureText(ctx, reference, TextSize::Hero).y + 48.0f;
    const float code_w = std::min(column.Width(), MeasureText(ctx, reference, TextSize::Hero).x + 120.0f);
    const Rect code = InArea(ctx, column, Rect::FromSize({column.min.x, y}, {code_w, code_h}));
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(code.min, code.max, ctx.C().white, 12.0f);
    draw->AddRect(code.min, code.max, ctx.C().heading, 12.0f, 0, 4.0f);
    DrawText(ctx, reference, code, Align::Centre, TextSize::Hero, ctx.C().heading, nullptr, "sent.code");
    y = code.max.y + theme::kGap;
    y += Paragraph(ctx, "sent.show", ctx.Text("sent.show"), column, y, TextSize::Button) + theme::kGap * 0.5f;
    if (!booked) Paragraph(ctx, "sent.next", ctx.Text("sent.next"), column, y, TextSize::Button);
    return intent;
}

StepIntent DrawSlots(std::span<const SlotChoice> slots, const std::string& note, StepState& step, const Ctx& ctx,
                     const Chrome& chrome) {
    Rect body;
    StepIntent intent = Chromed(ctx, chrome, {}, body);
    const Rect column = ContentColumn(body);
    float y = DrawQuestion(ctx, column, "booking.title", {});
    if (!note.empty()) y += Paragraph(ctx, "booking.note", note, column, y) + theme::kGap * 0.5f;
    const Rect area{{column.min.x, y}, column.max};
    // Day headings with the day's times in a grid under each; the list scrolls by dragging.
    const int cols = std::max(2, static_cast<int>(area.Width() / 300.0f));
    const float gap = theme::kGap * 0.5f;
    const float cell_w = (area.Width() - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    const float cell_h = theme::kButtonHeight;
    const float day_h = MeasureText(ctx, slots.empty() ? std::string() : slots.front().day, TextSize::Button).y + 24.0f;
    struct Placed {
        std::size_t index;
        Rect rect;
        bool heading;
    };
    std::vector<Placed> placed;
    float cy = 0;
    int col = 0;
    for (std::size_t i = 0; i < slots.size(); ++i) {
        const bool new_group = i == 0 || slots[i].day != slots[i - 1].day || slots[i].speaks != slots[i - 1].speaks;
        if (new_group) {
            if (i > 0) cy += cell_h + gap * 2.0f;
            placed.push_back({i, Rect::FromSize({area.min.x, cy}, {area.Width(), day_h}), true});
            cy += day_h;
            col = 0;
        } else if (col == cols) {
            cy += cell_h + gap;
            col = 0;
        }
        placed.push_back({i, Rect::FromSize({area.min.x + static_cast<float>(col) * (cell_w + gap), cy}, {cell_w, cell_h}), false});
        ++col;
    }
    const float content_h = slots.empty() ? 0.0f : cy + cell_h;
    const float offset = BeginScroll(ctx, step, area, content_h);
    for (const Placed& p : placed) {
        Rect r = p.rect;
        r.min.y += area.min.y + offset;
        r.max.y += area.min.y + offset;
        if (!Visible(area, r)) continue;
        const SlotChoice& s = slots[p.index];
        if (p.heading) {
            DrawText(ctx, s.day, InArea(ctx, area, r), Align::Start, TextSize::Button, ctx.C().heading);
            continue;
        }
        const Rect cell = InArea(ctx, area, r);
        if (TouchButton(ctx, SlotKey(p.index), std::string_view{}, cell, ButtonKind::Secondary))
            intent.choice = kChoiceFirstItem + static_cast<int>(p.index);
        const float time_h = MeasureText(ctx, s.time, TextSize::Button).y;
        DrawText(ctx, s.time, Rect{{cell.min.x + 12.0f, cell.min.y + 8.0f}, {cell.max.x - 12.0f, cell.min.y + 8.0f + time_h}},
                 Align::Centre, TextSize::Button, ctx.C().blue);
        DrawText(ctx, s.trainer, Rect{{cell.min.x + 12.0f, cell.min.y + 8.0f + time_h}, {cell.max.x - 12.0f, cell.max.y - 10.0f}},
                 Align::Centre, TextSize::Body, ctx.C().ink);
    }
    EndScroll();
    return intent;
}

StepIntent DrawSlotLost(std::span<const SlotChoice> nearest, StepState& step, const Ctx& ctx, const Chrome& chrome) {
    Rect body;
    StepIntent intent = Chromed(ctx, chrome, {}, body);
    const Rect column = ContentColumn(body);
    const float y = DrawQuestion(ctx, column, "booking.lost_title", "booking.lost_body", false,
                                 theme::kButtonHeight + theme::kSmallButtonHeight + 2.0f * theme::kGap);
    // The nearest times scroll above a fixed "See all times".
    const std::string all = ctx.Text("booking.all_times");
    const Rect all_rect = InArea(ctx, column, Rect::FromSize({column.min.x, column.max.y - theme::kSmallButtonHeight},
                                                             {std::min(column.Width(), SmallButtonWidth(ctx, all)),
                                                              theme::kSmallButtonHeight}));
    const Rect area{{column.min.x, y}, {column.max.x, all_rect.min.y - theme::kGap}};
    std::vector<std::string> labels;
    std::vector<float> heights;
    float total = 0;
    for (const SlotChoice& s : nearest) {
        labels.push_back(s.day + " \u00b7 " + s.time + " \u00b7 " + s.trainer);
        heights.push_back(std::max(theme::kButtonHeight, MeasureText(ctx, labels.back(), TextSize::Body, column.Width() - 56.0f).y + 32.0f));
        total += heights.back() + theme::kGap * 0.5f;
    }
    const float offset = BeginScroll(ctx, step, area, total);
    float row_y = area.min.y + offset;
    for (std::size_t i = 0; i < nearest.size(); ++i) {
        const Rect r = Rect::FromSize({column.min.x, row_y}, {column.Width(), heights[i]});
        row_y += heights[i] + theme::kGap * 0.5f;
        if (!Visible(area, r)) continue;
        if (TouchButton(ctx, SlotKey(i), labels[i], r, ButtonKind::Secondary))
            intent.choice = kChoiceFirstItem + static_cast<int>(i);
    }
    EndScroll();
    if (TouchButton(ctx, "booking.all_times", all, all_rect, ButtonKind::Secondary)) intent.choice = kChoiceAllTimes;
    return intent;
}

StepIntent DrawNoSlots(bool unavailable, const Ctx& ctx, const Chrome& chrome) {
    Rect body;
    StepIntent intent = Chromed(ctx, chrome, {.next_key = "booking.callback"}, body);
    const Rect column = ContentColumn(body);
    const float y = DrawQuestion(ctx, column, unavailable ? "booking.unavailable_title" : "booking.none_title", "booking.none_body");
    if (TouchButton(ctx, "home.reception", Rect::FromSize({column.min.x, y + theme::kGap}, {column.Width(), theme::kButtonHeight}),
                    ButtonKind::Secondary))
        intent.choice = kChoiceReception;
    if (intent.common == Common::Next) {
        intent.common = Common::None;
        intent.choice = kChoiceCallBack;
    }
    return intent;
}

StepIntent DrawHelp(const Ctx& ctx) {
    Rect body;
    StepIntent intent = MessageChrome(ctx, "common.close", false, body);
    const Rect column = ContentColumn(body);
    float y = column.min.y + theme::kGap;
    if (ctx.pictograms) {
        ctx.pictograms->Draw(ImGui::GetWindowDrawList(), "reception",
                             InArea(ctx, column, Rect::FromSize({column.min.x, y}, {120.0f, 120.0f})), ctx.C().blue);
        y += 120.0f + theme::kGap;
    }
    y = DrawQuestion(ctx, Rect{{column.min.x, y}, column.max}, "help.title", {});
    Paragraph(ctx, "help.body", ctx.Text("help.body"), column, y, TextSize::Button);
    return intent;
}

StepIntent DrawMoreTime(int seconds_left, const Ctx& ctx) {
    Rect body;
    StepIntent intent = MessageChrome(ctx, "more_time.yes", true, body);
    const Rect column = ContentColumn(body);
    const std::string title = ctx.Text("more_time.title");
    const std::string text = ctx.catalog.Format("more_time.body", {{"seconds", std::int64_t{seconds_left}}});
    const float title_h = MeasureText(ctx, title, TextSize::Hero, column.Width()).y;
    const float text_h = MeasureText(ctx, text, TextSize::Button, column.Width()).y;
    const float y = std::round(body.Centre().y - (title_h + theme::kGap + text_h) * 0.5f);
    DrawText(ctx, title, Rect::FromSize({column.min.x, y}, {column.Width(), title_h}), Align::Centre, TextSize::Hero,
             ctx.C().heading, nullptr, "more_time.title");
    DrawText(ctx, text, Rect::FromSize({column.min.x, y + title_h + theme::kGap}, {column.Width(), text_h}), Align::Centre,
             TextSize::Button, ctx.C().ink, nullptr, "more_time.body");
    if (intent.common == Common::Next) {
        intent.common = Common::None;
        intent.choice = kChoiceMoreTime;
    }
    return intent;
}

StepIntent DrawFailure(const Ctx& ctx) {
    Rect body;
    StepIntent intent = MessageChrome(ctx, "common.start_again", false, body);
    const Rect column = ContentColumn(body);
    float y = column.min.y + theme::kGap * 2.0f;
    if (ctx.pictograms) {
        ctx.pictograms->Draw(ImGui::GetWindowDrawList(), "reception",
                             Rect::FromSize({column.Centre().x - 80.0f, y}, {160.0f, 160.0f}), ctx.C().blue);
        y += 160.0f + theme::kGap;
    }
    const std::string title = ctx.Text("failure.title");
    const float title_h = MeasureText(ctx, title, TextSize::Hero, column.Width()).y;
    DrawText(ctx, title, Rect::FromSize({column.min.x, y}, {column.Width(), title_h}), Align::Centre, TextSize::Hero,
             ctx.C().heading, nullptr, "failure.title");
    y += title_h + theme::kGap;
    const std::string text = ctx.Text("failure.body");
    const float h = MeasureText(ctx, text, TextSize::Button, column.Width()).y;
    DrawText(ctx, text, Rect::FromSize({column.min.x, y}, {column.Width(), h}), Align::Centre, TextSize::Button,
             ctx.C().ink, nullptr, "failure.body");
    if (intent.common == Common::Next) intent.common = Common::StartAgain;
    return intent;
}

}  // namespace htk::ui
