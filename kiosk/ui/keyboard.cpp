// The keyboard and number pad are planned as rects first (one plan serves drawing and KeyboardHeight),
// then drawn with ImDrawList shapes and ui::DrawText. No state of their own: it is all in the Views.
#include "ui/keyboard.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>
#include <vector>

#include "ui/text.h"

namespace htk::ui {
namespace {

// Targets abut, as on a phone's keyboard, so a finger between two keys still hits one and a row
// of 11 keys fits a portrait screen; the faces drawn on them stand this far in from each edge.
constexpr float kKeyInset = 5.0f;
constexpr float kMaxKeyWidth = 1.6f * theme::kMinTouchTarget;   // wider only lengthens the hand's travel
constexpr float kMaxKeyHeight = 1.3f * theme::kMinTouchTarget;
constexpr float kFunctionKeyUnits = 1.5f;  // Shift, Backspace and layout keys, in letter key widths
constexpr float kMinSpaceUnits = 2.0f;
constexpr float kLabelPadding = 24.0f;     // each side of a layout key's label
constexpr float kMaxPadKeyWidth = 2.5f * theme::kMinTouchTarget;
constexpr float kKeyRounding = 10.0f;
constexpr float kKeyLift = 4.0f;           // the raised look sinks this far while held

enum class KeyKind { Letter, Shift, Layout, Space, Backspace };

struct PlacedKey {
    KeyKind kind = KeyKind::Letter;
    std::string text;        // what a Letter types, a Layout key's label
    std::size_t layout = 0;  // where a Layout key switches to
    Rect rect;
};

struct Plan {
    std::vector<PlacedKey> keys;
    float height = 0;  // top row's top to bottom row's bottom
};

float RowWidth(std::size_t keys, float key_width) { return static_cast<float>(keys) * key_width; }

// How many keys of kMinTouchTarget fit side by side in `width`.
std::size_t ColumnsIn(float width) {
    const float fit = std::floor(width / theme::kMinTouchTarget);
    return std::max<std::size_t>(1, static_cast<std::size_t>(std::max(fit, 0.0f)));
}

// The layer's rows, each wider than `columns` keys split into even parts (14 keys in 11 columns:
// 7 + 7), so that every key keeps kMinTouchTarget on a portrait screen.
std::vector<std::span<const std::string>> FitRows(const std::vector<std::vector<std::string>>& layer,
                                                  std::size_t columns) {
    std::vector<std::span<const std::string>> out;
    for (const auto& row : layer) {
        const std::size_t parts = std::max<std::size_t>(1, (row.size() + columns - 1) / columns);
        std::size_t begin = 0;
        for (std::size_t p = 0; p < parts; ++p) {
            const std::size_t n = row.size() / parts + (p < row.size() % parts ? 1 : 0);
            out.emplace_back(row.data() + begin, n);
            begin += n;
        }
    }
    return out;
}

// Lays `items` (widths set) left to right in logical order from `x0` at `y`, mirrored within
// [x0, x1] in a right-to-left session.
void PlaceRow(const Ctx& ctx, std::vector<PlacedKey>& items, const std::vector<float>& widths, float x0, float x1,
              float y, float height, std::vector<PlacedKey>& out) {
    float x = x0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        Rect r = Rect::FromSize({x, y}, {widths[i], height});
        if (ctx.RightToLeft()) r = {{x0 + x1 - r.max.x, r.min.y}, {x0 + x1 - r.min.x, r.max.y}};
        items[i].rect = r;
        out.push_back(std::move(items[i]));
        x += widths[i];
    }
}

// The function keys under the letters: [Shift] [other layouts...] [Space] [Backspace] in logical
// order across the letters' width, else across the whole rect; layout keys whose labels still do
// not fit go on a row of their own above. Returns the rows used (1 or 2) and fills `out` when
// `height` > 0.
std::size_t PlanBottom(const Ctx& ctx, std::span<const i18n::Keyboard> layouts, std::size_t current, bool has_shift,
                       float unit, float grid_x0, float grid_x1, const Rect& rect, float y, float height,
                       std::vector<PlacedKey>& out) {
    const float fn = std::floor(kFunctionKeyUnits * unit);
    std::vector<PlacedKey> switches;
    std::vector<float> switch_widths;
    for (std::size_t i = 0; i < layouts.size(); ++i) {
        if (i == current) continue;
        switches.push_back({KeyKind::Layout, layouts[i].label, i, {}});
        switch_widths.push_back(
            std::max(fn, std::ceil(MeasureText(ctx, layouts[i].label, TextSize::Button).x + 2.0f * kLabelPadding)));
    }
    const float fixed = fn + (has_shift ? fn : 0.0f);  // Backspace, Shift
    float switches_width = 0;
    for (float w : switch_widths) switches_width += w;

    auto row = [&](float x0, float x1, bool with_switches, float row_y) {
        std::vector<PlacedKey> items;
        std::vector<float> widths;
        if (has_shift) {
            items.push_back({KeyKind::Shift, {}, 0, {}});
            widths.push_back(fn);
        }
        if (with_switches)
            for (std::size_t i = 0; i < switches.size(); ++i) {
                items.push_back(switches[i]);
                widths.push_back(switch_widths[i]);
            }
        items.push_back({KeyKind::Space, {}, 0, {}});
        widths.push_back(x1 - x0 - fixed - (with_switches ? switches_width : 0.0f));
        items.push_back({KeyKind::Backspace, {}, 0, {}});
        widths.push_back(fn);
        PlaceRow(ctx, items, widths, x0, x1, row_y, height, out);
    };
    const float min_space = kMinSpaceUnits * unit;
    const float rect_x0 = std::round(rect.min.x), rect_x1 = std::round(rect.max.x);
    for (const auto& [x0, x1] : {std::pair{grid_x0, grid_x1}, std::pair{rect_x0, rect_x1}}) {
        if (x1 - x0 - fixed - switches_width >= min_space) {
            if (height > 0) row(x0, x1, true, y);
            return 1;
        }
    }
    assert(rect_x1 - rect_x0 - fixed >= min_space && "the keyboard's rect is too narrow for its function keys");
    if (height > 0) {
        const float x0 = std::round((rect_x0 + rect_x1 - switches_width) * 0.5f);
        PlaceRow(ctx, switches, switch_widths, x0, x0 + switches_width, y, height, out);
        row(rect_x0, rect_x1, false, y + height);
    }
    return 2;
}

// Every key of layout `index` in `rect`, resting on its bottom edge. A `rect` of height 0 plans at
// kMinTouchTarget and fills only Plan::height.
Plan PlanLayout(const Ctx& ctx, std::span<const i18n::Keyboard> layouts, std::size_t index, bool shifted,
                const Rect& rect) {
    const i18n::Keyboard& layout = layouts[index];
    const bool has_shift = !layout.shifted.empty();
    const auto rows = FitRows(shifted && has_shift ? layout.shifted : layout.rows, ColumnsIn(rect.Width()));
    std::size_t widest = 1;
    for (const auto& r : rows) widest = std::max(widest, r.size());
    // Whole pixels: keys of one size with crisp edges, and never a pixel under kMinTouchTarget.
    const float unit = std::floor(std::min(kMaxKeyWidth, rect.Width() / static_cast<float>(widest)));
    const float grid_w = RowWidth(widest, unit);
    const float grid_x0 = std::round(rect.min.x + (rect.Width() - grid_w) * 0.5f);
    std::vector<PlacedKey> none;
    const std::size_t bottom_rows =
        PlanBottom(ctx, layouts, index, has_shift, unit, grid_x0, grid_x0 + grid_w, rect, 0, 0, none);
    const float n = static_cast<float>(rows.size() + bottom_rows);
    const float key_h = std::floor(std::clamp(rect.Height() / n, ctx.MinKeyHeight(), std::max(kMaxKeyHeight, ctx.MinKeyHeight())));

    Plan plan;
    plan.height = n * key_h;
    if (rect.Height() <= 0) return plan;
    assert(plan.height <= rect.Height() + 0.5f && "the keyboard's rect is shorter than KeyboardHeight");
    float y = std::round(rect.max.y - plan.height);
    for (const auto& row : rows) {
        float x = grid_x0 + std::round((grid_w - RowWidth(row.size(), unit)) * 0.5f);
        for (const auto& key : row) {
            plan.keys.push_back({KeyKind::Letter, key, 0, Rect::FromSize({x, y}, {unit, key_h})});
            x += unit;
        }
        y += key_h;
    }
    PlanBottom(ctx, layouts, index, has_shift, unit, grid_x0, grid_x0 + grid_w, rect, y, key_h, plan.keys);
    return plan;
}

// A key alone that is a combining mark (a Bengali vowel sign, a virama) is shown on U+25CC so that
// it has something to sit on, as in the Unicode charts.
std::string KeyLabel(const std::string& key) {
    const auto* s = reinterpret_cast<const std::uint8_t*>(key.data());
    const auto n = static_cast<std::int32_t>(key.size());
    std::int32_t i = 0;
    UChar32 c = 0;
    U8_NEXT(s, i, n, c);
    const auto type = c < 0 ? 0 : u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK)
        return "\u25CC" + key;
    return key;
}

