// Fuzz target: MessageFormat argument formatting as the catalog does it. Three kinds of case, chosen by
// the first byte: a raw pattern from the input (i18n::FormatMessage, the step Catalog::Format runs);
// a pattern built from plural/select/number/date arguments with literal text from the input, whose
// output is known; and Catalog::Format on the shipped packs' own patterns with arguments from the input.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fuzz_input.h"
#include "i18n/catalog.h"
#include "i18n/pack_lint.h"
#include "i18n/pack_source.h"
#include "i18n/time_zone.h"

namespace {

using htk::fuzz::Input;
using htk::fuzz::IsUtf8;
namespace i18n = htk::i18n;

// The shipped packs' ICU locales, plus a few that exercise other plural rules and digits.
constexpr const char* kLocales[] = {"en_GB", "ar", "bn", "ckb", "fa", "lt", "pa", "pl", "pt", "ro",
                                    "so",    "ti", "tr", "ur",  "zh_Hans", "ar_EG", "cy", "ru", "ja"};
constexpr const char* kNames[] = {"count", "n", "when", "name", "ref", "s", "0", "1", "language", "minutes"};
constexpr const char* kDateStyles[] = {"date, full", "date, short", "time, short", "date, ::yMMMd", "time",
                                       "date, ::EEEEjm", "date"};
constexpr const char* kNumberStyles[] = {"number", "number, integer", "number, percent", "number, ::compact-short",
                                         "number, ::currency/GBP", "number, #,##0.##", "spellout", "ordinal"};

// Literal text for a pattern: no syntax characters, so the output must hold it unchanged.
std::string Literal(Input& in) {
    std::string out;
    for (char c : in.Until('\0'))
        if (c != '{' && c != '}' && c != '\'' && c != '#' && c != '|') out += c;
    return IsUtf8(out) ? out : std::string("x");
}

std::int64_t SomeInteger(Input& in) {
    constexpr std::int64_t kInteresting[] = {0, 1, 2, 3, 5, 11, 21, 100, 101, -1, 1000000, INT64_MAX, INT64_MIN};
    return in.Bool() ? in.PickFrom(kInteresting) : in.Int64();
}

i18n::Arg SomeArg(Input& in, int kind) {
    switch (kind & 3) {
        case 0: return SomeInteger(in);
        case 1: return in.Double();
        case 2: return std::string(in.Until('\0'));
        default: return i18n::Instant{in.Int64()};
    }
}

// ICU refuses NaN and infinity for plural '#' and some number styles (U_INTERNAL_PROGRAM_ERROR); the
// kiosk passes no doubles at all, so only finite values must format.
bool Finite(const i18n::Arg& a) { return !std::holds_alternative<double>(a) || std::isfinite(std::get<double>(a)); }

// A well-formed pattern with finite arguments must format: on failure, name ICU's error.
bool Formatted(const htk::core::Result<std::string>& out, const std::string& pattern, const i18n::Arg& value) {
    if (!out && Finite(value)) htk::fuzz::Fail("a well-formed pattern did not format", out.error().detail + ": " + pattern);
    return out.ok();
}

void CheckOutput(const std::string& out, std::string_view what) {
    HTK_FUZZ_CHECK(IsUtf8(out), what);
}

// A raw pattern and arguments: whatever ICU accepts formats to valid UTF-8, the same twice.
void RawPattern(Input& in, const std::string& locale) {
    const std::string pattern(in.Until('\0'));
    i18n::Args args;
    const std::size_t count = in.Pick(5);
    for (std::size_t i = 0; i < count; ++i) {
        std::string name = in.Bool() ? std::string(in.PickFrom(kNames)) : std::string(in.Until('\0'));
        args.emplace_back(std::move(name), SomeArg(in, in.Byte()));
    }
    auto a = i18n::FormatMessage(pattern, locale, args);
    auto b = i18n::FormatMessage(pattern, locale, args);
    HTK_FUZZ_CHECK(a.ok() == b.ok(), pattern);
    if (!a) return;
    CheckOutput(*a, pattern);
    HTK_FUZZ_CHECK(*a == *b, pattern);
}

// Patterns whose output is known from the arguments.
void BuiltPattern(Input& in, const std::string& locale) {
    const std::string before = Literal(in), after = Literal(in);
    const std::string x = Literal(in), y = Literal(in), z = Literal(in);
    switch (in.Pick(5)) {
        case 0: {  // a string argument is copied as it is, whatever the locale
            const std::string s(in.Until('\0'));
            const std::string pattern = before + "{s}" + after;
            auto out = i18n::FormatMessage(pattern, locale, {{"s", s}});
            if (!Formatted(out, pattern, s)) break;
            CheckOutput(*out, s);
            if (IsUtf8(s)) HTK_FUZZ_CHECK(*out == before + s + after, s);
            break;
        }
        case 1: {  // select picks the branch named by the value, else other
            const std::string s = in.Bool() ? std::string(in.Bool() ? "a" : "b") : std::string(in.Until('\0'));
            const std::string pattern = before + "{s, select, a {" + x + "} b {" + y + "} other {" + z + "}}" + after;
            auto out = i18n::FormatMessage(pattern, locale, {{"s", s}});
            if (!Formatted(out, pattern, s)) break;
            CheckOutput(*out, s);
            const std::string& chosen = s == "a" ? x : s == "b" ? y : z;
            HTK_FUZZ_CHECK(*out == before + chosen + after, s);
            break;
        }
        case 2: {  // plural: an exact match first, else one of the locale's categories
            const i18n::Arg n = in.Bool() ? i18n::Arg{SomeInteger(in)} : i18n::Arg{in.Double()};
            const std::string pattern = before + "{n, plural, =0 {" + x + "} one {" + y + "} other {" + z + "}}" + after;
            auto out = i18n::FormatMessage(pattern, locale, {{"n", n}});
            if (!Formatted(out, pattern, n)) break;
            CheckOutput(*out, locale);
            const bool zero = std::holds_alternative<std::int64_t>(n) ? std::get<std::int64_t>(n) == 0
                                                                       : std::get<double>(n) == 0.0;
            if (zero) HTK_FUZZ_CHECK(*out == before + x + after, locale);
            else HTK_FUZZ_CHECK(*out == before + y + after || *out == before + z + after || *out == before + x + after, locale);
            break;
        }
        case 3: {  // numbers and dates in the locale's own digits: valid UTF-8, around the literal text
            const bool date = in.Bool();
            const std::string style = date ? in.PickFrom(kDateStyles) : in.PickFrom(kNumberStyles);
            i18n::Arg v = date ? i18n::Arg{i18n::Instant{in.Int64()}} : SomeArg(in, in.Bool() ? 0 : 1);
            // ICU spells a huge double out for minutes (RBNF's NumeratorSubstitution); the kiosk only
            // ever passes small integer counts, and no pack spells numbers out.
            if (style == "spellout" || style == "ordinal") v = SomeInteger(in) % 1000000000;
            const std::string pattern = before + "{v, " + style + "}" + after;
            auto out = i18n::FormatMessage(pattern, locale, {{"v", v}});
            if (!Formatted(out, pattern, v)) break;
            CheckOutput(*out, style);
            HTK_FUZZ_CHECK(out->size() > before.size() + after.size(), style);
            HTK_FUZZ_CHECK(out->starts_with(before) && out->ends_with(after), style);
            break;
        }
        default: {  // a plural with '#' inside a select, as the packs nest them
            const std::string s(in.Bool() ? "a" : "b");
            const std::string pattern =
                "{s, select, a {{n, plural, one {# " + x + "} other {# " + y + "}}} other {" + z + "}}";
            const i18n::Arg n = SomeArg(in, in.Bool() ? 0 : 1);
            auto out = i18n::FormatMessage(pattern, locale, {{"s", s}, {"n", n}});
            if (!Formatted(out, pattern, s == "a" ? n : i18n::Arg{s})) break;
            CheckOutput(*out, locale);
            if (s == "b") HTK_FUZZ_CHECK(*out == z, locale);
            break;
        }
    }
}

// The shipped packs and the argument names each English pattern uses, loaded once per process.
struct Packs {
    std::vector<i18n::Catalog> catalogs;
    std::vector<std::pair<std::string, i18n::PatternInfo>> keys;  // keys with arguments

