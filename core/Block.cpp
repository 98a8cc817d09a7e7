#include "core/Block.h"

namespace dms {

Block Block::borrowed(std::uint64_t number, const std::uint8_t* bytes) {
    Block b;
    b.number_ = number;
    b.data_ = bytes;
    return b;
}

Block Block::owned(std::uint64_t number, std::shared_ptr<const std::uint8_t[]> bytes) {
    Block b;
    b.number_ = number;
    b.data_ = bytes.get();
    b.owner_ = std::move(bytes);
    return b;
}

} // namespace dms
