// Language faults under the real App (issue 8): a pack's font is not installed, a configured pack is
// missing, a pack is damaged before the kiosk starts or while it runs. The kiosk keeps running,
// leaves the language out (or falls back down the font chain), says why in one log line, and serves
// the other languages. A damaged bundle never reaches ICU unchecked, at install time either.
#include <doctest/doctest.h>
#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "i18n/catalog.h"
#include "i18n/pack_install.h"
#include "tests/env_var.h"
#include "tests/faults/faults.h"

using namespace htk;
namespace fs = std::filesystem;
using test::Kiosk;

namespace {

// A copy of the shipped packs the test may damage.
fs::path CopyOfPacks(const test::TempDir& dir) {
    const fs::path locales = dir.Path() / "locales";
    fs::copy(i18n::DefaultLocalesDir(), locales, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    return locales;
}

test::KioskOptions Languages(const fs::path& locales, std::vector<std::string> tags, std::string lang = "en-GB") {
    test::KioskOptions o;
    o.locales = locales;
    o.languages = std::move(tags);
    o.lang = std::move(lang);
    return o;
}

std::vector<std::string> Offered(Kiosk& k) {
    std::vector<std::string> tags;
    for (const auto& c : k.App().CurrentViews().language.choices) tags.push_back(c.tag);
    return tags;
}

// The lines that name the pack `tag` as a word of their own ("ur", ".../ur/ur.res"), not inside another.
std::vector<std::string> LinesNaming(test::StderrCapture& err, const std::string& tag) {
    std::vector<std::string> out;
    auto part = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; };
    for (const std::string& line : err.Lines(tag))
        for (std::size_t at = line.find(tag); at != std::string::npos; at = line.find(tag, at + 1))
            if ((at == 0 || !part(line[at - 1])) && (at + tag.size() == line.size() || !part(line[at + tag.size()]))) {
                out.push_back(line);
                break;
            }
    return out;
}

std::vector<char> Bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void Overwrite(const fs::path& file, const std::vector<char>& bytes) {  // in place, as cp over it does
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The bundle's ICU header kept, everything after it random: it opens, and its offsets point anywhere.
std::vector<char> Garbled(std::vector<char> bytes, unsigned seed) {
    std::mt19937 rng(seed);
    for (std::size_t i = 64; i < bytes.size(); ++i) bytes[i] = static_cast<char>(rng());
    return bytes;
}

// fontconfig reading only `families`' files, as on a kiosk where a font package is not installed.
class OnlyFonts {
public:
    explicit OnlyFonts(const std::vector<std::string>& families) {
        const fs::path fonts = m_dir.Path() / "fonts";
        fs::create_directories(fonts);
        FcInit();
        for (const std::string& family : families) {
            FcPattern* pattern = FcPatternBuild(nullptr, FC_FAMILY, FcTypeString, family.c_str(), nullptr);
            FcObjectSet* objects = FcObjectSetBuild(FC_FILE, nullptr);
            FcFontSet* set = FcFontList(nullptr, pattern, objects);
            for (int i = 0; set && i < set->nfont; ++i) {
                FcChar8* file = nullptr;
                if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch) continue;
                std::error_code ec;
                fs::create_symlink(reinterpret_cast<const char*>(file), fonts / fs::path(reinterpret_cast<const char*>(file)).filename(), ec);
            }
            if (set) FcFontSetDestroy(set);
            FcObjectSetDestroy(objects);
            FcPatternDestroy(pattern);
        }
        const fs::path conf = m_dir.Path() / "fonts.conf";
        std::ofstream(conf) << "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n"
                            << "  <dir>" << fonts.string() << "</dir>\n  <cachedir>" << (m_dir.Path() / "cache").string()
                            << "</cachedir>\n</fontconfig>\n";
        m_file.emplace("FONTCONFIG_FILE", conf.c_str());
        FcInitReinitialize();
    }
    ~OnlyFonts() {
        m_file.reset();
        FcInitReinitialize();  // every installed font again for the next test
    }

private:
    test::TempDir m_dir;
    std::optional<test::EnvVar> m_file;
};

}  // namespace

