#pragma once
// The dm-cache and dm-era superblocks as SuperblockModel rows: every field with its offset
// (FORMAT.md §10), value and meaning; the metadata space-map root split into its four fields.

#include "models/SuperblockModel.h"

namespace dms {

struct CacheSuperblock;
struct EraSuperblock;

std::vector<SuperblockModel::Row> cacheSuperblockRows(const CacheSuperblock& sb);
std::vector<SuperblockModel::Row> eraSuperblockRows(const EraSuperblock& sb);

} // namespace dms