enum class Look { Letter, Function, Latched, Disabled };

// Draws a key's raised face inside its target; returns the face (it sinks while held) and the
// colour for its label.
std::pair<Rect, ImU32> KeyFace(const Ctx& ctx, const Rect& target, Look look, bool held) {
    const theme::Palette& c = ctx.C();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const Rect rect = target.Inset(kKeyInset, kKeyInset);
    if (look == Look::Disabled) {
        draw->AddRect(rect.min, rect.max, c.field_border & 0x60FFFFFFu, kKeyRounding, 0, 2.0f);
        return {rect, c.field_border & 0x80FFFFFFu};
    }
    const float lift = held ? 0.0f : kKeyLift;
    const Rect face{{rect.min.x, rect.min.y + (kKeyLift - lift)}, {rect.max.x, rect.max.y - lift}};
    draw->AddRectFilled({rect.min.x, rect.min.y + kKeyLift}, rect.max, c.shadow, kKeyRounding);
    ImU32 fill = c.white;
    ImU32 ink = c.ink;
    if (held) {
        fill = c.blue_pressed;
        ink = c.white;
    } else if (look == Look::Function) {
        fill = c.pale_blue;
        ink = c.blue;
    } else if (look == Look::Latched) {
        fill = c.blue;
        ink = c.white;
    }
    draw->AddRectFilled(face.min, face.max, fill, kKeyRounding);
    if (look == Look::Function && !held) draw->AddRect(face.min, face.max, c.blue, kKeyRounding, 0, 2.0f);
    return {face, ink};
}

