// Signing, verifying, installing and rolling back compiled language packs, so the health trainer
// service can update packs without a new release. Installs never leave a half-written pack live.
#pragma once
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "i18n/catalog.h"

namespace htk::i18n {

inline constexpr std::size_t kMaxPackFileBytes = 8u << 20;   // a recorded prompt is well under this
inline constexpr std::size_t kMaxPackBytes = 64u << 20;
inline constexpr std::size_t kMaxPackFiles = 2000;
inline constexpr const char* kSignatureFile = "signature";

using SignPublicKey = std::array<std::uint8_t, 32>;  // ed25519
using SignSecretKey = std::array<std::uint8_t, 64>;

struct SigningKeys {
    SignPublicKey public_key{};
    SignSecretKey secret_key{};
};
SigningKeys MakeSigningKeys();
std::string ToBase64(const std::uint8_t* data, std::size_t size);
std::optional<std::vector<std::uint8_t>> FromBase64(std::string_view text);

// Signs every file of the pack (relative path, size and BLAKE2b hash), writing `signature`.
core::Result<void> SignPack(const std::filesystem::path& pack_dir, const SignSecretKey& key);
// NotFound when unsigned, Crypto when a file was added, removed or altered after signing.
core::Result<void> VerifyPack(const std::filesystem::path& pack_dir, const SignPublicKey& key);

// Checks a compiled pack folder: regular files only, no path leaving the pack, sizes within the
// limits above, a valid manifest, a bundle ICU can open, a readable strings.txt.
core::Result<Manifest> CheckPack(const std::filesystem::path& pack_dir);

struct InstallReport {
    Manifest installed;
    std::optional<std::string> replaced_version;  // kept for rollback
    bool signature_checked = false;               // false: no service key configured (demo)
};

// Checks the signature when `service_key` is set, copies the pack to a version folder of its own
// beside the live packs, checks the copy, then points <tag> at it atomically; the previous version
// is kept (.previous-<tag>) and older ones are removed.
core::Result<InstallReport> InstallPack(const std::filesystem::path& locales_dir, const std::filesystem::path& pack_dir,
                                        const std::optional<SignPublicKey>& service_key);
// Swaps the live pack and its kept previous version (both links), atomically; NotFound when none is kept.
core::Result<Manifest> RollbackPack(const std::filesystem::path& locales_dir, const std::string& tag);

// A fingerprint of the installed packs (tags and the version folders they point to), cheap enough to
// poll between sessions.
std::string PacksFingerprint(const std::filesystem::path& locales_dir);

}  // namespace htk::i18n
