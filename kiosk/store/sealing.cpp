// libsodium sealing and key wrapping. Plaintext and key material live only in buffers that are
// zeroed before release; nothing here logs or returns a passphrase or a secret key.
#include "store/sealing.h"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "store/audit_repo.h"

namespace htk::store {

using core::Errc;
using core::Fail;
using core::Result;

static_assert(crypto_box_PUBLICKEYBYTES == 32 && crypto_box_SECRETKEYBYTES == 32);
static_assert(crypto_pwhash_SALTBYTES == 16 && crypto_secretbox_NONCEBYTES == 24);
static_assert(crypto_secretbox_KEYBYTES == 32 && crypto_secretbox_MACBYTES == 16);

// The only door to an UnlockedKey's secret bytes: this file.
struct UnlockedKeyAccess {
    static UnlockedKey Make(std::uint8_t* secret, const PublicKey& pub, std::string staff, StaffRole role) {
        return UnlockedKey(secret, pub, std::move(staff), role);
    }
    static const std::uint8_t* Secret(const UnlockedKey& key) { return key.m_secret; }
};

namespace {

constexpr std::uint8_t kFormatVersion = 1;
constexpr std::size_t kPadBlock = 64;  // sealed blobs reveal the length of the details only to 64 bytes

// Fixed-size secret bytes in sodium_malloc'd (guarded, mlock'd) memory.
class SecretBuffer {
public:
    explicit SecretBuffer(std::size_t size) : m_size(size), m_p(static_cast<std::uint8_t*>(sodium_malloc(size))) {}
    SecretBuffer(const SecretBuffer&) = delete;
    SecretBuffer& operator=(const SecretBuffer&) = delete;
    ~SecretBuffer() {
        if (m_p) {
            sodium_memzero(m_p, m_size);
            sodium_free(m_p);
        }
    }
    bool ok() const { return m_p != nullptr; }
    std::uint8_t* data() { return m_p; }
    std::size_t size() const { return m_size; }
    std::uint8_t* release() { return std::exchange(m_p, nullptr); }

private:
    std::size_t m_size;
    std::uint8_t* m_p;
};

// Serialised plaintext of the details: zeroed when it goes out of scope.
struct Plain {
    std::vector<std::uint8_t> bytes;
    ~Plain() {
        if (!bytes.empty()) sodium_memzero(bytes.data(), bytes.capacity());
    }
};

void PutField(std::vector<std::uint8_t>& out, std::string_view s) {
    const auto n = static_cast<std::uint32_t>(s.size());
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
    out.insert(out.end(), s.begin(), s.end());
}

bool GetField(std::span<const std::uint8_t>& in, std::string& out) {
    if (in.size() < 4) return false;
    std::uint32_t n = 0;
    for (int i = 0; i < 4; ++i) n |= static_cast<std::uint32_t>(in[static_cast<std::size_t>(i)]) << (8 * i);
    in = in.subspan(4);
    if (in.size() < n) return false;
    out.assign(reinterpret_cast<const char*>(in.data()), n);
    in = in.subspan(n);
    return true;
}

Result<void> Audit(Database& db, core::UnixSeconds at, std::string actor, std::string action, std::string subject,
                   std::string detail) {
    auto r = AuditRepo(db).Append({0, at, std::move(actor), std::move(action), std::move(subject), std::move(detail)});
    if (!r) return r.error();
    return {};
}

// Argon2id at libsodium's interactive cost (64 MiB, 2 passes), stored with each wrapped key: unlocking
// follows the cost a key was made with. The sanitizer test build alone makes its keys at the minimum
// cost: there each 64 MiB derivation cost more than the test around it, and that build never ships
// (tests/image checks the packaged ht-admin's keys).
#if defined(HTK_CHEAP_KDF_FOR_TESTS)
#if !defined(__SANITIZE_ADDRESS__)
#error "HTK_CHEAP_KDF_FOR_TESTS is for the AddressSanitizer test build only"
#endif
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_MIN;
constexpr std::size_t kMemLimit = crypto_pwhash_MEMLIMIT_MIN;
#else
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
#endif

struct WrappedKey {
    StaffRole role = StaffRole::Receptionist;
    std::vector<std::uint8_t> salt, nonce, wrapped;
    unsigned long long opslimit = 0;
    std::size_t memlimit = 0;
};

Result<void> DeriveKey(SecretBuffer& out, std::string_view passphrase, const std::uint8_t* salt,
                       unsigned long long opslimit, std::size_t memlimit) {
    if (crypto_pwhash(out.data(), out.size(), passphrase.data(), passphrase.size(), salt, opslimit, memlimit,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return Fail(Errc::Internal, "key derivation ran out of memory");
    return {};
}

// Wraps `secret` under a key derived from the passphrase and stores it for `staff_name`.
Result<void> StoreWrapped(Database& db, std::string_view staff_name, StaffRole role, std::string_view passphrase,
                          const std::uint8_t* secret, core::UnixSeconds now) {
    if (staff_name.empty() || staff_name.size() > 100) return Fail(Errc::InvalidInput, "staff name must be 1 to 100 characters");
    if (passphrase.size() < kMinPassphraseLength)
        return Fail(Errc::InvalidInput, "passphrase must be at least " + std::to_string(kMinPassphraseLength) + " characters");
    std::uint8_t salt[crypto_pwhash_SALTBYTES];
    std::uint8_t nonce[crypto_secretbox_NONCEBYTES];
    std::uint8_t wrapped[crypto_secretbox_MACBYTES + crypto_box_SECRETKEYBYTES];
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    SecretBuffer kek(crypto_secretbox_KEYBYTES);
    if (!kek.ok()) return Fail(Errc::Internal, "cannot allocate secure memory");
    const auto ops = static_cast<unsigned long long>(kOpsLimit);
    const auto mem = static_cast<std::size_t>(kMemLimit);
    if (auto r = DeriveKey(kek, passphrase, salt, ops, mem); !r) return r;
    crypto_secretbox_easy(wrapped, secret, crypto_box_SECRETKEYBYTES, nonce, kek.data());

    auto stmt = Statement::Prepare(db,
                                   "INSERT INTO staff_keys (staff_name, role, salt, opslimit, memlimit, nonce, "
                                   "wrapped_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->Bind(1, staff_name)
        .Bind(2, Key(role))
        .Bind(3, std::span<const std::uint8_t>(salt))
        .Bind(4, static_cast<std::int64_t>(ops))
        .Bind(5, static_cast<std::int64_t>(mem))
        .Bind(6, std::span<const std::uint8_t>(nonce))
        .Bind(7, std::span<const std::uint8_t>(wrapped))
        .Bind(8, now);
    if (auto r = stmt->Run(); !r) {
        if (stmt->IsUniqueViolation())
            return Fail(Errc::InvalidInput, "a staff member named '" + std::string(staff_name) + "' already has a key");
        return r.error();
    }
    return {};
}

Result<std::optional<WrappedKey>> LoadWrapped(Database& db, std::string_view staff_name) {
    auto stmt = Statement::Prepare(
        db, "SELECT role, salt, opslimit, memlimit, nonce, wrapped_key FROM staff_keys WHERE staff_name = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, staff_name);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return std::optional<WrappedKey>();
    WrappedKey w;
    w.role = ParseStaffRole(stmt->Text(0)).value_or(StaffRole::Receptionist);
    w.salt = stmt->Blob(1);
    w.opslimit = static_cast<unsigned long long>(stmt->Int(2));
    w.memlimit = static_cast<std::size_t>(stmt->Int(3));
    w.nonce = stmt->Blob(4);
    w.wrapped = stmt->Blob(5);
    if (w.salt.size() != crypto_pwhash_SALTBYTES || w.nonce.size() != crypto_secretbox_NONCEBYTES ||
        w.wrapped.size() != crypto_secretbox_MACBYTES + crypto_box_SECRETKEYBYTES)
        return Fail(Errc::NotADatabase, "the stored key of '" + std::string(staff_name) + "' is damaged");
    return std::optional<WrappedKey>(std::move(w));
}

}  // namespace

std::string_view Key(StaffRole role) { return role == StaffRole::Manager ? "manager" : "receptionist"; }

std::optional<StaffRole> ParseStaffRole(std::string_view key) {
    if (key == "manager") return StaffRole::Manager;
    if (key == "receptionist") return StaffRole::Receptionist;
    return std::nullopt;
}

// ---- UnlockedKey --------------------------------------------------------------------------------

UnlockedKey::UnlockedKey(UnlockedKey&& other) noexcept
    : m_secret(std::exchange(other.m_secret, nullptr)),
      m_public(other.m_public),
      m_staff(std::move(other.m_staff)),
      m_role(other.m_role) {}

UnlockedKey& UnlockedKey::operator=(UnlockedKey&& other) noexcept {
    if (this != &other) {
        if (m_secret) {
            sodium_memzero(m_secret, crypto_box_SECRETKEYBYTES);
            sodium_free(m_secret);
        }
        m_secret = std::exchange(other.m_secret, nullptr);
        m_public = other.m_public;
        m_staff = std::move(other.m_staff);
        m_role = other.m_role;
    }
    return *this;
}

UnlockedKey::~UnlockedKey() {
    if (m_secret) {
        sodium_memzero(m_secret, crypto_box_SECRETKEYBYTES);
        sodium_free(m_secret);
    }
}

// ---- sodium -------------------------------------------------------------------------------------

Result<void> InitSodium() {
    static std::once_flag once;
    static int rc = -1;
    std::call_once(once, [] { rc = sodium_init(); });
    if (rc < 0) return Fail(Errc::Crypto, "libsodium could not start");
    return {};
}

void RandomBytes(std::span<std::uint8_t> out) {
    if (!InitSodium()) std::abort();  // tier 1: without a random source no reference or key is safe
    randombytes_buf(out.data(), out.size());
}

std::string RandomToken(std::size_t bytes) {
    std::vector<std::uint8_t> raw(bytes);
    RandomBytes(raw);
    std::string hex(bytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
    hex.pop_back();
    return hex;
}

std::string PublicKeyToBase64(const PublicKey& key) {
    (void)InitSodium();
    std::string out(sodium_base64_ENCODED_LEN(key.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), key.data(), key.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::optional<PublicKey> PublicKeyFromBase64(std::string_view text) {
    if (!InitSodium()) return std::nullopt;
    PublicKey key{};
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(key.data(), key.size(), text.data(), text.size(), nullptr, &len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len != key.size() || end != text.data() + text.size())
        return std::nullopt;
    return key;
}

// ---- sealing ------------------------------------------------------------------------------------

namespace {

constexpr std::uint8_t kTextFormatVersion = 0x10;  // a sealed note; never confused with details (kFormatVersion)

// Pads plain.bytes[0, raw) to the 64-byte block and seals it; plain.bytes was reserved with room to pad.
Result<SealedBlob> SealPlain(Plain& plain, std::size_t raw, const PublicKey& key) {
    std::size_t padded = 0;
    plain.bytes.resize(raw + kPadBlock);
    if (sodium_pad(&padded, plain.bytes.data(), raw, kPadBlock, plain.bytes.size()) != 0)
        return Fail(Errc::Internal, "padding failed");
    SealedBlob out(padded + crypto_box_SEALBYTES);
    if (crypto_box_seal(out.data(), plain.bytes.data(), padded, key.data()) != 0)
        return Fail(Errc::Crypto, "sealing failed");
    return out;
}

// Opens and unpads into plain; returns the unpadded length. The first byte is the format version.
Result<std::size_t> OpenPlain(std::span<const std::uint8_t> sealed, const UnlockedKey& key, Plain& plain) {
    if (!UnlockedKeyAccess::Secret(key)) return Fail(Errc::Locked, "no key is unlocked");
    if (sealed.size() < crypto_box_SEALBYTES + kPadBlock) return Fail(Errc::Crypto, "sealed details are too short");
    plain.bytes.resize(sealed.size() - crypto_box_SEALBYTES);
    if (crypto_box_seal_open(plain.bytes.data(), sealed.data(), sealed.size(), key.Public().data(),
                             UnlockedKeyAccess::Secret(key)) != 0)
        return Fail(Errc::Crypto, "sealed details do not open with this key");
    std::size_t unpadded = 0;
    if (sodium_unpad(&unpadded, plain.bytes.data(), plain.bytes.size(), kPadBlock) != 0 || unpadded == 0)
        return Fail(Errc::Crypto, "sealed details are malformed");
    return unpadded;
}

}  // namespace

Result<SealedBlob> Seal(const core::PatientDetails& d, const PublicKey& key) {
    if (auto r = InitSodium(); !r) return r.error();
    const std::string dob = d.date_of_birth ? d.date_of_birth->Iso() : std::string();
    const std::size_t raw = 1 + 6 * 4 + d.name.size() + dob.size() + d.phone.size() + d.email.size() +
                            d.address.size() + d.note.size();
    Plain plain;
    plain.bytes.reserve(raw + kPadBlock);  // one allocation: no stale copies left by regrowth
    plain.bytes.push_back(kFormatVersion);
    for (std::string_view field : {std::string_view(d.name), std::string_view(dob), std::string_view(d.phone),
                                   std::string_view(d.email), std::string_view(d.address), std::string_view(d.note)})
        PutField(plain.bytes, field);
    return SealPlain(plain, raw, key);
}

Result<core::PatientDetails> Open(std::span<const std::uint8_t> sealed, const UnlockedKey& key) {
    if (auto r = InitSodium(); !r) return r.error();
    Plain plain;
    auto unpadded = OpenPlain(sealed, key, plain);
    if (!unpadded) return unpadded.error();
    std::span<const std::uint8_t> in(plain.bytes.data(), *unpadded);
    if (in[0] != kFormatVersion) return Fail(Errc::Crypto, "sealed details have an unknown format");
    in = in.subspan(1);
    core::PatientDetails d;
    std::string dob;
    if (!GetField(in, d.name) || !GetField(in, dob) || !GetField(in, d.phone) || !GetField(in, d.email) ||
        !GetField(in, d.address) || !GetField(in, d.note) || !in.empty()) {
        core::Wipe(d);
        core::Wipe(dob);
        return Fail(Errc::Crypto, "sealed details are malformed");
    }
    if (!dob.empty()) {
        d.date_of_birth = core::LocalDate::ParseIso(dob);
        core::Wipe(dob);
        if (!d.date_of_birth) {
            core::Wipe(d);
            return Fail(Errc::Crypto, "sealed details are malformed");
        }
    }
    return d;
}

Result<SealedBlob> SealText(std::string_view text, const PublicKey& key) {
    if (auto r = InitSodium(); !r) return r.error();
    const std::size_t raw = 1 + 4 + text.size();
    Plain plain;
    plain.bytes.reserve(raw + kPadBlock);
    plain.bytes.push_back(kTextFormatVersion);
    PutField(plain.bytes, text);
    return SealPlain(plain, raw, key);
}

Result<std::string> OpenText(std::span<const std::uint8_t> sealed, const UnlockedKey& key) {
    if (auto r = InitSodium(); !r) return r.error();
    Plain plain;
    auto unpadded = OpenPlain(sealed, key, plain);
    if (!unpadded) return unpadded.error();
    std::span<const std::uint8_t> in(plain.bytes.data(), *unpadded);
    if (in[0] != kTextFormatVersion) return Fail(Errc::Crypto, "sealed text has an unknown format");
    in = in.subspan(1);
    std::string text;
    if (!GetField(in, text) || !in.empty()) {
        core::Wipe(text);
        return Fail(Errc::Crypto, "sealed text is malformed");
    }
    return text;
}

// ---- key management -----------------------------------------------------------------------------

namespace {
// NotFound when there is no practice row; nullopt when the practice has no key pair yet.
Result<std::optional<PublicKey>> StoredPublicKey(Database& db) {
    auto stmt = Statement::Prepare(db, "SELECT public_key FROM practice WHERE id = 1");
    if (!stmt) return stmt.error();
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return Fail(Errc::NotFound, db.Path() + ": the practice is not set up (run ht-admin init)");
    if (stmt->IsNull(0)) return std::optional<PublicKey>();
    const auto blob = stmt->Blob(0);
    PublicKey key{};
    if (blob.size() != key.size()) return Fail(Errc::NotADatabase, db.Path() + ": the stored public key is damaged");
    std::memcpy(key.data(), blob.data(), key.size());
    return std::optional<PublicKey>(key);
}
}  // namespace

Result<PublicKey> PracticePublicKey(Database& db) {
    auto key = StoredPublicKey(db);
    if (!key) return key.error();
    if (!*key) return Fail(Errc::NotFound, db.Path() + ": the practice has no key pair yet (run ht-admin init)");
    return **key;
}

Result<PublicKey> CreatePracticeKeys(Database& db, std::string_view staff_name, StaffRole role,
                                     std::string_view passphrase, core::UnixSeconds now) {
    if (auto r = InitSodium(); !r) return r.error();
    auto tx = Transaction::Begin(db);
    if (!tx) return tx.error();
    auto existing = StoredPublicKey(db);
    if (!existing) return existing.error();
    if (*existing) return Fail(Errc::InvalidInput, db.Path() + " already has a practice key pair; nothing was changed");

    PublicKey pub{};
    SecretBuffer secret(crypto_box_SECRETKEYBYTES);
    if (!secret.ok()) return Fail(Errc::Internal, "cannot allocate secure memory");
    crypto_box_keypair(pub.data(), secret.data());

    auto stmt = Statement::Prepare(db, "UPDATE practice SET public_key = ? WHERE id = 1");
    if (!stmt) return stmt.error();
    stmt->Bind(1, std::span<const std::uint8_t>(pub));
    if (auto r = stmt->Run(); !r) return r.error();
    if (auto r = StoreWrapped(db, staff_name, role, passphrase, secret.data(), now); !r) return r.error();
    if (auto r = Audit(db, now, "staff:" + std::string(staff_name), "key.create", "practice", std::string(Key(role)));
        !r)
        return r.error();
    if (auto r = tx->Commit(); !r) return r.error();
    return pub;
}

Result<core::UnixSeconds> UnlockDelay(Database& db, std::string_view staff_name, core::UnixSeconds now) {
    // Failures counted since the name's last successful unlock, inside the window.
    auto stmt = Statement::Prepare(db,
        "SELECT count(*), coalesce(max(at), 0) FROM audit_log WHERE actor = ?1 AND action = 'key.unlock_failed' "
        "AND at > ?2 AND id > coalesce((SELECT max(id) FROM audit_log WHERE actor = ?1 AND action = 'key.unlock'), 0)");
    if (!stmt) return stmt.error();
    stmt->Bind(1, "staff:" + std::string(staff_name)).Bind(2, now - kUnlockFailureWindow);
    auto row = stmt->Step();
    if (!row) return row.error();
    const std::int64_t failures = stmt->Int(0);
    const core::UnixSeconds last = stmt->Int(1);
    if (failures < kFreeUnlockFailures) return core::UnixSeconds{0};
    const auto doublings = std::min<std::int64_t>(failures - kFreeUnlockFailures, 6);
    const core::UnixSeconds wait = std::min<core::UnixSeconds>(5 << doublings, 300);
    return std::max<core::UnixSeconds>(0, last + wait - now);
}

Result<UnlockedKey> Unlock(Database& db, std::string_view staff_name, std::string_view passphrase,
                           core::UnixSeconds now) {
    if (auto r = InitSodium(); !r) return r.error();
    const std::string actor = "staff:" + std::string(staff_name);
    auto delay = UnlockDelay(db, staff_name, now);
    if (!delay) return delay.error();
    if (*delay > 0) {
        (void)Audit(db, now, actor, "key.unlock_throttled", "practice", "");
        return Fail(Errc::TooManyAttempts, "too many wrong passphrases for '" + std::string(staff_name) +
                                               "': try again in " + std::to_string(*delay) + " s");
    }
    auto pub = PracticePublicKey(db);
    if (!pub) return pub.error();
    auto wrapped = LoadWrapped(db, staff_name);
    if (!wrapped) return wrapped.error();
    if (!*wrapped) {
        (void)Audit(db, now, actor, "key.unlock_failed", "practice", "unknown_staff");
        return Fail(Errc::NotFound, "no staff member named '" + std::string(staff_name) + "' has a key");
    }
    const WrappedKey& w = **wrapped;
    SecretBuffer kek(crypto_secretbox_KEYBYTES);
    SecretBuffer secret(crypto_box_SECRETKEYBYTES);
    if (!kek.ok() || !secret.ok()) return Fail(Errc::Internal, "cannot allocate secure memory");
    if (auto r = DeriveKey(kek, passphrase, w.salt.data(), w.opslimit, w.memlimit); !r) return r.error();
    if (crypto_secretbox_open_easy(secret.data(), w.wrapped.data(), w.wrapped.size(), w.nonce.data(), kek.data()) != 0) {
        if (auto r = Audit(db, now, actor, "key.unlock_failed", "practice", "wrong_passphrase"); !r) return r.error();
        return Fail(Errc::WrongPassphrase, "wrong passphrase for '" + std::string(staff_name) + "'");
    }
    PublicKey derived{};
    crypto_scalarmult_base(derived.data(), secret.data());
    if (sodium_memcmp(derived.data(), pub->data(), derived.size()) != 0)
        return Fail(Errc::Crypto, "the key of '" + std::string(staff_name) + "' does not match the practice's public key");
    if (auto r = Audit(db, now, actor, "key.unlock", "practice", ""); !r) return r.error();
    return UnlockedKeyAccess::Make(secret.release(), *pub, std::string(staff_name), w.role);
}

Result<void> AddStaffKey(Database& db, const UnlockedKey& by, std::string_view staff_name, StaffRole role,
                         std::string_view passphrase, core::UnixSeconds now) {
    if (auto r = InitSodium(); !r) return r.error();
    if (!UnlockedKeyAccess::Secret(by)) return Fail(Errc::Locked, "no key is unlocked");
    if (by.Role() != StaffRole::Manager) return Fail(Errc::InvalidInput, "only a manager may add staff");
    auto tx = Transaction::Begin(db);
    if (!tx) return tx.error();
    if (auto r = StoreWrapped(db, staff_name, role, passphrase, UnlockedKeyAccess::Secret(by), now); !r) return r;
    if (auto r = Audit(db, now, "staff:" + by.Staff(), "staff.add", "staff:" + std::string(staff_name),
                       std::string(Key(role)));
        !r)
        return r;
    return tx->Commit();
}

Result<std::vector<StaffMember>> ListStaff(Database& db) {
    auto stmt = Statement::Prepare(db, "SELECT staff_name, role, created_at FROM staff_keys ORDER BY staff_name");
    if (!stmt) return stmt.error();
    std::vector<StaffMember> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back({stmt->Text(0), ParseStaffRole(stmt->Text(1)).value_or(StaffRole::Receptionist), stmt->Int(2)});
    }
    return out;
}

}  // namespace htk::store
