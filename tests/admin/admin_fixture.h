// Helpers for the ht-admin suites: temp directories, passphrases fed through a pipe as
// --passphrase-fd expects, and a runner for the CLI library with captured output.
#pragma once
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "admin/admin.h"
#include "core/time.h"
#include "store/sealing.h"
#include "tests/temp_dir.h"

namespace htk::test {

namespace fs = std::filesystem;

inline std::string ReadText(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void WriteText(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
}

// The read end of a pipe already holding `lines`, one passphrase a line, as a script would feed it.
class PassphrasePipe {
public:
    explicit PassphrasePipe(std::initializer_list<std::string> lines) {
        int fds[2];
        REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
        std::string text;
        for (const auto& l : lines) text += l + "\n";
        REQUIRE(::write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
        ::close(fds[1]);
        m_fd = fds[0];
    }
    PassphrasePipe(const PassphrasePipe&) = delete;
    PassphrasePipe& operator=(const PassphrasePipe&) = delete;
    ~PassphrasePipe() { ::close(m_fd); }
    std::string Fd() const { return std::to_string(m_fd); }

private:
    int m_fd = -1;
};

struct CliResult {
    int code = -1;
    std::string out;
    std::string err;
};

// Friday 27 March 2026, 08:00 UTC: the clocks go forward on Sunday the 29th.
inline core::UnixSeconds Friday27March0800() { return core::LocalDate{2026, 3, 27}.DaysSinceEpoch() * 86400 + 8 * 3600; }

inline CliResult RunCli(std::vector<std::string> args, core::UnixSeconds now = Friday27March0800()) {
    std::ostringstream out, err;
    admin::Env env(out, err);
    env.now = [now] { return now; };
    CliResult r;
    r.code = admin::Run(args, env);
    r.out = out.str();
    r.err = err.str();
    return r;
}

inline int Lines(const std::string& text) {
    int n = 0;
    for (char c : text) n += c == '\n';
    return n;
}

}  // namespace htk::test