// ⇧: an outline arrow, filled while shift is on.
void ShiftIcon(const Rect& face, ImU32 ink, bool filled) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 c = face.Centre();
    const float s = std::round(std::min(face.Width(), face.Height()) * 0.42f);
    const float h = s * 0.5f, q = s * 0.22f;
    const ImVec2 tip{c.x, c.y - h}, left{c.x - h, c.y}, right{c.x + h, c.y};
    const ImVec2 stem[4] = {{c.x - q, c.y}, {c.x + q, c.y}, {c.x + q, c.y + h}, {c.x - q, c.y + h}};
    if (filled) {
        draw->AddTriangleFilled(tip, right, left, ink);
        draw->AddRectFilled(stem[0], stem[2], ink);
        return;
    }
    const ImVec2 outline[7] = {tip, right, stem[1], stem[2], stem[3], stem[0], left};
    draw->AddPolyline(outline, 7, ink, ImDrawFlags_Closed, 3.0f);
}

// ⌫: a tag pointing back along the text with a cross in it (`tip_left` false: mirrored, for
// right-to-left text).
void BackspaceIcon(const Rect& face, ImU32 ink, bool tip_left) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 c = face.Centre();
    const float s = std::round(std::min(face.Width(), face.Height()) * 0.40f);
    const float h = s * 0.5f;
    const float dir = tip_left ? 1.0f : -1.0f;
    auto at = [&](float dx, float dy) { return ImVec2{c.x + dir * dx, c.y + dy}; };
    const ImVec2 tag[5] = {at(-1.1f * h, 0), at(-0.45f * h, -h), at(1.1f * h, -h), at(1.1f * h, h), at(-0.45f * h, h)};
    draw->AddPolyline(tag, 5, ink, ImDrawFlags_Closed, 3.0f);
    const float x = 0.32f * h;
    draw->AddLine(at(0.33f * h - x, -x), at(0.33f * h + x, x), ink, 3.0f);
    draw->AddLine(at(0.33f * h - x, x), at(0.33f * h + x, -x), ink, 3.0f);
}

