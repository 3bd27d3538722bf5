// The shared PostgreSQL database's schema: numbered migrations applied by `ht-admin db init`, and the
// check every kiosk and desk makes before using a server (never newer, never older than this release).
#pragma once
#include <span>
#include <string_view>

#include "core/result.h"
#include "store/pg/connection.h"

namespace htk::store::pg {

// Group roles `db init` creates (NOLOGIN); a login role is made a member of one of them:
// kKioskRole may forward requests and report its backlog through two functions and nothing else;
// kDeskRole reads and updates its own practice's rows (row-level security); kManagerRole reads every practice's.
inline constexpr std::string_view kKioskRole = "htk_kiosk";
inline constexpr std::string_view kDeskRole = "htk_desk";
inline constexpr std::string_view kManagerRole = "htk_manager";

std::span<const std::string_view> Migrations();  // [0] is version 1
int LatestSchemaVersion();

// Applies the pending migrations in one transaction under an advisory lock, so two `db init` at once
// are safe; creates the group roles if missing (needs CREATEROLE). Returns the version now.
// SchemaTooNew: the server is ahead of this release, nothing is changed.
core::Result<int> Init(Connection& db);

// The server's schema version through htk.schema_version(), which every role may call.
// SchemaTooOld (also for a database never initialised), SchemaTooNew, or the connection's error.
core::Result<int> CheckSchema(Connection& db);

}  // namespace htk::store::pg
