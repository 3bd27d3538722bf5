// Language packs for the kiosk: catalogs in picker order.
#include "app/packs.h"

namespace htk::app {

core::Result<std::vector<i18n::Catalog>> LoadPacks(const Config& config) {
    std::vector<i18n::Catalog> packs;
    for (const auto& tag : config.languages) {
        auto catalog = i18n::Catalog::Load(config.locales, tag);
        if (!catalog) return catalog.error();
        packs.push_back(std::move(catalog.value()));
    }
    return packs;
}

}  // namespace htk::app
