// Terminal and descriptor input for passphrases. Reads a byte at a time so that nothing past the
// newline is consumed: the next Read gets the next line.
#include "admin/passphrase.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/referral.h"

namespace htk::admin {

using core::Errc;
using core::Fail;
using core::Result;

namespace {

constexpr std::size_t kMaxPassphrase = 1024;

// One line from fd, without its "\n" or "\r\n". nullopt on EOF before any byte.
Result<std::optional<std::string>> ReadLine(int fd) {
    std::string line;
    bool any = false;
    for (;;) {
        char c = 0;
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0) {
            if (errno == EINTR) continue;
            core::Wipe(line);
            return Fail(Errc::Io, "cannot read the passphrase from fd " + std::to_string(fd) + ": " + std::strerror(errno));
        }
        if (n == 0) break;
        any = true;
        if (c == '\n') break;
        if (line.size() >= kMaxPassphrase) {
            core::Wipe(line);
            return Fail(Errc::InvalidInput, "the passphrase is longer than " + std::to_string(kMaxPassphrase) + " bytes");
        }
        line += c;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!any) return std::optional<std::string>();
    return std::optional<std::string>(std::move(line));
}

class EchoOff {
public:
    explicit EchoOff(int fd) : m_fd(fd) {
        if (::tcgetattr(fd, &m_saved) == 0) {
            termios quiet = m_saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            quiet.c_lflag |= ECHONL;
            m_ok = ::tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
        }
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;
    ~EchoOff() {
        if (m_ok) ::tcsetattr(m_fd, TCSAFLUSH, &m_saved);
    }
    bool ok() const { return m_ok; }

private:
    int m_fd;
    termios m_saved{};
    bool m_ok = false;
};

}  // namespace

Result<std::string> PassphraseSource::Read(std::string_view prompt) const {
    if (m_fd) {
        auto line = ReadLine(*m_fd);
        if (!line) return line.error();
        if (!*line) return Fail(Errc::InvalidInput, "no passphrase on fd " + std::to_string(*m_fd));
        return std::move(**line);
    }
    const int tty = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (tty < 0)
        return Fail(Errc::InvalidInput, "there is no terminal to ask for the passphrase; pass it with --passphrase-fd N");
    Result<std::optional<std::string>> line = std::optional<std::string>();
    {
        EchoOff quiet(tty);
        if (!quiet.ok()) {
            ::close(tty);
            return Fail(Errc::InvalidInput, "cannot turn off echo on the terminal; pass the passphrase with --passphrase-fd N");
        }
        const std::string text(prompt);
        (void)!::write(tty, text.data(), text.size());
        line = ReadLine(tty);
    }
    ::close(tty);
    if (!line) return line.error();
    if (!*line) return Fail(Errc::InvalidInput, "no passphrase was typed");
    return std::move(**line);
}

Result<std::string> PassphraseSource::ReadNew(std::string_view prompt) const {
    auto first = Read(prompt);
    if (!first || !FromTerminal()) return first;
    auto second = Read("Type it again: ");
    if (!second) {
        core::Wipe(*first);
        return second.error();
    }
    const bool same = *first == *second;
    core::Wipe(*second);
    if (!same) {
        core::Wipe(*first);
        return Fail(Errc::InvalidInput, "the two passphrases differ; nothing was changed");
    }
    return first;
}

}  // namespace htk::admin
