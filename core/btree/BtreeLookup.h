#pragma once
// Point lookup in a single-level btree: binary search for the last key <= target per level.

#include "core/btree/BtreeNode.h"

#include <optional>

namespace dms {

struct BtreeHit {
    BtreeNode leaf;
    std::uint32_t index = 0;
    const std::uint8_t* value() const { return leaf.value(index); }
};

// Finds `key`; nullopt when absent. Errors name the node that could not be read.
Expected<std::optional<BtreeHit>> btreeLookup(const BlockReader& reader, std::uint64_t root,
                                              std::uint64_t key, std::uint32_t leafValueSize);

} // namespace dms

namespace dms {

// Levels from the root to the leaves along the leftmost path (1 for a lone leaf).
Expected<unsigned> btreeHeight(const BlockReader& reader, std::uint64_t root);

} // namespace dms