    Packs() {
        const auto dir = i18n::DefaultLocalesDir();
        for (const std::string& tag : i18n::InstalledPacks(dir))
            if (auto c = i18n::Catalog::Load(dir, tag)) catalogs.push_back(std::move(c.value()));
        if (catalogs.empty()) htk::fuzz::Fail("no compiled packs", dir.string());
        auto english = i18n::ReadBundleSource(HTK_FUZZ_SOURCE_LOCALES "/en-GB/strings.txt");
        if (!english) htk::fuzz::Fail("cannot read the English pack", english.error().detail);
        for (const auto& e : english->entries)
            if (auto info = i18n::AnalysePattern(e.value); info.error.empty() && !info.arguments.empty())
                keys.emplace_back(e.key, std::move(info));
        if (keys.empty()) htk::fuzz::Fail("no English pattern has arguments");
    }
};

// What the kiosk does: a pack's own pattern, arguments from the input, mostly of the type it expects.
void ShippedPattern(Input& in) {
    static const Packs packs;
    const i18n::Catalog& catalog = packs.catalogs[in.Pick(packs.catalogs.size())];
    const auto& [key, info] = packs.keys[in.Pick(packs.keys.size())];
    CheckOutput(catalog.Format(key, {}), key);  // no arguments given: ICU leaves "{name}" in place
    i18n::Args args;
    for (const std::string& name : info.arguments) {
        const std::uint8_t b = in.Byte();
        const bool when = name == "when";
        const int kind = b < 248 ? (when ? 3 : name == "language" || name == "ref" ? 2 : static_cast<int>(b & 1)) : b;
        args.emplace_back(name, SomeArg(in, kind));
    }
    const std::string out = catalog.Format(key, args);
    CheckOutput(out, key);
    // Every key has English at least, so never the missing-key marker alone (a string argument may
    // itself hold a "\u27e6": a fuzzer found one).
    HTK_FUZZ_CHECK(out != "\u27e6" + key + "\u27e7", key);
    HTK_FUZZ_CHECK(out == catalog.Format(key, args), key);
    if (in.Bool()) {  // the review screen's lists ("A, B and C") in the same pack
        std::vector<std::string> items;
        for (std::size_t i = 0, n = in.Pick(5); i < n; ++i) items.emplace_back(in.Until('\0'));
        const std::string list = catalog.JoinList(items);
        CheckOutput(list, catalog.Tag());
        for (const std::string& item : items)
            if (IsUtf8(item)) HTK_FUZZ_CHECK(list.find(item) != std::string::npos, item);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool once = [] {  // as ht-kiosk starts: en-GB default, the practice's clocks
        i18n::SetProcessDefaults();
        return i18n::SetProcessTimeZone("Europe/London");
    }();
    if (!once) htk::fuzz::Fail("ICU does not know Europe/London");
    Input in(data, size);
    const std::uint8_t mode = in.Byte();
    const std::string locale = kLocales[in.Pick(std::size(kLocales))];
    switch (mode % 3) {
        case 0: RawPattern(in, locale); break;
        case 1: BuiltPattern(in, locale); break;
        default: ShippedPattern(in); break;
    }
    return 0;
}