// The vertices DrawText added to the window's draw list from `begin` on, and how high their ink reaches.
struct Ink {
    int begin = 0, end = 0;
    float top = 0, bottom = 0;
    bool Empty() const { return end <= begin; }
    float Centre() const { return (top + bottom) * 0.5f; }
};

Ink InkSince(int begin) {
    const ImDrawList* draw = ImGui::GetWindowDrawList();
    Ink ink{begin, draw->VtxBuffer.Size, 0, 0};
    for (int i = ink.begin; i < ink.end; ++i) {
        const float y = draw->VtxBuffer[i].pos.y;
        ink.top = i == ink.begin ? y : std::min(ink.top, y);
        ink.bottom = i == ink.begin ? y : std::max(ink.bottom, y);
    }
    return ink;
}

// Moves drawn text down by `dy` whole pixels (glyph quads stay on the pixel grid).
void MoveInk(const Ink& ink, float dy) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    dy = std::round(dy);
    if (dy == 0.0f) return;
    for (int i = ink.begin; i < ink.end; ++i) draw->VtxBuffer[i].pos.y += dy;
}

// A label centred on its ink, not its line box: a Nastaliq line is twice the height of its letters
// and would sit a lone letter, or "ABC" in an Urdu session, near the key's bottom edge.
void DrawLabel(const Ctx& ctx, std::string_view label, const Rect& face, TextSize size, ImU32 ink_colour,
               std::string_view key = {}) {
    const int begin = ImGui::GetWindowDrawList()->VtxBuffer.Size;
    DrawText(ctx, label, face, Align::Centre, size, ink_colour, nullptr, key);
    const Ink ink = InkSince(begin);
    if (!ink.Empty()) MoveInk(ink, face.Centre().y - ink.Centre());
}

}  // namespace

float KeyboardHeight(const Ctx& ctx, std::span<const i18n::Keyboard> layouts, float width) {
    float height = 0;
    const Rect measure{{0, 0}, {width, 0}};
    for (std::size_t i = 0; i < layouts.size(); ++i)  // a shifted layer has its rows' shape (ParseKeyboard)
        height = std::max(height, PlanLayout(ctx, layouts, i, false, measure).height);
    return height;
}

void DrawKeyboard(const Ctx& ctx, std::span<const i18n::Keyboard> layouts, KeyboardView& kb, TextFieldView& field,
                  const Rect& rect) {
    if (layouts.empty()) return;
    if (kb.layout >= layouts.size()) kb = {};
    const i18n::Keyboard& layout = layouts[kb.layout];
    const bool shifted = kb.shifted && !layout.shifted.empty();
    const Plan plan = PlanLayout(ctx, layouts, kb.layout, shifted, rect);

    const PlacedKey* tapped = nullptr;
    std::vector<Ink> letters;
    float letter_offset = 0;  // the letters' ink centres from their faces' centres, summed
    for (const PlacedKey& key : plan.keys) {
        std::string id;
        Look look = Look::Function;
        switch (key.kind) {
            case KeyKind::Letter:
                id = "keyboard.key." + key.text;
                look = Look::Letter;
                break;
            case KeyKind::Shift:
                id = "keyboard.shift";
                if (shifted) look = Look::Latched;
                break;
            case KeyKind::Layout: id = "keyboard.layout." + layouts[key.layout].id; break;
            case KeyKind::Space:
                id = "keyboard.space";
                look = Look::Letter;
                break;
            case KeyKind::Backspace: id = "keyboard.backspace"; break;
        }
        const TargetState state = Target(ctx, id, key.rect);
        if (state.pressed) tapped = &key;
        const auto [face, ink] = KeyFace(ctx, key.rect, look, state.held);
        switch (key.kind) {
            case KeyKind::Letter: {
                const int begin = ImGui::GetWindowDrawList()->VtxBuffer.Size;
                DrawText(ctx, KeyLabel(key.text), face.Inset(4.0f, 0.0f), Align::Centre, TextSize::Button, ink);
                if (Ink drawn = InkSince(begin); !drawn.Empty()) {
                    letter_offset += drawn.Centre() - face.Centre().y;
                    letters.push_back(drawn);
                }
                break;
            }
            case KeyKind::Shift: ShiftIcon(face, ink, shifted); break;
            case KeyKind::Layout: DrawLabel(ctx, key.text, face.Inset(8.0f, 0.0f), TextSize::Button, ink); break;
            case KeyKind::Space: {
                // Centred on its ink, so only the width can fail to fit: a Nastaliq line box is
                // taller than a key that its letters fit well inside.
                const std::string space = ctx.Text("keyboard.space");
                const Rect label = face.Inset(16.0f, 0.0f);
                const bool fits = MeasureText(ctx, space, TextSize::Body).x <= label.Width();
                DrawLabel(ctx, space, label, TextSize::Body, ink, fits ? std::string_view{} : "keyboard.space");
                break;
            }
            case KeyKind::Backspace: BackspaceIcon(face, ink, !ctx.RightToLeft()); break;
        }
    }
    // One shift for every letter, so that they keep a common baseline as printed keys do.
    if (!letters.empty()) {
        const float shift = -letter_offset / static_cast<float>(letters.size());
        for (const Ink& ink : letters) MoveInk(ink, shift);
    }
    if (!tapped) return;
    switch (tapped->kind) {
        case KeyKind::Letter:
            InsertAtCaret(field, tapped->text);
            field.focused = true;
            kb.shifted = false;
            break;
        case KeyKind::Shift: kb.shifted = !kb.shifted; break;
        case KeyKind::Layout: kb = {.layout = tapped->layout, .shifted = false}; break;
        case KeyKind::Space:
            InsertAtCaret(field, " ");
            field.focused = true;
            break;
        case KeyKind::Backspace: DeleteBeforeCaret(field); break;
    }
}

