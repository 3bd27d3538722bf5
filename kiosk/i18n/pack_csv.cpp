// CSV writing and reading by hand: RFC 4180 is a page long, and no Debian C++ CSV library is worth
// a dependency for it. Validation reuses the lint's MessageFormat analysis.
#include "i18n/pack_csv.h"

#include <algorithm>
#include <map>
#include <set>

#include "i18n/pack_lint.h"

namespace htk::i18n {
namespace {

std::string Field(const std::string& value) {
    if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void Row(std::string& out, const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        out += Field(fields[i]);
    }
    out += "\r\n";
}

}  // namespace

std::string ExportCsv(const BundleSource& english, const BundleSource& pack, const FitLength& fit) {
    std::string out = "\xEF\xBB\xBF";
    Row(out, {"key", "english", "context", "max_length", "translation"});
    for (const auto& en : english.entries) {
        const auto* tr = pack.Find(en.key);
        const int length = fit ? fit(en.key) : 0;
        Row(out, {en.key, en.value, en.note, length > 0 ? std::to_string(length) : "", tr ? tr->value : ""});
    }
    return out;
}

core::Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    int row_start = 1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty()) {
            quoted = any = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            any = true;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        } else if (c == '\n') {
            row.push_back(std::move(field));
            field.clear();
            rows.push_back(std::move(row));
            row.clear();
            any = false;
            row_start = static_cast<int>(rows.size()) + 1;
        } else {
            field += c;
            any = true;
        }
    }
    if (quoted) return core::Fail(core::Errc::InvalidInput, "row " + std::to_string(row_start) + ": a quote is not closed");
    if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

core::Result<ImportReport> ImportCsv(std::string_view csv, const BundleSource& english, const BundleSource& pack,
                                     const std::vector<std::string>& categories) {
    auto rows = ParseCsv(csv);
    if (!rows) return rows.error();
    if (rows->empty() || rows->front().size() < 5 || rows->front()[0] != "key" || rows->front()[4] != "translation")
        return core::Fail(core::Errc::InvalidInput, "row 1: expected the header key,english,context,max_length,translation");
    ImportReport report;
    report.result.name = pack.name;
    std::map<std::string, std::string> translated;
    for (const auto& e : pack.entries) translated[e.key] = e.value;
    std::set<std::string> seen;
    for (std::size_t r = 1; r < rows->size(); ++r) {
        const auto& row = (*rows)[r];
        const int number = static_cast<int>(r) + 1;
        if (row.size() == 1 && row[0].empty()) continue;  // a blank line
        if (row.size() != 5) {
            report.invalid.push_back({number, row.empty() ? "" : row[0], "expected 5 columns, found " + std::to_string(row.size())});
            continue;
        }
        const auto& key = row[0];
        const auto& text = row[4];
        const auto* en = english.Find(key);
        if (!en) {
            report.invalid.push_back({number, key, "not a key of the English pack"});
            continue;
        }
        if (!seen.insert(key).second) {
            report.invalid.push_back({number, key, "the key appears twice"});
            continue;
        }
        if (text.empty()) continue;
        const auto have = AnalysePattern(text);
        const auto want = AnalysePattern(en->value);
        if (!have.error.empty()) {
            report.invalid.push_back({number, key, have.error});
            continue;
        }
        if (have.arguments != want.arguments) {
            report.invalid.push_back({number, key, "the {arguments} differ from the English ones"});
            continue;
        }
        bool plural_ok = true;
        for (const auto& keywords : have.plurals)
            for (const auto& c : categories)
                if (std::find(keywords.begin(), keywords.end(), c) == keywords.end()) plural_ok = false;
        if (!plural_ok) {
            report.invalid.push_back({number, key, "a plural lacks one of the language's categories"});
            continue;
        }
        const auto old = translated.find(key);
        if (old == translated.end()) report.added.push_back(key);
        else if (old->second != text) report.changed.push_back(key);
        translated[key] = text;
    }
    for (const auto& en : english.entries)
        if (auto it = translated.find(en.key); it != translated.end())
            report.result.entries.push_back({en.key, it->second, 0, en.note});
    return report;
}

}  // namespace htk::i18n
