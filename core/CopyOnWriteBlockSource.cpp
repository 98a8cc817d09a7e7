#include "core/CopyOnWriteBlockSource.h"

#include <cstring>

namespace dms {

CopyOnWriteBlockSource::CopyOnWriteBlockSource(std::shared_ptr<const BlockSource> base)
    : base_(std::move(base)) {}

Status CopyOnWriteBlockSource::read(std::uint64_t block, std::uint8_t* out) const {
    if (auto it = changed_.find(block); it != changed_.end()) {
        std::memcpy(out, it->second.get(), kBlockSize);
        return Status::success();
    }
    return base_->read(block, out);
}

const std::uint8_t* CopyOnWriteBlockSource::mapped(std::uint64_t block) const {
    if (auto it = changed_.find(block); it != changed_.end()) return it->second.get();
    return base_->mapped(block);
}

Status CopyOnWriteBlockSource::write(std::uint64_t block, const std::uint8_t* in) {
    if (block >= blockCount())
        return makeError(ErrorKind::OutOfRange, "write beyond the end of " + name(), block);
    auto& slot = changed_[block];
    if (!slot) slot = std::make_unique<std::uint8_t[]>(kBlockSize);
    std::memcpy(slot.get(), in, kBlockSize);
    return Status::success();
}

} // namespace dms
