#pragma once
// The kernel's ll_disk: reference counts kept as 2-bit bitmap entries, index entries and a
// refcount btree, changed through the transaction manager (each change shadows the bitmap). Used
// by both the metadata and the data space map; a copy is a view of the last committed state.

#include "core/spacemap/IndexStore.h"
#include "core/trace/TraceEvent.h"
#include "core/tx/TransactionManager.h"

#include <functional>
#include <optional>

namespace dms {

enum class AllocationEvent { None, Alloc, Free };

class LowLevelSpaceMap {
public:
    LowLevelSpaceMap(TransactionManager& tm, std::unique_ptr<IndexStore> index,
                     std::unique_ptr<RefCountStore> refCounts, std::uint64_t nrBlocks,
                     std::uint64_t nrAllocated);
    LowLevelSpaceMap(const LowLevelSpaceMap& other);
    LowLevelSpaceMap& operator=(const LowLevelSpaceMap& other);

    std::uint64_t nrBlocks() const { return nrBlocks_; }
    std::uint64_t nrAllocated() const { return nrAllocated_; }
    SpaceMapRoot root() const;

    Expected<unsigned> lookupBitmap(std::uint64_t b);
    Expected<std::uint32_t> lookup(std::uint64_t b);
    // First block with count 0 in [begin, end), skipping bitmaps with nr_free 0 and starting each
    // bitmap at its none_free_before hint; nullopt when there is none.
    Expected<std::optional<std::uint64_t>> findFreeBlock(std::uint64_t begin, std::uint64_t end);

    Expected<AllocationEvent> insert(std::uint64_t b, std::uint32_t count);
    Expected<AllocationEvent> inc(std::uint64_t b);
    Expected<AllocationEvent> dec(std::uint64_t b);

    // Grows the map, allocating (from the metadata space map, via the transaction manager) a
    // bitmap for every new 16320 blocks.
    Status extend(std::uint64_t extraBlocks);
    Status commit();
    // Sets nr_allocated and each index entry's nr_free (over all 16320 entries, as the kernel
    // counts) and none_free_before (the first free entry) from the bitmaps.
    Status recountHints();

    // Tracing: events are tagged with `source` and stamped with state().
    void setTrace(TraceObserver* observer, TraceSource source,
                  std::function<SpaceMapState()> state);

private:
    using Mutator = std::function<Expected<std::uint32_t>(std::uint32_t old)>;
    Expected<AllocationEvent> mutate(std::uint64_t b, const Mutator& fn);
    Expected<Block> readBitmap(const IndexEntry& ie, std::uint64_t index);
    void trace(TraceKind kind, std::uint64_t block, std::uint64_t oldValue, std::uint64_t newValue,
               std::uint64_t newBlock = 0);

    TransactionManager* tm_;
    std::unique_ptr<IndexStore> index_;
    std::unique_ptr<RefCountStore> refCounts_;
    std::uint64_t nrBlocks_;
    std::uint64_t nrAllocated_;
    bool indexChanged_ = false;
    TraceObserver* observer_ = nullptr;
    TraceSource source_ = TraceSource::MetadataSpaceMap;
    std::function<SpaceMapState()> state_;
};

} // namespace dms
