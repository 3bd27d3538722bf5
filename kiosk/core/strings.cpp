// Trimming and splitting of one-line values.
#include "core/strings.h"

#include <algorithm>

namespace htk::core {

std::string Trim(std::string_view text) {
    const auto a = text.find_first_not_of(" \t\r\n");
    if (a == std::string_view::npos) return {};
    const auto b = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(a, b - a + 1));
}

std::vector<std::string> SplitList(std::string_view text, char separator) {
    std::vector<std::string> out;
    while (!text.empty()) {
        const auto at = std::min(text.find(separator), text.size());
        out.push_back(Trim(text.substr(0, at)));
        text.remove_prefix(std::min(at + 1, text.size()));
    }
    return out;
}

std::vector<std::string> SplitNonEmpty(std::string_view text, char separator) {
    auto items = SplitList(text, separator);
    items.erase(std::remove(items.begin(), items.end(), std::string()), items.end());
    return items;
}

}  // namespace htk::core
