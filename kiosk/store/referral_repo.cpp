// Referral rows, their status history and the sealed details. Details are sealed before they reach
// SQL and never logged; the reference retries on a UNIQUE collision.
#include "store/referral_repo.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <optional>
#include <set>

#include "core/reference.h"
#include "core/trainer.h"
#include "store/audit_repo.h"
#include "store/internal.h"

namespace htk::store {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

constexpr int kReferenceAttempts = 32;  // 20^6 codes: a collision is rare, 32 in a row is a broken RNG

using internal::JoinKeys;

template <class E, class Parse>
bool SplitKeys(std::string_view text, std::set<E>& out, Parse parse) {
    while (!text.empty()) {
        const auto comma = std::min(text.find(','), text.size());
        const auto value = parse(text.substr(0, comma));
        if (!value) return false;
        out.insert(*value);
        text.remove_prefix(std::min(comma + 1, text.size()));
    }
    return true;
}

constexpr std::string_view kColumns =
    "SELECT id, reference, route, reasons, language, interpreter, contact, best_times, consent_version, "
    "created_at, status, waiting_list FROM referrals";

Result<core::Referral> ReadRow(const Statement& s) {
    return ReferralFromColumns({.id = s.Int(0), .reference = s.Text(1), .route = s.Text(2), .reasons = s.Text(3),
                                .language = s.Text(4), .interpreter = s.Int(5) != 0, .contact = s.Text(6),
                                .best_times = s.Text(7), .consent_version = s.Text(8), .created_at = s.Int(9),
                                .status = s.Text(10), .waiting_list = s.Int(11) != 0});
}

Result<std::vector<core::Referral>> Query(Database& db, std::string_view where,
                                          const std::function<void(Statement&)>& bind) {
    auto stmt = Statement::Prepare(db, std::string(kColumns) + std::string(where));
    if (!stmt) return stmt.error();
    bind(*stmt);
    std::vector<core::Referral> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) return out;
        auto r = ReadRow(*stmt);
        if (!r) return r.error();
        out.push_back(std::move(*r));
    }
}

Result<core::Referral> QueryOne(Database& db, std::string_view where, const std::function<void(Statement&)>& bind,
                                const std::string& not_found) {
    auto list = Query(db, where, bind);
    if (!list) return list.error();
    if (list->empty()) return Fail(Errc::NotFound, not_found);
    return std::move(list->front());
}

Result<void> ValidateNew(const core::Referral& r) {
    if (r.reasons.empty()) return Fail(Errc::InvalidInput, "a referral needs at least one reason");
    if (!core::LooksLikeLanguageTag(r.preferred_language))
        return Fail(Errc::InvalidInput, "preferred language is not a language tag");
    if (r.consent_version.empty() || r.consent_version.size() > 40)
        return Fail(Errc::InvalidInput, "the version of the consent wording is missing");
    return {};
}

// Code points of well-formed UTF-8 without control characters (tab and newlines allowed); nullopt otherwise.
std::optional<std::size_t> NoteLength(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + n > text.size()) return std::nullopt;
        std::uint32_t cp = n == 1 ? c : c & (0x7F >> n);
        for (std::size_t k = 1; k < n; ++k) {
            const auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xC0) != 0x80) return std::nullopt;
            cp = (cp << 6) | (cc & 0x3F);
        }
        const bool overlong = (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
        if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            return std::nullopt;
        i += n;
    }
    return count;
}

Result<std::vector<ReferralNote>> ReadNotes(Database& db, core::ReferralId id, std::vector<SealedBlob>* sealed) {
    if (auto r = internal::ReferralStatusOf(db, id); !r) return r.error();
    auto stmt = Statement::Prepare(db, "SELECT id, at, actor, sealed FROM referral_notes WHERE referral_id = ? ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->Bind(1, id);
    std::vector<ReferralNote> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back({stmt->Int(0), id, stmt->Int(1), stmt->Text(2), {}});
        if (sealed) sealed->push_back(stmt->Blob(3));
    }
}

Result<void> InsertHistory(Database& db, core::ReferralId id, core::ReferralStatus status, std::string_view actor,
                           core::UnixSeconds at) {
    auto stmt = Statement::Prepare(db, "INSERT INTO referral_status_history (referral_id, status, at, actor) VALUES (?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->Bind(1, id).Bind(2, core::Key(status)).Bind(3, at).Bind(4, actor);
    return stmt->Run();
}

}  // namespace

