#pragma once
// Copy-on-write transactions over a metadata device (FORMAT.md §6, the kernel's
// dm-transaction-manager): new blocks come from the metadata space map and are zero-filled; a
// block reachable from the committed superblock is never changed in place but shadowed (copied to
// a new block, the original decremented; if it was shared, the caller increments the copy's
// children); a block already shadowed in this transaction and not shared is written in place.
// Everything stays in memory until commit: every other dirty block is written, flush, then the
// superblock, flush. Abort drops the transaction.

#include "core/BlockReader.h"
#include "core/spacemap/SpaceMap.h"
#include "core/trace/TraceEvent.h"
#include "core/tx/CommitProgress.h"
#include "core/tx/OverlayBlockSource.h"

#include <unordered_set>

namespace dms {

struct WriteBlock {
    std::uint64_t number = 0;
    std::uint8_t* data = nullptr; // 4096 bytes, valid until commit or abort
};

struct ShadowResult {
    WriteBlock block;
    bool incChildren = false; // the original was shared: the copy's children need +1
};

class TransactionManager {
public:
    explicit TransactionManager(std::shared_ptr<BlockSource> device);

    // The metadata space map that allocates and counts this device's blocks (set once built).
    void setSpaceMap(SpaceMap* sm) { sm_ = sm; }
    SpaceMap* spaceMap() const { return sm_; }
    void setObserver(TraceObserver* observer) { observer_ = observer; }
    // Told each phase of every commit as it happens (null: nobody).
    void setCommitProgress(CommitProgressObserver* progress) { progress_ = progress; }

    // Reads see this transaction's writes.
    const BlockReader& reader() const { return reader_; }
    Expected<Block> read(std::uint64_t b, BlockType type) const { return reader_.read(b, type); }

    Expected<WriteBlock> newBlock(BlockType type);
    Expected<ShadowResult> shadow(std::uint64_t original, BlockType type);
    // Write access to a block this transaction already owns (allocated or shadowed here).
    Expected<WriteBlock> writeInPlace(std::uint64_t b, BlockType type);
    bool isShadow(std::uint64_t b) const { return shadows_.count(b) != 0; }

    Status inc(std::uint64_t b);
    Status dec(std::uint64_t b);
    Status incRange(std::uint64_t begin, std::uint64_t end);

    // Writes every dirty block, flushes, writes the superblock image (block 0 or `location`,
    // sealed as `type`), flushes, and forgets the shadow table. The caller commits the space
    // maps first and puts their roots into the superblock image.
    Status commit(const std::uint8_t* superblock, BlockType type, std::uint64_t location = 0);
    void abort();

    std::size_t dirtyCount() const { return overlay_->dirtyCount(); }
    std::vector<std::uint64_t> dirtyBlocks() const { return overlay_->dirtyBlocks(); }
    const std::unordered_set<std::uint64_t>& shadows() const { return shadows_; }
    BlockSource& device() { return overlay_->device(); }

private:
    void trace(TraceKind kind, std::uint64_t block, std::uint64_t newBlock = 0);

    std::shared_ptr<OverlayBlockSource> overlay_;
    BlockReader reader_;
    SpaceMap* sm_ = nullptr;
    TraceObserver* observer_ = nullptr;
    CommitProgressObserver* progress_ = nullptr;
    std::unordered_set<std::uint64_t> shadows_;
};

} // namespace dms
