// Pack sources and the lint: each finding names file:line and key, by kind.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "i18n/pack_lint.h"

using namespace htk::i18n;
namespace fs = std::filesystem;

namespace {
const char* kEnglish = R"(// English test source
en_GB {
    home {
        // The first button on the home screen
        refer { "Refer myself" }
        count { "{n, plural, one {# slot} other {# slots}}" }
    }
    done { "Your reference is {ref}" }
}
)";

struct TempPacks {
    fs::path root = fs::temp_directory_path() / ("htk_lint_" + std::to_string(::getpid()));
    TempPacks() { Write("en-GB", "tag = en-GB\nname = English\nfonts = Noto Sans\nversion = 1\nstatus = draft\n", kEnglish); }
    ~TempPacks() { fs::remove_all(root); }
    fs::path Write(const std::string& tag, const std::string& manifest, const std::string& strings) {
        fs::create_directories(root / tag);
        std::ofstream(root / tag / "manifest.ini") << manifest;
        std::ofstream(root / tag / "strings.txt", std::ios::binary) << strings;
        return root / tag;
    }
};

std::vector<std::string> Kinds(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) out.push_back(f.kind + ":" + f.key);
    return out;
}
}  // namespace

TEST_CASE("a bundle source is read with the line and translator note of every key") {
    auto b = ParseBundleSource(kEnglish, "en.txt");
    REQUIRE(b);
    CHECK(b->name == "en_GB");
    REQUIRE(b->entries.size() == 3);
    CHECK(b->entries[0].key == "home.refer");
    CHECK(b->entries[0].line == 5);
    CHECK(b->entries[0].note == "The first button on the home screen");
    CHECK(b->entries[2].key == "done");
    auto again = ParseBundleSource(WriteBundleSource(*b, "round trip"), "again.txt");
    REQUIRE(again);
    CHECK(again->entries.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(again->entries[i].key == b->entries[i].key);
        CHECK(again->entries[i].value == b->entries[i].value);
        CHECK(again->entries[i].note == b->entries[i].note);
    }
}

TEST_CASE("broken bundle sources are refused with file:line and a reason") {
    auto unclosed = ParseBundleSource("tr {\n  a { \"x\" }\n  b { \"y }\n}\n", "tr.txt");
    REQUIRE_FALSE(unclosed);
    CHECK(unclosed.error().detail.find("tr.txt:") == 0);
    auto latin1 = ParseBundleSource("tr {\n a { \"D\xFC\x7A\" }\n}\n", "tr.txt");
    REQUIRE_FALSE(latin1);
    CHECK(latin1.error().detail == "tr.txt:2: not valid UTF-8 (packs must be saved as UTF-8)");
    auto dup = ParseBundleSource("tr {\n a { \"x\" }\n a { \"y\" }\n}\n", "tr.txt");
    REQUIRE_FALSE(dup);
    CHECK(dup.error().detail == "tr.txt:3: key a appears twice");
    auto escape = ParseBundleSource("tr { a { \"\\u0130stanbul\" } }", "tr.txt");
    REQUIRE(escape);
    CHECK(escape->entries[0].value == "İstanbul");
    CHECK_FALSE(ParseBundleSource(std::string(kMaxBundleBytes + 1, ' '), "big.txt"));
}

TEST_CASE("a complete, correct pack lints clean") {
    TempPacks packs;
    const auto tr = packs.Write("tr", "tag = tr\nname = Turkish\nfonts = Noto Sans\nversion = 1\nstatus = draft\ncompleteness = 100\n",
                                "tr {\n home {\n  refer { \"Kendimi yönlendir\" }\n"
                                "  count { \"{n, plural, one {# randevu} other {# randevu}}\" }\n }\n"
                                " done { \"Referans numaranız {ref}\" }\n}\n");
    const auto findings = LintPack(tr, packs.root / "en-GB");
    for (const auto& f : findings) MESSAGE(ToString(f));
    CHECK(findings.empty());
}

