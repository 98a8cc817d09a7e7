#pragma once
// Which btree of a thin pool's metadata a BtreeModel shows: the kind of tree (what its keys and
// values mean) and its root block, as found in a superblock (FORMAT.md §3, §5, §7).

#include "core/thin/ThinSuperblock.h"

#include <QString>
#include <vector>

namespace dms {

enum class BtreeKind {
    Details,           // device id -> 24-byte device details
    MappingTop,        // device id -> root of the device's bottom tree
    MappingBottom,     // virtual block -> block_time (data block << 24 | time)
    MetadataRefCount,  // metadata block -> count (> 2)
    DataRefCount,      // data block -> count (> 2)
    DataSpaceMapIndex, // bitmap index -> 16-byte index entry
    // dm-cache and dm-era (FORMAT.md §8-10): dm-array spines, array-block index -> array block
    MappingArray,   // cache mapping array (u64 origin << 16 | flags)
    HintArray,      // cache policy hints
    DiscardBitset,  // cache discard bitset (u64 words)
    DirtyBitset,    // cache format 2 dirty bitset (u64 words)
    EraArray,       // era array (u32 era per block)
    WritesetBitset, // an era writeset's bitset; device = its era
    WritesetTree,   // era -> 12-byte {u32 nr_bits, u64 bitset root}
};

struct BtreeRoot {
    BtreeKind kind = BtreeKind::Details;
    std::uint64_t block = 0;
    std::uint64_t device = 0; // MappingBottom: the thin device the tree belongs to
                              // WritesetBitset: the era

    // Value size of the tree's leaves (internal nodes always hold 8-byte child pointers).
    static std::uint32_t leafValueSize(BtreeKind kind);
    // A dm-array spine (its leaf values point at array blocks).
    static bool isArraySpine(BtreeKind kind);
    // "Devices (details)", "Mappings (top level)", "Mappings of device 3", ...
    QString title() const;

    // The trees a superblock points at, in the order the browser offers them. A held copy's
    // zeroed space-map roots give no refcount or index trees.
    static std::vector<BtreeRoot> ofSuperblock(const ThinSuperblock& sb);

    friend bool operator==(const BtreeRoot&, const BtreeRoot&) = default;
};

} // namespace dms
