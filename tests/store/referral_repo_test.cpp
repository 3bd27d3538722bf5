// Referrals: unique references, status changes with history and audit, reveals on the record.
#include <doctest/doctest.h>

#include <set>

#include "core/reference.h"
#include "store/audit_repo.h"
#include "store/referral_repo.h"
#include "store_fixture.h"

using namespace htk;
using test::Must;

namespace {

const char* kPassphrase = "correct horse battery staple";

core::Referral SelfReferral(std::string name = "Jan Przykładowy") {
    core::Referral r;
    r.route = core::Route::SelfReferral;
    r.reasons = {core::Reason::MovingMore, core::Reason::LosingWeight};
    r.preferred_language = "pl";
    r.interpreter = true;
    r.contact = core::ContactMethod::Phone;
    r.best_times = {core::BestTime::Morning, core::BestTime::Evening};
    r.consent_version = "2026-01";
    r.patient.name = std::move(name);
    r.patient.phone = "+447700900456";
    return r;
}

struct KeyedPractice : test::Practice {
    store::PublicKey pub = Must(store::CreatePracticeKeys(db, "Rukhsana", store::StaffRole::Manager, kPassphrase, 1));
};

}  // namespace

TEST_CASE("a patient's request is stored with a readable reference and every answer they gave") {
    KeyedPractice p;
    store::ReferralRepo repo(p.db);
    const auto created = Must(repo.Create(SelfReferral(), p.pub, "kiosk:kiosk-1", 1000));
    CHECK(created.id > 0);
    CHECK(core::NormalizeReference(created.reference) == created.reference);
    CHECK(created.status == core::ReferralStatus::New);
    CHECK(created.created_at == 1000);

    const auto back = Must(repo.Get(created.id));
    CHECK(back.reference == created.reference);
    CHECK(back.route == core::Route::SelfReferral);
    CHECK(back.reasons == std::set{core::Reason::MovingMore, core::Reason::LosingWeight});
    CHECK(back.preferred_language == "pl");
    CHECK(back.interpreter);
    CHECK(back.contact == core::ContactMethod::Phone);
    CHECK(back.best_times == std::set{core::BestTime::Morning, core::BestTime::Evening});
    CHECK(back.consent_version == "2026-01");
    CHECK(back.patient == core::PatientDetails{});

    const auto history = Must(repo.History(created.id));
    REQUIRE(history.size() == 1);
    CHECK(history[0].to == core::ReferralStatus::New);
    CHECK(history[0].actor == "kiosk:kiosk-1");
    const auto audit = Must(store::AuditRepo(p.db).List({.action = "referral.create"}));
    REQUIRE(audit.size() == 1);
    CHECK(audit[0].subject == "referral:" + std::to_string(created.id));
    CHECK(audit[0].detail.find("Przykładowy") == std::string::npos);
}

TEST_CASE("reception finds a request by the reference the patient reads out, however it is typed") {
    KeyedPractice p;
    store::ReferralRepo repo(p.db);
    const auto created = Must(repo.Create(SelfReferral(), p.pub, "kiosk:kiosk-1", 1000));
    std::string typed = created.reference;
    typed.erase(3, 1);
    for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(Must(repo.GetByReference(typed)).id == created.id);
    CHECK(repo.GetByReference("OOO-OOOO").error().code == core::Errc::InvalidInput);
    auto other = core::MakeReference({1, 2, 3, 4, 5, 6});
    if (other == created.reference) other = core::MakeReference({6, 5, 4, 3, 2, 1});
    CHECK(repo.GetByReference(other).error().code == core::Errc::NotFound);
}

TEST_CASE("hundreds of requests all get different references") {
    KeyedPractice p;
    store::ReferralRepo repo(p.db);
    std::set<std::string> seen;
    for (int i = 0; i < 300; ++i) seen.insert(Must(repo.Create(SelfReferral(), p.pub, "kiosk:kiosk-1", 1000 + i)).reference);
    CHECK(seen.size() == 300);
}

