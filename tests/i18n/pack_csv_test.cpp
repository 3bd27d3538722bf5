// The translator's CSV round trip: byte-for-byte preservation, and all-or-nothing import.
#include <doctest/doctest.h>

#include "i18n/pack_csv.h"
#include "i18n/pack_lint.h"

using namespace htk::i18n;

namespace {
BundleSource English() {
    return *ParseBundleSource(
        "en_GB {\n  // Home screen button\n  refer { \"Refer myself\" }\n"
        "  count { \"{n, plural, one {# slot} other {# slots}}\" }\n  quote { \"Say \\\"hello\\\", then\\nwait\" }\n}\n",
        "en.txt");
}
BundleSource Polish() {
    return *ParseBundleSource("pl {\n  refer { \"Skieruj mnie\" }\n}\n", "pl.txt");
}
}  // namespace

TEST_CASE("export writes a BOM, CRLF rows, quoted fields, notes and the fitting length") {
    const auto csv = ExportCsv(English(), Polish(), [](const std::string& key) { return key == "refer" ? 24 : 0; });
    CHECK(csv.substr(0, 3) == "\xEF\xBB\xBF");
    CHECK(csv.find("key,english,context,max_length,translation\r\n") == 3);
    CHECK(csv.find("refer,Refer myself,Home screen button,24,Skieruj mnie\r\n") != std::string::npos);
    CHECK(csv.find("\"Say \"\"hello\"\", then\nwait\"") != std::string::npos);
}

TEST_CASE("every string survives export and import byte for byte") {
    BundleSource full = English();
    full.name = "pl";
    full.entries[0].value = "Skieruj mnie, \"proszę\"";
    full.entries[1].value = "{n, plural, one {# termin} few {# terminy} many {# terminów} other {# terminu}}";
    full.entries[2].value = "Zażółć gęślą jaźń\r\nłódź ";
    const auto csv = ExportCsv(English(), full);
    auto report = ImportCsv(csv, English(), Polish(), PluralCategories("pl"));
    REQUIRE(report);
    CHECK(report->invalid.empty());
    REQUIRE(report->result.entries.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(report->result.entries[i].value == full.entries[i].value);
    CHECK(report->changed == std::vector<std::string>{"refer"});
    CHECK(report->added == std::vector<std::string>{"count", "quote"});
    auto reread = ParseBundleSource(WriteBundleSource(report->result, "imported"), "pl.txt");
    REQUIRE(reread);
    for (std::size_t i = 0; i < 3; ++i) CHECK(reread->entries[i].value == full.entries[i].value);
}

TEST_CASE("invalid rows are reported by row and key, and nothing is applied") {
    const std::string csv =
        "key,english,context,max_length,translation\r\n"
        "refer,Refer myself,,,Skieruj {kogo\r\n"
        "count,,,,\"{n, plural, one {# termin} other {# terminów}}\"\r\n"
        "nosuch,,,,x\r\n"
        "quote,,,,{who} mówi\r\n"
        "refer,,,,again\r\n";
    auto report = ImportCsv(csv, English(), Polish(), PluralCategories("pl"));
    REQUIRE(report);
    REQUIRE(report->invalid.size() == 5);
    CHECK(report->invalid[0].row == 2);
    CHECK(report->invalid[0].key == "refer");
    CHECK(report->invalid[1].reason.find("plural") != std::string::npos);
    CHECK(report->invalid[2].key == "nosuch");
    CHECK(report->invalid[3].reason.find("arguments") != std::string::npos);
    CHECK(report->invalid[4].reason.find("twice") != std::string::npos);
    CHECK_FALSE(ImportCsv("key,english\r\n", English(), Polish(), {}));
    CHECK_FALSE(ImportCsv("key,english,context,max_length,translation\r\nrefer,\"open", English(), Polish(), {}));
}
