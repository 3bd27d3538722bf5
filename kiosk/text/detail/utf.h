// kiosk/text/detail/utf.h: UTF-8 to UTF-16 with U+FFFD for ill-formed input and a length cap.
// Internal to htk_text and its tests; never reads past the input.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace htk::text::detail {

struct DecodedText {
    std::u16string u16;                  // the text, ill-formed sequences and stray controls as U+FFFD
    std::vector<std::uint32_t> byte_at;  // UTF-8 offset of each UTF-16 unit, plus one for the end
    std::size_t bytes_used = 0;          // input bytes covered (less than the input when cut)
    bool truncated = false;              // the input had more than max_code_points code points
};

// Decodes one code point at pos and advances pos past it; an ill-formed sequence yields U+FFFD and
// consumes its maximal subpart (Unicode 15 §3.9, "U+FFFD substitution of maximal subparts").
char32_t DecodeOne(std::string_view in, std::size_t& pos);

// C0 and C1 controls other than tab and the line separators become U+FFFD: they have no glyph and
// some of them (U+001C..U+001E) would split bidi paragraphs where no line breaks.
void DecodeUtf8(std::string_view in, DecodedText& out, std::size_t max_code_points);

void AppendUtf8(std::string& out, char32_t cp);

}  // namespace htk::text::detail