TEST_CASE("when a new reference collides with an old one the store draws again") {
    KeyedPractice p;
    int calls = 0;
    // The first two requests draw the same bytes; the second must retry and get the third draw.
    store::RandomSource rigged = [&](std::span<std::uint8_t> out) {
        const std::uint8_t seed = calls < 2 ? 42 : static_cast<std::uint8_t>(calls);
        for (auto& b : out) b = seed;
        ++calls;
    };
    store::ReferralRepo repo(p.db, rigged);
    const auto first = Must(repo.Create(SelfReferral(), p.pub, "kiosk:kiosk-1", 1000));
    const auto second = Must(repo.Create(SelfReferral(), p.pub, "kiosk:kiosk-1", 1001));
    CHECK(first.reference != second.reference);
    CHECK(calls == 3);
    CHECK(Must(repo.List()).size() == 2);
}

TEST_CASE("the database itself refuses a duplicate reference") {
    KeyedPractice p;
    const auto created = Must(store::ReferralRepo(p.db).Create(SelfReferral(), p.pub, "kiosk:kiosk-1", 1000));
    auto dup = p.db.Exec(
        "INSERT INTO referrals (reference, route, reasons, language, interpreter, contact, best_times, "
        "consent_version, created_at, sealed) SELECT reference, route, reasons, language, interpreter, contact, "
        "best_times, consent_version, created_at, sealed FROM referrals WHERE id = " + std::to_string(created.id));
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().code == core::Errc::InvalidInput);
}

TEST_CASE("a request without reasons, language or consent version is refused and nothing is stored") {
    KeyedPractice p;
    store::ReferralRepo repo(p.db);
    auto r = SelfReferral();
    r.reasons.clear();
    CHECK(repo.Create(r, p.pub, "kiosk:kiosk-1", 1).error().code == core::Errc::InvalidInput);
    r = SelfReferral();
    r.preferred_language = "not a tag";
    CHECK(repo.Create(r, p.pub, "kiosk:kiosk-1", 1).error().code == core::Errc::InvalidInput);
    r = SelfReferral();
    r.consent_version.clear();
    CHECK(repo.Create(r, p.pub, "kiosk:kiosk-1", 1).error().code == core::Errc::InvalidInput);
    CHECK(Must(repo.List()).empty());
}

TEST_CASE("reception moves a request along - each step is in the history and on the audit log") {
    KeyedPractice p;
    store::ReferralRepo repo(p.db);
    const auto id = Must(repo.Create(SelfReferral(), p.pub, "kiosk:kiosk-1", 1000)).id;
    CHECK(Must(repo.ChangeStatus(id, core::ReferralStatus::Contacted, "staff:Tomasz", 2000)).status ==
          core::ReferralStatus::Contacted);
    CHECK(Must(repo.ChangeStatus(id, core::ReferralStatus::Closed, "staff:Tomasz", 3000)).status ==
          core::ReferralStatus::Closed);
    const auto history = Must(repo.History(id));
    REQUIRE(history.size() == 3);
    CHECK(history[1].to == core::ReferralStatus::Contacted);
    CHECK(history[1].at == 2000);
    CHECK(history[2].to == core::ReferralStatus::Closed);
    CHECK(history[2].actor == "staff:Tomasz");
    const auto audit = Must(store::AuditRepo(p.db).List({.action = "referral.status"}));
    REQUIRE(audit.size() == 2);
    CHECK(audit[0].detail == "contacted->closed");  // newest first
    CHECK(audit[1].detail == "new->contacted");
    CHECK(audit[1].actor == "staff:Tomasz");
}

TEST_CASE("a closed request cannot be reopened, and the refusal changes nothing") {
    KeyedPractice p;
    store::ReferralRepo repo(p.db);
    const auto id = Must(repo.Create(SelfReferral(), p.pub, "kiosk:kiosk-1", 1000)).id;
    Must(repo.ChangeStatus(id, core::ReferralStatus::Closed, "staff:Tomasz", 2000));
    auto reopen = repo.ChangeStatus(id, core::ReferralStatus::New, "staff:Tomasz", 3000);
    REQUIRE_FALSE(reopen.ok());
    CHECK(reopen.error().code == core::Errc::InvalidInput);
    CHECK(reopen.error().detail.find("closed -> new") != std::string::npos);
    CHECK(Must(repo.Get(id)).status == core::ReferralStatus::Closed);
    CHECK(Must(repo.History(id)).size() == 2);
    CHECK(Must(store::AuditRepo(p.db).List({.action = "referral.status"})).size() == 1);
    CHECK(repo.ChangeStatus(999, core::ReferralStatus::Closed, "staff:Tomasz", 1).error().code == core::Errc::NotFound);
}

