#pragma once
// Space-map root blob, 128 bytes inside a superblock (FORMAT.md §5).
//
//   Off Size Field           Meaning
//   0   8    nr_blocks       blocks the map covers
//   8   8    nr_allocated    blocks with count > 0 (a hint: tools 0.9.0 write it off by one)
//   16  8    bitmap_root     metadata sm: index block; data sm: root of the index btree
//   24  8    ref_count_root  root of the refcount btree (u64 block -> u32 count)
//   32  96   -               zero

#include <cstdint>

namespace dms {

struct SpaceMapRoot {
    static constexpr std::size_t kSize = 128;

    std::uint64_t nrBlocks = 0;
    std::uint64_t nrAllocated = 0;
    std::uint64_t bitmapRoot = 0;
    std::uint64_t refCountRoot = 0;

    static SpaceMapRoot decode(const std::uint8_t* blob);
    void encode(std::uint8_t* blob) const; // writes all 128 bytes
    bool isZero() const { return !nrBlocks && !nrAllocated && !bitmapRoot && !refCountRoot; }
};

} // namespace dms
