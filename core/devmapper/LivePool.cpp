#include "core/devmapper/LivePool.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

namespace dms {

std::optional<DevNo> blockDeviceNumber(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISBLK(st.st_mode)) return std::nullopt;
    return DevNo{::major(st.st_rdev), ::minor(st.st_rdev)};
}

Expected<std::optional<ThinPoolInfo>> activePoolForMetadata(DeviceMapper& dm,
                                                            const std::string& path) {
    const auto dev = blockDeviceNumber(path);
    if (!dev) return std::optional<ThinPoolInfo>();
    return activePoolForMetadata(dm, *dev);
}

Expected<std::optional<ThinPoolInfo>> activePoolForMetadata(DeviceMapper& dm, DevNo dev) {
    auto devices = dm.devices();
    if (!devices) return devices.takeError();
    const auto pools = findThinPools(*devices);
    if (const ThinPoolInfo* p = poolWithMetadata(pools, dev)) return std::optional(*p);
    return std::optional<ThinPoolInfo>();
}

Expected<ThinPoolInfo> findPool(DeviceMapper& dm, const std::string& name) {
    auto devices = dm.devices();
    if (!devices) return devices.takeError();
    for (auto& p : findThinPools(*devices))
        if (p.name == name) return p;
    return makeError(ErrorKind::Io, "no active thin pool named '" + name + "'");
}

std::string busyPoolMessage(const std::string& path, const ThinPoolInfo& pool) {
    return path + " is the metadata device of the active thin pool '" + pool.name +
           "' (device busy); deactivate the pool first: " + pool.deactivateCommand() +
           " (or read it live with --metadata-snap)";
}

std::optional<TransactionMismatch>
findTransactionMismatch(const std::optional<ThinPoolStatus>& status, const ThinSuperblock& shown) {
    if (!status || status->failed() || status->transactionId == shown.transactionId)
        return std::nullopt;
    return TransactionMismatch{status->transactionId, shown.transactionId, shown.location};
}

std::string TransactionMismatch::describe() const {
    std::string text = "the kernel has transaction id " + std::to_string(kernel) + ", ";
    if (superblockLocation == 0)
        text.append("the superblock has ")
            .append(std::to_string(superblock))
            .append(" (uncommitted change, or metadata out of step with the kernel)");
    else
        text.append("the held metadata snapshot's superblock copy (block ")
            .append(std::to_string(superblockLocation))
            .append(") has ")
            .append(std::to_string(superblock))
            .append(" (the kernel committed a new transaction id after the snapshot was reserved)");
    return text;
}

} // namespace dms