Result<core::Referral> ReferralFromColumns(const ReferralColumns& c) {
    core::Referral r;
    r.id = c.id;
    r.reference = c.reference;
    const auto route = core::ParseRoute(c.route);
    const auto contact = core::ParseContactMethod(c.contact);
    const auto status = core::ParseReferralStatus(c.status);
    if (!route || !contact || !status || !SplitKeys(c.reasons, r.reasons, core::ParseReason) ||
        !SplitKeys(c.best_times, r.best_times, core::ParseBestTime))
        return Fail(Errc::NotADatabase, "referral " + std::to_string(r.id) + " holds a value this release does not know");
    r.route = *route;
    r.preferred_language = c.language;
    r.interpreter = c.interpreter;
    r.contact = *contact;
    r.consent_version = c.consent_version;
    r.created_at = c.created_at;
    r.status = *status;
    r.waiting_list = c.waiting_list;
    return r;
}

// ---- internal -----------------------------------------------------------------------------------

Result<void> internal::Audit(Database& db, core::UnixSeconds at, std::string_view actor, std::string_view action,
                             std::string_view subject, std::string_view detail) {
    auto r = AuditRepo(db).Append(
        {0, at, std::string(actor), std::string(action), std::string(subject), std::string(detail)});
    if (!r) return r.error();
    return {};
}

Result<core::Referral> internal::InsertReferral(Database& db, const RandomSource& random, const core::Referral& in,
                                                const PublicKey& key, std::string_view actor, core::UnixSeconds now) {
    if (auto r = ValidateNew(in); !r) return r.error();
    if (actor.empty()) return Fail(Errc::InvalidInput, "a referral needs an actor");
    auto sealed = Seal(in.patient, key);
    if (!sealed) return sealed.error();

    auto stmt = Statement::Prepare(db,
                                   "INSERT INTO referrals (reference, route, reasons, language, interpreter, contact, "
                                   "best_times, consent_version, created_at, status, sealed, waiting_list) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?)");
    if (!stmt) return stmt.error();
    core::Referral out = in;
    out.patient = {};
    out.status = core::ReferralStatus::New;
    out.created_at = now;
    for (int attempt = 0;; ++attempt) {
        if (attempt == kReferenceAttempts) return Fail(Errc::Internal, "no unique reference after many attempts");
        std::array<std::uint8_t, core::kReferenceDataLength> bytes{};
        random(bytes);
        out.reference = core::MakeReference(bytes);
        stmt->Reset();
        stmt->Bind(1, out.reference)
            .Bind(2, core::Key(in.route))
            .Bind(3, JoinKeys(in.reasons))
            .Bind(4, in.preferred_language)
            .Bind(5, in.interpreter)
            .Bind(6, core::Key(in.contact))
            .Bind(7, JoinKeys(in.best_times))
            .Bind(8, in.consent_version)
            .Bind(9, now)
            .Bind(10, std::span<const std::uint8_t>(*sealed))
            .Bind(11, in.waiting_list);
        if (auto r = stmt->Run(); r) break;
        else if (!stmt->IsUniqueViolation()) return r.error();
    }
    out.id = db.LastInsertId();
    if (auto r = InsertHistory(db, out.id, core::ReferralStatus::New, actor, now); !r) return r.error();
    if (auto r = Audit(db, now, actor, "referral.create", ReferralSubject(out.id), core::Key(in.route)); !r)
        return r.error();
    return out;
}

