// The fit check (app::FitChecker): an over-long translation is reported by key, screen and window
// size, and every shipped pack fits every screen at every supported size.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "app/fit_check.h"
#include "i18n/catalog.h"
#include "tests/support/kiosk.h"

namespace fs = std::filesystem;
using htk::app::FitChecker;
using htk::app::Misfit;

namespace {

std::string Describe(const std::vector<Misfit>& misfits) {
    std::string out;
    for (const auto& m : misfits) out += m.key + ": " + m.Describe() + "\n";
    return out;
}

}  // namespace

TEST_CASE("every shipped pack fits every screen at 1920x1080, 1080x1920 and 1280x800") {
    FitChecker checker(htk::i18n::DefaultLocalesDir());
    const auto packs = htk::test::ShippedPacks();
    REQUIRE(packs.size() == 15);
    for (const auto& tag : packs) {
        CAPTURE(tag);
        auto misfits = checker.Check(tag);
        REQUIRE(misfits);
        CHECK_MESSAGE(misfits->empty(), Describe(*misfits));
    }
}

TEST_CASE("an over-long Turkish home.refer is reported with its key, screen and window size") {
    htk::test::TempDir dir;
    const fs::path compiled = htk::i18n::DefaultLocalesDir();
    fs::copy(compiled / "en-GB", dir.Path() / "en-GB", fs::copy_options::recursive);
    fs::create_directories(dir.Path() / "src");
    fs::create_directories(dir.Path() / "tr");
    std::ifstream in(fs::path(HTK_TEST_SOURCE_LOCALES) / "tr" / "strings.txt");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string refer = "Sağlık antrenörüne başvurmak istiyorum";
    const auto at = text.find(refer);
    REQUIRE(at != std::string::npos);
    std::string long_refer;
    for (int i = 0; i < 12; ++i) long_refer += refer + " ";
    text.replace(at, refer.size(), long_refer);
    std::ofstream(dir.Path() / "src" / "strings.txt") << text;
    fs::copy_file(fs::path(HTK_TEST_SOURCE_LOCALES) / "tr" / "manifest.ini", dir.Path() / "tr" / "manifest.ini");
    const std::string genrb = std::string(HTK_GENRB) + " -q -e UTF-8 -d " + (dir.Path() / "tr").string() + " " +
                              (dir.Path() / "src" / "strings.txt").string();
    REQUIRE(std::system(genrb.c_str()) == 0);

    FitChecker checker(dir.Path());
    auto misfits = checker.Check("tr");
    REQUIRE(misfits);
    INFO(Describe(*misfits));
    for (const auto& m : *misfits) CHECK(m.key == "home.refer");  // the other strings still fit
    const auto small = std::find_if(misfits->begin(), misfits->end(), [](const Misfit& m) {
        return m.window.x == 1280 && m.window.y == 800;
    });
    REQUIRE(small != misfits->end());
    CHECK(small->screen == "home");
    CHECK(small->too_tall > 0);
    CHECK(small->Describe().find("too tall for its box on home at 1280x800") != std::string::npos);

    CHECK_FALSE(checker.Check("pl"));  // a pack the folder does not hold is an error, not a pass
}
