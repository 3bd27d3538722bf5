// Small text helpers shared by the config, manifest and keyboard readers and ht-admin's options.
// ASCII whitespace only: these parse our own file formats, never patient text.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace htk::core {

std::string Trim(std::string_view text);  // without leading and trailing spaces, tabs, CR and LF

// "a, b,,c" -> {"a", "b", "", "c"}: each item trimmed; empty items kept so callers can refuse them.
std::vector<std::string> SplitList(std::string_view text, char separator = ',');

// SplitList without the empty items.
std::vector<std::string> SplitNonEmpty(std::string_view text, char separator = ',');

}  // namespace htk::core
