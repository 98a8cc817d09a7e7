#pragma once
// Active thin pools as discovery reports them: the pool target, its metadata and data devices by
// name, its parsed status, and the thin volumes that use it.

#include "core/devmapper/DmDevice.h"
#include "core/devmapper/ThinTargetText.h"

#include <optional>
#include <string>
#include <vector>

namespace dms {

// A device a table names by major:minor, with the name it has in /dev.
struct BlockDeviceRef {
    DevNo dev;
    std::string name; // dm name ("vg-pool_tmeta") or kernel name ("sdb1"); "" when unknown
    std::string path; // /dev/mapper/<dm name> or /dev/<kernel name>; "" when unknown
};

struct ThinVolumeInfo {
    std::string name;
    DevNo dev;
    std::uint64_t sectors = 0;
    ThinTable table;
    std::optional<ThinStatus> status;
};

struct ThinPoolInfo {
    std::string name;
    std::string uuid;
    DevNo dev;
    std::uint64_t sectors = 0;
    bool readOnly = false;
    int openCount = 0;
    ThinPoolTable table;
    BlockDeviceRef metadata;
    BlockDeviceRef data;
    std::optional<ThinPoolStatus> status;
    std::string statusError; // why status is empty
    std::vector<ThinVolumeInfo> thins;

    // "vg/pool" when LVM made the pool (uuid "LVM-...", name "vg-pool-tpool"), else "".
    std::string lvmName() const;
    // How to make the metadata device free: "lvchange -an vg/pool" or
    // "dmsetup remove thin1 thin2 pool".
    std::string deactivateCommand() const;
};

// The pools among `devices` (target type thin-pool, whatever their names), with the devices their
// tables name resolved through `devices` and then sysfs (`sysRoot`/dev/block/M:m/uevent).
std::vector<ThinPoolInfo> findThinPools(const std::vector<DmDevice>& devices,
                                        const std::string& sysRoot = "/sys");

// The pool whose metadata device is `dev`, or nullptr.
const ThinPoolInfo* poolWithMetadata(const std::vector<ThinPoolInfo>& pools, DevNo dev);

// "vg-pool-tpool" -> {"vg", "pool-tpool"}: dm names of LVM devices double the dashes inside VG
// and LV names. False when there is no single dash.
bool splitLvmDmName(const std::string& dmName, std::string& vg, std::string& lv);

} // namespace dms
