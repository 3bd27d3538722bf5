// Loading the kiosk's language packs, in the picker's order.
#pragma once
#include <string>
#include <vector>

#include "app/config.h"
#include "core/result.h"
#include "i18n/catalog.h"

namespace htk::app {

// One catalog per configured language, in config.languages order.
core::Result<std::vector<i18n::Catalog>> LoadPacks(const Config& config);

}  // namespace htk::app
