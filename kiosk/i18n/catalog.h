// One language pack's strings (an ICU resource bundle compiled by genrb) with English as the
// fallback for each missing string alone. Formats ICU MessageFormat patterns; never touches storage.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace htk::i18n {

enum class Direction { LeftToRight, RightToLeft };

struct Instant {  // a MessageFormat date/time argument
    core::UnixSeconds at = 0;
};
using Arg = std::variant<std::int64_t, double, std::string, Instant>;
using Args = std::vector<std::pair<std::string, Arg>>;

struct Manifest {
    std::string tag;                 // BCP 47, e.g. "pa", "zh-Hans"; also the pack's folder name
    std::string icu_locale;          // "pa", "zh_Hans": the bundle's name
    std::string english_name;        // "Punjabi (Gurmukhi)"
    Direction direction = Direction::LeftToRight;
    std::vector<std::string> fonts;  // font families in fallback order
    std::string version;
    std::string status;              // "draft" or "reviewed"
    std::string reviewer;            // required when reviewed
    std::string reviewed_on;
    std::vector<std::string> keyboards;  // on-screen keyboard layouts, in the order offered
    std::string endonym;                 // overrides ICU's name of the language in itself
    int completeness = -1;               // percent of English's strings translated; -1: not stated
};

core::Result<Manifest> LoadManifest(const std::filesystem::path& pack_dir);  // <pack_dir>/manifest.ini
core::Result<Manifest> ParseManifest(std::string_view text, const std::string& file_name);

class Catalog {
public:
    // `locales_dir` holds one compiled pack per folder (<tag>/manifest.ini and <icu_locale>.res);
    // en-GB must be among them, as every other pack falls back to it.
    static core::Result<Catalog> Load(const std::filesystem::path& locales_dir, std::string_view tag);
    ~Catalog();
    Catalog(Catalog&&) noexcept;
    Catalog& operator=(Catalog&&) noexcept;

    std::string Get(std::string_view key) const;  // the pack's text, else English, else "⟦key⟧"
    std::string Format(std::string_view key, const Args& args) const;
    bool Has(std::string_view key) const;         // in this pack itself, without falling back
    // "A, B and C" as the language writes a list (ICU ListFormatter: "A، B و C" in Urdu).
    std::string JoinList(const std::vector<std::string>& items) const;

    const std::string& Tag() const;
    Direction Dir() const;
    const std::vector<std::string>& Fonts() const;
    const Manifest& Info() const;

private:
    struct Impl;
    explicit Catalog(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Formats one MessageFormat pattern (UTF-8) exactly as Catalog::Format formats a pack's string: in
// `icu_locale` ("fa", "en_GB") with the Gregorian calendar. InvalidInput when the pattern does not
// parse or the arguments do not fit it. For tools, tests and fuzzing: screens call Catalog::Format.
core::Result<std::string> FormatMessage(std::string_view pattern, const std::string& icu_locale, const Args& args);

// The language's name in itself ("Türkçe", "اردو"), from ICU unless the manifest overrides it.
std::string Endonym(const Manifest& manifest);

// Where compiled packs live: $HTK_LOCALES_DIR, else the build tree's, else the installed ones.
std::filesystem::path DefaultLocalesDir();

// The installed packs' tags, sorted; a folder without a readable manifest is skipped with a warning.
std::vector<std::string> InstalledPacks(const std::filesystem::path& locales_dir);

// Call once at start-up: ICU otherwise falls back to the process's LANG before the root bundle.
void SetProcessDefaults();

}  // namespace htk::i18n
