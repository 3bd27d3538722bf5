// Weighted check character modulo 19, the alphabet's size: a prime, so every weight is invertible
// and every single wrong character and every swap of neighbours changes the sum (Luhn mod N would
// miss swaps of the first and last letters of the alphabet).
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
    int sum = 0, weight = 1;
    for (char c : data) sum += weight++ * IndexOf(c);  // weights 1..6, the check itself weighs 7
    // Choose the check value v so that sum + 7v = 0 (mod 19); 7 * 11 = 77 = 1 (mod 19).
    return kReferenceAlphabet[static_cast<std::size_t>((kN - sum % kN) * 11 % kN)];
}

std::string Format(std::string_view seven) {
    return std::string(seven.substr(0, 3)) + "-" + std::string(seven.substr(3));
}
}  // namespace

std::string MakeReference(const std::array<std::uint8_t, kReferenceDataLength>& random_bytes) {
    std::string data;
    for (auto b : random_bytes) data += kReferenceAlphabet[b % kN];  // 256 % 19 bias is harmless for ids
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
