// Loading the kiosk's language packs, in the picker's order.
//
// 2026-11-23: a pack that cannot be loaded is left out with one log line instead of failing the
// whole call (issue 8); only English failing is an error.
#pragma once
#include <string>
#include <vector>

#include "app/config.h"
#include "core/result.h"
#include "i18n/catalog.h"

namespace htk::app {

// One catalog per configured language, in config.languages order. A pack that is missing, damaged
// or (with a service key) unsigned is left out with one line on stderr saying why; an error only
// when English cannot be loaded, as every pack falls back to it.
core::Result<std::vector<i18n::Catalog>> LoadPacks(const Config& config);

}  // namespace htk::app
