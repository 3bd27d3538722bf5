// Signed, atomic install and rollback of compiled packs, run against a temp directory.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "i18n/pack_install.h"

using namespace htk::i18n;
namespace fs = std::filesystem;

namespace {
const fs::path kFixtures = HTK_TEST_LOCALES;

struct Sandbox {
    fs::path root = fs::temp_directory_path() / ("htk_install_" + std::to_string(::getpid()));
    fs::path live = root / "live";
    Sandbox() {
        fs::remove_all(root);
        fs::create_directories(live);
        fs::copy(kFixtures / "en-GB", live / "en-GB", fs::copy_options::recursive);
    }
    ~Sandbox() { fs::remove_all(root); }
    // A copy of the compiled Turkish fixture with its manifest's version set.
    fs::path Pack(const std::string& name, const std::string& version) {
        const auto dir = root / name / "tr";
        fs::create_directories(dir.parent_path());
        fs::copy(kFixtures / "tr", dir, fs::copy_options::recursive);
        std::ifstream in(dir / "manifest.ini");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        in.close();
        text.replace(text.find("version = 0-test"), 16, "version = " + version);
        std::ofstream(dir / "manifest.ini", std::ios::trunc) << text;
        return dir;
    }
};
}  // namespace

TEST_CASE("a pack installs beside the live ones, replaces the old version, and rolls back") {
    Sandbox box;
    auto first = InstallPack(box.live, box.Pack("v1", "1"), std::nullopt);
    REQUIRE(first);
    CHECK_FALSE(first->signature_checked);
    CHECK_FALSE(first->replaced_version);
    CHECK(InstalledPacks(box.live) == std::vector<std::string>{"en-GB", "tr"});
    const auto before = PacksFingerprint(box.live);

    auto second = InstallPack(box.live, box.Pack("v2", "2"), std::nullopt);
    REQUIRE(second);
    CHECK(second->replaced_version == "1");
    CHECK(LoadManifest(box.live / "tr")->version == "2");
    CHECK(PacksFingerprint(box.live) != before);
    auto catalog = Catalog::Load(box.live, "tr");
    REQUIRE(catalog);
    CHECK(catalog->Get("attract.touch") == "Başlamak için dokunun");

    auto back = RollbackPack(box.live, "tr");
    REQUIRE(back);
    CHECK(back->version == "1");
    CHECK(LoadManifest(box.live / "tr")->version == "1");
    CHECK(RollbackPack(box.live, "tr")->version == "2");  // rollback of a rollback goes forward again
    CHECK(RollbackPack(box.live, "so").error().code == htk::core::Errc::NotFound);
    for (const auto& e : fs::directory_iterator(box.live)) CHECK(e.path().filename().string().find(".link-") == std::string::npos);
    CHECK(std::distance(fs::directory_iterator(box.live / ".packs"), fs::directory_iterator()) == 2);  // live and previous only
}

TEST_CASE("a kiosk with the service's key refuses unsigned and altered packs and changes nothing") {
    Sandbox box;
    const auto keys = MakeSigningKeys();
    const auto pack = box.Pack("signed", "3");
    CHECK(InstallPack(box.live, pack, keys.public_key).error().code == htk::core::Errc::NotFound);  // unsigned

    REQUIRE(SignPack(pack, keys.secret_key));
    CHECK(VerifyPack(pack, keys.public_key));
    const auto other = MakeSigningKeys();
    CHECK(VerifyPack(pack, other.public_key).error().code == htk::core::Errc::Crypto);

    std::ofstream(pack / "manifest.ini", std::ios::app) << "# altered\n";
    auto tampered = InstallPack(box.live, pack, keys.public_key);
    REQUIRE_FALSE(tampered);
    CHECK(tampered.error().code == htk::core::Errc::Crypto);
    CHECK_FALSE(fs::exists(box.live / "tr"));

    REQUIRE(SignPack(pack, keys.secret_key));
    std::ofstream(pack / "extra.txt") << "added after signing";
    CHECK(VerifyPack(pack, keys.public_key).error().code == htk::core::Errc::Crypto);
    fs::remove(pack / "extra.txt");
    auto ok = InstallPack(box.live, pack, keys.public_key);
    REQUIRE(ok);
    CHECK(ok->signature_checked);
}

TEST_CASE("bad packs are refused with the reason and the installed packs stay as they were") {
    Sandbox box;
    REQUIRE(InstallPack(box.live, box.Pack("good", "1"), std::nullopt));

    const auto link = box.Pack("link", "2");
    fs::create_symlink("/etc/passwd", link / "audio.ogg");
    auto r1 = InstallPack(box.live, link, std::nullopt);
    REQUIRE_FALSE(r1);
    CHECK(r1.error().detail.find("leaving the pack") != std::string::npos);

    const auto broken = box.Pack("broken", "2");
    std::ofstream(broken / "tr.res", std::ios::trunc) << "not a resource bundle";
    auto r2 = InstallPack(box.live, broken, std::nullopt);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().detail.find("tr.res") != std::string::npos);

    const auto huge = box.Pack("huge", "2");
    std::ofstream(huge / "audio.ogg") << std::string(kMaxPackFileBytes + 1, 'x');
    CHECK_FALSE(InstallPack(box.live, huge, std::nullopt));

    const auto nomanifest = box.Pack("nomanifest", "2");
    fs::remove(nomanifest / "manifest.ini");
    CHECK_FALSE(InstallPack(box.live, nomanifest, std::nullopt));

    CHECK(LoadManifest(box.live / "tr")->version == "1");
    CHECK(InstalledPacks(box.live) == std::vector<std::string>{"en-GB", "tr"});
}

TEST_CASE("base64 keys round-trip and garbage is refused") {
    const auto keys = MakeSigningKeys();
    const auto text = ToBase64(keys.public_key.data(), keys.public_key.size());
    const auto back = FromBase64(text);
    REQUIRE(back);
    CHECK(std::equal(back->begin(), back->end(), keys.public_key.begin()));
    CHECK_FALSE(FromBase64("not base64!"));
}
