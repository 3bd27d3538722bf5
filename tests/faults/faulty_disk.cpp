// A shim VFS over "unix": each file wraps the real one and passes every call through, except the
// writes that the fault refuses. Process-wide state, as SQLite's VFS list is.
#include "tests/faults/faulty_disk.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>

namespace htk::test {
namespace {

struct State {
    sqlite3_vfs* real = nullptr;
    std::atomic<std::int64_t> free{FaultyDisk::kUnlimited};
    std::atomic<bool> read_only{false};
    std::atomic<int> refused{0};
    bool registered = false;
};
State g;

struct File {
    sqlite3_file base;  // what SQLite sees; the real file follows in the same allocation
    sqlite3_file* Real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};
File* Of(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
sqlite3_file* RealOf(sqlite3_file* f) { return Of(f)->Real(); }

int Close(sqlite3_file* f) { return RealOf(f)->pMethods->xClose(RealOf(f)); }
int Read(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) {
    return RealOf(f)->pMethods->xRead(RealOf(f), buf, amt, off);
}

int Write(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
    sqlite3_file* real = RealOf(f);
    if (g.read_only) {
        ++g.refused;
        return SQLITE_IOERR_WRITE;  // os_unix.c: a failed write() that is not ENOSPC
    }
    sqlite3_int64 size = 0;
    if (int rc = real->pMethods->xFileSize(real, &size); rc != SQLITE_OK) return rc;
    const std::int64_t grow = std::max<std::int64_t>(0, off + amt - size);
    if (grow > 0) {
        std::int64_t left = g.free.load();
        if (left != FaultyDisk::kUnlimited) {
            if (grow > left) {
                ++g.refused;
                return SQLITE_FULL;  // os_unix.c: a write() that failed with ENOSPC
            }
            g.free -= grow;
        }
    }
    return real->pMethods->xWrite(real, buf, amt, off);
}

int Truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (g.read_only) {
        ++g.refused;
        return SQLITE_IOERR_TRUNCATE;
    }
    return RealOf(f)->pMethods->xTruncate(RealOf(f), size);
}

int Sync(sqlite3_file* f, int flags) { return RealOf(f)->pMethods->xSync(RealOf(f), flags); }
int FileSize(sqlite3_file* f, sqlite3_int64* size) { return RealOf(f)->pMethods->xFileSize(RealOf(f), size); }
int Lock(sqlite3_file* f, int level) { return RealOf(f)->pMethods->xLock(RealOf(f), level); }
int Unlock(sqlite3_file* f, int level) { return RealOf(f)->pMethods->xUnlock(RealOf(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) { return RealOf(f)->pMethods->xCheckReservedLock(RealOf(f), out); }

int FileControl(sqlite3_file* f, int op, void* arg) {
    // A size hint grows the file (fallocate) outside xWrite: a full disk refuses it too.
    if (op == SQLITE_FCNTL_SIZE_HINT && (g.read_only || g.free.load() != FaultyDisk::kUnlimited)) {
        sqlite3_int64 size = 0;
        RealOf(f)->pMethods->xFileSize(RealOf(f), &size);
        const std::int64_t grow = *static_cast<sqlite3_int64*>(arg) - size;
        if (grow > 0 && (g.read_only || grow > g.free.load())) {
            ++g.refused;
            return g.read_only ? SQLITE_IOERR_WRITE : SQLITE_FULL;
        }
    }
    return RealOf(f)->pMethods->xFileControl(RealOf(f), op, arg);
}

int SectorSize(sqlite3_file* f) { return RealOf(f)->pMethods->xSectorSize(RealOf(f)); }
int DeviceCharacteristics(sqlite3_file* f) { return RealOf(f)->pMethods->xDeviceCharacteristics(RealOf(f)); }
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
    return RealOf(f)->pMethods->xShmMap(RealOf(f), region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
    return RealOf(f)->pMethods->xShmLock(RealOf(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { RealOf(f)->pMethods->xShmBarrier(RealOf(f)); }
int ShmUnmap(sqlite3_file* f, int del) { return RealOf(f)->pMethods->xShmUnmap(RealOf(f), del); }
int Fetch(sqlite3_file* f, sqlite3_int64 off, int amt, void** out) {
    return RealOf(f)->pMethods->xFetch(RealOf(f), off, amt, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) { return RealOf(f)->pMethods->xUnfetch(RealOf(f), off, p); }

const sqlite3_io_methods kMethods = {
    3,     Close,         Read,       Write,   Truncate,   Sync,     FileSize, Lock,      Unlock,
    CheckReservedLock,    FileControl, SectorSize, DeviceCharacteristics, ShmMap, ShmLock, ShmBarrier, ShmUnmap,
    Fetch, Unfetch,
};

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    File* file = Of(f);
    file->base.pMethods = nullptr;
    if (g.read_only && (flags & SQLITE_OPEN_CREATE) && (flags & SQLITE_OPEN_READWRITE)) {
        // os_unix.c tries read-only when a read-write open fails; a file that does not exist yet
        // cannot be made on a read-only file system.
        ++g.refused;
        return SQLITE_CANTOPEN;
    }
    const int rc = g.real->xOpen(g.real, name, file->Real(), flags, out_flags);
    if (file->Real()->pMethods) file->base.pMethods = &kMethods;  // xClose must run even after a failed open
    return rc;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) { return g.real->xDelete(g.real, name, sync_dir); }
int Access(sqlite3_vfs*, const char* name, int flags, int* out) { return g.real->xAccess(g.real, name, flags, out); }
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return g.real->xFullPathname(g.real, name, n, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return g.real->xDlOpen(g.real, name); }
void DlError(sqlite3_vfs*, int n, char* out) { g.real->xDlError(g.real, n, out); }
void (*DlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) { return g.real->xDlSym(g.real, handle, symbol); }
void DlClose(sqlite3_vfs*, void* handle) { g.real->xDlClose(g.real, handle); }
int Randomness(sqlite3_vfs*, int n, char* out) { return g.real->xRandomness(g.real, n, out); }
int Sleep(sqlite3_vfs*, int us) { return g.real->xSleep(g.real, us); }
int CurrentTime(sqlite3_vfs*, double* out) { return g.real->xCurrentTime(g.real, out); }
int GetLastError(sqlite3_vfs*, int n, char* out) { return g.real->xGetLastError(g.real, n, out); }
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) { return g.real->xCurrentTimeInt64(g.real, out); }
int SetSystemCall(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr p) {
    return g.real->xSetSystemCall(g.real, name, p);
}
sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs*, const char* name) { return g.real->xGetSystemCall(g.real, name); }
const char* NextSystemCall(sqlite3_vfs*, const char* name) { return g.real->xNextSystemCall(g.real, name); }

sqlite3_vfs g_vfs{};

}  // namespace

FaultyDisk::FaultyDisk() {
    if (g.registered) throw std::logic_error("one FaultyDisk at a time");
    g.real = sqlite3_vfs_find("unix");
    if (!g.real) throw std::runtime_error("SQLite has no unix VFS");
    g_vfs = sqlite3_vfs{3,
                        static_cast<int>(sizeof(File)) + g.real->szOsFile,
                        g.real->mxPathname,
                        nullptr,
                        "htk-faulty-disk",
                        nullptr,
                        Open,
                        Delete,
                        Access,
                        FullPathname,
                        DlOpen,
                        DlError,
                        DlSym,
                        DlClose,
                        Randomness,
                        Sleep,
                        CurrentTime,
                        GetLastError,
                        CurrentTimeInt64,
                        SetSystemCall,
                        GetSystemCall,
                        NextSystemCall};
    Heal();
    g.refused = 0;
    if (sqlite3_vfs_register(&g_vfs, 1) != SQLITE_OK) throw std::runtime_error("cannot register the faulty disk");
    g.registered = true;
}

FaultyDisk::~FaultyDisk() {
    sqlite3_vfs_unregister(&g_vfs);  // "unix" is the default again
    g.registered = false;
    Heal();
}

void FaultyDisk::LeaveFree(std::int64_t bytes) { g.free = bytes; }
void FaultyDisk::ReadOnly(bool on) { g.read_only = on; }
void FaultyDisk::Heal() {
    g.free = kUnlimited;
    g.read_only = false;
}
int FaultyDisk::Refused() const { return g.refused; }

}  // namespace htk::test
