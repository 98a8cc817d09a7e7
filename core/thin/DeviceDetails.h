#pragma once
// Thin device details (value of the details btree, 24 bytes) and the mapping value packing
// (FORMAT.md §7).
//
//   Off Size Field             Meaning
//   0   8    mapped_blocks     mapped virtual blocks
//   8   8    transaction_id    pool trans_id when the device was created
//   16  4    creation_time     pool time when created
//   20  4    snapshotted_time  pool time when last snapshotted

#include <cstdint>

namespace dms {

struct DeviceDetails {
    static constexpr std::uint32_t kSize = 24;

    std::uint64_t mappedBlocks = 0;
    std::uint64_t transactionId = 0;
    std::uint32_t creationTime = 0;
    std::uint32_t snapshottedTime = 0;

    static DeviceDetails decode(const std::uint8_t* p);
    void encode(std::uint8_t* p) const;
};

// Mapping value: bits 0-23 time, bits 24-63 data block.
struct BlockTime {
    std::uint64_t dataBlock = 0;
    std::uint32_t time = 0;

    static BlockTime unpack(std::uint64_t v) {
        return {v >> 24, static_cast<std::uint32_t>(v & 0xFFFFFFu)};
    }
    std::uint64_t pack() const { return (dataBlock << 24) | (time & 0xFFFFFFu); }
};

} // namespace dms
