#pragma once
// Per-block-type checksum constants and header positions (FORMAT.md §2), and the validator that
// runs before any field of a block is parsed: checksum, then self block number, then magic.

#include "core/Block.h"

namespace dms {

enum class BlockType {
    ThinSuperblock,
    CacheSuperblock,
    EraSuperblock,
    BtreeNode,
    Bitmap,
    MetadataIndex,
    ArrayBlock,
};

const char* blockTypeName(BlockType type);

// XOR constant applied to the CRC of bytes 4..4095.
std::uint32_t checksumXor(BlockType type);
// Offset of the u64 self block number (8 for all but array blocks: 16).
std::size_t blockNumberOffset(BlockType type);

std::uint32_t computeChecksum(const std::uint8_t* block, BlockType type);
std::uint32_t storedChecksum(const std::uint8_t* block);

// Checks the checksum, then the self block number, then (for superblocks) the magic.
Status validateBlock(const Block& block, BlockType type);

// For writers: stores the block number, then the checksum.
void sealBlock(std::uint8_t* block, std::uint64_t number, BlockType type);

inline constexpr std::uint64_t kThinSuperblockMagic = 27022010;
inline constexpr std::uint64_t kCacheSuperblockMagic = 1623043;
inline constexpr std::uint64_t kEraSuperblockMagic = 2126579579;

} // namespace dms
