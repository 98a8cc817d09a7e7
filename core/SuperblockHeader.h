#pragma once
// The header that thin, cache and era superblocks share, in block 0 (FORMAT.md):
//
//   Off Size Field     Meaning
//   0   4    csum      xor differs per kind (BlockType)
//   4   4    flags
//   8   8    blocknr   0
//   16  16   uuid
//   32  8    magic     differs per kind
//   40  4    version
//
// Each superblock struct keeps these fields under the same names; the helpers below decode and
// encode them for any of the three, and read block 0 for the cache and era kinds.

#include "core/Block.h"
#include "core/BlockReader.h"
#include "core/BlockType.h"
#include "core/Endian.h"

#include <cstring>
#include <string>

namespace dms {

template <class Superblock> void decodeSuperblockHeader(const Block& b, Superblock& sb) {
    sb.csum = b.u32(0);
    sb.flags = b.u32(4);
    sb.blocknr = b.u64(8);
    std::memcpy(sb.uuid.data(), b.data() + 16, 16);
    sb.magic = b.u64(32);
    sb.version = b.u32(40);
}

// Zeroes the whole block, then writes the header (the checksum is left to sealBlock).
template <class Superblock> void encodeSuperblockHeader(const Superblock& sb, std::uint8_t* p) {
    std::memset(p, 0, kBlockSize);
    storeLe32(p + 4, sb.flags);
    storeLe64(p + 8, sb.blocknr);
    std::memcpy(p + 16, sb.uuid.data(), 16);
    storeLe64(p + 32, sb.magic);
    storeLe32(p + 40, sb.version);
}

// A fixed-size text field up to its first NUL (uuid, policy name).
std::string textUntilNul(const std::uint8_t* p, std::size_t n);

// Block 0 validated as `type` (checksum, blocknr, magic), or an error naming block 0 when the
// device is empty.
Expected<Block> readSuperblockBlock(const BlockReader& reader, BlockType type);

} // namespace dms
