// Files ht-admin writes: each appears whole or not at all (temp file, fsync, rename), with the
// permissions it needs from the first byte. Includes the kiosk's config file.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/sealing.h"

namespace htk::admin {

// Writes `contents` to `path` through a temp file in the same directory; `mode` e.g. 0600.
// With replace = false an existing file is refused (InvalidInput) and left alone.
core::Result<void> WriteFileAtomic(const std::filesystem::path& path, std::string_view contents, unsigned mode,
                                   bool replace = true);

// A file written in pieces, for output too large or too private to build whole in memory: a temp
// file beside `path`, with `mode` from its first byte. Commit() moves it into place; a StagedFile
// destroyed before that removes its temp file, so a failure leaves nothing behind.
class StagedFile {
public:
    static core::Result<StagedFile> Create(const std::filesystem::path& path, unsigned mode);
    StagedFile(StagedFile&& other) noexcept;
    StagedFile& operator=(StagedFile&&) = delete;
    StagedFile(const StagedFile&) = delete;
    StagedFile& operator=(const StagedFile&) = delete;
    ~StagedFile();

    core::Result<void> Append(std::string_view data);
    core::Result<void> Sync();    // fsync and close: the bytes are on disk, still under the temp name
    core::Result<void> Commit();  // Sync() if not yet, then rename over `path` and fsync the directory

private:
    StagedFile(std::filesystem::path path, std::string temp, int fd)
        : m_path(std::move(path)), m_temp(std::move(temp)), m_fd(fd) {}
    std::filesystem::path m_path;
    std::string m_temp;  // empty once moved from or committed
    int m_fd = -1;       // -1 once synced
};

// rename(2), then fsync of the directory so the new name survives a power cut.
core::Result<void> RenameDurably(const std::filesystem::path& from, const std::filesystem::path& to);

// Creates `dir` and missing parents with `mode` (e.g. 0700) on the directories it creates.
core::Result<void> CreateDirectories(const std::filesystem::path& dir, unsigned mode);

struct KioskConfig {
    std::string practice_name;
    std::string time_zone;
    store::PublicKey public_key{};
    std::string kiosk_id = "kiosk-1";
    std::filesystem::path database;  // written absolute
    std::filesystem::path locales;   // empty: none written (the kiosk's default, the shipped packs)
};

// The format the kiosk's LoadConfig reads; values are one line each, so newlines are refused.
core::Result<std::string> FormatKioskConfig(const KioskConfig& config);
core::Result<void> WriteKioskConfig(const std::filesystem::path& path, const KioskConfig& config);

}  // namespace htk::admin
