// Catalog over ures_openDirect (no ICU locale fallback chain: we do pack -> English ourselves, so we
// know when a string fell back and format it with English rules, never "1 appointments").
#include "i18n/catalog.h"

#include <unicode/listformatter.h>
#include <unicode/locid.h>
#include <unicode/msgfmt.h>
#include <unicode/uloc.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>

#include "core/strings.h"
#include "i18n/bundle_file.h"

namespace htk::i18n {
namespace {

constexpr std::string_view kEnglish = "en-GB";
constexpr std::uintmax_t kMaxManifestBytes = 64 * 1024;

struct BundleCloser {
    void operator()(UResourceBundle* b) const { ures_close(b); }
};
using Bundle = std::unique_ptr<UResourceBundle, BundleCloser>;

// Checked first and opened from a private copy: a damaged or rewritten pack is refused, never a crash.
Bundle OpenBundle(const std::filesystem::path& dir, const std::string& icu_locale, std::string& error) {
    return Bundle(OpenBundleFile(dir, icu_locale, error));
}

// Follows "a.b.c" through nested tables; nullopt when any part is missing or is not a string.
std::optional<icu::UnicodeString> Lookup(UResourceBundle* root, std::string_view key) {
    if (!root) return std::nullopt;
    UErrorCode status = U_ZERO_ERROR;
    UResourceBundle* at = root;
    Bundle hold;
    while (true) {
        const auto dot = key.find('.');
        const std::string part(key.substr(0, dot));
        status = U_ZERO_ERROR;
        Bundle next(ures_getByKey(at, part.c_str(), nullptr, &status));
        if (U_FAILURE(status) || status == U_USING_FALLBACK_WARNING || status == U_USING_DEFAULT_WARNING)
            return std::nullopt;
        hold = std::move(next);
        at = hold.get();
        if (dot == std::string_view::npos) break;
        key.remove_prefix(dot + 1);
    }
    if (ures_getType(at) != URES_STRING) return std::nullopt;
    int32_t length = 0;
    status = U_ZERO_ERROR;
    const UChar* s = ures_getString(at, &length, &status);
    if (U_FAILURE(status)) return std::nullopt;
    return icu::UnicodeString(s, length);
}

std::string ToUtf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

icu::Locale FormattingLocale(const std::string& icu_locale) {
    // Dates always in the Gregorian calendar (Farsi would default to the Persian one); digits stay
    // the locale's own.
    return icu::Locale::createFromName((icu_locale + "@calendar=gregorian").c_str());
}

// The one place a pattern meets its arguments: Catalog::Format and FormatMessage.
core::Result<icu::UnicodeString> FormatIcu(const icu::UnicodeString& pattern, const icu::Locale& locale, const Args& args) {
    UErrorCode status = U_ZERO_ERROR;
    icu::MessageFormat format(pattern, locale, status);
    if (U_FAILURE(status))
        return core::Fail(core::Errc::InvalidInput, std::string("bad MessageFormat pattern (") + u_errorName(status) + ")");
    std::vector<icu::UnicodeString> names;
    std::vector<icu::Formattable> values;
    for (const auto& [name, arg] : args) {
        names.push_back(icu::UnicodeString::fromUTF8(name));
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::int64_t>) values.emplace_back(static_cast<int64_t>(v));
                else if constexpr (std::is_same_v<T, double>) values.emplace_back(v);
                else if constexpr (std::is_same_v<T, std::string>) values.emplace_back(icu::UnicodeString::fromUTF8(v));
                else values.emplace_back(static_cast<UDate>(v.at) * 1000.0, icu::Formattable::kIsDate);
            },
            arg);
    }
    icu::UnicodeString out;
    status = U_ZERO_ERROR;
    format.format(names.data(), values.data(), static_cast<int32_t>(values.size()), out, status);
    if (U_FAILURE(status))
        return core::Fail(core::Errc::InvalidInput, std::string("formatting failed (") + u_errorName(status) + ")");
    return out;
}

}  // namespace

core::Result<Manifest> LoadManifest(const std::filesystem::path& pack_dir) {
    const auto file = pack_dir / "manifest.ini";
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) return core::Fail(core::Errc::NotFound, file.string() + ": cannot read");
    if (size > kMaxManifestBytes) return core::Fail(core::Errc::InvalidInput, file.string() + ": too large for a manifest");
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return ParseManifest(text, file.string());
}

