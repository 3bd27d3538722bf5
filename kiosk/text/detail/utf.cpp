// kiosk/text/detail/utf.cpp: the only UTF-8 decoder of htk_text (see utf.h).
#include "text/detail/utf.h"

namespace htk::text::detail {

namespace {

bool InRange(unsigned char b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; }

bool KeptControl(char32_t cp) {
    return cp == 0x09 || cp == 0x0A || cp == 0x0B || cp == 0x0C || cp == 0x0D || cp == 0x85;
}

}  // namespace

char32_t DecodeOne(std::string_view in, std::size_t& pos) {
    const std::size_t n = in.size();
    const auto b0 = static_cast<unsigned char>(in[pos]);
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    int need = 0;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    char32_t cp = 0;
    if (InRange(b0, 0xC2, 0xDF)) {
        need = 1;
        cp = b0 & 0x1Fu;
    } else if (InRange(b0, 0xE0, 0xEF)) {
        need = 2;
        cp = b0 & 0x0Fu;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;  // no surrogates
    } else if (InRange(b0, 0xF0, 0xF4)) {
        need = 3;
        cp = b0 & 0x07u;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
        ++pos;
        return 0xFFFD;
    }
    std::size_t p = pos + 1;
    for (int i = 0; i < need; ++i, ++p) {
        if (p >= n) {
            pos = p;
            return 0xFFFD;
        }
        const auto b = static_cast<unsigned char>(in[p]);
        const bool ok = i == 0 ? InRange(b, lo, hi) : InRange(b, 0x80, 0xBF);
        if (!ok) {
            pos = p;  // the offending byte starts the next sequence
            return 0xFFFD;
        }
        cp = (cp << 6) | (b & 0x3Fu);
    }
    pos = p;
    return cp;
}

void DecodeUtf8(std::string_view in, DecodedText& out, std::size_t max_code_points) {
    out.u16.clear();
    out.byte_at.clear();
    out.truncated = false;
    out.u16.reserve(in.size());
    out.byte_at.reserve(in.size() + 1);
    std::size_t pos = 0, count = 0;
    while (pos < in.size()) {
        if (count == max_code_points) {
            out.truncated = true;
            break;
        }
        const auto start = static_cast<std::uint32_t>(pos);
        char32_t cp = DecodeOne(in, pos);
        if ((cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) && !KeptControl(cp)) cp = 0xFFFD;
        if (cp >= 0x10000) {
            const char32_t v = cp - 0x10000;
            out.u16.push_back(static_cast<char16_t>(0xD800 + (v >> 10)));
            out.u16.push_back(static_cast<char16_t>(0xDC00 + (v & 0x3FF)));
            out.byte_at.push_back(start);
            out.byte_at.push_back(start);
        } else {
            out.u16.push_back(static_cast<char16_t>(cp));
            out.byte_at.push_back(start);
        }
        ++count;
    }
    out.bytes_used = pos;
    out.byte_at.push_back(static_cast<std::uint32_t>(pos));
}

void AppendUtf8(std::string& out, char32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

}  // namespace htk::text::detail
