#pragma once
// Device-mapper devices as libdevmapper reports them, recorded, for tests without a kernel: LVM's
// vg/pool with its hidden metadata and data devices and one thin volume, and a fake kernel whose
// pool answers the metadata-snapshot messages as dm-thin does.

#include "core/devmapper/DeviceMapper.h"

#include <string>
#include <vector>

namespace dms::test {

DmDevice recordedDevice(std::string name, std::string uuid, DevNo no, std::string type,
                        std::string params, std::string status, std::uint64_t len = 524288);

// vg-pool_tmeta (253:0), vg-pool_tdata (253:1), vg-pool-tpool (253:2, with poolStatus),
// vg-pool (253:3) and the thin vg-lv1 (253:4, device id 1).
std::vector<DmDevice> recordedLvmPool(const std::string& poolStatus);

// The pid of a process that has ended (for snapshot leases whose owner died).
int deadPid();

// The LVM pool above, transaction 5; reserve_metadata_snap holds a snapshot at reserveRoot,
// release_metadata_snap drops it; every message is recorded as "POOL MESSAGE".
class FakePoolKernel final : public DeviceMapper {
public:
    std::string held = "-";          // the status's held-root field
    std::string reserveRoot = "201"; // what a reservation holds
    std::vector<std::string> sent;

    Expected<std::vector<DmDevice>> devices() override;
    Status sendPoolMessage(const std::string& pool, const std::string& message) override;
};

} // namespace dms::test
