#pragma once
// Which thin devices, at which virtual blocks, map one data block: the question behind "who uses
// this data block?". Unlike thin_rmap, a subtree shared by snapshots is reported for every device
// that reaches it (the hits of a shared node are remembered, so it is read once). Damaged nodes
// do not stop the search: they are listed, and what can be read is searched.

#include "core/thin/ThinMetadata.h"

#include <atomic>
#include <string>
#include <vector>

namespace dms {

struct DataBlockUse {
    std::uint64_t device = 0;
    std::uint64_t virtualBlock = 0;
    std::uint32_t time = 0;
    std::uint64_t leaf = 0; // the mapping leaf holding the entry
};

struct DataBlockOwners {
    std::vector<DataBlockUse> uses;  // by device, then virtual block
    std::vector<std::string> errors; // nodes that could not be read, described
    std::uint64_t nodesRead = 0;
};

// Fails only when cancelled (the flag, if given, is looked at for every node) or when the
// device list of sb cannot be read.
Expected<DataBlockOwners> findDataBlockOwners(const ThinMetadata& md, const ThinSuperblock& sb,
                                              std::uint64_t dataBlock,
                                              const std::atomic<bool>* cancel = nullptr);

} // namespace dms
