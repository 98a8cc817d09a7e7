#include "core/check/RefCountArray.h"

#include <cstring>

namespace dms {

RefCountArray::RefCountArray(std::uint64_t size)
    : size_(size), bytes_(new std::uint8_t[size ? size : 1]()) {}

std::uint64_t RefCountArray::get(std::uint64_t b) const {
    const std::uint8_t v = bytes_[b];
    if (v < kSaturation) return v;
    std::lock_guard lock(overflow_->mutex);
    auto it = overflow_->counts.find(b);
    return std::uint64_t(kSaturation) + (it == overflow_->counts.end() ? 0 : it->second);
}

void RefCountArray::addOverflow(std::uint64_t b) {
    std::lock_guard lock(overflow_->mutex);
    ++overflow_->counts[b];
}

void RefCountArray::clear() {
    if (size_) std::memset(bytes_.get(), 0, size_);
    std::lock_guard lock(overflow_->mutex);
    overflow_->counts.clear();
}

} // namespace dms
