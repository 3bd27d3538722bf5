// Luhn mod N check character over the reference alphabet: catches every single-character error
// and every transposition of adjacent characters.
#include "core/reference.h"

#include <cctype>

namespace htk::core {

namespace {
constexpr int kN = static_cast<int>(kReferenceAlphabet.size());

int IndexOf(char c) {
    const auto pos = kReferenceAlphabet.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

char CheckCharacter(std::string_view data) {
    int factor = 2, sum = 0;
    for (auto it = data.rbegin(); it != data.rend(); ++it) {
        int addend = factor * IndexOf(*it);
        factor = factor == 2 ? 1 : 2;
        addend = addend / kN + addend % kN;
        sum += addend;
    }
    return kReferenceAlphabet[static_cast<std::size_t>((kN - sum % kN) % kN)];
}

std::string Format(std::string_view seven) {
    return std::string(seven.substr(0, 3)) + "-" + std::string(seven.substr(3));
}
}  // namespace

std::string MakeReference(const std::array<std::uint8_t, kReferenceDataLength>& random_bytes) {
    std::string data;
    for (auto b : random_bytes) data += kReferenceAlphabet[b % kN];  // 256 % 20 bias is harmless for ids
    data += CheckCharacter(data);
    return Format(data);
}

std::optional<std::string> NormalizeReference(std::string_view typed) {
    std::string chars;
    for (char c : typed) {
        if (c == ' ' || c == '-') continue;
        const char up = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (IndexOf(up) < 0) return std::nullopt;
        chars += up;
    }
    if (chars.size() != kReferenceDataLength + 1) return std::nullopt;
    if (CheckCharacter(std::string_view(chars).substr(0, kReferenceDataLength)) != chars.back())
        return std::nullopt;
    return Format(chars);
}

}  // namespace htk::core
