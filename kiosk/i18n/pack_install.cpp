// Pack files are hashed in sorted path order; the signature covers that list, so adding, removing,
// renaming or altering any file breaks it. Layout of locales_dir: <tag> is a symlink to an immutable
// version folder .packs/<tag>-<random>, .previous-<tag> to the one before. Installing renames a new
// symlink over <tag> on the same filesystem, so a power cut leaves either version live, never half.
#include "i18n/pack_install.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <unicode/ures.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>

#include "i18n/bundle_file.h"
#include "i18n/pack_source.h"

namespace htk::i18n {
namespace fs = std::filesystem;
namespace {

bool SodiumReady() {
    static const bool ready = sodium_init() >= 0;
    return ready;
}

// Relative path -> bytes, for every file of the pack except the signature. Refuses anything that
// is not a plain file or directory, and paths that would leave the pack.
core::Result<std::map<std::string, std::string>> ReadPackFiles(const fs::path& dir) {
    std::map<std::string, std::string> files;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return core::Fail(core::Errc::NotFound, dir.string() + ": not a pack folder");
    std::size_t total = 0;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const auto status = it->symlink_status();
        const auto rel = fs::relative(it->path(), dir).generic_string();
        if (fs::is_symlink(status))
            return core::Fail(core::Errc::InvalidInput, (dir / rel).string() + ": a link: a path leaving the pack is refused");
        if (fs::is_directory(status)) continue;
        if (!fs::is_regular_file(status))
            return core::Fail(core::Errc::InvalidInput, (dir / rel).string() + ": not a regular file");
        if (rel == kSignatureFile) continue;
        if (rel.find("..") != std::string::npos || rel.find('\n') != std::string::npos || rel.find('\\') != std::string::npos)
            return core::Fail(core::Errc::InvalidInput, (dir / rel).string() + ": a path leaving the pack is refused");
        const auto size = fs::file_size(it->path(), ec);
        if (ec || size > kMaxPackFileBytes)
            return core::Fail(core::Errc::InvalidInput, (dir / rel).string() + ": larger than " + std::to_string(kMaxPackFileBytes) + " bytes");
        total += size;
        if (total > kMaxPackBytes || files.size() >= kMaxPackFiles)
            return core::Fail(core::Errc::InvalidInput, dir.string() + ": the pack is too large");
        std::ifstream in(it->path(), std::ios::binary);
        files[rel].assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (!in && !in.eof()) return core::Fail(core::Errc::Io, (dir / rel).string() + ": cannot read");
    }
    if (ec) return core::Fail(core::Errc::Io, dir.string() + ": " + ec.message());
    return files;
}

std::array<std::uint8_t, crypto_generichash_BYTES> Digest(const std::map<std::string, std::string>& files) {
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, crypto_generichash_BYTES);
    const std::string domain = "htk-language-pack-v1\n";
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(domain.data()), domain.size());
    for (const auto& [path, bytes] : files) {
        unsigned char hash[crypto_generichash_BYTES];
        crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr, 0);
        const std::string head = path + '\0' + std::to_string(bytes.size()) + '\0';
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(head.data()), head.size());
        crypto_generichash_update(&state, hash, sizeof hash);
    }
    std::array<std::uint8_t, crypto_generichash_BYTES> out{};
    crypto_generichash_final(&state, out.data(), out.size());
    return out;
}

core::Result<void> SyncTree(const fs::path& dir) {
    std::error_code ec;
    std::vector<fs::path> paths{dir};
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        paths.push_back(it->path());
    for (const auto& p : paths) {
        const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 || ::fsync(fd) != 0) {
            if (fd >= 0) ::close(fd);
            return core::Fail(core::Errc::Io, p.string() + ": cannot sync to disk");
        }
        ::close(fd);
    }
    return {};
}

core::Result<void> Exchange(const fs::path& a, const fs::path& b) {
    if (::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) != 0)
        return core::Fail(core::Errc::Io, "cannot swap " + a.string() + " and " + b.string() + ": " + std::strerror(errno));
    return {};
}

core::Result<void> SyncDir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return core::Fail(core::Errc::Io, dir.string() + ": cannot open");
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return core::Fail(core::Errc::Io, dir.string() + ": cannot sync to disk");
    return {};
}

}  // namespace

SigningKeys MakeSigningKeys() {
    SodiumReady();
    SigningKeys keys;
    crypto_sign_keypair(keys.public_key.data(), keys.secret_key.data());
    return keys;
}

