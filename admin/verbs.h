// The verbs of ht-admin behind Run(): one function each, given a parsed command line.
// Internal to htk_admin; tests reach them through Run() exactly as the command line does.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "admin/admin.h"
#include "admin/args.h"
#include "admin/passphrase.h"
#include "core/result.h"
#include "store/database.h"
#include "store/sealing.h"

namespace htk::admin {

// Who may run a command. Staff and Manager commands run only after Run() has unlocked the practice
// key with that member of staff's passphrase, so every change is made by a proven actor.
enum class Access { Open, Staff, Manager };

struct Session {
    Session(const Args& a, Env& e, std::filesystem::path db_path, PassphraseSource source, std::string who)
        : args(a), env(e), json(a.Flag("json")), database(std::move(db_path)), passphrase(source), actor(std::move(who)) {}

    const Args& args;
    Env& env;
    bool json = false;
    std::filesystem::path database;
    PassphraseSource passphrase;
    std::string actor;  // "staff:<name>" once unlocked, else "admin-cli"

    core::Result<store::Database*> Db();                  // the existing database, opened once
    core::Result<std::unique_ptr<core::TimeZone>> Zone();  // the practice's time zone

    // Unlocks with the passphrase of --staff (or the only member of staff) and checks the role:
    // Forbidden (audited as "access.denied") when a receptionist runs a manager's command.
    core::Result<void> Unlock(Access access, std::string_view command);
    const store::UnlockedKey& Key() const { return *m_key; }  // only after Unlock succeeded
    bool Unlocked() const { return m_key.has_value(); }

private:
    std::optional<store::Database> m_db;
    std::optional<store::UnlockedKey> m_key;
};

using Verb = core::Result<void> (*)(Session&);

core::Result<void> VerbInit(Session& s);
core::Result<void> VerbDemo(Session& s);
core::Result<void> VerbDesk(Session& s);
core::Result<void> VerbStaffAdd(Session& s);
core::Result<void> VerbStaffList(Session& s);
core::Result<void> VerbTrainersAdd(Session& s);
core::Result<void> VerbTrainersList(Session& s);
core::Result<void> VerbTrainersActivate(Session& s);
core::Result<void> VerbTrainersDeactivate(Session& s);
core::Result<void> VerbTrainersLanguages(Session& s);
core::Result<void> VerbPlansSet(Session& s);
core::Result<void> VerbPlansClear(Session& s);
core::Result<void> VerbPlansBlock(Session& s);
core::Result<void> VerbPlansUnblock(Session& s);
core::Result<void> VerbPlansShow(Session& s);
core::Result<void> VerbSlotsList(Session& s);
core::Result<void> VerbRequestsList(Session& s);  // request_verbs.cpp: requests, bookings add/set-status, waiting
core::Result<void> VerbRequestsShow(Session& s);
core::Result<void> VerbRequestsAdd(Session& s);
core::Result<void> VerbRequestsNote(Session& s);
core::Result<void> VerbRequestsSetStatus(Session& s);
core::Result<void> VerbBookingsAdd(Session& s);
core::Result<void> VerbBookingsSetStatus(Session& s);
core::Result<void> VerbWaitingList(Session& s);
core::Result<void> VerbWaitingOffers(Session& s);
core::Result<void> VerbWaitingAccept(Session& s);
core::Result<void> VerbWaitingDecline(Session& s);
core::Result<void> VerbBookingsList(Session& s);
core::Result<void> VerbAuditList(Session& s);
core::Result<void> VerbDbInit(Session& s);  // db_verbs.cpp: the shared PostgreSQL database
core::Result<void> VerbDbAddKiosk(Session& s);
core::Result<void> VerbDbAddDesk(Session& s);
core::Result<void> VerbDbKiosks(Session& s);
core::Result<void> VerbDbReport(Session& s);
core::Result<void> VerbDbPublish(Session& s);
core::Result<void> VerbDbSend(Session& s);
core::Result<void> VerbDbRequests(Session& s);
core::Result<void> VerbDbSetStatus(Session& s);
core::Result<void> VerbDbNote(Session& s);
core::Result<void> VerbPacksLint(Session& s);
core::Result<void> VerbPacksBuild(Session& s);
core::Result<void> VerbPacksList(Session& s);
core::Result<void> VerbPacksInstall(Session& s);
core::Result<void> VerbPacksRollback(Session& s);
core::Result<void> VerbPacksKeygen(Session& s);
core::Result<void> VerbPacksSign(Session& s);
core::Result<void> VerbPacksVerify(Session& s);
core::Result<void> VerbPacksExport(Session& s);
core::Result<void> VerbPacksImport(Session& s);
core::Result<void> VerbReportsShow(Session& s);  // report_verbs.cpp
core::Result<void> VerbExport(Session& s);
core::Result<void> VerbPurge(Session& s);

}  // namespace htk::admin