TEST_CASE("revealing a patient's details needs the key and leaves an audit entry naming the staff member") {
    KeyedPractice p;
    store::ReferralRepo repo(p.db);
    const auto id = Must(repo.Create(SelfReferral("Tusaale Bukaan"), p.pub, "kiosk:kiosk-1", 1000)).id;
    CHECK(Must(store::AuditRepo(p.db).List({.action = "sealed.reveal"})).empty());
    const auto key = Must(store::Unlock(p.db, "Rukhsana", kPassphrase, 1500));
    const auto details = Must(repo.Reveal(id, key, 2000));
    CHECK(details.name == "Tusaale Bukaan");
    CHECK(details.phone == "+447700900456");
    const auto reveals = Must(store::AuditRepo(p.db).List({.action = "sealed.reveal"}));
    REQUIRE(reveals.size() == 1);
    CHECK(reveals[0].actor == "staff:Rukhsana");
    CHECK(reveals[0].subject == "referral:" + std::to_string(id));
    CHECK(reveals[0].at == 2000);
    CHECK(reveals[0].detail.find("Tusaale") == std::string::npos);
    CHECK(repo.Reveal(id + 100, key, 2100).error().code == core::Errc::NotFound);
}

TEST_CASE("reception lists requests by status, newest first") {
    KeyedPractice p;
    store::ReferralRepo repo(p.db);
    const auto a = Must(repo.Create(SelfReferral(), p.pub, "kiosk:kiosk-1", 1000)).id;
    const auto b = Must(repo.Create(SelfReferral(), p.pub, "kiosk:kiosk-1", 2000)).id;
    const auto c = Must(repo.Create(SelfReferral(), p.pub, "kiosk:kiosk-1", 3000)).id;
    Must(repo.ChangeStatus(b, core::ReferralStatus::Contacted, "staff:Tomasz", 4000));
    const auto fresh = Must(repo.List({.status = core::ReferralStatus::New}));
    REQUIRE(fresh.size() == 2);
    CHECK(fresh[0].id == c);
    CHECK(fresh[1].id == a);
    CHECK(Must(repo.List({.from = 2000, .to = 3000})).size() == 1);
    CHECK(Must(repo.List({.limit = 1})).size() == 1);
}

TEST_CASE("reception narrows the list by route, reason, language, interpreter and waiting list") {
    KeyedPractice p;
    store::ReferralRepo repo(p.db);
    auto make = [&](core::Route route, std::set<core::Reason> reasons, std::string language, bool interpreter,
                    bool waiting, core::UnixSeconds at) {
        auto r = SelfReferral();
        r.route = route;
        r.reasons = std::move(reasons);
        r.preferred_language = std::move(language);
        r.interpreter = interpreter;
        r.waiting_list = waiting;
        return Must(repo.Create(r, p.pub, "kiosk:kiosk-1", at)).id;
    };
    const auto punjabi = make(core::Route::SelfReferral, {core::Reason::LowMood, core::Reason::ChronicPain}, "pa-Guru",
                              true, true, 1000);
    const auto tasked = make(core::Route::TaskedByGp, {core::Reason::ChronicPain}, "PA", false, false, 2000);
    const auto polish = make(core::Route::SelfReferral, {core::Reason::LosingWeight}, "pl", false, true, 3000);
    const auto ids = [&](const store::ReferralFilter& f) {
        std::vector<core::ReferralId> out;
        for (const auto& r : Must(repo.List(f))) out.push_back(r.id);
        return out;
    };
    using V = std::vector<core::ReferralId>;
    CHECK(ids({.route = core::Route::TaskedByGp}) == V{tasked});
    CHECK(ids({.route = core::Route::SelfReferral}) == V{polish, punjabi});
    CHECK(ids({.reason = core::Reason::ChronicPain}) == V{tasked, punjabi});
    CHECK(ids({.reason = core::Reason::LowMood}) == V{punjabi});
    CHECK(ids({.reason = core::Reason::StoppingSmoking}).empty());
    CHECK(ids({.language = "pa"}) == V{tasked, punjabi});
    CHECK(ids({.language = "pa-Arab"}) == V{tasked, punjabi});  // primary language: the script is the trainer's concern
    CHECK(ids({.language = "p"}).empty());
    CHECK(ids({.interpreter = true}) == V{punjabi});
    CHECK(ids({.interpreter = false}) == V{polish, tasked});
    CHECK(ids({.waiting_list = true}) == V{polish, punjabi});
    CHECK(ids({.from = 1500, .route = core::Route::SelfReferral, .waiting_list = true}) == V{polish});
}