std::string ToBase64(const std::uint8_t* data, std::size_t size) {
    std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::optional<std::vector<std::uint8_t>> FromBase64(std::string_view text) {
    SodiumReady();
    std::vector<std::uint8_t> out(text.size());
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), " \t\r\n", &length, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    out.resize(length);
    return out;
}

core::Result<void> SignPack(const fs::path& pack_dir, const SignSecretKey& key) {
    SodiumReady();
    auto files = ReadPackFiles(pack_dir);
    if (!files) return files.error();
    const auto digest = Digest(*files);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, digest.data(), digest.size(), key.data());
    std::ofstream out(pack_dir / kSignatureFile, std::ios::trunc);
    out << ToBase64(sig, sizeof sig) << "\n";
    if (!out.flush()) return core::Fail(core::Errc::Io, (pack_dir / kSignatureFile).string() + ": cannot write");
    return {};
}

core::Result<void> VerifyPack(const fs::path& pack_dir, const SignPublicKey& key) {
    SodiumReady();
    std::ifstream in(pack_dir / kSignatureFile);
    std::string text;
    if (!in || !std::getline(in, text))
        return core::Fail(core::Errc::NotFound, pack_dir.string() + ": the pack is not signed");
    const auto sig = FromBase64(text);
    if (!sig || sig->size() != crypto_sign_BYTES)
        return core::Fail(core::Errc::Crypto, (pack_dir / kSignatureFile).string() + ": not a signature");
    auto files = ReadPackFiles(pack_dir);
    if (!files) return files.error();
    const auto digest = Digest(*files);
    if (crypto_sign_verify_detached(sig->data(), digest.data(), digest.size(), key.data()) != 0)
        return core::Fail(core::Errc::Crypto, pack_dir.string() + ": the signature does not match: the pack was altered or signed by another key");
    return {};
}

core::Result<Manifest> CheckPack(const fs::path& pack_dir) {
    auto files = ReadPackFiles(pack_dir);
    if (!files) return files.error();
    auto manifest = LoadManifest(pack_dir);
    if (!manifest) return manifest.error();
    if (!files->count(manifest->icu_locale + ".res"))
        return core::Fail(core::Errc::InvalidInput, pack_dir.string() + ": " + manifest->icu_locale + ".res is missing");
    // Checked, then opened from a private copy (OpenBundleFile): a damaged bundle is refused, not a crash.
    std::string error;
    UResourceBundle* bundle = OpenBundleFile(pack_dir, manifest->icu_locale, error);
    if (!bundle) return core::Fail(core::Errc::InvalidInput, error);
    ures_close(bundle);
    if (files->count("strings.txt"))
        if (auto src = ReadBundleSource(pack_dir / "strings.txt"); !src) return src.error();
    return manifest;
}

