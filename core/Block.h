#pragma once
// 4096 bytes of metadata and the block number they were read from. Either borrowed from a
// memory-mapped source (no copy) or owned. Cheap to copy.

#include "core/BlockSource.h"
#include "core/Endian.h"

#include <memory>

namespace dms {

class Block {
public:
    Block() = default;
    static Block borrowed(std::uint64_t number, const std::uint8_t* bytes);
    static Block owned(std::uint64_t number, std::shared_ptr<const std::uint8_t[]> bytes);

    std::uint64_t number() const { return number_; }
    const std::uint8_t* data() const { return data_; }
    bool valid() const { return data_ != nullptr; }

    // Little-endian fields; the caller keeps offset + width <= 4096.
    std::uint32_t u32(std::size_t offset) const { return loadLe32(data_ + offset); }
    std::uint64_t u64(std::size_t offset) const { return loadLe64(data_ + offset); }

private:
    std::uint64_t number_ = 0;
    const std::uint8_t* data_ = nullptr;
    std::shared_ptr<const std::uint8_t[]> owner_;
};

} // namespace dms
