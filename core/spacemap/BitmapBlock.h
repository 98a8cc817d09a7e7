#pragma once
// Space-map bitmap block (FORMAT.md §5): 16320 two-bit reference counts.
//
//   Off Size Field     Meaning
//   0   4    csum      xor 240779
//   4   4    not_used  0
//   8   8    blocknr   self
//   16  4080 entries   entry e in LE u64 word e/32; bit 2*(e%32) is worth 2, the next bit 1
//
// Value 3 means "three or more: look in the refcount btree".

#include "core/Block.h"
#include "core/spacemap/IndexEntry.h"

namespace dms {

inline constexpr std::size_t kBitmapPayloadOffset = 16;

// The 2-bit value of entry e (e < 16320) in a bitmap block's bytes.
inline unsigned bitmapEntry(const std::uint8_t* block, std::uint64_t e) {
    const std::uint8_t byte = block[kBitmapPayloadOffset + e / 4];
    const unsigned shift = 2 * static_cast<unsigned>(e % 4);
    const unsigned hi = (byte >> shift) & 1u;
    const unsigned lo = (byte >> (shift + 1)) & 1u;
    return (hi << 1) | lo;
}

inline void setBitmapEntry(std::uint8_t* block, std::uint64_t e, unsigned value) {
    std::uint8_t& byte = block[kBitmapPayloadOffset + e / 4];
    const unsigned shift = 2 * static_cast<unsigned>(e % 4);
    byte = static_cast<std::uint8_t>(byte & ~(3u << shift));
    byte = static_cast<std::uint8_t>(byte | (((value >> 1) & 1u) << shift) |
                                     ((value & 1u) << (shift + 1)));
}

// Counts entries with each value 0..3 among the first n entries (n <= 16320).
struct BitmapTally {
    std::uint64_t byValue[4] = {0, 0, 0, 0};
};
BitmapTally tallyBitmap(const std::uint8_t* block, std::uint64_t n);

} // namespace dms
