#include "core/tx/OverlayBlockSource.h"

#include <algorithm>
#include <cstring>

namespace dms {

OverlayBlockSource::OverlayBlockSource(std::shared_ptr<BlockSource> device)
    : device_(std::move(device)) {}

const std::uint8_t* OverlayBlockSource::sealed(std::uint64_t block) const {
    auto it = dirty_.find(block);
    if (it == dirty_.end()) return nullptr;
    Dirty& d = it->second;
    if (d.needsSeal) {
        sealBlock(d.bytes.get(), block, d.type);
        d.needsSeal = false;
    }
    return d.bytes.get();
}

Status OverlayBlockSource::read(std::uint64_t block, std::uint8_t* out) const {
    if (auto it = dirty_.find(block); it != dirty_.end()) {
        std::memcpy(out, it->second.bytes.get(), kBlockSize);
        return Status::success();
    }
    return device_->read(block, out);
}

const std::uint8_t* OverlayBlockSource::mapped(std::uint64_t block) const {
    if (auto it = dirty_.find(block); it != dirty_.end()) return it->second.bytes.get();
    return device_->mapped(block);
}

std::uint8_t* OverlayBlockSource::writableBuffer(std::uint64_t block, BlockType type,
                                                 const std::uint8_t* initial) {
    auto it = dirty_.find(block);
    if (it != dirty_.end()) {
        it->second.type = type;
        it->second.needsSeal = true;
        storeLe64(it->second.bytes.get() + blockNumberOffset(type), block);
        return it->second.bytes.get();
    }
    auto bytes = std::make_unique<std::uint8_t[]>(kBlockSize);
    if (initial)
        std::memcpy(bytes.get(), initial, kBlockSize);
    else
        std::memset(bytes.get(), 0, kBlockSize);
    std::uint8_t* p = bytes.get();
    storeLe64(p + blockNumberOffset(type), block);
    dirty_.emplace(block, Dirty{type, std::move(bytes)});
    return p;
}

std::vector<std::uint64_t> OverlayBlockSource::dirtyBlocks() const {
    std::vector<std::uint64_t> out;
    out.reserve(dirty_.size());
    for (const auto& [b, d] : dirty_)
        out.push_back(b);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace dms
