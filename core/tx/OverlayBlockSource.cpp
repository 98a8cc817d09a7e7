#include "core/tx/OverlayBlockSource.h"

#include <algorithm>
#include <cstring>

namespace dms {

OverlayBlockSource::OverlayBlockSource(std::shared_ptr<BlockSource> device)
    : device_(std::move(device)) {}

const std::uint8_t* OverlayBlockSource::sealed(std::uint64_t block) const {
    auto it = dirty_.find(block);
    if (it == dirty_.end()) return nullptr;
    // Writers change buffers after handing them out; seal on every read so the view is current.
    sealBlock(it->second.bytes.get(), block, it->second.type);
    return it->second.bytes.get();
}

Status OverlayBlockSource::read(std::uint64_t block, std::uint8_t* out) const {
    if (const std::uint8_t* p = sealed(block)) {
        std::memcpy(out, p, kBlockSize);
        return Status::success();
    }
    return device_->read(block, out);
}

const std::uint8_t* OverlayBlockSource::mapped(std::uint64_t block) const {
    if (const std::uint8_t* p = sealed(block)) return p;
    return device_->mapped(block);
}

std::uint8_t* OverlayBlockSource::writable(std::uint64_t block, BlockType type,
                                           const std::uint8_t* initial) {
    auto it = dirty_.find(block);
    if (it != dirty_.end()) {
        it->second.type = type;
        return it->second.bytes.get();
    }
    auto bytes = std::make_unique<std::uint8_t[]>(kBlockSize);
    if (initial)
        std::memcpy(bytes.get(), initial, kBlockSize);
    else
        std::memset(bytes.get(), 0, kBlockSize);
    std::uint8_t* p = bytes.get();
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
