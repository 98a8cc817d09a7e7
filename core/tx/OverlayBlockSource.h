#pragma once
// The device as the open transaction sees it: blocks written in this transaction come from an
// in-memory overlay, all others from the device. A dirty block carries its own block number from
// the start; its checksum is computed only when it is written out (or shown: sealed()), so
// readers are told to trust it (verified()) instead of validating it. Nothing reaches the device
// until the transaction manager commits.

#include "core/BlockType.h"

#include <memory>
#include <unordered_map>
#include <vector>

namespace dms {

class OverlayBlockSource final : public BlockSource {
public:
    explicit OverlayBlockSource(std::shared_ptr<BlockSource> device);

    std::uint64_t blockCount() const override { return device_->blockCount(); }
    std::uint64_t byteSize() const override { return device_->byteSize(); }
    Status read(std::uint64_t block, std::uint8_t* out) const override;
    const std::uint8_t* mapped(std::uint64_t block) const override;
    bool verified(std::uint64_t block) const override { return isDirty(block); }
    std::string name() const override { return device_->name(); }

    // A writable buffer for `block`, created zeroed (or as a copy of `initial`) if new.
    std::uint8_t* writableBuffer(std::uint64_t block, BlockType type, const std::uint8_t* initial);
    bool isDirty(std::uint64_t block) const { return dirty_.count(block) != 0; }
    std::size_t dirtyCount() const { return dirty_.size(); }
    // Blocks in ascending order, each sealed, ready to be written.
    std::vector<std::uint64_t> dirtyBlocks() const;
    // The dirty block with its checksum computed (for writing out and for hex views).
    const std::uint8_t* sealed(std::uint64_t block) const;
    void clear() { dirty_.clear(); }

    BlockSource& device() { return *device_; }
    const BlockSource& device() const { return *device_; }

private:
    struct Dirty {
        BlockType type;
        std::unique_ptr<std::uint8_t[]> bytes;
        bool needsSeal = true; // a writable pointer was handed out since the last seal
    };
    std::shared_ptr<BlockSource> device_;
    mutable std::unordered_map<std::uint64_t, Dirty> dirty_;
};

} // namespace dms
