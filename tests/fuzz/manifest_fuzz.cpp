// Fuzz target: the pack manifest parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "i18n/catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto m = htk::i18n::ParseManifest(text, "manifest.ini"))
        if (m->tag.empty() || m->fonts.empty() || m->icu_locale.empty()) __builtin_trap();
    return 0;
}
