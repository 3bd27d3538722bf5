// Weekly hours and exceptions are stored as one row per range ('open' or 'break'); a date exception
// with no ranges is a day off.
#include "store/plan_repo.h"

namespace htk::store {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

Result<void> RequireTrainer(Database& db, core::TrainerId id) {
    auto stmt = Statement::Prepare(db, "SELECT 1 FROM trainers WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return Fail(Errc::NotFound, "no trainer with id " + std::to_string(id));
    return {};
}

Result<void> WriteWeekday(Database& db, core::TrainerId trainer, int weekday, const core::DayHours& hours) {
    auto del = Statement::Prepare(db, "DELETE FROM weekly_hours WHERE trainer_id = ? AND weekday = ?");
    if (!del) return del.error();
    del->Bind(1, trainer).Bind(2, weekday);
    if (auto r = del->Run(); !r) return r;
    auto ins = Statement::Prepare(
        db, "INSERT INTO weekly_hours (trainer_id, weekday, kind, start_min, end_min) VALUES (?, ?, ?, ?, ?)");
    if (!ins) return ins.error();
    for (const auto* list : {&hours.open, &hours.breaks}) {
        for (const auto& range : *list) {
            ins->Reset();
            ins->Bind(1, trainer).Bind(2, weekday).Bind(3, list == &hours.open ? "open" : "break")
                .Bind(4, range.start_min).Bind(5, range.end_min);
            if (auto r = ins->Run(); !r) return r;
        }
    }
    return {};
}

Result<void> WriteException(Database& db, core::TrainerId trainer, const core::DateException& e) {
    const std::string date = e.date.Iso();
    auto del = Statement::Prepare(db, "DELETE FROM date_exceptions WHERE trainer_id = ? AND date = ?");
    if (!del) return del.error();
    del->Bind(1, trainer).Bind(2, date);
    if (auto r = del->Run(); !r) return r;
    auto head = Statement::Prepare(db, "INSERT INTO date_exceptions (trainer_id, date) VALUES (?, ?)");
    if (!head) return head.error();
    head->Bind(1, trainer).Bind(2, date);
    if (auto r = head->Run(); !r) return r;
    if (!e.hours) return {};
    auto ins = Statement::Prepare(
        db, "INSERT INTO exception_hours (trainer_id, date, kind, start_min, end_min) VALUES (?, ?, ?, ?, ?)");
    if (!ins) return ins.error();
    for (const auto* list : {&e.hours->open, &e.hours->breaks}) {
        for (const auto& range : *list) {
            ins->Reset();
            ins->Bind(1, trainer).Bind(2, date).Bind(3, list == &e.hours->open ? "open" : "break")
                .Bind(4, range.start_min).Bind(5, range.end_min);
            if (auto r = ins->Run(); !r) return r;
        }
    }
    return {};
}

void AddRange(core::DayHours& hours, const std::string& kind, int start, int end) {
    (kind == "open" ? hours.open : hours.breaks).push_back({start, end});
}

}  // namespace

Result<void> PlanRepo::SetWeekday(core::TrainerId trainer, int weekday, const core::DayHours& hours) {
    if (weekday < 0 || weekday > 6) return Fail(Errc::InvalidInput, "weekday must be 0 (Monday) to 6 (Sunday)");
    if (auto r = core::Validate(hours); !r) return r;
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    if (auto r = RequireTrainer(m_db, trainer); !r) return r;
    if (auto r = WriteWeekday(m_db, trainer, weekday, hours); !r) return r;
    return tx->Commit();
}

Result<void> PlanRepo::SetException(core::TrainerId trainer, core::LocalDate date,
                                    const std::optional<core::DayHours>& hours) {
    if (!date.Valid()) return Fail(Errc::InvalidInput, "exception with an invalid date");
    if (hours && hours->Empty()) return SetException(trainer, date, std::nullopt);
    if (hours)
        if (auto r = core::Validate(*hours); !r) return r;
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    if (auto r = RequireTrainer(m_db, trainer); !r) return r;
    if (auto r = WriteException(m_db, trainer, {date, hours}); !r) return r;
    return tx->Commit();
}

Result<void> PlanRepo::ClearException(core::TrainerId trainer, core::LocalDate date) {
    auto stmt = Statement::Prepare(m_db, "DELETE FROM date_exceptions WHERE trainer_id = ? AND date = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, trainer).Bind(2, date.Iso());
    if (auto r = stmt->Run(); !r) return r;
    if (m_db.Changes() == 0)
        return Fail(Errc::NotFound, "trainer " + std::to_string(trainer) + " has no exception on " + date.Iso());
    return {};
}

Result<void> PlanRepo::Save(const core::WorkingPlan& plan) {
    if (auto r = core::Validate(plan); !r) return r;
    auto tx = Transaction::Begin(m_db);
    if (!tx) return tx.error();
    if (auto r = RequireTrainer(m_db, plan.trainer); !r) return r;
    for (int d = 0; d < 7; ++d)
        if (auto r = WriteWeekday(m_db, plan.trainer, d, plan.weekly[static_cast<std::size_t>(d)]); !r) return r;
    auto del = Statement::Prepare(m_db, "DELETE FROM date_exceptions WHERE trainer_id = ?");
    if (!del) return del.error();
    del->Bind(1, plan.trainer);
    if (auto r = del->Run(); !r) return r;
    for (const auto& e : plan.exceptions)
        if (auto r = WriteException(m_db, plan.trainer, e.hours && e.hours->Empty()
                                                            ? core::DateException{e.date, std::nullopt}
                                                            : e);
            !r)
            return r;
    return tx->Commit();
}

Result<core::WorkingPlan> PlanRepo::Load(core::TrainerId trainer) const {
    if (auto r = RequireTrainer(m_db, trainer); !r) return r.error();
    core::WorkingPlan plan;
    plan.trainer = trainer;
    auto weekly = Statement::Prepare(
        m_db, "SELECT weekday, kind, start_min, end_min FROM weekly_hours WHERE trainer_id = ? ORDER BY weekday, start_min");
    if (!weekly) return weekly.error();
    weekly->Bind(1, trainer);
    for (;;) {
        auto row = weekly->Step();
        if (!row) return row.error();
        if (!*row) break;
        const auto day = weekly->Int(0);
        if (day < 0 || day > 6) return Fail(Errc::NotADatabase, "weekly hours with a weekday out of range");
        AddRange(plan.weekly[static_cast<std::size_t>(day)], weekly->Text(1), static_cast<int>(weekly->Int(2)),
                 static_cast<int>(weekly->Int(3)));
    }
    auto exceptions = Statement::Prepare(
        m_db,
        "SELECT e.date, h.kind, h.start_min, h.end_min FROM date_exceptions e "
        "LEFT JOIN exception_hours h ON h.trainer_id = e.trainer_id AND h.date = e.date "
        "WHERE e.trainer_id = ? ORDER BY e.date, h.start_min");
    if (!exceptions) return exceptions.error();
    exceptions->Bind(1, trainer);
    for (;;) {
        auto row = exceptions->Step();
        if (!row) return row.error();
        if (!*row) break;
        const auto date = core::LocalDate::ParseIso(exceptions->Text(0));
        if (!date) return Fail(Errc::NotADatabase, "a date exception with a malformed date");
        if (plan.exceptions.empty() || plan.exceptions.back().date != *date)
            plan.exceptions.push_back({*date, std::nullopt});
        if (!exceptions->IsNull(1)) {
            auto& e = plan.exceptions.back();
            if (!e.hours) e.hours = core::DayHours{};
            AddRange(*e.hours, exceptions->Text(1), static_cast<int>(exceptions->Int(2)),
                     static_cast<int>(exceptions->Int(3)));
        }
    }
    return plan;
}

Result<void> PlanRepo::BlockDay(const core::BlockedDay& day) {
    if (!day.date.Valid()) return Fail(Errc::InvalidInput, "blocked day with an invalid date");
    if (day.reason.size() > 200) return Fail(Errc::InvalidInput, "the reason for a blocked day is too long");
    auto stmt = Statement::Prepare(m_db,
                                   "INSERT INTO blocked_days (date, reason) VALUES (?1, ?2) "
                                   "ON CONFLICT (date) DO UPDATE SET reason = ?2");
    if (!stmt) return stmt.error();
    stmt->Bind(1, day.date.Iso()).Bind(2, day.reason);
    return stmt->Run();
}

Result<void> PlanRepo::UnblockDay(core::LocalDate date) {
    auto stmt = Statement::Prepare(m_db, "DELETE FROM blocked_days WHERE date = ?");
    if (!stmt) return stmt.error();
    stmt->Bind(1, date.Iso());
    if (auto r = stmt->Run(); !r) return r;
    if (m_db.Changes() == 0) return Fail(Errc::NotFound, date.Iso() + " is not a blocked day");
    return {};
}

Result<std::vector<core::BlockedDay>> PlanRepo::BlockedDays() const {
    auto stmt = Statement::Prepare(m_db, "SELECT date, reason FROM blocked_days ORDER BY date");
    if (!stmt) return stmt.error();
    std::vector<core::BlockedDay> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) break;
        const auto date = core::LocalDate::ParseIso(stmt->Text(0));
        if (!date) return Fail(Errc::NotADatabase, "a blocked day with a malformed date");
        out.push_back({*date, stmt->Text(1)});
    }
    return out;
}

}  // namespace htk::store
