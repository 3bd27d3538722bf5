// kiosk/text/detail/bidi.h: the engine's bidi steps: paragraph levels, then per line (after line
// breaking) rule L1 and the visual runs. The algorithm is GNU FriBidi's (UBA with brackets and
// isolates; it passes every case of the UCD's BidiCharacterTest.txt, where ICU 72's ubidi fails 30 in
// explicit embeddings, marks after brackets and bracket-stack overflow); the characters' bidi classes
// and paired brackets are ICU's, so they follow the Unicode version of the rest of the engine
// (FriBidi 1.0.8's own tables are Unicode 10). Internal; the conformance test drives it too.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace htk::text::detail {

struct VisualRun {
    std::size_t start = 0;   // logical start, in paragraph (whole text) UTF-16 units
    std::size_t length = 0;
    bool rtl = false;
};

class BidiText {
public:
    // level: 0 (LTR), 1 (RTL) or -1 (auto: first strong character of each paragraph, else LTR).
    bool Set(std::u16string_view text, int level);
    int ParagraphLevelAt(std::size_t index) const;         // resolved level of the paragraph holding index
    const std::uint8_t* Levels() const { return m_unit_levels.data(); }  // resolved level per unit (before L1)

    // Reorders one line [start, end) that lies inside one paragraph: applies rule L1 and returns
    // the runs left to right. levels, if given, receives the line's levels after L1.
    bool ReorderLine(std::size_t start, std::size_t end, std::vector<VisualRun>& runs,
                     std::vector<std::uint8_t>* levels = nullptr);

private:
    struct Paragraph {
        std::size_t first_cp = 0, end_cp = 0;  // code points [first_cp, end_cp), its separator included
        int level = 0;
    };
    const Paragraph* ParagraphOfUnit(std::size_t unit) const;

    // Per code point: bidi class (FriBidiCharType), paired-bracket id (FriBidiBracketType), resolved level, first unit.
    std::vector<std::uint32_t> m_types;
    std::vector<std::uint32_t> m_brackets;
    std::vector<std::uint8_t> m_levels;
    std::vector<std::size_t> m_unit_of;   // code point -> its first UTF-16 unit; one more entry: the text's length
    std::vector<std::uint8_t> m_unit_levels;
    std::vector<Paragraph> m_paragraphs;
    // ReorderLine's scratch, kept to spare an allocation per line.
    std::vector<std::uint8_t> m_line_levels;
    std::vector<std::uint8_t> m_run_levels;
};

}  // namespace htk::text::detail
