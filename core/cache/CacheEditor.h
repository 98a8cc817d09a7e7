#pragma once
// Edits dm-cache metadata in one transaction, through the same write path as the thin edits
// (TransactionManager, MetadataSpaceMap, the btree and array writers): set or clear a mapping's
// dirty state (the DIRTY flag in format 1, the dirty bitset in format 2), invalidate a mapping,
// set or clear NEEDS_CHECK. With an observer it emits the same trace events as the thin edits
// (space-map steps, shadowing, commit). Nothing is written before commit().

#include "core/cache/CacheSuperblock.h"
#include "core/tx/SpaceMapTransaction.h"

#include <memory>

namespace dms {

using CacheEditorOptions = SpaceMapEditOptions;

class CacheEditor {
public:
    static Expected<std::unique_ptr<CacheEditor>> open(std::shared_ptr<BlockSource> device,
                                                       CacheEditorOptions options = {});

    const CacheSuperblock& superblock() const { return sb_; }

    // The mapping of a cache block as the transaction sees it (origin << 16 | flags).
    Expected<std::uint64_t> mapping(std::uint64_t cblock) const;
    Expected<bool> dirty(std::uint64_t cblock) const;

    // Valid mappings only.
    Status setDirty(std::uint64_t cblock, bool dirty);
    // The cache block no longer maps anything (and is clean).
    Status invalidate(std::uint64_t cblock);
    void setNeedsCheck(bool on);

    Status commit();
    void abort() { tx_->abort(); }

private:
    CacheEditor() = default;
    Status setMapping(std::uint64_t cblock, std::uint64_t value);

    std::unique_ptr<SpaceMapTransaction> tx_;
    CacheSuperblock sb_;
};

} // namespace dms
