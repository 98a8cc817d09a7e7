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
};

struct BtreeRoot {
    BtreeKind kind = BtreeKind::Details;
    std::uint64_t block = 0;
    std::uint64_t device = 0; // MappingBottom: the thin device the tree belongs to

    // Value size of the tree's leaves (internal nodes always hold 8-byte child pointers).
    static std::uint32_t leafValueSize(BtreeKind kind);
    // "Devices (details)", "Mappings (top level)", "Mappings of device 3", ...
    QString title() const;

    // The trees a superblock points at, in the order the browser offers them. A held copy's
    // zeroed space-map roots give no refcount or index trees.
    static std::vector<BtreeRoot> ofSuperblock(const ThinSuperblock& sb);

    friend bool operator==(const BtreeRoot&, const BtreeRoot&) = default;
};

} // namespace dms
