#pragma once
// The entries of a space map's refcount btree (u64 block -> u32 count) whose keys lie in one range,
// read by descending only into the children that can hold them: what a space-map view needs to
// resolve the counts of one bitmap (value 3) without reading the whole tree.

#include "core/BlockReader.h"

#include <utility>
#include <vector>

namespace dms {

using RefCountEntries = std::vector<std::pair<std::uint64_t, std::uint32_t>>;

// Entries with begin <= key < end, in key order. Any node on the way that fails to read is an
// error naming it.
Expected<RefCountEntries> readRefCountRange(const BlockReader& reader, std::uint64_t root,
                                            std::uint64_t begin, std::uint64_t end);

} // namespace dms
