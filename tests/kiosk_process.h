// test::KioskProcess: a kiosk in another process that writes one request when told to, with a busy
// timeout of 0, so it fails at once if anyone holds the write lock. Fork it before this process
// opens the database: an SQLite connection must not cross a fork.
#pragma once
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "core/result.h"
#include "store/database.h"
#include "store/referral_repo.h"
#include "store/sealing.h"

namespace htk::test {

class KioskProcess {
public:
    static constexpr int kWrote = 0;  // exit codes of the child
    static constexpr int kBusy = 3;
    static constexpr int kFailed = 1;

    explicit KioskProcess(const std::filesystem::path& database, core::UnixSeconds now) {
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("pipe");
        m_pid = ::fork();
        if (m_pid < 0) throw std::runtime_error("fork");
        if (m_pid == 0) {
            ::close(fds[1]);
            char go = 0;
            if (::read(fds[0], &go, 1) != 1) ::_exit(kFailed);
            ::_exit(WriteOneRequest(database, now));
        }
        ::close(fds[0]);
        m_go = fds[1];
    }
    KioskProcess(const KioskProcess&) = delete;
    KioskProcess& operator=(const KioskProcess&) = delete;
    ~KioskProcess() {
        if (m_go >= 0) ::close(m_go);  // an unsignalled child reads EOF and exits
        if (m_pid > 0) ::waitpid(m_pid, nullptr, 0);
    }

    // Lets the child write and waits for it; returns its exit code (kWrote, kBusy or kFailed).
    int WriteNow() {
        const char go = 'g';
        if (::write(m_go, &go, 1) != 1) return -1;
        int status = 0;
        if (::waitpid(m_pid, &status, 0) != m_pid) return -1;
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

private:
    static int WriteOneRequest(const std::filesystem::path& database, core::UnixSeconds now) {
        auto db = store::Open(database, {.create = false});
        if (!db) return kFailed;
        if (!db->Exec("PRAGMA busy_timeout = 0")) return kFailed;
        auto key = store::PracticePublicKey(*db);
        if (!key) return kFailed;
        core::Referral r;
        r.reasons = {core::Reason::MovingMore};
        r.preferred_language = "pl";
        r.consent_version = "2026-01";
        r.patient.name = "Another Patient";
        auto created = store::ReferralRepo(*db).Create(r, *key, "kiosk:kiosk-2", now);
        if (!created) return created.error().code == core::Errc::Busy ? kBusy : kFailed;
        return kWrote;
    }

    pid_t m_pid = -1;
    int m_go = -1;
};

}  // namespace htk::test
