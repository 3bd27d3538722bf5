// The audit log as staff read it: filters by action, actor, subject and time, newest first.
#include <doctest/doctest.h>

#include "store/audit_repo.h"
#include "store_fixture.h"

using namespace htk;
using test::Must;

TEST_CASE("staff read the audit log newest first, filtered by what, who, which record and when") {
    auto db = Must(store::Open(":memory:"));
    store::AuditRepo audit(db);
    Must(audit.Append({0, 100, "kiosk:kiosk-1", "referral.create", "referral:1", "self"}));
    Must(audit.Append({0, 200, "staff:Tomasz", "referral.status", "referral:1", "new->contacted"}));
    Must(audit.Append({0, 300, "staff:Rukhsana", "sealed.reveal", "referral:1", ""}));
    Must(audit.Append({0, 400, "staff:Tomasz", "export", "bookings-2026-03.csv", ""}));

    const auto all = Must(audit.List());
    REQUIRE(all.size() == 4);
    CHECK(all[0].action == "export");
    CHECK(all[3].action == "referral.create");
    CHECK(Must(audit.List({.action = "referral."})).size() == 2);
    CHECK(Must(audit.List({.action = "referral"})).empty());  // exact unless it ends in '.'
    CHECK(Must(audit.List({.actor = "staff:Tomasz"})).size() == 2);
    CHECK(Must(audit.List({.subject = "referral:1"})).size() == 3);
    CHECK(Must(audit.List({.from = 200, .to = 400})).size() == 2);
    CHECK(Must(audit.List({.limit = 1}))[0].at == 400);
}

TEST_CASE("an audit entry without an actor or an action is refused") {
    auto db = Must(store::Open(":memory:"));
    store::AuditRepo audit(db);
    CHECK(audit.Append({0, 1, "", "export", "", ""}).error().code == core::Errc::InvalidInput);
    CHECK(audit.Append({0, 1, "staff:T", "", "", ""}).error().code == core::Errc::InvalidInput);
    CHECK(Must(audit.List()).empty());
}
