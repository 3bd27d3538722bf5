// kiosk/text/detail/bidi.cpp: FriBidi's algorithm over ICU's character properties (see bidi.h).
// No line breaking here.
#include "text/detail/bidi.h"

#include <fribidi.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>

#include <algorithm>

namespace htk::text::detail {

namespace {

FriBidiCharType TypeOf(UChar32 c) {
    switch (u_charDirection(c)) {
        case U_LEFT_TO_RIGHT: return FRIBIDI_TYPE_LTR;
        case U_RIGHT_TO_LEFT: return FRIBIDI_TYPE_RTL;
        case U_RIGHT_TO_LEFT_ARABIC: return FRIBIDI_TYPE_AL;
        case U_EUROPEAN_NUMBER: return FRIBIDI_TYPE_EN;
        case U_EUROPEAN_NUMBER_SEPARATOR: return FRIBIDI_TYPE_ES;
        case U_EUROPEAN_NUMBER_TERMINATOR: return FRIBIDI_TYPE_ET;
        case U_ARABIC_NUMBER: return FRIBIDI_TYPE_AN;
        case U_COMMON_NUMBER_SEPARATOR: return FRIBIDI_TYPE_CS;
        case U_BLOCK_SEPARATOR: return FRIBIDI_TYPE_BS;
        case U_SEGMENT_SEPARATOR: return FRIBIDI_TYPE_SS;
        case U_WHITE_SPACE_NEUTRAL: return FRIBIDI_TYPE_WS;
        case U_LEFT_TO_RIGHT_EMBEDDING: return FRIBIDI_TYPE_LRE;
        case U_LEFT_TO_RIGHT_OVERRIDE: return FRIBIDI_TYPE_LRO;
        case U_RIGHT_TO_LEFT_EMBEDDING: return FRIBIDI_TYPE_RLE;
        case U_RIGHT_TO_LEFT_OVERRIDE: return FRIBIDI_TYPE_RLO;
        case U_POP_DIRECTIONAL_FORMAT: return FRIBIDI_TYPE_PDF;
        case U_DIR_NON_SPACING_MARK: return FRIBIDI_TYPE_NSM;
        case U_BOUNDARY_NEUTRAL: return FRIBIDI_TYPE_BN;
        case U_LEFT_TO_RIGHT_ISOLATE: return FRIBIDI_TYPE_LRI;
        case U_RIGHT_TO_LEFT_ISOLATE: return FRIBIDI_TYPE_RLI;
        case U_FIRST_STRONG_ISOLATE: return FRIBIDI_TYPE_FSI;
        case U_POP_DIRECTIONAL_ISOLATE: return FRIBIDI_TYPE_PDI;
        default: return FRIBIDI_TYPE_ON;
    }
}

// BD16 matches brackets by their canonical equivalents: U+2329/U+232A are U+3008/U+3009.
UChar32 CanonicalBracket(UChar32 c) { return c == 0x2329 ? 0x3008 : c == 0x232A ? 0x3009 : c; }

// FriBidi's bracket id: the opening bracket's code point, with the open bit on the opening one.
FriBidiBracketType BracketOf(UChar32 c) {
    switch (u_getIntPropertyValue(c, UCHAR_BIDI_PAIRED_BRACKET_TYPE)) {
        case U_BPT_OPEN: return static_cast<FriBidiBracketType>(CanonicalBracket(c)) | FRIBIDI_BRACKET_OPEN_MASK;
        case U_BPT_CLOSE: return static_cast<FriBidiBracketType>(CanonicalBracket(u_getBidiPairedBracket(c)));
        default: return FRIBIDI_NO_BRACKET;
    }
}

}  // namespace

bool BidiText::Set(std::u16string_view text, int level) {
    m_types.clear();
    m_brackets.clear();
    m_unit_of.clear();
    m_paragraphs.clear();
    for (std::size_t i = 0; i < text.size();) {
        m_unit_of.push_back(i);
        UChar32 c = 0;
        U16_NEXT(text.data(), i, text.size(), c);  // an unpaired surrogate comes out as itself: class L, as ICU had it
        const FriBidiCharType type = TypeOf(c);
        m_types.push_back(type);
        m_brackets.push_back(type == FRIBIDI_TYPE_ON ? BracketOf(c) : FRIBIDI_NO_BRACKET);  // every paired bracket is ON
    }
    m_unit_of.push_back(text.size());
    const std::size_t count = m_types.size();
    m_levels.assign(count, 0);
    // Most text of a left-to-right language has no character that could raise a level: with no R, AL,
    // AN or explicit code, W7 makes every EN an L and N1 every neutral, so all stay at 0 (UBA 3.3).
    const bool all_ltr = level != 1 && std::none_of(m_types.begin(), m_types.end(), [](std::uint32_t t) {
        return FRIBIDI_IS_RTL(t) || t == FRIBIDI_TYPE_AN || FRIBIDI_IS_EXPLICIT(t) || FRIBIDI_IS_ISOLATE(t);
    });
    if (all_ltr) {
        m_paragraphs.push_back({0, count, 0});
        m_unit_levels.assign(text.size(), 0);
        return true;
    }
    // P1: a paragraph ends after each paragraph separator; each is resolved on its own.
    for (std::size_t first = 0; first < count || (count == 0 && m_paragraphs.empty());) {
        std::size_t end = first;
        while (end < count && m_types[end] != FRIBIDI_TYPE_BS) ++end;
        if (end < count) ++end;
        FriBidiParType base = level < 0 ? FRIBIDI_PAR_ON : (level & 1) ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
        if (end > first) {
            const FriBidiLevel max = fribidi_get_par_embedding_levels_ex(
                m_types.data() + first, m_brackets.data() + first, static_cast<FriBidiStrIndex>(end - first), &base,
                reinterpret_cast<FriBidiLevel*>(m_levels.data() + first));
            if (max == 0) return false;  // FriBidi could not allocate
        }
        m_paragraphs.push_back({first, end, FRIBIDI_DIR_TO_LEVEL(base)});
        if (end == first) break;
        first = end;
    }
    m_unit_levels.assign(text.size(), 0);
    for (std::size_t cp = 0; cp < count; ++cp)
        std::fill(m_unit_levels.begin() + static_cast<std::ptrdiff_t>(m_unit_of[cp]),
                  m_unit_levels.begin() + static_cast<std::ptrdiff_t>(m_unit_of[cp + 1]), m_levels[cp]);
    return true;
}

const BidiText::Paragraph* BidiText::ParagraphOfUnit(std::size_t unit) const {
    if (m_paragraphs.empty()) return nullptr;
    // The code point holding `unit`: the last whose first unit is at or before it.
    const auto after = std::upper_bound(m_unit_of.begin(), m_unit_of.end() - 1, unit);
    const auto cp = static_cast<std::size_t>(after - m_unit_of.begin()) - (after == m_unit_of.begin() ? 0 : 1);
    for (const Paragraph& p : m_paragraphs)
        if (cp < p.end_cp) return &p;
    return &m_paragraphs.back();  // past the end: the last paragraph, as ICU answered
}

int BidiText::ParagraphLevelAt(std::size_t index) const {
    const Paragraph* p = ParagraphOfUnit(index);
    return p ? p->level : 0;
}

bool BidiText::ReorderLine(std::size_t start, std::size_t end, std::vector<VisualRun>& runs, std::vector<std::uint8_t>* levels) {
    runs.clear();
    if (levels) levels->clear();
    if (end <= start) return true;
    if (end > m_unit_levels.size()) return false;
    const Paragraph* paragraph = ParagraphOfUnit(start);
    if (!paragraph) return false;
    // The line's code points, [first, last): units start and end are code point boundaries.
    const auto first = static_cast<std::size_t>(std::lower_bound(m_unit_of.begin(), m_unit_of.end(), start) - m_unit_of.begin());
    const auto last = static_cast<std::size_t>(std::lower_bound(m_unit_of.begin(), m_unit_of.end(), end) - m_unit_of.begin());
    m_line_levels.assign(m_levels.begin() + static_cast<std::ptrdiff_t>(first), m_levels.begin() + static_cast<std::ptrdiff_t>(last));
    // L1 only (no map, no string): trailing white space, isolates and separators go to the paragraph level.
    const FriBidiParType base = (paragraph->level & 1) ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    if (fribidi_reorder_line(0, m_types.data() + first, static_cast<FriBidiStrIndex>(last - first), 0, base,
                             reinterpret_cast<FriBidiLevel*>(m_line_levels.data()), nullptr, nullptr) == 0)
        return false;
    // Logical runs of one level, in units, then L2: from the highest level down to the lowest odd
    // one, reverse every stretch of runs at that level or above.
    m_run_levels.clear();
    std::uint8_t highest = 0, lowest_odd = 255;
    for (std::size_t i = first; i < last;) {
        std::size_t j = i;
        const std::uint8_t l = m_line_levels[i - first];
        while (j < last && m_line_levels[j - first] == l) ++j;
        runs.push_back({m_unit_of[i], m_unit_of[j] - m_unit_of[i], (l & 1) != 0});
        m_run_levels.push_back(l);
        highest = std::max(highest, l);
        if (l & 1) lowest_odd = std::min(lowest_odd, l);
        i = j;
    }
    for (int l = highest; l >= lowest_odd; --l) {
        for (std::size_t r = 0; r < runs.size();) {
            if (m_run_levels[r] < l) {
                ++r;
                continue;
            }
            std::size_t s = r;
            while (s < runs.size() && m_run_levels[s] >= l) ++s;
            std::reverse(runs.begin() + static_cast<std::ptrdiff_t>(r), runs.begin() + static_cast<std::ptrdiff_t>(s));
            std::reverse(m_run_levels.begin() + static_cast<std::ptrdiff_t>(r), m_run_levels.begin() + static_cast<std::ptrdiff_t>(s));
            r = s;
        }
    }
    if (levels) {
        levels->resize(end - start);
        for (std::size_t cp = first; cp < last; ++cp)
            std::fill(levels->begin() + static_cast<std::ptrdiff_t>(m_unit_of[cp] - start),
                      levels->begin() + static_cast<std::ptrdiff_t>(m_unit_of[cp + 1] - start), m_line_levels[cp - first]);
    }
    return true;
}

}  // namespace htk::text::detail
