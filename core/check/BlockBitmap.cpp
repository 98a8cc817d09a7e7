#include "core/check/BlockBitmap.h"

#include <cstring>

namespace dms {

BlockBitmap::BlockBitmap(std::uint64_t size)
    : size_(size), words_(new std::uint64_t[size / 64 + 1]()) {}

void BlockBitmap::clear() {
    std::memset(words_.get(), 0, (size_ / 64 + 1) * sizeof(std::uint64_t));
}

} // namespace dms
