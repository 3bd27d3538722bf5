// Retention: closed and cancelled requests past the cutoff go with their bookings and histories;
// open ones and those closed just inside the cutoff stay; the sealed bytes leave the file.
#include <doctest/doctest.h>

#include <algorithm>

#include "store/audit_repo.h"
#include "store/booking_repo.h"
#include "store/referral_repo.h"
#include "store/retention_repo.h"
#include "store_fixture.h"

using namespace htk;
using test::Must;

namespace {

const char* kPassphrase = "correct horse battery staple";
constexpr core::UnixSeconds kDay = 86400;
const core::UnixSeconds kNow = test::At({2027, 6, 1}, 12);
const core::UnixSeconds kCutoff = kNow - 365 * kDay;
const std::string kMarker = "Purgeable Patient Name";

struct Aged : test::Practice {
    store::PublicKey pub = Must(store::CreatePracticeKeys(db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1));

    // A request created a week before `closed_at`, booked, and closed (or cancelled) then.
    core::ReferralId Closed(core::UnixSeconds closed_at, core::ReferralStatus end, const std::string& name = "Someone") {
        core::Referral r;
        r.reasons = {core::Reason::StoppingSmoking};
        r.preferred_language = "so";
        r.consent_version = "2026-01";
        r.patient.name = name;
        const auto id = Must(store::ReferralRepo(db).Create(r, pub, "kiosk:kiosk-1", closed_at - 7 * kDay)).id;
        const core::Slot slot{trainer, closed_at - 2 * kDay, closed_at - 2 * kDay + 3600};
        const auto b = Must(store::BookingRepo(db).Book(id, slot, "staff:Tomasz", closed_at - 6 * kDay)).id;
        Must(store::BookingRepo(db).ChangeStatus(b, core::BookingStatus::Confirmed, "staff:Tomasz", closed_at - 5 * kDay));
        Must(store::BookingRepo(db).ChangeStatus(b, core::BookingStatus::Attended, "staff:Tomasz", slot.end));
        Must(store::ReferralRepo(db).ChangeStatus(id, end, "staff:Tomasz", closed_at));
        return id;
    }

    core::ReferralId OpenRequest(core::UnixSeconds created_at) {
        core::Referral r;
        r.reasons = {core::Reason::LowMood};
        r.preferred_language = "tr";
        r.consent_version = "2026-01";
        r.patient.name = "Still Waiting";
        return Must(store::ReferralRepo(db).Create(r, pub, "kiosk:kiosk-1", created_at)).id;
    }

    int Count(const std::string& sql) {
        auto stmt = Must(store::Statement::Prepare(db, sql));
        REQUIRE(Must(stmt.Step()));
        return static_cast<int>(stmt.Int(0));
    }
};

}  // namespace

TEST_CASE("requests closed or cancelled before the cutoff are due - one closed a day inside it is not") {
    Aged p;
    const auto old_closed = p.Closed(kCutoff - 30 * kDay, core::ReferralStatus::Closed);
    const auto old_cancelled = p.Closed(kCutoff - kDay, core::ReferralStatus::Cancelled);
    p.Closed(kCutoff + kDay, core::ReferralStatus::Closed);  // one day inside the cutoff
    p.OpenRequest(kCutoff - 400 * kDay);                             // very old, but still open
    const auto due = Must(store::RetentionRepo(p.db).Due(kCutoff));
    REQUIRE(due.size() == 2);
    CHECK(due[0].id == old_closed);
    CHECK(due[0].closed_at == kCutoff - 30 * kDay);
    CHECK(due[0].status == core::ReferralStatus::Closed);
    CHECK(due[1].id == old_cancelled);
    CHECK(due[1].status == core::ReferralStatus::Cancelled);
    CHECK(due[1].reference == Must(store::ReferralRepo(p.db).Get(old_cancelled)).reference);
    CHECK(p.Count("SELECT count(*) FROM referrals") == 4);  // Due only reads
}

