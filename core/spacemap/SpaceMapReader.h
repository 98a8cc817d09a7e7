#pragma once
// Reads a persistent space map (metadata or thin data; FORMAT.md §5): index entries, 2-bit
// bitmaps, and the refcount btree that holds counts of 3 and more.

#include "core/BlockReader.h"
#include "core/spacemap/IndexEntry.h"
#include "core/spacemap/SpaceMapRoot.h"

#include <functional>
#include <vector>

namespace dms {

enum class SpaceMapKind { Metadata, Data };

const char* spaceMapKindName(SpaceMapKind kind);

class SpaceMapReader {
public:
    // Loads the index (the metadata index block, or the data-sm index btree) and checks that
    // every bitmap pointer is in range. Bitmaps are read on demand.
    static Expected<SpaceMapReader> open(const BlockReader& reader, const SpaceMapRoot& root,
                                         SpaceMapKind kind);

    SpaceMapKind kind() const { return kind_; }
    const SpaceMapRoot& root() const { return root_; }
    std::uint64_t nrBlocks() const { return root_.nrBlocks; }
    const std::vector<IndexEntry>& indexEntries() const { return entries_; }

    // The reference count of block b (< nrBlocks()), resolving value 3 through the refcount tree.
    Expected<std::uint32_t> count(std::uint64_t b) const;
    // The raw 2-bit bitmap value of block b.
    Expected<unsigned> bitmapValue(std::uint64_t b) const;

    // Every count from 0 to nrBlocks()-1, in order, one bitmap at a time. The refcount tree is read
    // once. Stops at the first error.
    Status
    forEachCount(const std::function<void(std::uint64_t block, std::uint32_t count)>& fn) const;
    // Runs of equal counts: fn(begin, end (exclusive), count).
    Status forEachRun(const std::function<void(std::uint64_t begin, std::uint64_t end,
                                               std::uint32_t count)>& fn) const;

    // Blocks with count > 0 (from the bitmaps; root().nrAllocated is only a hint).
    Expected<std::uint64_t> countAllocated() const;

    // All refcount-tree entries (block -> count), in block order.
    Expected<std::vector<std::pair<std::uint64_t, std::uint32_t>>> refCountEntries() const;

private:
    SpaceMapReader(const BlockReader& reader, SpaceMapRoot root, SpaceMapKind kind)
        : reader_(&reader), root_(root), kind_(kind) {}
    Expected<Block> bitmap(std::uint64_t index) const;

    const BlockReader* reader_;
    SpaceMapRoot root_;
    SpaceMapKind kind_;
    std::vector<IndexEntry> entries_;
};

} // namespace dms
