// A health trainer and the languages they speak. Plain data; no storage, no formatting.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace htk::core {

using TrainerId = std::int64_t;

struct Trainer {
    TrainerId id = 0;                    // 0 until stored
    std::string display_name;            // as the practice writes it, any script
    std::vector<std::string> languages;  // BCP 47 tags, e.g. "tr", "so", "pa-Guru", "en-GB"
    bool active = true;

    // True when one of the trainer's tags has the same primary language as `tag`
    // ("pa" speaks to a "pa-Guru" patient; "ar" does not speak to "ckb").
    bool Speaks(std::string_view tag) const;
};

std::string_view PrimaryLanguage(std::string_view bcp47);  // "pa-Guru" -> "pa"
bool LooksLikeLanguageTag(std::string_view bcp47);          // shape check: 2-3 letters, then subtags

}  // namespace htk::core