Result<core::ReferralStatus> internal::ReferralStatusOf(Database& db, core::ReferralId id) {
    auto stmt = Statement::Prepare(db, "SELECT status FROM referrals WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return Fail(Errc::NotFound, "no referral with id " + std::to_string(id));
    const auto status = core::ParseReferralStatus(stmt->Text(0));
    if (!status) return Fail(Errc::NotADatabase, "referral " + std::to_string(id) + " has an unknown status");
    return *status;
}

Result<void> internal::MoveReferral(Database& db, core::ReferralId id, core::ReferralStatus from,
                                    core::ReferralStatus to, std::string_view actor, core::UnixSeconds now) {
    if (!core::CanChange(from, to))
        return Fail(Errc::InvalidInput, "referral " + std::to_string(id) + ": " + std::string(core::Key(from)) +
                                            " -> " + std::string(core::Key(to)) + " is not allowed");
    if (actor.empty()) return Fail(Errc::InvalidInput, "a status change needs an actor");
    auto stmt = Statement::Prepare(db, "UPDATE referrals SET status = ? WHERE id = ? AND status = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, core::Key(to)).Bind(2, id).Bind(3, core::Key(from));
    if (auto r = stmt->Run(); !r) return r;
    if (db.Changes() != 1) return Fail(Errc::Busy, "referral " + std::to_string(id) + " changed meanwhile");
    if (auto r = InsertHistory(db, id, to, actor, now); !r) return r;
    return Audit(db, now, actor, "referral.status", ReferralSubject(id),
                 std::string(core::Key(from)) + "->" + std::string(core::Key(to)));
}

// ---- ReferralRepo -------------------------------------------------------------------------------

ReferralRepo::ReferralRepo(Database& db, RandomSource random) : m_db(db), m_random(std::move(random)) {
    if (!m_random) m_random = [](std::span<std::uint8_t> out) { RandomBytes(out); };
}

Result<core::Referral> ReferralRepo::Create(const core::Referral& r, const PublicKey& key, std::string_view actor,
                                            core::UnixSeconds now) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto out = internal::InsertReferral(m_db, m_random, r, key, actor, now);
    if (!out) return out.error();
    if (auto c = tx->Commit(); !c) return c.error();
    return out;
}

Result<core::Referral> ReferralRepo::Get(core::ReferralId id) const {
    return QueryOne(m_db, " WHERE id = ?", [&](Statement& s) { s.Bind(1, id); },
                    "no referral with id " + std::to_string(id));
}

Result<core::Referral> ReferralRepo::GetByReference(std::string_view typed) const {
    const auto reference = core::NormalizeReference(typed);
    if (!reference) return Fail(Errc::InvalidInput, "'" + std::string(typed) + "' is not a reference code");
    return QueryOne(m_db, " WHERE reference = ?", [&](Statement& s) { s.Bind(1, *reference); },
                    "no referral with reference " + *reference);
}

Result<std::vector<core::Referral>> ReferralRepo::List(const ReferralFilter& f) const {
    std::string where = " WHERE 1";
    if (f.status) where += " AND status = ?1";
    if (f.from) where += " AND created_at >= ?2";
    if (f.to) where += " AND created_at < ?3";
    if (f.route) where += " AND route = ?5";
    if (f.reason) where += " AND instr(',' || reasons || ',', ',' || ?6 || ',') > 0";
    // Primary subtag, any case: "pa" finds "pa-Guru" and "PA"; instr, not LIKE, so '_' is no wildcard.
    if (!f.language.empty())
        where += " AND (lower(language) = ?7 OR instr(lower(language), ?7 || '-') = 1"
                 " OR instr(lower(language), ?7 || '_') = 1)";
    if (f.interpreter) where += " AND interpreter = ?8";
    if (f.waiting_list) where += " AND waiting_list = ?9";
    where += " ORDER BY created_at DESC, id DESC LIMIT ?4";
    std::string primary(core::PrimaryLanguage(f.language));
    std::transform(primary.begin(), primary.end(), primary.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return Query(m_db, where, [&](Statement& s) {
        if (f.status) s.Bind(1, core::Key(*f.status));
        if (f.from) s.Bind(2, *f.from);
        if (f.to) s.Bind(3, *f.to);
        s.Bind(4, f.limit > 0 ? f.limit : 1000);
        if (f.route) s.Bind(5, core::Key(*f.route));
        if (f.reason) s.Bind(6, core::Key(*f.reason));
        if (!f.language.empty()) s.Bind(7, primary);
        if (f.interpreter) s.Bind(8, *f.interpreter);
        if (f.waiting_list) s.Bind(9, *f.waiting_list);
    });
}

Result<std::vector<ReferralStatusChange>> ReferralRepo::History(core::ReferralId id) const {
    if (auto r = internal::ReferralStatusOf(m_db, id); !r) return r.error();
    auto stmt = Statement::Prepare(m_db,
                                   "SELECT status, at, actor FROM referral_status_history WHERE referral_id = ? "
                                   "ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->Bind(1, id);
    std::vector<ReferralStatusChange> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) return out;
        const auto status = core::ParseReferralStatus(stmt->Text(0));
        if (!status) return Fail(Errc::NotADatabase, "referral history holds an unknown status");
        out.push_back({*status, stmt->Int(1), stmt->Text(2)});
    }
}

Result<core::Referral> ReferralRepo::ChangeStatus(core::ReferralId id, core::ReferralStatus to, std::string_view actor,
                                                  core::UnixSeconds now) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto from = internal::ReferralStatusOf(m_db, id);
    if (!from) return from.error();
    if (to == core::ReferralStatus::Closed || to == core::ReferralStatus::Cancelled) {
        // A live booking would keep its slot from everyone (and from the waiting list) for a request
        // nobody follows any more: its outcome or cancellation is recorded first.
        auto live = Statement::Prepare(m_db, "SELECT id FROM bookings WHERE referral_id = ? AND status IN ('requested', 'confirmed') "
                                             "ORDER BY start_at LIMIT 1");
        if (!live) return live.error();
        live->Bind(1, id);
        auto row = live->Step();
        if (!row) return row.error();
        if (*row)
            return Fail(Errc::InvalidInput, "booking " + std::to_string(live->Int(0)) +
                                                " of this request is still live: record whether it was attended, or cancel it, first");
    }
    if (auto r = internal::MoveReferral(m_db, id, *from, to, actor, now); !r) return r.error();
    // A request that is closed or cancelled waits for nothing: a slot offered to it goes to the next one.
    if (to == core::ReferralStatus::Closed || to == core::ReferralStatus::Cancelled)
        if (auto r = internal::WithdrawOffer(m_db, id, std::nullopt, actor, now); !r) return r.error();
    if (auto c = tx->Commit(); !c) return c.error();
    return Get(id);
}

