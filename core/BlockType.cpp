#include "core/BlockType.h"

#include "core/Crc32c.h"

#include <cstdio>

namespace dms {

const char* blockTypeName(BlockType type) {
    switch (type) {
    case BlockType::ThinSuperblock:
        return "thin superblock";
    case BlockType::CacheSuperblock:
        return "cache superblock";
    case BlockType::EraSuperblock:
        return "era superblock";
    case BlockType::BtreeNode:
        return "btree node";
    case BlockType::Bitmap:
        return "space-map bitmap";
    case BlockType::MetadataIndex:
        return "metadata space-map index";
    case BlockType::ArrayBlock:
        return "array block";
    }
    return "block";
}

std::uint32_t checksumXor(BlockType type) {
    switch (type) {
    case BlockType::ThinSuperblock:
        return 160774;
    case BlockType::CacheSuperblock:
        return 9031977;
    case BlockType::EraSuperblock:
        return 146538381;
    case BlockType::BtreeNode:
        return 121107;
    case BlockType::Bitmap:
        return 240779;
    case BlockType::MetadataIndex:
        return 160478;
    case BlockType::ArrayBlock:
        return 595846735;
    }
    return 0;
}

std::size_t blockNumberOffset(BlockType type) {
    return type == BlockType::ArrayBlock ? 16 : 8;
}

std::uint32_t computeChecksum(const std::uint8_t* block, BlockType type) {
    return crc32cUpdate(0xFFFFFFFFu, block + 4, kBlockSize - 4) ^ checksumXor(type);
}

std::uint32_t storedChecksum(const std::uint8_t* block) {
    return loadLe32(block);
}

namespace {

std::string hex32(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

std::uint64_t expectedMagic(BlockType type) {
    switch (type) {
    case BlockType::ThinSuperblock:
        return kThinSuperblockMagic;
    case BlockType::CacheSuperblock:
        return kCacheSuperblockMagic;
    case BlockType::EraSuperblock:
        return kEraSuperblockMagic;
    default:
        return 0;
    }
}

} // namespace

Status validateBlock(const Block& block, BlockType type) {
    const std::uint32_t stored = storedChecksum(block.data());
    const std::uint32_t computed = computeChecksum(block.data(), type);
    if (stored != computed)
        return makeError(ErrorKind::Checksum,
                         std::string(blockTypeName(type)) + " checksum mismatch: stored " +
                             hex32(stored) + ", computed " + hex32(computed),
                         block.number(), "csum");
    const std::uint64_t self = block.u64(blockNumberOffset(type));
    if (self != block.number())
        return makeError(ErrorKind::BlockNumber,
                         std::string(blockTypeName(type)) + " records block number " +
                             std::to_string(self) + " but was read from block " +
                             std::to_string(block.number()),
                         block.number(), "blocknr");
    if (const std::uint64_t magic = expectedMagic(type); magic != 0 && block.u64(32) != magic)
        return makeError(ErrorKind::Magic,
                         std::string(blockTypeName(type)) + " magic is " +
                             std::to_string(block.u64(32)) + ", expected " + std::to_string(magic),
                         block.number(), "magic");
    return Status::success();
}

void sealBlock(std::uint8_t* block, std::uint64_t number, BlockType type) {
    storeLe64(block + blockNumberOffset(type), number);
    storeLe32(block, computeChecksum(block, type));
}

} // namespace dms
