// Reference codes a patient reads out at the desk: 6 characters from an alphabet without
// look-alikes (no 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V) plus one check character, shown "ABC-DEFG".
// Uniqueness is the store's job (a UNIQUE column and a retry); this file only makes and checks codes.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace htk::core {

inline constexpr std::string_view kReferenceAlphabet = "ACEFHJKMNPRTWXY3479";  // 19: a prime, see .cpp
inline constexpr std::size_t kReferenceDataLength = 6;

// A code from 6 random bytes (the caller supplies them: core has no random source of its own).
std::string MakeReference(const std::array<std::uint8_t, kReferenceDataLength>& random_bytes);

// Accepts what reception types: any case, spaces or dashes, and the common misreadings
// (O->0 is not in the alphabet, so "O" is refused rather than guessed). Returns the canonical
// "ABC-DEFG" form when the check character matches.
std::optional<std::string> NormalizeReference(std::string_view typed);

}  // namespace htk::core
