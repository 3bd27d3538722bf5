// Trainer rows and their ordered language tags (the first tag is the one shown first).
#include "store/trainer_repo.h"

#include <set>

namespace htk::store {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

Result<void> ValidateLanguages(const std::vector<std::string>& languages) {
    std::set<std::string> seen;
    for (const auto& tag : languages) {
        if (!core::LooksLikeLanguageTag(tag)) return Fail(Errc::InvalidInput, "'" + tag + "' is not a language tag such as tr or pa-Guru");
        if (!seen.insert(tag).second) return Fail(Errc::InvalidInput, "language " + tag + " is listed twice");
    }
    return {};
}

Result<void> WriteLanguages(Database& db, core::TrainerId id, const std::vector<std::string>& languages) {
    auto del = Statement::Prepare(db, "DELETE FROM trainer_languages WHERE trainer_id = ?");
    if (!del) return del.error();
    del->Bind(1, id);
    if (auto r = del->Run(); !r) return r;
    auto ins = Statement::Prepare(db, "INSERT INTO trainer_languages (trainer_id, position, tag) VALUES (?, ?, ?)");
    if (!ins) return ins.error();
    for (std::size_t i = 0; i < languages.size(); ++i) {
        ins->Reset();
        ins->Bind(1, id).Bind(2, static_cast<std::int64_t>(i)).Bind(3, languages[i]);
        if (auto r = ins->Run(); !r) return r;
    }
    return {};
}

Result<void> LoadLanguages(Database& db, core::Trainer& t) {
    auto stmt = Statement::Prepare(db, "SELECT tag FROM trainer_languages WHERE trainer_id = ? ORDER BY position");
    if (!stmt) return stmt.error();
    stmt->Bind(1, t.id);
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) return {};
        t.languages.push_back(stmt->Text(0));
    }
}

std::string NotFoundText(core::TrainerId id) { return "no trainer with id " + std::to_string(id); }

}  // namespace

Result<core::TrainerId> TrainerRepo::Add(const core::Trainer& t) {
    if (t.display_name.empty() || t.display_name.size() > 100)
        return Fail(Errc::InvalidInput, "trainer name must be 1 to 100 bytes");
    if (auto r = ValidateLanguages(t.languages); !r) return r.error();
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    auto stmt = Statement::Prepare(m_db, "INSERT INTO trainers (display_name, active) VALUES (?, ?)");
    if (!stmt) return stmt.error();
    stmt->Bind(1, t.display_name).Bind(2, t.active);
    if (auto r = stmt->Run(); !r) return r.error();
    const core::TrainerId id = m_db.LastInsertId();
    if (auto r = WriteLanguages(m_db, id, t.languages); !r) return r.error();
    if (auto r = tx->Commit(); !r) return r.error();
    return id;
}

Result<core::Trainer> TrainerRepo::Get(core::TrainerId id) const {
    auto stmt = Statement::Prepare(m_db, "SELECT id, display_name, active FROM trainers WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return Fail(Errc::NotFound, NotFoundText(id));
    core::Trainer t;
    t.id = stmt->Int(0);
    t.display_name = stmt->Text(1);
    t.active = stmt->Int(2) != 0;
    if (auto r = LoadLanguages(m_db, t); !r) return r.error();
    return t;
}

Result<std::vector<core::Trainer>> TrainerRepo::List(bool include_inactive) const {
    auto stmt = Statement::Prepare(m_db, include_inactive ? "SELECT id, display_name, active FROM trainers ORDER BY id"
                                                          : "SELECT id, display_name, active FROM trainers "
                                                            "WHERE active = 1 ORDER BY id");
    if (!stmt) return stmt.error();
    std::vector<core::Trainer> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) break;
        core::Trainer t;
        t.id = stmt->Int(0);
        t.display_name = stmt->Text(1);
        t.active = stmt->Int(2) != 0;
        out.push_back(std::move(t));
    }
    for (auto& t : out)
        if (auto r = LoadLanguages(m_db, t); !r) return r.error();
    return out;
}

Result<void> TrainerRepo::SetActive(core::TrainerId id, bool active) {
    auto stmt = Statement::Prepare(m_db, "UPDATE trainers SET active = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, active).Bind(2, id);
    if (auto r = stmt->Run(); !r) return r;
    if (m_db.Changes() == 0) return Fail(Errc::NotFound, NotFoundText(id));
    return {};
}

Result<void> TrainerRepo::SetLanguages(core::TrainerId id, const std::vector<std::string>& languages) {
    if (auto r = ValidateLanguages(languages); !r) return r;
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    if (auto t = Get(id); !t) return t.error();
    if (auto r = WriteLanguages(m_db, id, languages); !r) return r;
    return tx->Commit();
}

}  // namespace htk::store
