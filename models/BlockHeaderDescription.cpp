#include "models/BlockHeaderDescription.h"

#include "core/btree/BtreeNode.h"

#include <QObject>

namespace dms {
namespace {

QString leafKind(std::uint32_t valueSize) {
    switch (valueSize) {
    case 4:
        return QObject::tr("refcount");
    case 8:
        return QObject::tr("mapping");
    case 16:
        return QObject::tr("data space-map index");
    case 24:
        return QObject::tr("device details");
    }
    return QObject::tr("unknown");
}

} // namespace

std::optional<BlockType> blockTypeOfRole(BlockRole r) {
    switch (r) {
    case BlockRole::Superblock:
    case BlockRole::MetadataSnapshot:
        return BlockType::ThinSuperblock;
    case BlockRole::MetadataSmIndex:
        return BlockType::MetadataIndex;
    case BlockRole::MetadataBitmap:
    case BlockRole::DataBitmap:
        return BlockType::Bitmap;
    case BlockRole::MetadataRefcountNode:
    case BlockRole::DataRefcountNode:
    case BlockRole::DataSmIndexNode:
    case BlockRole::DetailsInternal:
    case BlockRole::DetailsLeaf:
    case BlockRole::MappingTopInternal:
    case BlockRole::MappingTopLeaf:
    case BlockRole::MappingBottomInternal:
    case BlockRole::MappingBottomLeaf:
        return BlockType::BtreeNode;
    default:
        return std::nullopt;
    }
}

// The block type whose checksum the block carries, if any.
std::optional<BlockType> blockTypeByChecksum(const std::uint8_t* data) {
    for (BlockType t : {BlockType::ThinSuperblock, BlockType::BtreeNode, BlockType::Bitmap,
                        BlockType::MetadataIndex})
        if (computeChecksum(data, t) == storedChecksum(data)) return t;
    return std::nullopt;
}

QString describeBlockHeader(const Block& block, BlockType t) {
    switch (t) {
    case BlockType::ThinSuperblock:
        return block.u64(32) == kThinSuperblockMagic
                   ? QObject::tr("thin superblock")
                   : QObject::tr("thin superblock checksum, wrong magic %1").arg(block.u64(32));
    case BlockType::BtreeNode: {
        const std::uint32_t flags = block.u32(4);
        const std::uint32_t vs = block.u32(24);
        const QString kind = flags == kNodeInternal ? QObject::tr("internal")
                             : flags == kNodeLeaf
                                 ? QObject::tr("leaf (%1 values)").arg(leafKind(vs))
                                 : QObject::tr("flags %1").arg(flags);
        return QObject::tr("btree node, %1, %2/%3 entries, value size %4")
            .arg(kind)
            .arg(block.u32(16))
            .arg(block.u32(20))
            .arg(vs);
    }
    case BlockType::Bitmap:
        return QObject::tr("space-map bitmap");
    case BlockType::MetadataIndex:
        return QObject::tr("metadata space-map index");
    default:
        return QString::fromLatin1(blockTypeName(t));
    }
}

} // namespace dms
