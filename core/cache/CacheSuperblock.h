#pragma once
// dm-cache superblock, block 0 (FORMAT.md §10).
//
//   Off Size Field                    Meaning
//   0   4    csum                     xor 9031977
//   4   4    flags                    bit 0 CLEAN_SHUTDOWN, bit 1 NEEDS_CHECK
//   8   8    blocknr                  0
//   16  16   uuid                     NUL-padded (tools print it up to the first NUL)
//   32  8    magic                    1623043 (octal 06142003)
//   40  4    version                  metadata format, 1 or 2
//   44  16   policy_name              NUL-padded ASCII, e.g. "smq"
//   60  4    policy_hint_size         bytes per hint; used only with incompat bit 0 (else 4):
//                                     cache_restore 0.9.0 writes 0 for 4-byte hints
//   64  128  metadata_space_map_root  space-map root blob (§5)
//   192 8    mapping_root             dm-array of u64: origin_block << 16 | flags
//   200 8    hint_root                dm-array of hints, 0 = none
//   208 8    discard_root             dm-bitset, one bit per discard block
//   216 8    discard_block_size       sectors
//   224 8    discard_nr_blocks        bits in the discard bitset
//   232 4    data_block_size          cache block size, sectors
//   236 4    metadata_block_size      8
//   240 4    cache_blocks             mapping (and hint) array length
//   244 4    compat_flags
//   248 4    compat_ro_flags
//   252 4    incompat_flags           bit 0 VARIABLE_HINT_SIZE
//   256 16   read_hits, read_misses, write_hits, write_misses
//   272 12   policy_version[3]        major, minor, patch
//   284 8    dirty_root               format 2 only: dm-bitset of cache_blocks bits, 1 = dirty

#include "core/BlockReader.h"
#include "core/spacemap/SpaceMapRoot.h"

#include <array>
#include <string>

namespace dms {

struct CacheSuperblock {
    static constexpr std::uint32_t kCleanShutdown = 1;
    static constexpr std::uint32_t kNeedsCheck = 2;
    static constexpr std::uint32_t kVariableHintSize = 1; // incompat_flags bit 0
    static constexpr std::uint64_t kFlagsMask = 0xffff;   // mapping value: low 16 bits
    static constexpr std::uint64_t kMappingValid = 1;
    static constexpr std::uint64_t kMappingDirty = 2;

    std::uint32_t csum = 0;
    std::uint32_t flags = 0;
    std::uint64_t blocknr = 0;
    std::array<std::uint8_t, 16> uuid{};
    std::uint64_t magic = 0;
    std::uint32_t version = 0;
    std::array<std::uint8_t, 16> policyName{};
    std::uint32_t policyHintSize = 0;
    SpaceMapRoot metadataSpaceMap;
    std::uint64_t mappingRoot = 0;
    std::uint64_t hintRoot = 0;
    std::uint64_t discardRoot = 0;
    std::uint64_t discardBlockSize = 0;
    std::uint64_t discardNrBlocks = 0;
    std::uint32_t dataBlockSize = 0;
    std::uint32_t metadataBlockSize = 0;
    std::uint32_t cacheBlocks = 0;
    std::uint32_t compatFlags = 0;
    std::uint32_t compatRoFlags = 0;
    std::uint32_t incompatFlags = 0;
    std::uint32_t readHits = 0, readMisses = 0, writeHits = 0, writeMisses = 0;
    std::array<std::uint32_t, 3> policyVersion{};
    std::uint64_t dirtyRoot = 0; // format 2 only

    bool cleanShutdown() const { return flags & kCleanShutdown; }
    bool needsCheck() const { return flags & kNeedsCheck; }
    // The hint width the tools use: the field only when incompat bit 0 says so, else 4.
    std::uint32_t hintWidth() const {
        return (incompatFlags & kVariableHintSize) ? policyHintSize : 4;
    }
    // Up to the first NUL (at most 16 characters).
    std::string policy() const;
    std::string uuidText() const;

    static CacheSuperblock decode(const Block& block);
    // Reads and validates block 0 (checksum, blocknr, magic) and checks the version.
    static Expected<CacheSuperblock> read(const BlockReader& reader);
    // Writes every field into a zeroed 4096-byte buffer (checksum not set).
    void encode(std::uint8_t* block) const;
};

} // namespace dms
