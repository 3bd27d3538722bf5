// Fuzz target: the translators' CSV reader and import validation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "i18n/pack_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto english = *htk::i18n::ParseBundleSource(
        "en_GB { a { \"Refer myself\" } n { \"{n, plural, one {# slot} other {# slots}}\" } }", "en.txt");
    static const htk::i18n::BundleSource empty{"pl", {}};
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto r = htk::i18n::ImportCsv(text, english, empty, {"few", "many", "one", "other"}))
        if (r->result.entries.size() > english.entries.size()) __builtin_trap();
    return 0;
}
