// The translation agency's round trip: a pack as CSV (UTF-8 with BOM, CRLF, RFC 4180 quoting, so
// Excel and LibreOffice open it) and back. Import applies nothing when any row is invalid.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "i18n/pack_source.h"

namespace htk::i18n {

// Columns: key, english, context (the translator's note), max_length (characters that fit where the
// string is shown; empty when unknown), translation.
using FitLength = std::function<int(const std::string& key)>;  // <= 0: unknown
std::string ExportCsv(const BundleSource& english, const BundleSource& pack, const FitLength& fit = {});

struct CsvRowProblem {
    int row = 0;  // 1-based, the header is row 1
    std::string key;
    std::string reason;
};

struct ImportReport {
    std::vector<std::string> added;    // keys translated for the first time
    std::vector<std::string> changed;  // keys whose translation changed
    std::vector<CsvRowProblem> invalid;
    BundleSource result;               // the pack as it would be; apply only when invalid is empty
};

// Rows with an empty translation leave the key untranslated. `plural_categories` are the pack
// locale's CLDR categories (PluralCategories()).
core::Result<ImportReport> ImportCsv(std::string_view csv, const BundleSource& english, const BundleSource& pack,
                                     const std::vector<std::string>& plural_categories);

// RFC 4180 rows; BOM and CRLF or LF accepted. InvalidInput names the row of an unclosed quote.
core::Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text);

}  // namespace htk::i18n
