// kiosk/text/detail/bidi.cpp: ICU ubidi behind BidiText (see bidi.h). No line breaking here.
#include "text/detail/bidi.h"

#include <unicode/ubidi.h>

namespace htk::text::detail {

BidiText::BidiText() : m_para(ubidi_open()), m_line(ubidi_open()) {}

BidiText::~BidiText() {
    ubidi_close(m_line);  // a line object must go before its paragraph
    ubidi_close(m_para);
}

bool BidiText::Set(std::u16string_view text, int level) {
    UErrorCode err = U_ZERO_ERROR;
    const UBiDiLevel para_level = level < 0 ? UBIDI_DEFAULT_LTR : static_cast<UBiDiLevel>(level & 1);
    ubidi_setPara(m_para, text.data(), static_cast<int32_t>(text.size()), para_level, nullptr, &err);
    if (U_FAILURE(err)) {
        m_levels = nullptr;
        m_length = 0;
        return false;
    }
    m_length = text.size();
    m_levels = m_length ? ubidi_getLevels(m_para, &err) : nullptr;
    return U_SUCCESS(err);
}

int BidiText::ParagraphLevelAt(std::size_t index) const {
    UErrorCode err = U_ZERO_ERROR;
    if (m_length == 0) return ubidi_getParaLevel(m_para) & 1;
    if (index >= m_length) index = m_length - 1;
    UBiDiLevel level = 0;
    ubidi_getParagraph(m_para, static_cast<int32_t>(index), nullptr, nullptr, &level, &err);
    return U_SUCCESS(err) ? level : 0;
}

bool BidiText::ReorderLine(std::size_t start, std::size_t end, std::vector<VisualRun>& runs,
                           std::vector<std::uint8_t>* levels) {
    runs.clear();
    if (levels) levels->clear();
    if (end <= start) return true;
    UErrorCode err = U_ZERO_ERROR;
    ubidi_setLine(m_para, static_cast<int32_t>(start), static_cast<int32_t>(end), m_line, &err);
    if (U_FAILURE(err)) return false;
    const int32_t count = ubidi_countRuns(m_line, &err);
    if (U_FAILURE(err)) return false;
    runs.reserve(static_cast<std::size_t>(count));
    for (int32_t i = 0; i < count; ++i) {
        int32_t logical = 0, length = 0;
        const UBiDiDirection dir = ubidi_getVisualRun(m_line, i, &logical, &length);
        runs.push_back({start + static_cast<std::size_t>(logical), static_cast<std::size_t>(length),
                        dir == UBIDI_RTL});
    }
    if (levels) {
        const UBiDiLevel* l = ubidi_getLevels(m_line, &err);
        if (U_FAILURE(err)) return false;
        levels->assign(l, l + (end - start));
    }
    return true;
}

}  // namespace htk::text::detail
