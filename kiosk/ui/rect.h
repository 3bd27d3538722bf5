// A screen rectangle in pixels: how screens lay out and where widgets record themselves.
#pragma once
#include <imgui.h>

namespace htk::ui {

struct Rect {
    ImVec2 min{0, 0};
    ImVec2 max{0, 0};

    float Width() const { return max.x - min.x; }
    float Height() const { return max.y - min.y; }
    ImVec2 Size() const { return {Width(), Height()}; }
    ImVec2 Centre() const { return {(min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f}; }
    bool Contains(ImVec2 p) const { return p.x >= min.x && p.x < max.x && p.y >= min.y && p.y < max.y; }

    static Rect FromSize(ImVec2 pos, ImVec2 size) { return {pos, {pos.x + size.x, pos.y + size.y}}; }
    // A rect of `size` centred on `centre`.
    static Rect Centred(ImVec2 centre, ImVec2 size) {
        return {{centre.x - size.x * 0.5f, centre.y - size.y * 0.5f}, {centre.x + size.x * 0.5f, centre.y + size.y * 0.5f}};
    }
    Rect Inset(float dx, float dy) const { return {{min.x + dx, min.y + dy}, {max.x - dx, max.y - dy}}; }
};

}  // namespace htk::ui
