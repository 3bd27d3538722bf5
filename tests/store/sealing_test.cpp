// Sealing: the kiosk can write a patient's details and never read them back; staff can, with the
// right passphrase, and every failed unlock is on the audit log without the passphrase.
#include <doctest/doctest.h>

#include <algorithm>

#include "store/audit_repo.h"
#include "store/referral_repo.h"
#include "store/sealing.h"
#include "store_fixture.h"

using namespace htk;
using test::Must;

namespace {

const char* kPassphrase = "correct horse battery staple";

core::PatientDetails Ayse() {
    core::PatientDetails d;
    d.name = "Ayşe Örnek";
    d.date_of_birth = core::LocalDate{1971, 4, 23};
    d.phone = "+447700900123";
    d.email = "ayse.ornek@example.org";
    d.address = "1 Example Street, Leeds";
    d.note = "Prefers mornings after the school run";
    return d;
}

bool Contains(const std::vector<std::uint8_t>& haystack, std::string_view needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

}  // namespace

TEST_CASE("details sealed to the practice open again only with the unlocked secret key") {
    test::Practice p;
    const auto pub = Must(store::CreatePracticeKeys(p.db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 100));
    CHECK(Must(store::PracticePublicKey(p.db)) == pub);

    const auto sealed = Must(store::Seal(Ayse(), pub));
    for (std::string_view plain : {"Ayşe", "Örnek", "+447700900123", "example.org", "Example Street", "1971-04-23",
                                   "school run"}) {
        CAPTURE(plain);
        CHECK_FALSE(Contains(sealed, plain));
    }
    const auto key = Must(store::Unlock(p.db, "Rukhsana", kPassphrase, 200));
    CHECK(key.Public() == pub);
    CHECK(key.Role() == store::StaffRole::Manager);
    CHECK(Must(store::Open(sealed, key)) == Ayse());
}

TEST_CASE("an empty set of details still seals and opens") {
    test::Practice p;
    const auto pub = Must(store::CreatePracticeKeys(p.db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 100));
    const auto key = Must(store::Unlock(p.db, "Rukhsana", kPassphrase, 200));
    CHECK(Must(store::Open(Must(store::Seal({}, pub)), key)) == core::PatientDetails{});
}

TEST_CASE("a staff note seals and opens as text - and details and notes never open as each other") {
    test::Practice p;
    const auto pub = Must(store::CreatePracticeKeys(p.db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 100));
    const auto key = Must(store::Unlock(p.db, "Rukhsana", kPassphrase, 200));
    const std::string note = "Ayşe's daughter will interpret; call after 4pm.\nPrefers Tuesdays.";
    const auto sealed = Must(store::SealText(note, pub));
    CHECK_FALSE(Contains(sealed, "daughter"));
    CHECK(sealed.size() % 64 == 48);  // padded to 64 bytes like the details, plus the seal
    CHECK(Must(store::OpenText(sealed, key)) == note);
    CHECK(Must(store::OpenText(Must(store::SealText("", pub)), key)).empty());

    auto as_details = store::Open(sealed, key);
    REQUIRE_FALSE(as_details.ok());
    CHECK(as_details.error().code == core::Errc::Crypto);
    auto as_text = store::OpenText(Must(store::Seal(Ayse(), pub)), key);
    REQUIRE_FALSE(as_text.ok());
    CHECK(as_text.error().code == core::Errc::Crypto);
    auto short_blob = store::OpenText(std::vector<std::uint8_t>(20, 1), key);
    CHECK(short_blob.error().code == core::Errc::Crypto);
}

TEST_CASE("sealed blobs do not give away the length of a name to within a few letters") {
    test::Practice p;
    const auto pub = Must(store::CreatePracticeKeys(p.db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 100));
    core::PatientDetails short_name, long_name;
    short_name.name = "Al";
    long_name.name = "Alexandria Bartholomew";
    CHECK(Must(store::Seal(short_name, pub)).size() == Must(store::Seal(long_name, pub)).size());
}

TEST_CASE("the database holds the sealed blob, never the plaintext, even on disk") {
    test::Practice p;
    const auto pub = Must(store::CreatePracticeKeys(p.db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 100));
    core::Referral r;
    r.reasons = {core::Reason::StoppingSmoking};
    r.preferred_language = "tr";
    r.consent_version = "2026-01";
    r.patient = Ayse();
    const auto created = Must(store::ReferralRepo(p.db).Create(r, pub, "kiosk:kiosk-1", 1000));
    CHECK(created.patient == core::PatientDetails{});
    CHECK(Must(store::ReferralRepo(p.db).Get(created.id)).patient == core::PatientDetails{});
    Must(p.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    const auto bytes = test::ReadBytes(p.path);
    const std::vector<std::uint8_t> file(bytes.begin(), bytes.end());
    CHECK(Contains(file, created.reference));  // the reference is meant to be readable
    CHECK_FALSE(Contains(file, "Örnek"));
    CHECK_FALSE(Contains(file, "+447700900123"));
    CHECK_FALSE(Contains(file, "example.org"));
}

TEST_CASE("another practice's key cannot open our patients' details") {
    test::Practice ours, theirs;
    const auto pub = Must(store::CreatePracticeKeys(ours.db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1));
    Must(store::CreatePracticeKeys(theirs.db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1));
    const auto their_key = Must(store::Unlock(theirs.db, "Rukhsana", kPassphrase, 2));
    auto opened = store::Open(Must(store::Seal(Ayse(), pub)), their_key);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code == core::Errc::Crypto);
}

TEST_CASE("a tampered sealed blob is refused, not half-read") {
    test::Practice p;
    const auto pub = Must(store::CreatePracticeKeys(p.db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1));
    const auto key = Must(store::Unlock(p.db, "Rukhsana", kPassphrase, 2));
    auto sealed = Must(store::Seal(Ayse(), pub));
    sealed[sealed.size() / 2] ^= 0x01;
    CHECK(store::Open(sealed, key).error().code == core::Errc::Crypto);
    CHECK(store::Open(std::vector<std::uint8_t>(10, 0), key).error().code == core::Errc::Crypto);
}

TEST_CASE("a wrong passphrase is refused and the attempt is audited without the passphrase") {
    test::Practice p;
    Must(store::CreatePracticeKeys(p.db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1));
    auto key = store::Unlock(p.db, "Rukhsana", "incorrect horse battery", 50);
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().code == core::Errc::WrongPassphrase);
    CHECK(key.error().detail.find("incorrect") == std::string::npos);