namespace {

std::string RandomSuffix() {
    unsigned char bytes[6];
    randombytes_buf(bytes, sizeof bytes);
    char hex[sizeof bytes * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
    return hex;
}

// Points `link` at `target` atomically: a new symlink renamed over the old name. A real directory
// in its place (packs compiled by the build) is swapped out with RENAME_EXCHANGE and returned.
core::Result<std::optional<fs::path>> PointLink(const fs::path& link, const fs::path& target) {
    const fs::path temp = link.parent_path() / (".link-" + RandomSuffix());
    std::error_code ec;
    fs::create_directory_symlink(target, temp, ec);
    if (ec) return core::Fail(core::Errc::Io, temp.string() + ": " + ec.message());
    const auto status = fs::symlink_status(link, ec);
    if (fs::exists(status) && !fs::is_symlink(status)) {
        if (auto x = Exchange(temp, link); !x) {
            fs::remove(temp, ec);
            return x.error();
        }
        return std::optional<fs::path>(temp);  // now the old real directory, under the temp name
    }
    fs::rename(temp, link, ec);
    if (ec) {
        fs::remove(temp, ec);
        return core::Fail(core::Errc::Io, link.string() + ": " + ec.message());
    }
    return std::optional<fs::path>();
}

// Removes versions under .packs/ that neither a live pack nor a kept previous one points to.
void CollectGarbage(const fs::path& locales_dir) {
    std::error_code ec;
    std::set<fs::path> used;
    for (const auto& e : fs::directory_iterator(locales_dir, ec))
        if (fs::is_symlink(e.symlink_status())) used.insert(fs::weakly_canonical(e.path(), ec));
    for (const auto& e : fs::directory_iterator(locales_dir / ".packs", ec))
        if (!used.count(fs::weakly_canonical(e.path(), ec))) fs::remove_all(e.path(), ec);
}

}  // namespace

core::Result<InstallReport> InstallPack(const fs::path& locales_dir, const fs::path& pack_dir,
                                        const std::optional<SignPublicKey>& service_key) {
    SodiumReady();
    InstallReport report;
    if (service_key) {
        if (auto v = VerifyPack(pack_dir, *service_key); !v) return v.error();
        report.signature_checked = true;
    }
    auto source_manifest = CheckPack(pack_dir);  // refuses links and oversized files before anything is copied
    if (!source_manifest) return source_manifest.error();
    const std::string tag = source_manifest->tag;
    if (tag.empty() || tag.find('/') != std::string::npos || tag[0] == '.')
        return core::Fail(core::Errc::InvalidInput, "pack tag " + tag + " cannot name a folder");

    // Each version gets a folder of its own that never changes, so ICU's process-wide bundle cache
    // (keyed by path) can never serve a running kiosk the previous version's strings.
    std::error_code ec;
    const fs::path versions = locales_dir / ".packs";
    fs::create_directories(versions, ec);
    const std::string version_name = tag + "-" + RandomSuffix();
    const fs::path staged = versions / version_name;
    fs::copy(pack_dir, staged, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
    auto discard = [&](core::Error e) -> core::Result<InstallReport> {
        std::error_code ignore;
        fs::remove_all(staged, ignore);
        return e;
    };
    if (ec) return discard(core::Fail(core::Errc::Io, "cannot stage the pack in " + versions.string() + ": " + ec.message()));
    // Check what was copied, not the source: it may have changed since it was verified.
    if (service_key)
        if (auto v = VerifyPack(staged, *service_key); !v) return discard(v.error());
    auto manifest = CheckPack(staged);
    if (!manifest) return discard(manifest.error());
    if (manifest->tag != tag) return discard(core::Fail(core::Errc::InvalidInput, "the pack changed while it was installed"));
    report.installed = *manifest;
    if (auto s = SyncTree(staged); !s) return discard(s.error());
    if (auto s = SyncDir(versions); !s) return discard(s.error());

    const fs::path live = locales_dir / tag;
    const fs::path previous = locales_dir / (".previous-" + tag);
    std::optional<fs::path> old_target;
    if (fs::is_symlink(fs::symlink_status(live, ec))) old_target = fs::read_symlink(live, ec);
    if (fs::exists(live, ec))
        if (auto old = LoadManifest(live)) report.replaced_version = old->version;

    auto swapped = PointLink(live, fs::path(".packs") / version_name);
    if (!swapped) return discard(swapped.error());
    if (*swapped) {  // a real directory was live: keep it as a version of its own
        const fs::path kept = versions / (tag + "-" + RandomSuffix());
        fs::rename(**swapped, kept, ec);
        if (!ec) old_target = fs::path(".packs") / kept.filename();
    }
    if (old_target) {
        if (auto p = PointLink(previous, *old_target); !p)
            return core::Fail(core::Errc::Io, "installed, but could not keep the previous version: " + p.error().detail);
    }
    if (auto s = SyncDir(locales_dir); !s) return s.error();
    CollectGarbage(locales_dir);
    return report;
}

core::Result<Manifest> RollbackPack(const fs::path& locales_dir, const std::string& tag) {
    const fs::path live = locales_dir / tag;
    const fs::path previous = locales_dir / (".previous-" + tag);
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(previous, ec)) || !fs::is_directory(previous, ec))
        return core::Fail(core::Errc::NotFound, "no previous version of " + tag + " is kept");
    if (!fs::is_symlink(fs::symlink_status(live, ec))) return core::Fail(core::Errc::NotFound, "pack " + tag + " is not installed");
    if (auto x = Exchange(previous, live); !x) return x.error();
    if (auto s = SyncDir(locales_dir); !s) return s.error();
    return LoadManifest(live);
}

std::string PacksFingerprint(const fs::path& locales_dir) {
    // Every pack folder, valid or not, without reading manifests: polled at each session's start and
    // end, it must not log a bad pack's line again each time (InstalledPacks does).
    std::set<std::string> entries;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(locales_dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with(".") || !entry.is_directory(ec)) continue;
        entries.insert(name + "=" + fs::canonical(entry.path(), ec).string() + ";");  // installs change the target
    }
    std::string out;
    for (const auto& e : entries) out += e;
    return out;
}

}  // namespace htk::i18n
