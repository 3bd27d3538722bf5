// Sealing of what identifies a patient: crypto_box_seal to the practice's public key, so the kiosk
// can write details it can never read back. The secret key exists only wrapped under staff
// passphrases (Argon2id, then secretbox) and, once unlocked, in locked memory wiped on release.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/referral.h"
#include "core/result.h"
#include "core/time.h"
#include "store/database.h"

namespace htk::store {

using PublicKey = std::array<std::uint8_t, 32>;  // X25519
using SealedBlob = std::vector<std::uint8_t>;

inline constexpr std::size_t kMinPassphraseLength = 10;

enum class StaffRole { Receptionist, Manager };
std::string_view Key(StaffRole role);  // "receptionist", "manager"
std::optional<StaffRole> ParseStaffRole(std::string_view key);

// The practice's secret key, unlocked by one member of staff. Move-only; the key lives in
// sodium_malloc'd memory and is zeroed when this object goes away.
class UnlockedKey {
public:
    UnlockedKey(UnlockedKey&& other) noexcept;
    UnlockedKey& operator=(UnlockedKey&& other) noexcept;
    UnlockedKey(const UnlockedKey&) = delete;
    UnlockedKey& operator=(const UnlockedKey&) = delete;
    ~UnlockedKey();

    const PublicKey& Public() const { return m_public; }
    const std::string& Staff() const { return m_staff; }
    StaffRole Role() const { return m_role; }
    bool Unlocked() const { return m_secret != nullptr; }  // false once moved from

private:
    friend struct UnlockedKeyAccess;
    UnlockedKey(std::uint8_t* secret, const PublicKey& pub, std::string staff, StaffRole role)
        : m_secret(secret), m_public(pub), m_staff(std::move(staff)), m_role(role) {}
    std::uint8_t* m_secret = nullptr;
    PublicKey m_public{};
    std::string m_staff;
    StaffRole m_role = StaffRole::Receptionist;
};

struct StaffMember {
    std::string name;
    StaffRole role = StaffRole::Receptionist;
    core::UnixSeconds created_at = 0;
};

core::Result<void> InitSodium();  // idempotent; every function here calls it first

// Pure sealing: no database.
core::Result<SealedBlob> Seal(const core::PatientDetails& details, const PublicKey& key);
core::Result<core::PatientDetails> Open(std::span<const std::uint8_t> sealed, const UnlockedKey& key);
// One piece of free text (a staff note), sealed and padded the same way; a details blob does not open as text.
core::Result<SealedBlob> SealText(std::string_view text, const PublicKey& key);
core::Result<std::string> OpenText(std::span<const std::uint8_t> sealed, const UnlockedKey& key);

// Key management. The practice row (SettingsRepo::Save) must exist first. Creating keys twice is
// refused: a new pair would orphan every referral sealed to the old one.
core::Result<PublicKey> CreatePracticeKeys(Database& db, std::string_view staff_name, StaffRole role,
                                           std::string_view passphrase, core::UnixSeconds now);
// WrongPassphrase (audited as "key.unlock_failed", never with the passphrase) or NotFound.
// TooManyAttempts, before any passphrase is tried, while UnlockDelay says to wait (audited too).
core::Result<UnlockedKey> Unlock(Database& db, std::string_view staff_name, std::string_view passphrase,
                                 core::UnixSeconds now);

// Failed unlocks are slowed down: after kFreeUnlockFailures wrong passphrases for one name within
// kUnlockFailureWindow, each further try waits 5 s, 10 s, 20 s ... up to 5 minutes after the last
// failure. Kept in the audit log, so it holds across processes and restarts. 0: may try now.
inline constexpr int kFreeUnlockFailures = 3;
inline constexpr core::UnixSeconds kUnlockFailureWindow = 15 * 60;
core::Result<core::UnixSeconds> UnlockDelay(Database& db, std::string_view staff_name, core::UnixSeconds now);
// Gives another member of staff their own passphrase; only a manager may.
core::Result<void> AddStaffKey(Database& db, const UnlockedKey& by, std::string_view staff_name, StaffRole role,
                               std::string_view passphrase, core::UnixSeconds now);
core::Result<std::vector<StaffMember>> ListStaff(Database& db);
core::Result<PublicKey> PracticePublicKey(Database& db);  // NotFound before CreatePracticeKeys

// sodium_bin2base64 ORIGINAL variant, as kiosk.conf holds it.
std::string PublicKeyToBase64(const PublicKey& key);
std::optional<PublicKey> PublicKeyFromBase64(std::string_view text);

void RandomBytes(std::span<std::uint8_t> out);  // randombytes_buf; aborts only if sodium cannot start
std::string RandomToken(std::size_t bytes = 16);  // lowercase hex, for hold tokens and kiosk session ids

}  // namespace htk::store