float NumberPadHeight() { return 4.0f * theme::kMinTouchTarget; }

void DrawNumberPad(const Ctx& ctx, TextFieldView& field, const Rect& rect, std::size_t max_digits, bool plus_key) {
    const float w = std::floor(std::min(kMaxPadKeyWidth, rect.Width() / 3.0f));
    const float h = std::floor(std::clamp(rect.Height() / 4.0f, theme::kMinTouchTarget, theme::kButtonHeight));
    const float x0 = std::round(rect.min.x + (rect.Width() - RowWidth(3, w)) * 0.5f);
    const float y0 = std::round(rect.max.y - 4.0f * h);
    assert(y0 >= rect.min.y - 0.5f && "the number pad's rect is shorter than NumberPadHeight");
    const std::size_t digits =
        static_cast<std::size_t>(std::count_if(field.text.begin(), field.text.end(), [](char c) { return c >= '0' && c <= '9'; }));
    field.caret = ClampCaret(field.text, field.caret);
    const bool full = digits >= max_digits;
    const bool plus_allowed = field.caret == 0 && field.text.find('+') == std::string::npos;
    static constexpr const char* kCells[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "+", "0", "\b"};

    const char* tapped = nullptr;
    for (std::size_t i = 0; i < 12; ++i) {
        const std::string_view cell = kCells[i];
        if (cell == "+" && !plus_key) continue;
        const Rect r = Rect::FromSize({x0 + static_cast<float>(i % 3) * w, y0 + static_cast<float>(i / 3) * h}, {w, h});
        const bool backspace = cell == "\b";
        const std::string id = backspace ? "numpad.backspace" : cell == "+" ? "numpad.plus" : "numpad." + std::string(cell);
        const TargetState state = Target(ctx, id, r);
        if (state.pressed) tapped = kCells[i];
        const bool enabled = backspace || (cell == "+" ? plus_allowed : !full);
        const Look look = !enabled ? Look::Disabled : backspace ? Look::Function : Look::Letter;
        const auto [face, ink] = KeyFace(ctx, r, look, state.held && enabled);
        if (backspace)
            BackspaceIcon(face, ink, true);  // digits run left to right in every language
        else
            DrawLabel(ctx, cell, face, TextSize::Title, ink);
    }
    if (!tapped) return;
    const std::string_view t = tapped;
    if (t == "\b") {
        DeleteBeforeCaret(field);
    } else if (t == "+" ? plus_allowed : !full) {
        InsertAtCaret(field, t);
        field.focused = true;
    }
}

}  // namespace htk::ui
