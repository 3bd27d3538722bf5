// The catalog: pack strings, per-string English fallback formatted by English rules, Gregorian dates.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "i18n/catalog.h"
#include "i18n/validate.h"

using namespace htk::i18n;

namespace {
const std::filesystem::path kLocales = HTK_TEST_LOCALES;
const htk::core::UnixSeconds kMidsummerNoon = htk::core::LocalDate{2026, 6, 21}.DaysSinceEpoch() * 86400 + 11 * 3600;
}  // namespace

TEST_CASE("English strings come from the compiled en-GB pack") {
    SetProcessDefaults();
    auto en = Catalog::Load(kLocales, "en-GB");
    REQUIRE(en);
    CHECK(en->Get("attract.touch") == "Touch to start");
    CHECK(en->Format("booking.slots_found", {{"count", std::int64_t{1}}}) == "1 free appointment");
    CHECK(en->Format("booking.slots_found", {{"count", std::int64_t{3}}}) == "3 free appointments");
    CHECK(en->Dir() == Direction::LeftToRight);
    CHECK(en->Info().status == "reviewed");
}

TEST_CASE("a missing translation falls back to English for that string alone, with English plurals") {
    auto tr = Catalog::Load(kLocales, "tr");
    REQUIRE(tr);
    CHECK(tr->Get("attract.touch") == "Başlamak için dokunun");
    CHECK(tr->Has("attract.touch"));
    CHECK_FALSE(tr->Has("home.refer"));
    CHECK(tr->Get("home.refer") == "Refer myself to a health trainer");
    CHECK(tr->Format("booking.slots_found", {{"count", std::int64_t{1}}}) == "1 free appointment");
    CHECK(tr->Get("no.such.key") == "\u27e6no.such.key\u27e7");
}

TEST_CASE("Farsi dates are Gregorian, written with Persian digits, right to left") {
    auto fa = Catalog::Load(kLocales, "fa");
    REQUIRE(fa);
    CHECK(fa->Dir() == Direction::RightToLeft);
    const auto date = fa->Format("booking.slot_on", {{"when", Instant{kMidsummerNoon}}});
    CAPTURE(date);
    CHECK(date.find("۲۰۲۶") != std::string::npos);  // 2026, not the Solar Hijri 1405
    CHECK(date.find("ژوئن") != std::string::npos);   // June
    CHECK(fa->Fonts() == std::vector<std::string>{"Noto Naskh Arabic", "Noto Sans"});
}

TEST_CASE("a reference passed as an isolated string keeps its ASCII digits in Farsi, while counts use Persian ones") {
    auto fa = Catalog::Load(kLocales, "fa");
    REQUIRE(fa);
    CHECK(fa->Format("booking.slots_found", {{"count", std::int64_t{12}}}).find("۱۲") != std::string::npos);
    const auto done = fa->Format("done.reference", {{"ref", AsciiIsolated("KMR-4TX7")}, {"n", std::int64_t{47}}});
    CAPTURE(done);
    CHECK(done.find("\u2066KMR-4TX7\u2069") != std::string::npos);  // as reception types it
    CHECK(done.find("۴۷") != std::string::npos);                      // a number argument: Persian digits
}

TEST_CASE("one pattern formats on its own as the catalog would format it; a broken one is refused") {
    CHECK(FormatMessage("{count, plural, one {# slot} other {# slots}}", "en_GB", {{"count", std::int64_t{1}}}).value() ==
          "1 slot");
    CHECK(FormatMessage("{n, number}", "fa", {{"n", std::int64_t{12}}}).value() == "۱۲");
    const auto broken = FormatMessage("{count, plural, one {# slot}", "en_GB", {{"count", std::int64_t{1}}});
    REQUIRE_FALSE(broken);
    CHECK(broken.error().code == htk::core::Errc::InvalidInput);
}

TEST_CASE("a pack that is missing or has a broken manifest is refused with the file named") {
    auto missing = Catalog::Load(kLocales, "xx");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().detail.find("manifest.ini") != std::string::npos);

    const auto dir = std::filesystem::temp_directory_path() / "htk_bad_pack" / "zz";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "manifest.ini") << "tag = zz\ndirection = sideways\nfonts = Noto Sans\n";
    auto bad = LoadManifest(dir);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().detail.find("manifest.ini:2") != std::string::npos);
    std::filesystem::remove_all(dir.parent_path());
}

TEST_CASE("the language picker names each pack in its own language") {
    Manifest m;
    m.icu_locale = "tr";
    CHECK(Endonym(m) == "Türkçe");
    m.icu_locale = "ur";
    CHECK(Endonym(m) == "اردو");
    m.icu_locale = "pa";
    CHECK(Endonym(m) == "ਪੰਜਾਬੀ");
    m.endonym = "Soomaali";
    CHECK(Endonym(m) == "Soomaali");
    CHECK_FALSE(ParseManifest("tag = en-GB!!\nfonts = Noto Sans\n", "m.ini"));
    CHECK(ParseManifest("tag = en-GB\nfonts = Noto Sans\ncolour = red\n", "m.ini").error().detail == "m.ini:3: unknown key colour");
}

TEST_CASE("installed packs are listed by folder") {
    const auto tags = InstalledPacks(kLocales);
    CHECK(tags == std::vector<std::string>{"en-GB", "fa", "tr"});
}
