// kiosk/text/detail/bidi.h: the engine's bidi steps over ICU ubidi: paragraph levels, then per line
// (after line breaking) rule L1 and the visual runs. Internal; the conformance test drives it too.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

struct UBiDi;  // ICU's, kept opaque here

namespace htk::text::detail {

struct VisualRun {
    std::size_t start = 0;   // logical start, in paragraph (whole text) UTF-16 units
    std::size_t length = 0;
    bool rtl = false;
};

class BidiText {
public:
    BidiText();
    ~BidiText();
    BidiText(const BidiText&) = delete;
    BidiText& operator=(const BidiText&) = delete;

    // level: 0 (LTR), 1 (RTL) or -1 (auto: first strong character of each paragraph, else LTR).
    // The text must stay alive and unchanged while lines are reordered.
    bool Set(std::u16string_view text, int level);
    int ParagraphLevelAt(std::size_t index) const;          // resolved level of the paragraph holding index
    const std::uint8_t* Levels() const { return m_levels; }  // resolved level per unit (before L1)

    // Reorders one line [start, end) that lies inside one paragraph: applies rule L1 and returns
    // the runs left to right. levels, if given, receives the line's levels after L1.
    bool ReorderLine(std::size_t start, std::size_t end, std::vector<VisualRun>& runs,
                     std::vector<std::uint8_t>* levels = nullptr);

private:
    UBiDi* m_para = nullptr;
    UBiDi* m_line = nullptr;
    const std::uint8_t* m_levels = nullptr;
    std::size_t m_length = 0;
};

}  // namespace htk::text::detail
