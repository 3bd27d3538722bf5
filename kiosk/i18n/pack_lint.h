// The language-pack lint: what must hold before a pack ships. Each finding names file:line and key.
// Font coverage and on-screen fit need the text engine and the UI, so they are passed in as checks.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "i18n/catalog.h"
#include "i18n/pack_source.h"

namespace htk::i18n {

struct Finding {
    std::string file;
    int line = 0;         // 0 when the finding is about the file as a whole
    std::string key;      // empty for file-level findings
    std::string kind;     // "missing", "extra", "syntax", "arguments", "plural", "empty", "manifest", "coverage", "fit"
    std::string message;  // for the translator, in English
};
std::string ToString(const Finding& f);  // "locales/tr/strings.txt:12: home.refer: [extra] ..."

struct LintHooks {  // optional checks from the layers above i18n
    // Code points of `text` that none of `fonts` covers.
    std::function<std::vector<char32_t>(const std::vector<std::string>& fonts, const std::string& text)> uncovered;
    // Why `text` does not fit where `key` is shown (empty when it fits).
    std::function<std::string(const std::string& tag, const std::string& key, const std::string& text)> misfit;
};

// Lints the pack in `pack_dir` (a source folder: manifest.ini, strings.txt) against `english_dir`.
std::vector<Finding> LintPack(const std::filesystem::path& pack_dir, const std::filesystem::path& english_dir,
                              const LintHooks& hooks = {});

// The argument names a MessageFormat pattern uses, or an error message for a pattern that does not parse.
struct PatternInfo {
    std::vector<std::string> arguments;              // sorted, unique
    std::vector<std::vector<std::string>> plurals;   // the keywords of each plural/selectordinal argument
    std::string error;
};
PatternInfo AnalysePattern(const std::string& pattern);

// CLDR plural categories of a locale ("ar": zero one two few many other).
std::vector<std::string> PluralCategories(const std::string& icu_locale);

}  // namespace htk::i18n
