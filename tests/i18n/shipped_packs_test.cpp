// Every pack we ship: lint-clean against English, loadable once compiled, plurals right per CLDR,
// keyboards installed with it.
#include <doctest/doctest.h>

#include <unicode/plurrule.h>

#include <filesystem>
#include <algorithm>
#include <memory>
#include <set>

#include "i18n/catalog.h"
#include "i18n/keyboard.h"
#include "i18n/pack_lint.h"

using namespace htk::i18n;
namespace fs = std::filesystem;

namespace {
const fs::path kSources = HTK_SOURCE_LOCALES;
const fs::path kCompiled = HTK_COMPILED_LOCALES;
const std::vector<std::string> kShipped{"en-GB", "tr", "so", "pl", "ro", "pa", "ur", "bn",
                                        "ar",    "ckb", "fa", "pt", "lt", "ti", "zh-Hans"};
}  // namespace

TEST_CASE("all 15 packs ship, compiled, and each lints clean against English") {
    CHECK(InstalledPacks(kCompiled) == [] {
        auto sorted = kShipped;
        std::sort(sorted.begin(), sorted.end());
        return sorted;
    }());
    for (const auto& tag : kShipped) {
        CAPTURE(tag);
        const auto findings = LintPack(kSources / tag, kSources / "en-GB");
        for (const auto& f : findings) FAIL_CHECK(ToString(f));
        auto catalog = Catalog::Load(kCompiled, tag);
        REQUIRE(catalog);
        CHECK(catalog->Info().status == (tag == "en-GB" ? "reviewed" : "draft"));
    }
}

TEST_CASE("CLDR plural samples format with every category in each shipped language") {
    for (const auto& tag : kShipped) {
        CAPTURE(tag);
        auto catalog = Catalog::Load(kCompiled, tag);
        REQUIRE(catalog);
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::PluralRules> rules(
            icu::PluralRules::forLocale(icu::Locale(catalog->Info().icu_locale.c_str()), status));
        REQUIRE(U_SUCCESS(status));
        std::set<std::string> outputs;
        for (const auto& category : PluralCategories(catalog->Info().icu_locale)) {
            double samples[4];
            status = U_ZERO_ERROR;
            const auto n = rules->getSamples(icu::UnicodeString::fromUTF8(category), samples, 4, status);
            for (int i = 0; i < n; ++i) {
                if (samples[i] != static_cast<double>(static_cast<std::int64_t>(samples[i]))) continue;
                const auto text = catalog->Format("booking.slots_found", {{"count", static_cast<std::int64_t>(samples[i])}});
                CAPTURE(category);
                CAPTURE(text);
                CHECK(text.find("\u27e6") == std::string::npos);
                CHECK_FALSE(text.empty());
                outputs.insert(text);
            }
        }
        CHECK(outputs.size() >= PluralCategories(catalog->Info().icu_locale).size());
    }
}

TEST_CASE("every shipped pack offers valid keyboards, installed with the compiled pack, Latin among them") {
    for (const auto& tag : kShipped) {
        CAPTURE(tag);
        auto manifest = LoadManifest(kCompiled / tag);
        REQUIRE(manifest);
        REQUIRE_FALSE(manifest->keyboards.empty());
        // Clinical systems hold names in Latin letters, so every pack can type them.
        CHECK(std::find(manifest->keyboards.begin(), manifest->keyboards.end(), "latin") != manifest->keyboards.end());
        for (const auto& id : manifest->keyboards) {
            CAPTURE(id);
            auto kb = LoadKeyboard(kCompiled / tag / "keyboards" / (id + ".txt"));
            REQUIRE_MESSAGE(kb, kb.error().detail);
            CHECK(kb->id == id);
            CHECK_FALSE(kb->label.empty());
        }
    }
}
