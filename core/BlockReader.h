#pragma once
// Reads metadata blocks from a source, bounds-checked, with or without validation. Zero-copy
// when the source is memory-mapped. Thread-safe: holds no mutable state.

#include "core/BlockType.h"

#include <memory>

namespace dms {

class BlockReader {
public:
    explicit BlockReader(std::shared_ptr<const BlockSource> source);

    const BlockSource& source() const { return *source_; }
    std::shared_ptr<const BlockSource> sourcePtr() const { return source_; }
    std::uint64_t blockCount() const { return source_->blockCount(); }

    // The bytes of block `number`, unvalidated (for hex views and classification).
    Expected<Block> raw(std::uint64_t number) const;
    // The bytes of block `number` after validateBlock(type) passed.
    Expected<Block> read(std::uint64_t number, BlockType type) const;
    // validateBlock, skipped for blocks the source vouches for (see BlockSource::verified).
    Status validate(const Block& block, BlockType type) const;

private:
    std::shared_ptr<const BlockSource> source_;
};

} // namespace dms
