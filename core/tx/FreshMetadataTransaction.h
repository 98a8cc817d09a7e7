#pragma once
// The frame of cache and era restore: new metadata on a writable device, with a freshly formatted
// metadata space map over it and the superblock (block 0) committed last.

#include "core/BlockSource.h"
#include "core/BlockType.h"
#include "core/Expected.h"
#include "core/spacemap/MetadataSpaceMap.h"
#include "core/tx/SpaceMapTransaction.h"
#include "core/tx/TransactionManager.h"

#include <memory>

namespace dms {

class FreshMetadataTransaction {
public:
    // The usage error restore gives for a device not opened for writing.
    static Status requireWritable(const BlockSource& device);

    explicit FreshMetadataTransaction(std::shared_ptr<BlockSource> device);

    // Formats the metadata space map over the device (up to kMaxBlocks blocks).
    Status begin();
    TransactionManager& tm() { return tm_; }

    // Commits the space map, records its root in `sb` and writes `sb` to block 0 as `type`.
    template <class Superblock> Status commit(Superblock& sb, BlockType type) {
        return commitWithSuperblock(tm_, *sm_, sb, type);
    }

private:
    std::shared_ptr<BlockSource> device_;
    TransactionManager tm_;
    std::unique_ptr<MetadataSpaceMap> sm_;
};

} // namespace dms
