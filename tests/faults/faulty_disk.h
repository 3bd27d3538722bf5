// test::FaultyDisk: SQLite's own unix VFS with a disk fault the test switches on and off, registered
// as the process's default VFS while it lives, so every connection opened after it goes through it.
// Not root-only and not timing-dependent: the fault answers exactly as the unix VFS answers the
// kernel's ENOSPC (SQLITE_FULL) and EROFS (SQLITE_IOERR_WRITE), at the write that meets it.
#pragma once
#include <cstdint>
#include <limits>

namespace htk::test {

class FaultyDisk {
public:
    static constexpr std::int64_t kUnlimited = std::numeric_limits<std::int64_t>::max();

    FaultyDisk();   // registers itself as the default VFS; one at a time
    ~FaultyDisk();  // unregisters: destroy it after every connection opened through it
    FaultyDisk(const FaultyDisk&) = delete;
    FaultyDisk& operator=(const FaultyDisk&) = delete;

    // The disk fills: a write that would make any file longer than it is fails with SQLITE_FULL
    // (as the unix VFS reports ENOSPC) once `bytes` more have been taken; a write inside a file's
    // present size still succeeds, as it does on a real full disk (the WAL reuses its own space).
    void LeaveFree(std::int64_t bytes);
    // The file system turns read-only under open files (ext4's errors=remount-ro): every write and
    // truncate fails as the unix VFS reports EROFS, and new files cannot be created.
    void ReadOnly(bool on);
    void Heal();  // room again, writable again

    int Refused() const;  // writes, truncates and opens refused so far
};

}  // namespace htk::test
