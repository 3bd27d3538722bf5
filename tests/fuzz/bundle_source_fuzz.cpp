// Fuzz target: the pack bundle-source reader must refuse or accept, never crash or over-read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "i18n/pack_source.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto b = htk::i18n::ParseBundleSource(text, "fuzz.txt")) {
        // Whatever parses must survive a write and re-read unchanged.
        auto again = htk::i18n::ParseBundleSource(htk::i18n::WriteBundleSource(*b, "fuzz"), "again.txt");
        if (!again || again->entries.size() != b->entries.size()) __builtin_trap();
        for (std::size_t i = 0; i < b->entries.size(); ++i)
            if (again->entries[i].value != b->entries[i].value || again->entries[i].key != b->entries[i].key) __builtin_trap();
    }
    return 0;
}
