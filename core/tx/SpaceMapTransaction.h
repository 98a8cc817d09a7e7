#pragma once
// The frame of a cache or era edit: a transaction over existing metadata whose only space map is
// the metadata space map, opened from the root its superblock records, and a commit that puts
// the space map's new root into the superblock and writes the superblock last.

#include "core/BlockSource.h"
#include "core/BlockType.h"
#include "core/Expected.h"
#include "core/spacemap/MetadataSpaceMap.h"
#include "core/tx/TransactionManager.h"

#include <memory>

namespace dms {

// Commits `sm`, records its root in `sb` (a superblock with metadataSpaceMap and encode()) and
// commits `tm` with `sb` written to block 0 as `type`.
template <class Superblock>
Status commitWithSuperblock(TransactionManager& tm, MetadataSpaceMap& sm, Superblock& sb,
                            BlockType type) {
    if (Status s = sm.commit(); !s) return s;
    sb.metadataSpaceMap = sm.root();
    std::uint8_t block[kBlockSize];
    sb.encode(block);
    return tm.commit(block, type, 0);
}

// How a cache or era edit allocates metadata blocks, and who sees its trace events.
struct SpaceMapEditOptions {
    AllocationPolicyKind policy = AllocationPolicyKind::Reference;
    TraceObserver* observer = nullptr; // trace events of the space map and the transaction
};

class SpaceMapTransaction {
public:
    // Reads the superblock (a type with a static read(reader)) into `sb` and opens the metadata
    // space map it records.
    template <class Superblock>
    static Expected<std::unique_ptr<SpaceMapTransaction>>
    open(std::shared_ptr<BlockSource> device, const SpaceMapEditOptions& options, Superblock& sb) {
        std::unique_ptr<SpaceMapTransaction> tx(
            new SpaceMapTransaction(std::move(device), options.observer));
        auto read = Superblock::read(tx->tm_.reader());
        if (!read) return read.error();
        sb = *read;
        if (Status s = tx->openSpaceMap(sb.metadataSpaceMap, options); !s) return s.error();
        return tx;
    }

    TransactionManager& tm() { return tm_; }
    const TransactionManager& tm() const { return tm_; }

    template <class Superblock> Status commit(Superblock& sb, BlockType type) {
        return commitWithSuperblock(tm_, *sm_, sb, type);
    }
    void abort() { tm_.abort(); }

private:
    SpaceMapTransaction(std::shared_ptr<BlockSource> device, TraceObserver* observer);
    Status openSpaceMap(const SpaceMapRoot& root, const SpaceMapEditOptions& options);

    TransactionManager tm_;
    std::unique_ptr<MetadataSpaceMap> sm_;
};

} // namespace dms
