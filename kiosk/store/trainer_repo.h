// Trainers and the languages they speak. Trainers are never deleted (bookings point at them):
// a trainer who leaves is set inactive and offers no more slots.
#pragma once
#include <string>
#include <vector>

#include "core/result.h"
#include "core/trainer.h"
#include "store/database.h"

namespace htk::store {

class TrainerRepo {
public:
    explicit TrainerRepo(Database& db) : m_db(db) {}
    core::Result<core::TrainerId> Add(const core::Trainer& trainer);  // trainer.id is ignored
    core::Result<core::Trainer> Get(core::TrainerId id) const;        // NotFound
    core::Result<std::vector<core::Trainer>> List(bool include_inactive = true) const;  // by id
    core::Result<void> SetActive(core::TrainerId id, bool active);
    core::Result<void> SetLanguages(core::TrainerId id, const std::vector<std::string>& languages);

private:
    Database& m_db;
};

}  // namespace htk::store
