// On-screen keyboard layouts of a pack (locales/<tag>/keyboards/<name>.txt), drawn by the kiosk
// itself since no system keyboard runs under a kiosk compositor. Parsing and validation only.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace htk::i18n {

inline constexpr std::size_t kMaxKeyboardRows = 6;
inline constexpr std::size_t kMaxKeysPerRow = 14;

struct Keyboard {
    std::string id;                             // the file's stem: "turkish-q"
    std::string label;                          // shown on the key that switches to this layout
    std::vector<std::vector<std::string>> rows; // each key one grapheme cluster (UTF-8)
    std::vector<std::vector<std::string>> shifted;  // optional: same shape as rows
};

// File format: "label = Türkçe", then "rows:" and one row a line, keys separated by spaces;
// optionally "shifted:" and the same number of rows with the same number of keys. '#' comments.
core::Result<Keyboard> ParseKeyboard(std::string_view text, const std::string& file_name, std::string id);
core::Result<Keyboard> LoadKeyboard(const std::filesystem::path& file);

}  // namespace htk::i18n
