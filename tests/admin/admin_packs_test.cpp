// ht-admin packs: the service manager's whole pack workflow against temp directories.
#include "admin_fixture.h"
#include "i18n/pack_csv.h"

using htk::test::RunCli;
using htk::test::TempDir;
namespace fs = std::filesystem;

namespace {
const fs::path kSources = HTK_TEST_SOURCE_LOCALES;
const fs::path kCompiled = HTK_TEST_COMPILED_LOCALES;
}  // namespace

TEST_CASE("packs lint passes every shipped pack and names file, line and key of each finding") {
    auto clean = RunCli({"packs", "lint", "--source", kSources.string()});
    CHECK(clean.code == 0);
    CHECK(clean.out.find("15 pack(s), 0 finding(s)") != std::string::npos);

    TempDir dir;
    fs::copy(kSources / "en-GB", dir.File("en-GB"), fs::copy_options::recursive);
    fs::copy(kSources / "tr", dir.File("tr"), fs::copy_options::recursive);
    auto text = htk::test::ReadText(dir.File("tr") / "strings.txt");
    text.replace(text.find("{count, plural, one"), 19, "{n, plural, one");
    text += "// stray\n";
    htk::test::WriteText(dir.File("tr") / "strings.txt", text);
    auto bad = RunCli({"packs", "lint", "tr", "--source", dir.Path().string()});
    CHECK(bad.code == 2);
    CHECK(bad.out.find((dir.File("tr") / "strings.txt").string() + ":") != std::string::npos);
    CHECK(bad.out.find("booking.slots_found: [arguments]") != std::string::npos);
}

TEST_CASE("packs lint reports a translation too long for its button by key and window size") {
    TempDir dir;
    fs::copy(kSources / "en-GB", dir.File("en-GB"), fs::copy_options::recursive);
    fs::copy(kSources / "tr", dir.File("tr"), fs::copy_options::recursive);
    auto text = htk::test::ReadText(dir.File("tr") / "strings.txt");
    const std::string refer = "Sağlık antrenörüne başvurmak istiyorum";
    std::string long_refer;
    for (int i = 0; i < 12; ++i) long_refer += refer + " ";
    text.replace(text.find(refer), refer.size(), long_refer);
    htk::test::WriteText(dir.File("tr") / "strings.txt", text);
    auto bad = RunCli({"packs", "lint", "tr", "--source", dir.Path().string()});
    CHECK(bad.code == 2);
    CHECK(bad.out.find((dir.File("tr") / "strings.txt").string() + ":8: home.refer: [fit] does not fit:") != std::string::npos);
    CHECK(bad.out.find("on home at 1280x800") != std::string::npos);
    CHECK(bad.out.find("1 pack(s), 1 finding(s)") != std::string::npos);
}

TEST_CASE("a built, signed pack installs, an altered one is refused, and rollback restores the old one") {
    TempDir dir;
    const auto live = dir.File("live");
    fs::copy(kCompiled, live, fs::copy_options::recursive);
    auto keygen = RunCli({"packs", "keygen", "--out", dir.File("service.key").string(), "--json"});
    REQUIRE(keygen.code == 0);
    const auto pub = keygen.out.substr(keygen.out.find(":\"") + 2, 44);

    fs::copy(kSources, dir.File("src"), fs::copy_options::recursive);
    auto manifest = htk::test::ReadText(dir.File("src") / "so" / "manifest.ini");
    manifest.replace(manifest.find("version = 1"), 11, "version = 2");
    htk::test::WriteText(dir.File("src") / "so" / "manifest.ini", manifest);
    REQUIRE(RunCli({"packs", "build", "so", "--source", dir.File("src").string(), "--out", dir.File("out").string()}).code == 0);
    const auto pack = (dir.File("out") / "so").string();

    auto unsigned_install = RunCli({"packs", "install", pack, "--locales", live.string(), "--service-key", pub});
    CHECK(unsigned_install.code == 2);  // bad input: nothing installed
    CHECK(unsigned_install.err.find("not signed") != std::string::npos);
    REQUIRE(RunCli({"packs", "sign", pack, "--key", dir.File("service.key").string()}).code == 0);
    CHECK(RunCli({"packs", "verify", pack, "--service-key", pub}).code == 0);

    auto installed = RunCli({"packs", "install", pack, "--locales", live.string(), "--service-key", pub, "--json"});
    CHECK(installed.code == 0);
    CHECK(installed.out.find("\"version\":\"2\"") != std::string::npos);
    CHECK(installed.out.find("\"replaced_version\":\"1\"") != std::string::npos);
    CHECK(installed.out.find("\"signature_checked\":true") != std::string::npos);

    htk::test::WriteText(fs::path(pack) / "so.res", "tampered");
    CHECK(RunCli({"packs", "install", pack, "--locales", live.string(), "--service-key", pub}).code == 1);
    CHECK(RunCli({"packs", "list", "--locales", live.string()}).out.find("so  Somali (Soomaali)  version 2") != std::string::npos);

    auto back = RunCli({"packs", "rollback", "so", "--locales", live.string()});
    CHECK(back.code == 0);
    CHECK(back.out == "Rolled so back to version 1\n");

    auto demo = RunCli({"packs", "install", pack, "--locales", live.string()});
    CHECK(demo.code == 2);  // a damaged .res is refused by the pack check even without a key
    CHECK(demo.err.find("so.res") != std::string::npos);
}

TEST_CASE("a translator's CSV round-trips, and a bad row applies nothing") {
    TempDir dir;
    fs::copy(kSources, dir.File("src"), fs::copy_options::recursive);
    const auto src = dir.File("src").string();
    const auto before = htk::test::ReadText(dir.File("src") / "pl" / "strings.txt");
    REQUIRE(RunCli({"packs", "export", "pl", "--csv", dir.File("pl.csv").string(), "--source", src}).code == 0);
    auto csv = htk::test::ReadText(dir.File("pl.csv"));
    CHECK(csv.substr(0, 3) == "\xEF\xBB\xBF");
    // max_length: measured on the screens, so the home buttons' room is known and generous.
    const auto row = csv.find("\r\nhome.refer,");
    REQUIRE(row != std::string::npos);
    const auto line = csv.substr(row + 2, csv.find("\r\n", row + 2) - row - 2);
    const auto fields = htk::i18n::ParseCsv(line);
    REQUIRE(fields);
    const int max_length = std::stoi(fields->at(0).at(3));
    CHECK(max_length >= 33);   // "Refer myself to a health trainer" fits
    CHECK(max_length < 400);
    auto same = RunCli({"packs", "import", "pl", dir.File("pl.csv").string(), "--source", src});
    CHECK(same.code == 0);
    CHECK(same.out.find("0 new, 0 changed, 0 invalid") != std::string::npos);
    CHECK(RunCli({"packs", "lint", "pl", "--source", src}).code == 0);

    csv.replace(csv.find("Wstecz"), 6, "Cofnij");
    csv.replace(csv.find("Dalej"), 5, "Dalej {x}");
    htk::test::WriteText(dir.File("pl.csv"), csv);
    const auto applied_before = htk::test::ReadText(dir.File("src") / "pl" / "strings.txt");
    auto bad = RunCli({"packs", "import", "pl", dir.File("pl.csv").string(), "--source", src});
    CHECK(bad.code == 2);
    CHECK(bad.out.find("common.next") != std::string::npos);
    CHECK(bad.out.find("1 changed, 1 invalid") != std::string::npos);
    CHECK(htk::test::ReadText(dir.File("src") / "pl" / "strings.txt") == applied_before);
    (void)before;
}
