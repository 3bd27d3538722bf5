// What the fault tests share: a patient who gets as far as the review, what the kiosk wrote to
// stderr meanwhile, another process holding the database's write lock, and frame times.
#pragma once
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/referral_repo.h"
#include "tests/support/kiosk.h"
#include "tests/support/patient.h"
#include "tests/temp_dir.h"

namespace htk::test {

// From home through the contact language of a self-referral, typing as a keyboard would (the
// on-screen keyboard's own journeys are tested in tests/ui); the consent screen, which reads the
// practice's retention period from the store, opens next.
inline void ToConsent(Kiosk& k) {
    Expect(k, "home");
    k.Tap("home.refer");
    Expect(k, "reasons");
    for (int drag = 0; drag < 12 && !k.Shows("reasons.eating"); ++drag) {  // a finger drags the list up
        std::string lowest;
        for (const auto& shown : k.Keys())
            if (shown.starts_with("reasons.")) lowest = shown;
        const auto r = *k.RectOf(lowest);
        k.Slide(lowest, {r.Centre().x, r.Centre().y - 120.0f});
    }
    k.Tap("reasons.eating");
    k.Tap("common.next");
    Expect(k, "note");
    k.Tap("common.next");
    Expect(k, "name");
    k.Type("name.field", NameFor(k.App().Language().Tag()));
    k.Tap("common.next");
    Expect(k, "date_of_birth");
    k.Type("dob.day.field", "14");
    k.Type("dob.month.field", "05");
    k.Type("dob.year.field", "1968");
    k.Tap("common.next");
    Expect(k, "phone");
    k.Type("phone.field", "07400123456");
    k.Tap("common.next");
    Expect(k, "times");
    k.Tap("times.morning");
    k.Tap("common.next");
    Expect(k, "contact_language");
    k.Tap("common.next");
}

// From home to the review of a self-referral.
inline void ToReview(Kiosk& k) {
    ToConsent(k);
    Expect(k, "consent");
    k.Tap("consent.agree");
    Expect(k, "review");
}

// True when the last frame drew `key` in the session's language (its own text, or English's).
inline bool Drew(Kiosk& k, const std::string& key) {
    for (const auto& t : k.Texts())
        if (t.key == key && t.text == k.App().Language().Get(key)) return true;
    return false;
}

// Every reference in the kiosk's database.
inline std::vector<std::string> StoredReferences(Kiosk& k) {
    std::vector<std::string> out;
    auto all = store::ReferralRepo(k.Db()).List();
    if (!all) throw std::runtime_error("listing referrals: " + all.error().detail);
    for (const auto& r : *all) out.push_back(r.reference);
    return out;
}

// Everything written to stderr (fd 2) while it lives; Text() once it has been stopped.
class StderrCapture {
public:
    StderrCapture() {
        std::fflush(stderr);
        m_saved = ::dup(2);
        const int fd = ::open(m_dir.File("stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, 2);
        ::close(fd);
    }
    ~StderrCapture() { Stop(); }
    StderrCapture(const StderrCapture&) = delete;
    StderrCapture& operator=(const StderrCapture&) = delete;

    void Stop() {
        if (m_saved < 0) return;
        std::fflush(stderr);
        ::dup2(m_saved, 2);
        ::close(m_saved);
        m_saved = -1;
    }
    std::string Text() {
        Stop();
        std::ifstream in(m_dir.File("stderr"));
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    // The lines that contain `what`.
    std::vector<std::string> Lines(const std::string& what) {
        std::vector<std::string> out;
        std::istringstream in(Text());
        for (std::string line; std::getline(in, line);)
            if (line.find(what) != std::string::npos) out.push_back(line);
        return out;
    }

private:
    TempDir m_dir;
    int m_saved = -1;
};

// The sqlite3 command-line shell in another process, holding the database's write lock (an open
// BEGIN EXCLUSIVE) until Release(), as a desk or a second kiosk in the middle of a long write would.
class LockHolder {
public:
    explicit LockHolder(const std::filesystem::path& database) {
        const auto marker = m_dir.File("locked");
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("pipe");
        m_pid = ::fork();
        if (m_pid < 0) throw std::runtime_error("fork");
        if (m_pid == 0) {
            ::dup2(fds[0], 0);
            ::close(fds[0]);
            ::close(fds[1]);
            if (const int null = ::open("/dev/null", O_WRONLY); null >= 0) ::dup2(null, 1);  // PRAGMA's echo
            ::execlp("sqlite3", "sqlite3", "-batch", database.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(fds[0]);
        m_in = fds[1];
        ::signal(SIGPIPE, SIG_IGN);  // a shell that died is reported by Release, not by killing the test
        Send("PRAGMA busy_timeout = 10000;\nBEGIN EXCLUSIVE;\n.shell touch '" + marker.string() + "'\n");
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!std::filesystem::exists(marker)) {
            if (int status = 0; ::waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                throw std::runtime_error("sqlite3 exited before taking the lock (the sqlite3 package: image/packages-dev.txt)");
            }
            if (std::chrono::steady_clock::now() > until) throw std::runtime_error("sqlite3 did not take the lock");
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        m_since = std::chrono::steady_clock::now();
    }
    ~LockHolder() { Release(); }
    LockHolder(const LockHolder&) = delete;
    LockHolder& operator=(const LockHolder&) = delete;

    // Seconds since the lock was taken, in real time.
    double Held() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_since).count();
    }
    // Ends the transaction and the shell; true when sqlite3 exited cleanly (it held the lock throughout).
    bool Release() {
        if (m_pid <= 0) return m_clean;
        Send("COMMIT;\n.quit\n");
        ::close(m_in);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
        m_clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        return m_clean;
    }

private:
    void Send(const std::string& text) {
        if (::write(m_in, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
            throw std::runtime_error("cannot write to sqlite3");
    }

    TempDir m_dir;
    pid_t m_pid = -1;
    int m_in = -1;
    bool m_clean = false;
    std::chrono::steady_clock::time_point m_since;
};

}  // namespace htk::test
