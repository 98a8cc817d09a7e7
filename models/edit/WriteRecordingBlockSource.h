#pragma once
// A writable source that passes everything to the device it wraps and remembers, for each block
// written, the image it had before the first write and the one after the last: the blocks a
// commit changed, with before and after images (what a transaction history keeps).

#include "core/BlockSource.h"

#include <map>
#include <memory>
#include <vector>

namespace dms {

struct BlockChange {
    std::uint64_t block = 0;
    std::vector<std::uint8_t> before; // kBlockSize bytes
    std::vector<std::uint8_t> after;  // kBlockSize bytes
};

class WriteRecordingBlockSource final : public BlockSource {
public:
    explicit WriteRecordingBlockSource(std::shared_ptr<BlockSource> device);

    std::uint64_t blockCount() const override { return device_->blockCount(); }
    std::uint64_t byteSize() const override { return device_->byteSize(); }
    Status read(std::uint64_t block, std::uint8_t* out) const override;
    const std::uint8_t* mapped(std::uint64_t block) const override;
    bool writable() const override { return device_->writable(); }
    Status write(std::uint64_t block, const std::uint8_t* in) override;
    Status flush() override;
    std::string name() const override { return device_->name(); }

    std::size_t flushCount() const { return flushes_; }
    // The changes in block order; blocks written back to their old bytes are left out.
    std::vector<BlockChange> changes() const;

private:
    std::shared_ptr<BlockSource> device_;
    std::map<std::uint64_t, BlockChange> changes_;
    std::size_t flushes_ = 0;
};

} // namespace dms
