// Language packs for the kiosk: catalogs in picker order, signature-checked when the config holds
// the service's key.
#include "app/packs.h"

#include <cstdio>

#include "i18n/pack_install.h"

namespace htk::app {

core::Result<std::vector<i18n::Catalog>> LoadPacks(const Config& config) {
    std::vector<i18n::Catalog> packs;
    for (const auto& tag : config.languages) {
        if (config.service_key) {
            std::error_code ec;
            const auto dir = std::filesystem::canonical(config.locales / tag, ec);
            if (auto v = i18n::VerifyPack(ec ? config.locales / tag : dir, *config.service_key); !v) {
                // Refuse the pack, not the kiosk: patients of other languages are still served.
                // English is every pack's fallback, so without it there is no kiosk.
                if (tag == "en-GB") return core::Fail(core::Errc::BadConfig, "the en-GB pack is refused: " + v.error().detail);
                std::fprintf(stderr, "ht-kiosk: language pack %s refused: %s\n", tag.c_str(), v.error().detail.c_str());
                continue;
            }
        }
        auto catalog = i18n::Catalog::Load(config.locales, tag);
        if (!catalog) {
            // Missing, a bad manifest, a damaged bundle: as for a refused signature, the language is
            // left out of the picker and the kiosk serves the rest (a dead kiosk serves nobody).
            if (tag == "en-GB") return catalog.error();
            std::fprintf(stderr, "ht-kiosk: language pack %s left out: %s\n", tag.c_str(), catalog.error().detail.c_str());
            continue;
        }
        packs.push_back(std::move(catalog.value()));
    }
    if (packs.empty()) {  // every listed language left out, English not among them: English alone
        auto english = i18n::Catalog::Load(config.locales, "en-GB");
        if (!english) return english.error();
        std::fprintf(stderr, "ht-kiosk: none of the configured languages could be loaded; serving en-GB\n");
        packs.push_back(std::move(english.value()));
    }
    return packs;
}

}  // namespace htk::app
