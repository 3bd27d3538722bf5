// A compiled ICU resource bundle (<icu_locale>.res) opened so that a damaged file cannot crash the
// process: ICU maps the file and follows its offsets without bounds checks, so a truncated or
// garbled bundle faults inside ICU, and a file rewritten in place under the mapping faults later.
// Internal to kiosk/i18n (Catalog, CheckPack): callers elsewhere never see ICU types.
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "core/result.h"

struct UResourceBundle;

namespace htk::i18n {

// Every offset, length and key of a .res file's bytes lies inside it and every resource has a known
// type, walking the whole tree from the root table; InvalidInput naming `name` and what is wrong.
// Pool bundles and aliases, which our packs never use, are refused too.
core::Result<void> CheckBundle(std::span<const std::uint8_t> bytes, const std::string& name);

// Reads <dir>/<icu_locale>.res whole, checks it, and opens a private copy (removed at once; ICU's
// mapping keeps it) that nothing else can rewrite. Null with `error` set when any step fails.
UResourceBundle* OpenBundleFile(const std::filesystem::path& dir, const std::string& icu_locale, std::string& error);

}  // namespace htk::i18n
