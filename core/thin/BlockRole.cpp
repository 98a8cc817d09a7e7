#include "core/thin/BlockRole.h"

namespace dms {
namespace {

struct RoleNames {
    const char* name;
    const char* key;
};

constexpr RoleNames kNames[kBlockRoleCount] = {
    {"free", "free"},
    {"superblock", "superblock"},
    {"metadata snapshot (held copy)", "metadata_snapshot"},
    {"metadata sm index", "metadata_sm_index"},
    {"metadata bitmap", "metadata_bitmap"},
    {"data bitmap", "data_bitmap"},
    {"metadata refcount node", "metadata_refcount_node"},
    {"data refcount node", "data_refcount_node"},
    {"data-sm index node", "data_sm_index_node"},
    {"details internal", "details_internal"},
    {"details leaf", "details_leaf"},
    {"mapping top-level internal", "mapping_top_internal"},
    {"mapping top-level leaf", "mapping_top_leaf"},
    {"mapping bottom-level internal", "mapping_bottom_internal"},
    {"mapping bottom-level leaf", "mapping_bottom_leaf"},
    {"leaked", "leaked"},
    {"unreadable", "unreadable"},
    {"unreferenced, count unknown", "unknown_count"},
    {"beyond the metadata space map", "beyond_space_map"},
};

} // namespace

const char* blockRoleName(BlockRole role) {
    const auto i = static_cast<unsigned>(role);
    return i < kBlockRoleCount ? kNames[i].name : "?";
}

const char* blockRoleKey(BlockRole role) {
    const auto i = static_cast<unsigned>(role);
    return i < kBlockRoleCount ? kNames[i].key : "?";
}

BlockRole blockRoleFamily(BlockRole role) {
    switch (role) {
    case BlockRole::DetailsLeaf:
        return BlockRole::DetailsInternal;
    case BlockRole::MappingTopLeaf:
        return BlockRole::MappingTopInternal;
    case BlockRole::MappingBottomLeaf:
        return BlockRole::MappingBottomInternal;
    default:
        return role;
    }
}

} // namespace dms
