#pragma once
// A dm-array block (FORMAT.md §8): one run of fixed-size values of an array.
//
//   Off Size Field        Meaning
//   0   4    csum         xor 595846735, over bytes 4..4095
//   4   4    max_entries  floor((4096 - 24) / value_size): 509 for u64, 1018 for u32
//   8   4    nr_entries   values in use; every block but the array's last is full
//   12  4    value_size   bytes per value
//   16  8    blocknr      self (note: at 16, not 8 as in every other block type)
//   24  ...  values       packed, value_size bytes each

#include "core/BlockReader.h"

#include <algorithm>
#include <optional>

namespace dms {

inline constexpr std::size_t kArrayBlockHeaderSize = 24;

// The max_entries writers use for a value size.
constexpr std::uint32_t arrayMaxEntries(std::uint32_t valueSize) {
    return valueSize ? static_cast<std::uint32_t>((kBlockSize - kArrayBlockHeaderSize) / valueSize)
                     : 0;
}

class ArrayBlock {
public:
    ArrayBlock() = default;

    // Reads and validates block `number`: checksum and self number. valueSize 0 takes the
    // block's own value_size field. Like the kernel (and the 0.9.0 tools), values are then read
    // at the caller's size and the header fields are not trusted: a reader checks them with
    // fieldProblem() and reads no more than entries() values. Errors name the block and field.
    static Expected<ArrayBlock> read(const BlockReader& reader, std::uint64_t number,
                                     std::uint32_t valueSize);
    // The header checks alone, on an already validated block.
    static Expected<ArrayBlock> fromBlock(const Block& block, std::uint32_t valueSize);
    // A max_entries or value_size field that differs from what the value size implies (the
    // block still reads), or nothing.
    std::optional<Error> fieldProblem() const;

    const Block& block() const { return block_; }
    std::uint64_t number() const { return block_.number(); }
    std::uint32_t maxEntries() const { return block_.u32(4); }
    std::uint32_t nrEntries() const { return block_.u32(8); }
    // nr_entries, but no more values than fit the block.
    std::uint32_t entries() const { return std::min(nrEntries(), arrayMaxEntries(valueSize_)); }
    std::uint32_t valueSizeField() const { return block_.u32(12); }
    // The size values are read at (the caller's, or the field's when the caller gave none).
    std::uint32_t valueSize() const { return valueSize_; }
    const std::uint8_t* values() const { return block_.data() + kArrayBlockHeaderSize; }
    const std::uint8_t* value(std::uint32_t i) const {
        return values() + std::size_t(i) * valueSize_;
    }

private:
    ArrayBlock(Block block, std::uint32_t valueSize)
        : block_(std::move(block)), valueSize_(valueSize) {}
    Block block_;
    std::uint32_t valueSize_ = 0;
};

// Writes an empty array block header into a zeroed buffer (checksum and blocknr are sealed
// later by the transaction manager).
void initArrayBlock(std::uint8_t* data, std::uint32_t valueSize);

} // namespace dms