TEST_CASE("a pack's first font is not installed: the kiosk runs in Urdu on the next font of its chain, and one warning names the missing font") {
    OnlyFonts fonts({"Noto Sans", "Noto Naskh Arabic"});  // no Noto Nastaliq Urdu
    test::StderrCapture err;
    Kiosk k(Languages(i18n::DefaultLocalesDir(), {"en-GB", "ur"}));
    test::StartIn(k, "ur");
    const auto chain = k.Engine().Describe(k.App().SessionFaces().regular);
    REQUIRE_FALSE(chain.fonts.empty());
    CHECK(chain.fonts.front().family == "Noto Naskh Arabic");
    CHECK(k.Engine().Undrawable(k.App().SessionFaces().regular, k.App().Language().Get("home.title")).empty());  // no tofu
    k.TakeSlowestFrame();
    const std::string reference = test::Refer(k, "ur");
    CHECK(reference.size() > 0);
    MESSAGE("missing font: slowest frame " << k.TakeSlowestFrame() * 1000 << " ms");
    const auto warnings = err.Lines("Noto Nastaliq Urdu");
    CHECK(warnings.size() == 1);
    for (const auto& w : warnings) MESSAGE(w);
}

TEST_CASE("a configured language whose pack is missing: the kiosk starts without it, says why in one line, and serves the others") {
    test::TempDir dir;
    const fs::path locales = CopyOfPacks(dir);
    fs::remove_all(locales / "so");
    test::StderrCapture err;
    Kiosk k(Languages(locales, {"en-GB", "tr", "so", "ur"}));
    CHECK(Offered(k) == std::vector<std::string>{"en-GB", "tr", "ur"});
    const auto lines = LinesNaming(err, "so");
    CHECK(lines.size() == 1);
    for (const auto& l : lines) MESSAGE(l);
    test::StartIn(k, "tr");
    CHECK_FALSE(test::Refer(k, "tr").empty());
}

TEST_CASE("a damaged pack when the kiosk starts is left out of the picker with one line saying why, and the others are served") {
    test::TempDir dir;
    const fs::path locales = CopyOfPacks(dir);
    const fs::path res = locales / "ur" / "ur.res";
    const auto good = Bytes(res);
    SUBCASE("the bundle garbled after its header") { Overwrite(res, Garbled(good, 1)); }
    SUBCASE("the bundle cut short") { Overwrite(res, {good.begin(), good.begin() + static_cast<long>(good.size() / 2)}); }
    SUBCASE("the bundle empty") { Overwrite(res, {}); }
    SUBCASE("the bundle missing") { fs::remove(res); }
    SUBCASE("the manifest with a line that is not key = value") {
        std::ofstream(locales / "ur" / "manifest.ini", std::ios::app) << "this is not a manifest line\n";
    }
    SUBCASE("the manifest missing") { fs::remove(locales / "ur" / "manifest.ini"); }

    for (const bool listed : {true, false}) {  // in [kiosk] languages, or every installed pack
        CAPTURE(listed);
        test::StderrCapture err;
        Kiosk k(listed ? Languages(locales, {"en-GB", "tr", "ur"}) : Languages(locales, {}));
        const auto offered = Offered(k);
        CHECK(std::find(offered.begin(), offered.end(), "ur") == offered.end());
        CHECK(std::find(offered.begin(), offered.end(), "tr") != offered.end());
        const auto lines = LinesNaming(err, "ur");
        CHECK(lines.size() == 1);
        for (const auto& l : lines) MESSAGE(l);
        test::StartIn(k, "tr");
        CHECK_FALSE(test::Refer(k, "tr").empty());
    }
}

