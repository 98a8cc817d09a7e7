#pragma once
// Thin-pool superblock, block 0, and the metadata-snapshot copy at held_root (FORMAT.md §3).
//
//   Off Size Field                    Meaning
//   0   4    csum                     xor 160774
//   4   4    flags                    bit 0 NEEDS_CHECK
//   8   8    blocknr                  0 (the held copy: its own location)
//   16  16   uuid                     unused
//   32  8    magic                    27022010
//   40  4    version                  2
//   44  4    time                     snapshot epoch counter
//   48  8    trans_id                 userspace transaction id
//   56  8    held_root                metadata snapshot copy, 0 if none
//   64  128  data_space_map_root      (zero in the held copy)
//   192 128  metadata_space_map_root  (zero in the held copy)
//   320 8    data_mapping_root        two-level mapping btree
//   328 8    device_details_root      details btree
//   336 4    data_block_size          sectors
//   340 4    metadata_block_size      8 sectors
//   344 8    metadata_nr_blocks       4 KiB blocks
//   352 4    compat_flags
//   356 4    compat_ro_flags
//   360 4    incompat_flags

#include "core/BlockReader.h"
#include "core/spacemap/SpaceMapRoot.h"

#include <array>

namespace dms {

struct ThinSuperblock {
    static constexpr std::uint32_t kNeedsCheck = 1;

    std::uint64_t location = 0; // where it was read from (0, or held_root for the copy)
    std::uint32_t csum = 0;
    std::uint32_t flags = 0;
    std::uint64_t blocknr = 0;
    std::array<std::uint8_t, 16> uuid{};
    std::uint64_t magic = 0;
    std::uint32_t version = 0;
    std::uint32_t time = 0;
    std::uint64_t transactionId = 0;
    std::uint64_t heldRoot = 0;
    SpaceMapRoot dataSpaceMap;
    SpaceMapRoot metadataSpaceMap;
    std::uint64_t dataMappingRoot = 0;
    std::uint64_t deviceDetailsRoot = 0;
    std::uint32_t dataBlockSize = 0;
    std::uint32_t metadataBlockSize = 0;
    std::uint64_t metadataNrBlocks = 0;
    std::uint32_t compatFlags = 0;
    std::uint32_t compatRoFlags = 0;
    std::uint32_t incompatFlags = 0;

    bool needsCheck() const { return flags & kNeedsCheck; }

    // Decodes fields only (the caller validated the block).
    static ThinSuperblock decode(const Block& block);
    // Reads, validates and decodes the superblock at `location`, then checks the fields a
    // reader depends on (version, roots in range). A zeroed block 0 is reported as unformatted.
    static Expected<ThinSuperblock> read(const BlockReader& reader, std::uint64_t location = 0);
    // Writes every field into a zeroed 4096-byte buffer (checksum not set).
    void encode(std::uint8_t* block) const;
};

} // namespace dms
