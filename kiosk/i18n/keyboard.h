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

// A pack's layouts in the order its manifest's `keyboards =` line gives them, each from
// <pack_dir>/keyboards/<name>.txt (the build and `ht-admin packs install` copy them there). The
// first layout that is missing or bad fails the lot, naming its file.
core::Result<std::vector<Keyboard>> LoadPackKeyboards(const std::filesystem::path& pack_dir,
                                                      const std::vector<std::string>& names);

}  // namespace htk::i18n
