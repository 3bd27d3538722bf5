// kiosk/text/utf8.cpp: SanitizeUtf8 and grapheme caret stops (see utf8.h). ICU stays in here.
#include "text/utf8.h"

#include <algorithm>
#include <limits>
#include <memory>

#include <unicode/ubrk.h>

#include "text/detail/utf.h"

namespace htk::text {

namespace {

struct BreakCloser {
    void operator()(UBreakIterator* bi) const { ubrk_close(bi); }
};

// One grapheme iterator per thread: opening one costs far more than using it.
UBreakIterator* Graphemes() {
    thread_local std::unique_ptr<UBreakIterator, BreakCloser> it;
    if (!it) {
        UErrorCode err = U_ZERO_ERROR;
        UBreakIterator* bi = ubrk_open(UBRK_CHARACTER, "", nullptr, 0, &err);
        if (U_FAILURE(err)) return nullptr;
        it.reset(bi);
    }
    return it.get();
}

// Decodes without a length cap and maps a byte offset to the UTF-16 unit holding it.
std::size_t Unit(const detail::DecodedText& d, std::size_t byte_index) {
    const auto it = std::upper_bound(d.byte_at.begin(), d.byte_at.end(), static_cast<std::uint32_t>(byte_index));
    return it == d.byte_at.begin() ? 0 : static_cast<std::size_t>(it - d.byte_at.begin()) - 1;
}

}  // namespace

std::string SanitizeUtf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) detail::AppendUtf8(out, detail::DecodeOne(text, pos));
    return out;
}

void AppendUtf8(std::string& out, char32_t cp) { detail::AppendUtf8(out, cp); }

std::size_t NextCaretStop(std::string_view text, std::size_t byte_index) {
    if (byte_index >= text.size()) return text.size();
    detail::DecodedText d;
    detail::DecodeUtf8(text, d, std::numeric_limits<std::size_t>::max());
    UBreakIterator* bi = Graphemes();
    const std::size_t unit = Unit(d, byte_index);
    if (!bi) return d.byte_at[std::min(unit + 1, d.u16.size())];
    UErrorCode err = U_ZERO_ERROR;
    ubrk_setText(bi, d.u16.data(), static_cast<int32_t>(d.u16.size()), &err);
    const int32_t next = ubrk_following(bi, static_cast<int32_t>(unit));
    if (U_FAILURE(err) || next == UBRK_DONE) return text.size();
    return d.byte_at[static_cast<std::size_t>(next)];
}

std::size_t PrevCaretStop(std::string_view text, std::size_t byte_index) {
    if (byte_index == 0 || text.empty()) return 0;
    byte_index = std::min(byte_index, text.size());
    detail::DecodedText d;
    detail::DecodeUtf8(text, d, std::numeric_limits<std::size_t>::max());
    UBreakIterator* bi = Graphemes();
    std::size_t unit = Unit(d, byte_index);
    if (d.byte_at[unit] < byte_index) ++unit;  // inside a code point: its start is the first stop back
    if (!bi) return d.byte_at[unit > 0 ? unit - 1 : 0];
    UErrorCode err = U_ZERO_ERROR;
    ubrk_setText(bi, d.u16.data(), static_cast<int32_t>(d.u16.size()), &err);
    const int32_t prev = ubrk_preceding(bi, static_cast<int32_t>(unit));
    if (U_FAILURE(err) || prev == UBRK_DONE) return 0;
    return d.byte_at[static_cast<std::size_t>(prev)];
}

}  // namespace htk::text
