#include "core/thin/DeviceDetails.h"

#include "core/Endian.h"

namespace dms {

DeviceDetails DeviceDetails::decode(const std::uint8_t* p) {
    DeviceDetails d;
    d.mappedBlocks = loadLe64(p);
    d.transactionId = loadLe64(p + 8);
    d.creationTime = loadLe32(p + 16);
    d.snapshottedTime = loadLe32(p + 20);
    return d;
}

void DeviceDetails::encode(std::uint8_t* p) const {
    storeLe64(p, mappedBlocks);
    storeLe64(p + 8, transactionId);
    storeLe32(p + 16, creationTime);
    storeLe32(p + 20, snapshottedTime);
}

} // namespace dms
