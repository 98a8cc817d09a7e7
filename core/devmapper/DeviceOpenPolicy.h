#pragma once
// The privileged helper's rule for opening a device on someone's behalf: the path must resolve
// (realpath) to a block device under /dev, and is then opened by its resolved name without
// following any symlink (openat2 RESOLVE_NO_SYMLINKS; O_NOFOLLOW where openat2 is missing), and
// the opened descriptor must be the block device the resolved name stats to (same st_rdev).

#include "core/Expected.h"

#include <string>

namespace dms {

enum class DeviceAccess { ReadOnly, ReadOnlyDirect, ReadWriteExclusive };

struct OpenedDevice {
    int fd = -1;
    std::string resolvedPath;
};

// Opens per the rule above. On refusal the Error says why; `errnoOut` gets ENOTBLK, EACCES,
// ELOOP, ... for the reply.
Expected<OpenedDevice> openDeviceChecked(const std::string& path, DeviceAccess access,
                                         int* errnoOut = nullptr);

} // namespace dms