TEST_CASE("missing, extra, renamed arguments, bad syntax and incomplete plurals are all found") {
    TempPacks packs;
    const auto ar = packs.Write("ar", "tag = ar\nname = Arabic\ndirection = rtl\nfonts = Noto Naskh Arabic\nversion = 1\nstatus = reviewed\n",
                                "ar {\n home {\n  count { \"{n, plural, one {موعد} few {# مواعيد} lots {# موعدًا} other {# موعد}}\" }\n }\n"
                                " done { \"رقمك {reference}\" }\n extra { \"x\" }\n}\n");
    const auto findings = LintPack(ar, packs.root / "en-GB");
    const auto kinds = Kinds(findings);
    auto has = [&](const std::string& k) { return std::find(kinds.begin(), kinds.end(), k) != kinds.end(); };
    CHECK(has("manifest:"));           // reviewed without a reviewer; completeness not stated
    CHECK(std::count(kinds.begin(), kinds.end(), "manifest:") == 2);
    CHECK(has("missing:home.refer"));
    CHECK(has("extra:extra"));
    CHECK(has("arguments:done"));
    CHECK(has("plural:home.count"));   // 'lots' is no category; zero, two and many are missing
    const auto plural = std::count(kinds.begin(), kinds.end(), "plural:home.count");
    CHECK(plural == 4);
    for (const auto& f : findings)
        if (f.key == "home.count") CHECK(f.line == 3);

    const auto bad = packs.Write("pl", "tag = pl\nname = Polish\nfonts = Noto Sans\nversion = 1\nstatus = draft\n",
                                 "pl {\n home {\n  refer { \"Skieruj {mnie\" }\n  count { \"\" }\n }\n done { \"{ref}\" }\n}\n");
    const auto kinds2 = Kinds(LintPack(bad, packs.root / "en-GB"));
    CHECK(std::find(kinds2.begin(), kinds2.end(), "syntax:home.refer") != kinds2.end());
    CHECK(std::find(kinds2.begin(), kinds2.end(), "empty:home.count") != kinds2.end());
}

TEST_CASE("CLDR plural categories come from ICU") {
    CHECK(PluralCategories("ar") == std::vector<std::string>{"few", "many", "one", "other", "two", "zero"});
    CHECK(PluralCategories("pl") == std::vector<std::string>{"few", "many", "one", "other"});
    CHECK(PluralCategories("tr") == std::vector<std::string>{"one", "other"});
    CHECK(PluralCategories("zh_Hans") == std::vector<std::string>{"other"});
}

TEST_CASE("the hooks report uncovered characters and strings that do not fit") {
    TempPacks packs;
    const auto so = packs.Write("so", "tag = so\nname = Somali\nfonts = Noto Sans\nversion = 1\nstatus = draft\ncompleteness = 100\n",
                                "so {\n home {\n  refer { \"Is gudbi\" }\n  count { \"{n, plural, one {# ballan} other {# ballan}}\" }\n }\n"
                                " done { \"Tixraacaagu waa {ref} \\u2603\" }\n}\n");
    LintHooks hooks;
    hooks.uncovered = [](const std::vector<std::string>&, const std::string& text) {
        return text.find("\u2603") != std::string::npos ? std::vector<char32_t>{0x2603} : std::vector<char32_t>{};
    };
    hooks.misfit = [](const std::string&, const std::string& key, const std::string&) {
        return key == "home.refer" ? std::string("230 px wider than its button at 1080x1920") : std::string();
    };
    const auto findings = LintPack(so, packs.root / "en-GB", hooks);
    REQUIRE(findings.size() == 2);
    CHECK(ToString(findings[0]) == (so / "strings.txt").string() + ":3: home.refer: [fit] 230 px wider than its button at 1080x1920");
    CHECK(findings[1].kind == "coverage");
    CHECK(findings[1].message.find("U+2603") != std::string::npos);
}