TEST_CASE("a pack damaged while the kiosk runs does not take it down: the Urdu session goes on and the kiosk serves the next patient") {
    test::TempDir dir;
    const fs::path locales = CopyOfPacks(dir);
    const fs::path res = locales / "ur" / "ur.res";
    const auto good = Bytes(res);
    Kiosk k(Languages(locales, {"en-GB", "tr", "ur"}));
    test::StartIn(k, "ur");
    test::StderrCapture err;

    bool still_offered = true;  // damage in place: the copy the kiosk opened is its own
    SUBCASE("the bundle rewritten in place with garbage (as cp over it would)") { Overwrite(res, Garbled(good, 2)); }
    SUBCASE("the bundle truncated in place") { fs::resize_file(res, 0); }
    SUBCASE("the pack's link switched to a damaged version: reloaded between sessions and left out") {
        fs::copy(locales / "ur", locales / ".ur-damaged", fs::copy_options::recursive);
        Overwrite(locales / ".ur-damaged" / "ur.res", Garbled(good, 3));
        fs::rename(locales / "ur", locales / ".ur-before");
        fs::create_directory_symlink(".ur-damaged", locales / "ur");
        still_offered = false;
    }
    k.TakeSlowestFrame();
    CHECK_FALSE(test::Refer(k, "ur").empty());  // every Urdu string looked up again
    k.Tap("sent.finish");
    test::Expect(k, "attract");
    for (int turn = 0; turn < 4; ++turn) k.Advance(app::kAttractRotateSeconds);  // the greeting in each language
    test::StartIn(k, "en-GB");
    const auto offered = Offered(k);
    CHECK((std::find(offered.begin(), offered.end(), "ur") != offered.end()) == still_offered);
    k.Tap("common.start_again");
    test::StartIn(k, "tr");
    CHECK_FALSE(test::Refer(k, "tr").empty());
    MESSAGE("damaged while running: slowest frame " << k.TakeSlowestFrame() * 1000 << " ms");
    const auto lines = LinesNaming(err, "ur");
    CHECK(lines.size() == (still_offered ? 0u : 1u));
    for (const auto& l : lines) MESSAGE(l);
}

TEST_CASE("random damage to a bundle is refused with a reason or read safely, never a crash") {
    test::TempDir dir;
    const fs::path locales = CopyOfPacks(dir);
    const fs::path res = locales / "ur" / "ur.res";
    const auto good = Bytes(res);
    std::mt19937 rng(20261123);
    int refused = 0, read = 0;
    for (int i = 0; i < 400; ++i) {
        auto bytes = good;
        switch (i % 4) {
            case 0:  // a few bytes flipped anywhere, the header too
                for (int n = 1 + static_cast<int>(rng() % 8); n > 0; --n) bytes[rng() % bytes.size()] ^= static_cast<char>(1 + rng() % 255);
                break;
            case 1: bytes.resize(rng() % bytes.size()); break;
            case 2: bytes = Garbled(bytes, static_cast<unsigned>(rng())); break;
            default:  // one 32-bit word of the data replaced: an offset or a count pointing anywhere
                const std::size_t at = 32 + 4 * (rng() % ((bytes.size() - 32) / 4));
                for (int b = 0; b < 4; ++b) bytes[at + static_cast<std::size_t>(b)] = static_cast<char>(rng());
        }
        Overwrite(res, bytes);
        auto pack = i18n::Catalog::Load(locales, "ur");
        if (!pack) {
            ++refused;
            CHECK(pack.error().detail.find("ur.res") != std::string::npos);
            continue;
        }
        ++read;
        for (const char* key : {"attract.touch", "home.title", "review.send", "failure.title", "sent.title", "reasons.eating"})
            (void)pack->Get(key);
        (void)pack->Format("consent.body", {{"months", std::int64_t{12}}});
        (void)pack->Format("booking.held", {{"minutes", std::int64_t{5}}});
        (void)pack->JoinList({"a", "b", "c"});
    }
    MESSAGE("of 400 damaged bundles " << refused << " were refused and " << read << " read without harm");
    CHECK(refused > 0);
}

TEST_CASE("installing a pack whose bundle is damaged is refused with one message, and the live pack is left as it was") {
    test::TempDir dir;
    const fs::path locales = CopyOfPacks(dir);
    const fs::path bad = dir.Path() / "ur-damaged";
    fs::copy(locales / "ur", bad, fs::copy_options::recursive);
    fs::remove(bad / ".compiled");
    Overwrite(bad / "ur.res", Garbled(Bytes(bad / "ur.res"), 4));
    const std::string before = i18n::PacksFingerprint(locales);
    auto installed = i18n::InstallPack(locales, bad, std::nullopt);
    REQUIRE_FALSE(installed);
    CHECK(installed.error().detail == (bad / "ur.res").string() + ": not a usable compiled bundle (a table runs past the end)");
    CHECK(i18n::PacksFingerprint(locales) == before);
    CHECK(i18n::Catalog::Load(locales, "ur"));
}
