// Reads a pack's ICU resource bundle source (locales/<tag>/strings.txt) with the line of every key,
// so that lint, CSV export and import can name file:line. The subset we accept: nested tables of
// quoted strings, // and /* */ comments, \uXXXX escapes. genrb compiles the same files at build time.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace htk::i18n {

inline constexpr std::size_t kMaxBundleBytes = 1 << 20;  // a pack's strings are tens of KB

struct SourceEntry {
    std::string key;    // dotted: "attract.touch"
    std::string value;  // UTF-8, escapes resolved, adjacent strings joined
    int line = 0;       // where the key starts
    std::string note;   // the comment line(s) just above the key: context for translators
};

struct BundleSource {
    std::string name;                  // the top-level table: the ICU locale, "en_GB"
    std::vector<SourceEntry> entries;  // in file order
    const SourceEntry* Find(std::string_view key) const;
};

// Errors name "file:line: reason". Refuses files over kMaxBundleBytes, invalid UTF-8, duplicate keys.
core::Result<BundleSource> ParseBundleSource(std::string_view text, const std::string& file_name);
core::Result<BundleSource> ReadBundleSource(const std::filesystem::path& file);

// Writes a bundle source back (used by CSV import): tables in key order of `entries`, notes as
// comments, every non-ASCII character kept as UTF-8.
std::string WriteBundleSource(const BundleSource& bundle, std::string_view header_comment);

}  // namespace htk::i18n
