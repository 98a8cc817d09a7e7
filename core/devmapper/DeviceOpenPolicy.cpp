#include "core/devmapper/DeviceOpenPolicy.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace dms {
namespace {

int openNoSymlinks(const std::string& path, int flags) {
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags);
    how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    const long fd = ::syscall(SYS_openat2, AT_FDCWD, path.c_str(), &how, sizeof how);
    if (fd >= 0 || errno != ENOSYS) return static_cast<int>(fd);
    return ::open(path.c_str(), flags | O_NOFOLLOW); // kernels before 5.6
}

Error refuse(int err, const std::string& why, int* errnoOut) {
    if (errnoOut) *errnoOut = err;
    const ErrorKind kind = err == EBUSY    ? ErrorKind::Busy
                           : err == EACCES ? ErrorKind::Permission
                                           : ErrorKind::Usage;
    return makeError(kind, why);
}

} // namespace

Expected<OpenedDevice> openDeviceChecked(const std::string& path, DeviceAccess access,
                                         int* errnoOut) {
    if (path.empty() || path[0] != '/')
        return refuse(EINVAL, "'" + path + "' is not an absolute path", errnoOut);
    char resolved[PATH_MAX];
    if (!::realpath(path.c_str(), resolved)) {
        const int err = errno;
        return refuse(err, "cannot resolve " + path + ": " + std::strerror(err), errnoOut);
    }
    const std::string real = resolved;
    if (real.rfind("/dev/", 0) != 0)
        return refuse(EACCES, path + " resolves to " + real + ", which is not under /dev",
                      errnoOut);
    struct stat byName {};
    if (::stat(real.c_str(), &byName) != 0) {
        const int err = errno;
        return refuse(err, "cannot stat " + real + ": " + std::strerror(err), errnoOut);
    }
    if (!S_ISBLK(byName.st_mode)) return refuse(ENOTBLK, real + " is not a block device", errnoOut);
    int flags = O_CLOEXEC | O_NOCTTY;
    switch (access) {
    case DeviceAccess::ReadOnly:
        flags |= O_RDONLY;
        break;
    case DeviceAccess::ReadOnlyDirect:
        flags |= O_RDONLY | O_DIRECT;
        break;
    case DeviceAccess::ReadWriteExclusive:
        flags |= O_RDWR | O_EXCL;
        break;
    }
    const int fd = openNoSymlinks(real, flags);
    if (fd < 0) {
        const int err = errno;
        return refuse(err, "cannot open " + real + ": " + std::strerror(err), errnoOut);
    }
    struct stat opened {};
    if (::fstat(fd, &opened) != 0 || !S_ISBLK(opened.st_mode) || opened.st_rdev != byName.st_rdev) {
        ::close(fd);
        return refuse(EXDEV, real + " changed while it was opened", errnoOut);
    }
    if (errnoOut) *errnoOut = 0;
    return OpenedDevice{fd, real};
}

} // namespace dms
