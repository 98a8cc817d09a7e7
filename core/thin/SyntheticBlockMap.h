#pragma once
// A BlockMap made up rather than classified, for benchmarks and tests of the block map view at
// sizes no fixture has (a 16 GiB metadata device: 4 161 600 blocks): the superblock, the space
// maps' index and bitmaps, then runs of btree nodes of every tree (internal nodes among their
// leaves, owned by a handful of thin devices, some shared), free gaps, and a few leaked and
// unreadable blocks, all from a seeded generator so that runs are repeatable.

#include "core/thin/BlockMap.h"

namespace dms {

class SyntheticBlockMap {
public:
    // usedPerMille: share of the blocks in use (the rest free).
    static BlockMap make(std::uint64_t blocks, std::uint64_t seed = 1, unsigned usedPerMille = 700);
};

} // namespace dms