core::Result<Manifest> ParseManifest(std::string_view text_in, const std::string& file) {
    Manifest m;
    int line_no = 0;
    std::string_view rest = text_in;
    while (!rest.empty()) {
        const auto nl = std::min(rest.find('\n'), rest.size());
        const std::string_view line = rest.substr(0, nl);
        rest.remove_prefix(std::min(nl + 1, rest.size()));
        ++line_no;
        const auto text = core::Trim(line);
        if (text.empty() || text[0] == '#') continue;
        const auto eq = text.find('=');
        if (eq == std::string::npos)
            return core::Fail(core::Errc::InvalidInput, file + ":" + std::to_string(line_no) + ": expected key = value");
        const auto key = core::Trim(std::string_view(text).substr(0, eq));
        const auto value = core::Trim(std::string_view(text).substr(eq + 1));
        if (key == "tag") m.tag = value;
        else if (key == "name") m.english_name = value;
        else if (key == "direction") {
            if (value != "ltr" && value != "rtl")
                return core::Fail(core::Errc::InvalidInput, file + ":" + std::to_string(line_no) + ": direction must be ltr or rtl");
            m.direction = value == "rtl" ? Direction::RightToLeft : Direction::LeftToRight;
        } else if (key == "fonts") m.fonts = core::SplitNonEmpty(value);
        else if (key == "version") m.version = value;
        else if (key == "status") m.status = value;
        else if (key == "reviewer") m.reviewer = value;
        else if (key == "reviewed_on") m.reviewed_on = value;
        else if (key == "keyboards") m.keyboards = core::SplitNonEmpty(value);
        else if (key == "endonym") m.endonym = value;
        else if (key == "completeness") {
            int percent = -1;
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), percent);
            if (ec != std::errc{} || end != value.data() + value.size() || percent < 0 || percent > 100)
                return core::Fail(core::Errc::InvalidInput, file + ":" + std::to_string(line_no) + ": completeness must be a percentage from 0 to 100");
            m.completeness = percent;
        }
        else
            return core::Fail(core::Errc::InvalidInput, file + ":" + std::to_string(line_no) + ": unknown key " + key);
    }
    if (m.tag.empty()) return core::Fail(core::Errc::InvalidInput, file + ": tag is missing");
    char icu[ULOC_FULLNAME_CAPACITY];
    UErrorCode status = U_ZERO_ERROR;
    int32_t parsed = 0;
    uloc_forLanguageTag(m.tag.c_str(), icu, sizeof icu, &parsed, &status);
    if (U_FAILURE(status) || icu[0] == '\0' || parsed != static_cast<int32_t>(m.tag.size()))
        return core::Fail(core::Errc::InvalidInput, file + ": tag " + m.tag + " is not BCP 47");
    m.icu_locale = icu;
    if (m.fonts.empty()) return core::Fail(core::Errc::InvalidInput, file + ": fonts is missing");
    return m;
}

struct Catalog::Impl {
    Manifest manifest;
    Bundle pack;
    Bundle english;  // null when the pack is English itself
    icu::Locale locale;
    icu::Locale english_locale;
};

