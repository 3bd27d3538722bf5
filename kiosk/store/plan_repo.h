// Working plans (weekly hours with breaks, date exceptions) and practice-wide blocked days.
// Every write is validated with core's rules first, so a bad plan never reaches the table.
#pragma once
#include <optional>
#include <vector>

#include "core/result.h"
#include "core/working_plan.h"
#include "store/database.h"

namespace htk::store {

class PlanRepo {
public:
    explicit PlanRepo(Database& db) : m_db(db) {}
    core::Result<void> SetWeekday(core::TrainerId trainer, int weekday, const core::DayHours& hours);  // 0 = Monday
    core::Result<void> SetException(core::TrainerId trainer, core::LocalDate date,
                                    const std::optional<core::DayHours>& hours);  // nullopt: not working
    core::Result<void> ClearException(core::TrainerId trainer, core::LocalDate date);  // NotFound
    core::Result<void> Save(const core::WorkingPlan& plan);  // replaces the trainer's whole plan
    core::Result<core::WorkingPlan> Load(core::TrainerId trainer) const;  // NotFound for no such trainer

    core::Result<void> BlockDay(const core::BlockedDay& day);  // again on the same date updates the reason
    core::Result<void> UnblockDay(core::LocalDate date);       // NotFound
    core::Result<std::vector<core::BlockedDay>> BlockedDays() const;  // by date

private:
    Database& m_db;
};

}  // namespace htk::store
