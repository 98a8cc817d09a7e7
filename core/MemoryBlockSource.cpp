#include "core/MemoryBlockSource.h"

#include <cstring>

namespace dms {

MemoryBlockSource::MemoryBlockSource(std::vector<std::uint8_t> bytes, bool writable,
                                     std::string name)
    : bytes_(std::move(bytes)), writable_(writable), name_(std::move(name)) {}

MemoryBlockSource MemoryBlockSource::zeroed(std::uint64_t blocks) {
    return MemoryBlockSource(std::vector<std::uint8_t>(blocks * kBlockSize, 0));
}

Status MemoryBlockSource::read(std::uint64_t block, std::uint8_t* out) const {
    if (block >= blockCount())
        return makeError(
            ErrorKind::OutOfRange,
            "beyond the end of " + name_ + " (" + std::to_string(blockCount()) + " blocks)", block);
    std::memcpy(out, bytes_.data() + block * kBlockSize, kBlockSize);
    return Status::success();
}

const std::uint8_t* MemoryBlockSource::mapped(std::uint64_t block) const {
    return block < blockCount() ? bytes_.data() + block * kBlockSize : nullptr;
}

Status MemoryBlockSource::write(std::uint64_t block, const std::uint8_t* in) {
    if (!writable_) return BlockSource::write(block, in);
    if (block >= blockCount())
        return makeError(ErrorKind::OutOfRange, "write beyond the end of " + name_, block);
    std::memcpy(bytes_.data() + block * kBlockSize, in, kBlockSize);
    return Status::success();
}

} // namespace dms