TEST_CASE("a purge removes the due requests with their bookings and histories, audits the counts, keeps the rest") {
    Aged p;
    const auto gone_a = p.Closed(kCutoff - 30 * kDay, core::ReferralStatus::Closed, kMarker);
    const auto gone_b = p.Closed(kCutoff - kDay, core::ReferralStatus::Cancelled);
    const auto recent = p.Closed(kCutoff + kDay, core::ReferralStatus::Closed);
    const auto open = p.OpenRequest(kCutoff - 400 * kDay);
    const auto audit_before = Must(store::AuditRepo(p.db).List()).size();

    const auto result = Must(store::RetentionRepo(p.db).Purge(kCutoff, "staff:Rukhsana", kNow));
    REQUIRE(result.purged.size() == 2);
    CHECK(result.purged[0].id == gone_a);
    CHECK(result.purged[1].id == gone_b);
    CHECK(result.bookings == 2);
    CHECK(result.status_changes == 2 * (3 + 3));  // new, booked, closed; requested, confirmed, attended

    for (auto id : {gone_a, gone_b}) CHECK(store::ReferralRepo(p.db).Get(id).error().code == core::Errc::NotFound);
    CHECK(Must(store::ReferralRepo(p.db).Get(recent)).status == core::ReferralStatus::Closed);
    CHECK(Must(store::ReferralRepo(p.db).Get(open)).status == core::ReferralStatus::New);
    CHECK(p.Count("SELECT count(*) FROM bookings") == 1);
    CHECK(p.Count("SELECT count(*) FROM booking_status_history") == 3);
    CHECK(p.Count("SELECT count(*) FROM referral_status_history") == 3 + 1);
    CHECK(p.Count("SELECT count(*) FROM referral_status_history WHERE referral_id NOT IN (SELECT id FROM referrals)") == 0);

    const auto audit = Must(store::AuditRepo(p.db).List({.action = "purge"}));
    REQUIRE(audit.size() == 1);
    CHECK(audit[0].actor == "staff:Rukhsana");
    CHECK(audit[0].at == kNow);
    CHECK(audit[0].detail == "referrals=2 bookings=2 history=12 closed_before=2026-06-01T12:00Z");
    CHECK(Must(store::AuditRepo(p.db).List()).size() == audit_before + 1);  // older entries stay: ids only

    CHECK(Must(store::RetentionRepo(p.db).Purge(kCutoff, "staff:Rukhsana", kNow)).purged.empty());
    CHECK(Must(store::AuditRepo(p.db).List({.action = "purge"})).front().detail ==
          "referrals=0 bookings=0 history=0 closed_before=2026-06-01T12:00Z");
}

TEST_CASE("after a purge the sealed bytes are nowhere in the database file or its WAL") {
    Aged p;
    const auto id = p.Closed(kCutoff - 30 * kDay, core::ReferralStatus::Closed, kMarker);
    const auto sealed = Must(store::ReferralRepo(p.db).Sealed(id));
    Must(p.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    auto contains = [&](const std::filesystem::path& file) {
        const auto bytes = test::ReadBytes(file);
        return std::search(bytes.begin(), bytes.end(), sealed.begin(), sealed.end(), [](char a, std::uint8_t b) {
                   return static_cast<std::uint8_t>(a) == b;
               }) != bytes.end();
    };
    REQUIRE(contains(p.path));  // the test can see the bytes before the purge

    const auto result = Must(store::RetentionRepo(p.db).Purge(kCutoff, "staff:Rukhsana", kNow));
    CHECK(result.purged.size() == 1);
    CHECK(result.checkpointed);
    CHECK_FALSE(contains(p.path));
    CHECK_FALSE(contains(p.path.string() + "-wal"));
}

TEST_CASE("a purge refuses to run inside a caller's transaction") {
    Aged p;
    p.Closed(kCutoff - 30 * kDay, core::ReferralStatus::Closed);
    auto tx = Must(store::Transaction::Begin(p.db));
    CHECK(store::RetentionRepo(p.db).Purge(kCutoff, "staff:Rukhsana", kNow).error().code == core::Errc::Internal);
    tx.Rollback();
    CHECK(p.Count("SELECT count(*) FROM referrals") == 1);
}