TEST_CASE("staff notes on a request are sealed, audited by id, and open only with the key") {
    KeyedPractice p;
    store::ReferralRepo repo(p.db);
    const auto id = Must(repo.Create(SelfReferral(), p.pub, "kiosk:kiosk-1", 1000)).id;
    const auto first = Must(repo.AddNote(id, "Called twice, no answer. Jan's son says try after 5pm.", p.pub,
                                         "staff:Tomasz", 2000));
    const auto second = Must(repo.AddNote(id, "Booked for Tuesday by phone.\nNeeds step-free access.", p.pub,
                                          "staff:Rukhsana", 3000));
    CHECK(second > first);

    const auto sealed = Must(repo.Notes(id));
    REQUIRE(sealed.size() == 2);
    CHECK(sealed[0].actor == "staff:Tomasz");
    CHECK(sealed[0].at == 2000);
    CHECK(sealed[0].text.empty());
    CHECK(sealed[1].referral == id);
    auto raw = Must(store::Statement::Prepare(p.db, "SELECT count(*) FROM referral_notes WHERE instr(sealed, 'Jan') > 0"));
    REQUIRE(Must(raw.Step()));
    CHECK(raw.Int(0) == 0);

    const auto added = Must(store::AuditRepo(p.db).List({.action = "referral.note"}));
    REQUIRE(added.size() == 2);
    CHECK(added[1].subject == "referral:" + std::to_string(id));
    CHECK(added[1].detail == "note:" + std::to_string(first));
    CHECK(added[1].actor == "staff:Tomasz");

    const auto key = Must(store::Unlock(p.db, "Rukhsana", kPassphrase, 3500));
    const auto open = Must(repo.Notes(id, key, 4000));
    REQUIRE(open.size() == 2);
    CHECK(open[0].text == "Called twice, no answer. Jan's son says try after 5pm.");
    CHECK(open[1].text == "Booked for Tuesday by phone.\nNeeds step-free access.");
    const auto reveals = Must(store::AuditRepo(p.db).List({.action = "sealed.reveal"}));
    REQUIRE(reveals.size() == 1);
    CHECK(reveals[0].detail == "notes");
    CHECK(reveals[0].actor == "staff:Rukhsana");
}

TEST_CASE("an empty, over-long or garbled note is refused, and so is a note on no request") {
    KeyedPractice p;
    store::ReferralRepo repo(p.db);
    const auto id = Must(repo.Create(SelfReferral(), p.pub, "kiosk:kiosk-1", 1000)).id;
    for (const std::string& bad : {std::string(), std::string(" \n\t "), std::string(store::kMaxNoteLength + 1, 'x'),
                                  std::string("bad \xC3 byte"), std::string("bell \a"), std::string("nul\0x", 5)}) {
        auto r = repo.AddNote(id, bad, p.pub, "staff:Tomasz", 2000);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == core::Errc::InvalidInput);
    }
    std::string longest;
    for (std::size_t i = 0; i < store::kMaxNoteLength; ++i) longest += "ş";  // characters, not bytes
    CHECK(repo.AddNote(id, longest, p.pub, "staff:Tomasz", 2000).ok());
    CHECK(repo.AddNote(id + 50, "a note", p.pub, "staff:Tomasz", 2000).error().code == core::Errc::NotFound);
    CHECK(repo.AddNote(id, "a note", p.pub, "", 2000).error().code == core::Errc::InvalidInput);
    CHECK(Must(repo.Notes(id)).size() == 1);
    CHECK(repo.Notes(id + 50).error().code == core::Errc::NotFound);
    CHECK(Must(store::AuditRepo(p.db).List({.action = "referral.note"})).size() == 1);
}

TEST_CASE("opening the notes of a request without any writes no reveal") {
    KeyedPractice p;
    store::ReferralRepo repo(p.db);
    const auto id = Must(repo.Create(SelfReferral(), p.pub, "kiosk:kiosk-1", 1000)).id;
    const auto key = Must(store::Unlock(p.db, "Rukhsana", kPassphrase, 1500));
    CHECK(Must(repo.Notes(id, key, 2000)).empty());
    CHECK(Must(store::AuditRepo(p.db).List({.action = "sealed.reveal"})).empty());
}