    const auto failed = Must(store::AuditRepo(p.db).List({.action = "key.unlock_failed"}));
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].actor == "staff:Rukhsana");
    CHECK(failed[0].at == 50);
    CHECK(failed[0].detail == "wrong_passphrase");
    for (const auto& e : Must(store::AuditRepo(p.db).List())) {
        CHECK(e.detail.find("incorrect") == std::string::npos);
        CHECK(e.subject.find("incorrect") == std::string::npos);
    }
}

TEST_CASE("unlocking as someone without a key is refused and audited") {
    test::Practice p;
    Must(store::CreatePracticeKeys(p.db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1));
    auto key = store::Unlock(p.db, "Mallory", kPassphrase, 5);
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().code == core::Errc::NotFound);
    CHECK(Must(store::AuditRepo(p.db).List({.actor = "staff:Mallory"})).size() == 1);
}

TEST_CASE("a practice's key pair is made once: a second init would orphan sealed details") {
    test::Practice p;
    const auto pub = Must(store::CreatePracticeKeys(p.db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1));
    auto again = store::CreatePracticeKeys(p.db, "Somebody", store::StaffRole::Manager, kPassphrase, 2);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == core::Errc::InvalidInput);
    CHECK(Must(store::PracticePublicKey(p.db)) == pub);
    CHECK(Must(store::ListStaff(p.db)).size() == 1);
}

TEST_CASE("keys need a practice and a passphrase long enough to resist guessing") {
    auto db = Must(store::Open(":memory:"));
    CHECK(store::CreatePracticeKeys(db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1).error().code ==
          core::Errc::NotFound);
    test::Practice p;
    CHECK(store::CreatePracticeKeys(p.db, "Rukhsana", store::StaffRole::Manager, "short", 1).error().code ==
          core::Errc::InvalidInput);
    CHECK(store::PracticePublicKey(p.db).error().code == core::Errc::NotFound);  // the refusal stored nothing
}

TEST_CASE("a manager gives a receptionist their own passphrase - a receptionist cannot add staff") {
    test::Practice p;
    const auto pub = Must(store::CreatePracticeKeys(p.db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1));
    const auto manager = Must(store::Unlock(p.db, "Rukhsana", kPassphrase, 2));
    Must(store::AddStaffKey(p.db, manager, "Tomasz", store::StaffRole::Receptionist, "tomasz's own phrase", 3));
    const auto reception = Must(store::Unlock(p.db, "Tomasz", "tomasz's own phrase", 4));
    CHECK(reception.Public() == pub);
    CHECK(reception.Role() == store::StaffRole::Receptionist);
    CHECK(Must(store::Open(Must(store::Seal(Ayse(), pub)), reception)) == Ayse());

    auto refused = store::AddStaffKey(p.db, reception, "Eve", store::StaffRole::Manager, "eve's long phrase", 5);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == core::Errc::InvalidInput);
    const auto staff = Must(store::ListStaff(p.db));
    REQUIRE(staff.size() == 2);
    CHECK(staff[0].name == "Rukhsana");
    CHECK(staff[1].name == "Tomasz");
    auto twice = store::AddStaffKey(p.db, manager, "Tomasz", store::StaffRole::Manager, "another long phrase", 6);
    CHECK(twice.error().code == core::Errc::InvalidInput);
}

TEST_CASE("an unlocked key moved elsewhere leaves nothing usable behind") {
    test::Practice p;
    const auto pub = Must(store::CreatePracticeKeys(p.db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1));
    auto key = Must(store::Unlock(p.db, "Rukhsana", kPassphrase, 2));
    store::UnlockedKey moved = std::move(key);
    CHECK(moved.Unlocked());
    CHECK_FALSE(key.Unlocked());  // NOLINT(bugprone-use-after-move): that is the point
    CHECK(store::Open(Must(store::Seal(Ayse(), pub)), key).error().code == core::Errc::Locked);
}

TEST_CASE("public keys round-trip through the kiosk config's base64") {
    store::PublicKey key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i * 7 + 1);
    const auto text = store::PublicKeyToBase64(key);
    CHECK(text.size() == 44);
    CHECK(text.back() == '=');
    CHECK(store::PublicKeyFromBase64(text) == key);
    CHECK_FALSE(store::PublicKeyFromBase64("not base64!"));
    CHECK_FALSE(store::PublicKeyFromBase64(text.substr(0, 20)));
    CHECK_FALSE(store::PublicKeyFromBase64(text + "AAAA"));
}

TEST_CASE("random tokens are hex and do not repeat") {
    const auto a = store::RandomToken();
    const auto b = store::RandomToken();
    CHECK(a.size() == 32);
    CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(a != b);
}
