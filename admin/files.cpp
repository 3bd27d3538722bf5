// Atomic file writes with POSIX calls (std::ofstream cannot fsync or create with a mode).
#include "admin/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace htk::admin {

namespace fs = std::filesystem;
using core::Errc;
using core::Fail;
using core::Result;

namespace {

core::Error Errno(const fs::path& path, std::string_view what) {
    const int e = errno;
    const Errc code = e == EACCES || e == EPERM || e == EROFS ? Errc::ReadOnly : e == ENOSPC ? Errc::DiskFull : Errc::Io;
    return core::Error{code, path.string() + ": " + std::string(what) + ": " + std::strerror(e)};
}

bool WriteAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

Result<void> RenameDurably(const fs::path& from, const fs::path& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) return Errno(to, "cannot move into place");
    const fs::path dir = to.has_parent_path() ? to.parent_path() : fs::path(".");
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

Result<void> CreateDirectories(const fs::path& dir, unsigned mode) {
    if (dir.empty()) return {};
    std::error_code ec;
    if (fs::is_directory(dir, ec)) return {};
    if (auto r = CreateDirectories(dir.parent_path(), mode); !r) return r;
    if (::mkdir(dir.c_str(), static_cast<mode_t>(mode)) != 0 && errno != EEXIST) return Errno(dir, "cannot create directory");
    return {};
}

Result<void> WriteFileAtomic(const fs::path& path, std::string_view contents, unsigned mode, bool replace) {
    std::error_code ec;
    if (!replace && fs::exists(fs::symlink_status(path, ec)))
        return Fail(Errc::InvalidInput, path.string() + " already exists; nothing was changed");
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::string temp = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) return Errno(path, "cannot create a temporary file beside it");
    auto fail = [&](const char* what) -> Result<void> {
        core::Error error = Errno(path, what);
        ::close(fd);
        ::unlink(temp.c_str());
        return error;
    };
    if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) return fail("cannot set permissions");
    if (!WriteAll(fd, contents)) return fail("cannot write");
    if (::fsync(fd) != 0) return fail("cannot flush to disk");
    if (::close(fd) != 0) {
        core::Error error = Errno(path, "cannot close");
        ::unlink(temp.c_str());
        return error;
    }
    // link() refuses an existing target atomically; rename() replaces atomically.
    const int rc = replace ? ::rename(temp.c_str(), path.c_str()) : ::link(temp.c_str(), path.c_str());
    if (rc != 0) {
        core::Error error = errno == EEXIST ? Fail(Errc::InvalidInput, path.string() + " already exists; nothing was changed")
                                            : Errno(path, "cannot move into place");
        ::unlink(temp.c_str());
        return error;
    }
    if (!replace) ::unlink(temp.c_str());
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);  // the rename itself must survive a power cut
        ::close(dfd);
    }
    return {};
}

Result<StagedFile> StagedFile::Create(const fs::path& path, unsigned mode) {
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::string temp = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) return Errno(path, "cannot create a temporary file beside it");
    StagedFile file(path, temp, fd);
    if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) return Errno(path, "cannot set permissions");
    return file;
}

StagedFile::StagedFile(StagedFile&& other) noexcept
    : m_path(std::move(other.m_path)), m_temp(std::exchange(other.m_temp, {})), m_fd(std::exchange(other.m_fd, -1)) {}

StagedFile::~StagedFile() {
    if (m_fd >= 0) ::close(m_fd);
    if (!m_temp.empty()) ::unlink(m_temp.c_str());
}

Result<void> StagedFile::Append(std::string_view data) {
    if (m_fd < 0) return Fail(Errc::Internal, m_path.string() + ": written after it was closed");
    if (!WriteAll(m_fd, data)) return Errno(m_path, "cannot write");
    return {};
}

Result<void> StagedFile::Sync() {
    if (m_temp.empty()) return Fail(Errc::Internal, m_path.string() + ": already moved into place");
    if (m_fd < 0) return {};
    if (::fsync(m_fd) != 0) return Errno(m_path, "cannot flush to disk");
    const int fd = std::exchange(m_fd, -1);
    if (::close(fd) != 0) return Errno(m_path, "cannot close");
    return {};
}

Result<void> StagedFile::Commit() {
    if (auto r = Sync(); !r) return r;
    if (auto r = RenameDurably(m_temp, m_path); !r) return r;
    m_temp.clear();
    return {};
}

Result<std::string> FormatKioskConfig(const KioskConfig& c) {
    for (const std::string* value : {&c.practice_name, &c.time_zone, &c.kiosk_id})
        if (value->empty() || value->find_first_of("\r\n") != std::string::npos)
            return Fail(Errc::InvalidInput, "a kiosk config value is empty or spans lines");
    std::error_code ec;
    const std::string database = fs::absolute(c.database, ec).lexically_normal().string();
    if (ec || c.database.empty()) return Fail(Errc::InvalidInput, "the kiosk config needs a database path");
    if (database.find_first_of("\r\n") != std::string::npos)
        return Fail(Errc::InvalidInput, "the database path spans lines");
    std::string out;
    out += "# Health Trainer Kiosk configuration\n";
    out += "[practice]\n";
    out += "name = " + c.practice_name + "\n";
    out += "time_zone = " + c.time_zone + "\n";
    out += "public_key = " + store::PublicKeyToBase64(c.public_key) + "\n";
    out += "[kiosk]\n";
    out += "id = " + c.kiosk_id + "\n";
    out += "database = " + database + "\n";
    if (!c.locales.empty()) {
        const std::string locales = fs::absolute(c.locales, ec).lexically_normal().string();
        if (ec || locales.find_first_of("\r\n") != std::string::npos)
            return Fail(Errc::InvalidInput, "the language packs folder spans lines");
        out += "locales = " + locales + "\n";
    }
    return out;
}

Result<void> WriteKioskConfig(const fs::path& path, const KioskConfig& config) {
    auto text = FormatKioskConfig(config);
    if (!text) return text.error();
    return WriteFileAtomic(path, *text, 0644);
}

}  // namespace htk::admin
