// Where each keyed widget was drawn this frame, so tests tap by catalog key, never by pixels; and,
// when a test or the fit check asks for it, the text drawn and how it fitted. Filled by our widgets and ui/text.cpp only; nothing here
// reads ImGui internals.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/engine.h"
#include "ui/rect.h"

namespace htk::ui {

struct DrawnText {
    text::FontSetId font_set;
    std::string text;
    std::string key;   // the catalog key (or widget key) it was drawn for; empty for other text
    Rect box;          // the box the widget gave it: wrapped to its width, centred in its height
    ImVec2 size{0, 0}; // what the engine laid out: wider or taller than `box` means it did not fit
    bool truncated = false;  // the engine cut it (ellipsis, dropped lines, too long)
};

class WidgetRects {
public:
    void Clear() {
        m_rects.clear();
        m_texts.clear();
    }
    void Record(std::string_view key, const Rect& rect) { m_rects.emplace_back(std::string(key), rect); }
    std::optional<Rect> Find(std::string_view key) const {
        for (const auto& [k, r] : m_rects)
            if (k == key) return r;
        return std::nullopt;
    }
    const std::vector<std::pair<std::string, Rect>>& All() const { return m_rects; }

    // Off in the kiosk itself: a copy of what a patient typed must not outlive the frame that drew it.
    void KeepTexts(bool keep) { m_keep_texts = keep; }
    bool KeepsTexts() const { return m_keep_texts; }
    void RecordText(DrawnText drawn) {
        if (m_keep_texts) m_texts.push_back(std::move(drawn));
    }
    const std::vector<DrawnText>& Texts() const { return m_texts; }

private:
    std::vector<std::pair<std::string, Rect>> m_rects;  // few per screen: a vector beats a map
    std::vector<DrawnText> m_texts;
    bool m_keep_texts = false;
};

}  // namespace htk::ui