Result<SealedBlob> ReferralRepo::Sealed(core::ReferralId id) const {
    auto stmt = Statement::Prepare(m_db, "SELECT sealed FROM referrals WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return Fail(Errc::NotFound, "no referral with id " + std::to_string(id));
    return stmt->Blob(0);
}

Result<core::PatientDetails> ReferralRepo::Reveal(core::ReferralId id, const UnlockedKey& key, core::UnixSeconds now) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto sealed = Sealed(id);
    if (!sealed) return sealed.error();
    // The audit entry commits before the details exist in memory: no reveal goes unrecorded.
    if (auto r = internal::Audit(m_db, now, "staff:" + key.Staff(), "sealed.reveal", internal::ReferralSubject(id), "");
        !r)
        return r.error();
    if (auto c = tx->Commit(); !c) return c.error();
    return Open(*sealed, key);
}

// ---- notes --------------------------------------------------------------------------------------

Result<void> CheckNote(std::string_view text) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return Fail(Errc::InvalidInput, "the note is empty");
    const auto length = NoteLength(text);
    if (!length) return Fail(Errc::InvalidInput, "the note is not UTF-8 text or holds control characters");
    if (*length > kMaxNoteLength)
        return Fail(Errc::InvalidInput, "the note is " + std::to_string(*length) + " characters; at most " +
                                            std::to_string(kMaxNoteLength) + " fit");
    return {};
}

Result<std::int64_t> ReferralRepo::AddNote(core::ReferralId id, std::string_view text, const PublicKey& key,
                                           std::string_view actor, core::UnixSeconds now) {
    if (actor.empty()) return Fail(Errc::InvalidInput, "a note needs an actor");
    if (auto r = CheckNote(text); !r) return r.error();
    auto sealed = SealText(text, key);
    if (!sealed) return sealed.error();
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    if (auto r = internal::ReferralStatusOf(m_db, id); !r) return r.error();
    auto stmt = Statement::Prepare(m_db, "INSERT INTO referral_notes (referral_id, at, actor, sealed) VALUES (?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->Bind(1, id).Bind(2, now).Bind(3, actor).Bind(4, std::span<const std::uint8_t>(*sealed));
    if (auto r = stmt->Run(); !r) return r.error();
    const auto note = m_db.LastInsertId();
    if (auto r = internal::Audit(m_db, now, actor, "referral.note", internal::ReferralSubject(id), "note:" + std::to_string(note));
        !r)
        return r.error();
    if (auto c = tx->Commit(); !c) return c.error();
    return note;
}

Result<std::vector<ReferralNote>> ReferralRepo::Notes(core::ReferralId id) const { return ReadNotes(m_db, id, nullptr); }

Result<std::vector<ReferralNote>> ReferralRepo::Notes(core::ReferralId id, const UnlockedKey& key, core::UnixSeconds now) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    std::vector<SealedBlob> sealed;
    auto notes = ReadNotes(m_db, id, &sealed);
    if (!notes) return notes.error();
    if (notes->empty()) return notes;
    if (auto r = internal::Audit(m_db, now, "staff:" + key.Staff(), "sealed.reveal", internal::ReferralSubject(id), "notes");
        !r)
        return r.error();
    if (auto c = tx->Commit(); !c) return c.error();
    for (std::size_t i = 0; i < notes->size(); ++i) {
        auto text = OpenText(sealed[i], key);
        if (!text) {
            for (auto& n : *notes) core::Wipe(n.text);
            return text.error();
        }
        (*notes)[i].text = std::move(*text);
    }
    return notes;
}

}  // namespace htk::store
