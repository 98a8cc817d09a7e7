#pragma once
// Where a space map keeps its index entries: the metadata space map holds all 255 in memory and
// writes them into its index block at commit; the data space map keeps them in a btree. Stores
// are cloned to keep a view of the last committed state (the kernel's old_ll).

#include "core/Expected.h"
#include "core/spacemap/IndexEntry.h"

#include <memory>

namespace dms {

class IndexStore {
public:
    virtual ~IndexStore() = default;
    virtual Expected<IndexEntry> load(std::uint64_t index) = 0;
    virtual Status save(std::uint64_t index, const IndexEntry& entry) = 0;
    virtual std::uint64_t maxEntries() const = 0;
    // Writes pending changes (metadata: shadows the index block). Only called when changed.
    virtual Status commit() = 0;
    virtual std::uint64_t root() const = 0; // the bitmap_root field
    virtual std::unique_ptr<IndexStore> clone() const = 0;
};

// The refcount btree: counts of 3 and more.
class RefCountStore {
public:
    virtual ~RefCountStore() = default;
    virtual Expected<std::uint32_t> lookup(std::uint64_t b) = 0; // error if absent
    virtual Status insert(std::uint64_t b, std::uint32_t count) = 0;
    virtual Status remove(std::uint64_t b) = 0;
    virtual std::uint64_t root() const = 0;
    virtual std::unique_ptr<RefCountStore> clone() const = 0;
};

} // namespace dms

namespace dms {
class TransactionManager;

// The refcount btree (u64 block -> u32 count), in BtreeRefCountStore.cpp.
Expected<std::unique_ptr<RefCountStore>> createRefCountStore(TransactionManager& tm);
Expected<std::unique_ptr<RefCountStore>> openRefCountStore(TransactionManager& tm,
                                                           std::uint64_t root);
} // namespace dms
