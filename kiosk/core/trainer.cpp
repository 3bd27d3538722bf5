// Language matching by primary subtag.
#include "core/trainer.h"

#include <algorithm>
#include <cctype>

namespace htk::core {

std::string_view PrimaryLanguage(std::string_view bcp47) {
    return bcp47.substr(0, std::min(bcp47.find_first_of("-_"), bcp47.size()));
}

static bool EqualNoCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool Trainer::Speaks(std::string_view tag) const {
    const auto want = PrimaryLanguage(tag);
    return std::any_of(languages.begin(), languages.end(),
                       [&](const std::string& have) { return EqualNoCase(PrimaryLanguage(have), want); });
}

bool LooksLikeLanguageTag(std::string_view tag) {
    if (tag.empty() || tag.size() > 35) return false;
    std::size_t start = 0;
    bool first = true;
    while (start <= tag.size()) {
        const auto end = std::min(tag.find('-', start), tag.size());
        const auto sub = tag.substr(start, end - start);
        if (sub.empty() || sub.size() > 8) return false;
        for (char c : sub)
            if (!std::isalnum(static_cast<unsigned char>(c))) return false;
        if (first) {
            if (sub.size() < 2 || sub.size() > 3) return false;
            for (char c : sub)
                if (!std::isalpha(static_cast<unsigned char>(c))) return false;
            first = false;
        }
        start = end + 1;
    }
    return true;
}

}  // namespace htk::core
