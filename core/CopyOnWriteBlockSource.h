#pragma once
// A writable view of a read-only source: written blocks are kept in memory, the rest is read from
// the source, which is never written (it may be open O_RDONLY). Used for dry runs of edits that
// commit part-way, and for editing a copy of a device that must not change.

#include "core/BlockSource.h"

#include <memory>
#include <unordered_map>

namespace dms {

class CopyOnWriteBlockSource final : public BlockSource {
public:
    explicit CopyOnWriteBlockSource(std::shared_ptr<const BlockSource> base);

    std::uint64_t blockCount() const override { return base_->blockCount(); }
    std::uint64_t byteSize() const override { return base_->byteSize(); }
    Status read(std::uint64_t block, std::uint8_t* out) const override;
    const std::uint8_t* mapped(std::uint64_t block) const override;
    bool writable() const override { return true; }
    Status write(std::uint64_t block, const std::uint8_t* in) override;
    std::string name() const override { return base_->name() + " (copy in memory)"; }

    std::size_t changedBlocks() const { return changed_.size(); }

private:
    std::shared_ptr<const BlockSource> base_;
    std::unordered_map<std::uint64_t, std::unique_ptr<std::uint8_t[]>> changed_;
};

} // namespace dms