Catalog::Catalog(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Catalog::~Catalog() = default;
Catalog::Catalog(Catalog&&) noexcept = default;
Catalog& Catalog::operator=(Catalog&&) noexcept = default;

core::Result<Catalog> Catalog::Load(const std::filesystem::path& locales_dir, std::string_view tag) {
    auto impl = std::make_unique<Impl>();
    // ICU caches bundles by path for the life of the process: open installed packs through the
    // version folder their link points to, so a newly installed version is a new path.
    std::error_code ec;
    auto pack_dir = std::filesystem::canonical(locales_dir / std::string(tag), ec);
    if (ec) pack_dir = locales_dir / std::string(tag);
    auto manifest = LoadManifest(pack_dir);
    if (!manifest) return manifest.error();
    impl->manifest = std::move(manifest.value());
    std::string error;
    impl->pack = OpenBundle(pack_dir, impl->manifest.icu_locale, error);
    if (!impl->pack) return core::Fail(core::Errc::NotFound, error);
    impl->locale = FormattingLocale(impl->manifest.icu_locale);
    impl->english_locale = FormattingLocale("en_GB");
    if (tag != kEnglish) {
        auto english_dir = std::filesystem::canonical(locales_dir / std::string(kEnglish), ec);
        if (ec) english_dir = locales_dir / std::string(kEnglish);
        impl->english = OpenBundle(english_dir, "en_GB", error);
        if (!impl->english) return core::Fail(core::Errc::NotFound, error);
    }
    return Catalog(std::move(impl));
}

std::string Catalog::JoinList(const std::vector<std::string>& items) const {
    std::vector<icu::UnicodeString> parts;
    parts.reserve(items.size());
    for (const std::string& item : items) parts.push_back(icu::UnicodeString::fromUTF8(item));
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::ListFormatter> format(icu::ListFormatter::createInstance(m_impl->locale, status));
    icu::UnicodeString joined;
    if (U_SUCCESS(status)) format->format(parts.data(), static_cast<int32_t>(parts.size()), joined, status);
    if (U_FAILURE(status)) {  // never expected: ICU has list patterns for every locale; keep the items readable
        std::string plain;
        for (const std::string& item : items) plain += (plain.empty() ? "" : ", ") + item;
        return plain;
    }
    return ToUtf8(joined);
}

bool Catalog::Has(std::string_view key) const { return Lookup(m_impl->pack.get(), key).has_value(); }

std::string Catalog::Get(std::string_view key) const {
    if (auto s = Lookup(m_impl->pack.get(), key)) return ToUtf8(*s);
    if (auto s = Lookup(m_impl->english.get(), key)) return ToUtf8(*s);
    std::fprintf(stderr, "i18n: no string for key %.*s in %s or en-GB\n", static_cast<int>(key.size()), key.data(),
                 m_impl->manifest.tag.c_str());
    return "\u27e6" + std::string(key) + "\u27e7";
}

std::string Catalog::Format(std::string_view key, const Args& args) const {
    const icu::Locale* locale = &m_impl->locale;
    auto pattern = Lookup(m_impl->pack.get(), key);
    if (!pattern) {
        pattern = Lookup(m_impl->english.get(), key);
        locale = &m_impl->english_locale;  // a fallen-back string takes English plural rules too
    }
    if (!pattern) return Get(key);
    auto out = FormatIcu(*pattern, *locale, args);
    if (!out) {
        std::fprintf(stderr, "i18n: %s: key %.*s: %s\n", m_impl->manifest.tag.c_str(), static_cast<int>(key.size()),
                     key.data(), out.error().detail.c_str());
        return ToUtf8(*pattern);
    }
    return ToUtf8(*out);
}

core::Result<std::string> FormatMessage(std::string_view pattern, const std::string& icu_locale, const Args& args) {
    const auto text = icu::UnicodeString::fromUTF8(icu::StringPiece(pattern.data(), static_cast<int32_t>(pattern.size())));
    auto out = FormatIcu(text, FormattingLocale(icu_locale), args);
    if (!out) return out.error();
    return ToUtf8(*out);
}

const std::string& Catalog::Tag() const { return m_impl->manifest.tag; }
Direction Catalog::Dir() const { return m_impl->manifest.direction; }
const std::vector<std::string>& Catalog::Fonts() const { return m_impl->manifest.fonts; }
const Manifest& Catalog::Info() const { return m_impl->manifest; }

std::string Endonym(const Manifest& m) {
    if (!m.endonym.empty()) return m.endonym;
    const icu::Locale locale(m.icu_locale.c_str());
    icu::UnicodeString name;
    locale.getDisplayName(locale, name);
    std::string out;
    name.toUTF8String(out);
    return out;
}

std::filesystem::path DefaultLocalesDir() {
    if (const char* env = std::getenv("HTK_LOCALES_DIR"); env && *env) return env;
    std::error_code ec;
    // Only a binary in the build tree reads the build tree: an installed one (even on the machine
    // that built it) reads what was installed with it.
    if (std::filesystem::read_symlink("/proc/self/exe", ec).string().starts_with(HTK_BUILD_TREE "/") &&
        std::filesystem::is_directory(HTK_BUILD_LOCALES_DIR, ec))
        return HTK_BUILD_LOCALES_DIR;
    return HTK_INSTALL_LOCALES_DIR;
}

std::vector<std::string> InstalledPacks(const std::filesystem::path& locales_dir) {
    std::set<std::string> tags;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(locales_dir, ec)) {
        if (!entry.is_directory()) continue;
        if (entry.path().filename().string().starts_with(".")) continue;  // staging and kept previous versions
        auto m = LoadManifest(entry.path());
        if (m && m->tag == entry.path().filename().string())
            tags.insert(m->tag);
        else  // the reason, so that the one line a left-out pack gets says why
            std::fprintf(stderr, "i18n: skipping %s: %s\n", entry.path().string().c_str(),
                         m ? ("its manifest's tag is " + m->tag).c_str() : m.error().detail.c_str());
    }
    return {tags.begin(), tags.end()};
}

void SetProcessDefaults() {
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale::setDefault(icu::Locale("en", "GB"), status);
}

}  // namespace htk::i18n
