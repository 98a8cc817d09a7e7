#pragma once
// dm-era superblock, block 0 (FORMAT.md §10).
//
//   Off Size Field                     Meaning
//   0   4    csum                      xor 146538381
//   4   4    flags                     bit 0 CLEAN_SHUTDOWN
//   8   8    blocknr                   0
//   16  16   uuid
//   32  8    magic                     2126579579
//   40  4    version                   1
//   44  128  metadata_space_map_root   space-map root blob (§5)
//   172 4    data_block_size           sectors
//   176 4    metadata_block_size       8
//   180 4    nr_blocks                 tracked blocks (era array length)
//   184 4    current_era
//   188 4    current_writeset.nr_bits  live writeset
//   192 8    current_writeset.root     its dm-bitset, 0 = none
//   200 8    writeset_tree_root        btree: era -> {u32 nr_bits, u64 bitset root} (12 bytes)
//   208 8    era_array_root            dm-array of u32: last era each block was written in
//   216 8    metadata_snap             superblock copy, 0 = none

#include "core/BlockReader.h"
#include "core/spacemap/SpaceMapRoot.h"

#include <array>
#include <string>

namespace dms {

struct EraSuperblock {
    static constexpr std::uint32_t kCleanShutdown = 1;
    static constexpr std::uint32_t kWritesetValueSize = 12;

    std::uint32_t csum = 0;
    std::uint32_t flags = 0;
    std::uint64_t blocknr = 0;
    std::array<std::uint8_t, 16> uuid{};
    std::uint64_t magic = 0;
    std::uint32_t version = 0;
    SpaceMapRoot metadataSpaceMap;
    std::uint32_t dataBlockSize = 0;
    std::uint32_t metadataBlockSize = 0;
    std::uint32_t nrBlocks = 0;
    std::uint32_t currentEra = 0;
    std::uint32_t currentWritesetNrBits = 0;
    std::uint64_t currentWritesetRoot = 0;
    std::uint64_t writesetTreeRoot = 0;
    std::uint64_t eraArrayRoot = 0;
    std::uint64_t metadataSnap = 0;

    std::string uuidText() const;

    static EraSuperblock decode(const Block& block);
    // Reads and validates block 0 (checksum, blocknr, magic) and checks the version.
    static Expected<EraSuperblock> read(const BlockReader& reader);
    // Writes every field into a zeroed 4096-byte buffer (checksum not set).
    void encode(std::uint8_t* block) const;
};

// A writeset tree value: the archived writeset of one era.
struct EraWriteset {
    std::uint32_t nrBits = 0;
    std::uint64_t root = 0;
    static EraWriteset decode(const std::uint8_t* v) { return {loadLe32(v), loadLe64(v + 4)}; }
    void encode(std::uint8_t* v) const {
        storeLe32(v, nrBits);
        storeLe64(v + 4, root);
    }
};

} // namespace dms
