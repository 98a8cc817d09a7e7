#pragma once
// What a metadata block of a thin pool is used for, as found by BlockClassifier. One byte per
// block, so a block map of a 16 GiB metadata device (4 161 600 blocks) stays small.

#include <cstdint>

namespace dms {

enum class BlockRole : std::uint8_t {
    Free = 0,             // count 0 and referenced by nothing
    Superblock,           // block 0
    MetadataSnapshot,     // the held superblock copy at held_root
    MetadataSmIndex,      // the metadata space map's index block
    MetadataBitmap,       // a metadata space-map bitmap
    DataBitmap,           // a data space-map bitmap
    MetadataRefcountNode, // node of the metadata space map's refcount btree
    DataRefcountNode,     // node of the data space map's refcount btree
    DataSmIndexNode,      // node of the data space map's index btree
    DetailsInternal,      // device-details btree
    DetailsLeaf,
    MappingTopInternal, // top level of the mapping tree (device id -> bottom root)
    MappingTopLeaf,
    MappingBottomInternal, // a device's own mapping btree (virtual block -> data block)
    MappingBottomLeaf,
    Leaked,         // count > 0 on disk but referenced by nothing
    Unreadable,     // referenced, but fails validation or is used in two roles
    UnknownCount,   // referenced by nothing, and its bitmap could not be read
    BeyondSpaceMap, // past the metadata space map's nr_blocks, referenced by nothing
};

inline constexpr unsigned kBlockRoleCount = static_cast<unsigned>(BlockRole::BeyondSpaceMap) + 1;

// "mapping bottom leaf": for text output.
const char* blockRoleName(BlockRole role);
// "mapping_bottom_leaf": stable JSON key.
const char* blockRoleKey(BlockRole role);

// Which tree a btree-node role belongs to (the internal and leaf roles of one tree share it);
// other roles are their own family. Two pointers to one block from different families are an error.
BlockRole blockRoleFamily(BlockRole role);

// Roles whose blocks belong to one thin device (and carry an owner).
inline bool blockRoleHasOwner(BlockRole role) {
    return role == BlockRole::MappingBottomInternal || role == BlockRole::MappingBottomLeaf;
}

} // namespace dms
