#pragma once
// Is this path the metadata device of an active pool? Live metadata must be read with O_DIRECT
// (LIVE.md) and must not be opened for writing; this answers by device number, so any name of
// the device (/dev/mapper/x, /dev/dm-3, a symlink) is recognised.

#include "core/Expected.h"
#include "core/devmapper/DeviceMapper.h"
#include "core/devmapper/ThinPoolInfo.h"
#include "core/thin/ThinSuperblock.h"

#include <optional>
#include <string>

namespace dms {

// The block device number of `path`, or nullopt for anything that is not a block device.
std::optional<DevNo> blockDeviceNumber(const std::string& path);

// The active pool whose metadata device is `path`; nullopt when `path` is not a block device or
// no active pool uses it. Errors only when device-mapper cannot be asked.
Expected<std::optional<ThinPoolInfo>> activePoolForMetadata(DeviceMapper& dm,
                                                            const std::string& path);

// The same by device number (a path already stat'ed, or a recorded device in tests).
Expected<std::optional<ThinPoolInfo>> activePoolForMetadata(DeviceMapper& dm, DevNo dev);

// Re-reads one pool by name (e.g. its status after a message); error when it is gone.
Expected<ThinPoolInfo> findPool(DeviceMapper& dm, const std::string& name);

// "... is the metadata device of the active thin pool P; deactivate it first: CMD".
std::string busyPoolMessage(const std::string& path, const ThinPoolInfo& pool);

// The kernel's transaction id (dmsetup status) differs from the one of the superblock shown:
// block 0 (lags only until the next commit, about a second) or the held metadata snapshot's
// copy (keeps the id of the moment it was reserved: the kernel committed a new one since).
struct TransactionMismatch {
    std::uint64_t kernel = 0;
    std::uint64_t superblock = 0;
    std::uint64_t superblockLocation = 0; // 0: block 0; else the held copy's block
    // "the kernel has K, the superblock has S (...)"
    std::string describe() const;
};
// nullopt when they agree, or when there is no usable status (failed pool, status unreadable).
std::optional<TransactionMismatch>
findTransactionMismatch(const std::optional<ThinPoolStatus>& status, const ThinSuperblock& shown);

} // namespace dms
