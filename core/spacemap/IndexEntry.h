#pragma once
// Space-map index entry, 16 bytes: in the metadata index block and as the data-sm btree value.
//
//   Off Size Field             Meaning
//   0   8    blocknr           the bitmap block
//   8   4    nr_free           count-0 entries (a hint; kernel and tools count it differently)
//   12  4    none_free_before  no free entry below this index (a hint)

#include <cstdint>

namespace dms {

struct IndexEntry {
    static constexpr std::size_t kSize = 16;

    std::uint64_t blocknr = 0;
    std::uint32_t nrFree = 0;
    std::uint32_t noneFreeBefore = 0;

    static IndexEntry decode(const std::uint8_t* p);
    void encode(std::uint8_t* p) const;
};

// Entries per bitmap block: 4080 payload bytes x 4 two-bit entries.
inline constexpr std::uint64_t kEntriesPerBitmap = 16320;
// Index entries in the single metadata index block.
inline constexpr std::uint64_t kMetadataIndexEntries = 255;
// The largest metadata device the metadata space map can describe.
inline constexpr std::uint64_t kMaxMetadataBlocks = kMetadataIndexEntries * kEntriesPerBitmap;

} // namespace dms
