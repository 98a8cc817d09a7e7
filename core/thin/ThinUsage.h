#pragma once
// Per-device usage as thin_ls 0.9.0 computes it. Devices are the entries of the details tree,
// in id order; mapped blocks come from the details (not counted). A mapping is "exclusive"
// when its data block is the target of exactly one mapping entry among all devices' mapping
// trees read from the chosen superblock (a leaf shared by two devices counts for each of them;
// references held only by the metadata snapshot do not count), "shared" = mapped - exclusive,
// with thin_ls's unsigned arithmetic. Counting needs two passes over every device's tree and a
// MappingCountTable; it is skipped when no exclusive/shared figure is wanted.

#include "core/thin/ThinMetadata.h"

namespace dms {

struct ThinDeviceUsage {
    std::uint64_t id = 0;
    DeviceDetails details;
    std::uint64_t exclusiveBlocks = 0;
    std::uint64_t sharedBlocks() const { return details.mappedBlocks - exclusiveBlocks; }
};

Expected<std::vector<ThinDeviceUsage>>
computeThinUsage(const ThinMetadata& md, const ThinSuperblock& sb, bool countExclusive);

} // namespace dms
