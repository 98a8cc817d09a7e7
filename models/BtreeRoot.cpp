#include "models/BtreeRoot.h"

namespace dms {

std::uint32_t BtreeRoot::leafValueSize(BtreeKind kind) {
    switch (kind) {
    case BtreeKind::Details:
        return 24;
    case BtreeKind::MappingTop:
    case BtreeKind::MappingBottom:
        return 8;
    case BtreeKind::MetadataRefCount:
    case BtreeKind::DataRefCount:
        return 4;
    case BtreeKind::DataSpaceMapIndex:
        return 16;
    case BtreeKind::WritesetTree:
        return 12;
    case BtreeKind::MappingArray:
    case BtreeKind::HintArray:
    case BtreeKind::DiscardBitset:
    case BtreeKind::DirtyBitset:
    case BtreeKind::EraArray:
    case BtreeKind::WritesetBitset:
        return 8;
    }
    return 0;
}

bool BtreeRoot::isArraySpine(BtreeKind kind) {
    return kind >= BtreeKind::MappingArray && kind <= BtreeKind::WritesetBitset;
}

QString BtreeRoot::title() const {
    switch (kind) {
    case BtreeKind::Details:
        return QStringLiteral("Devices (details)");
    case BtreeKind::MappingTop:
        return QStringLiteral("Mappings (top level)");
    case BtreeKind::MappingBottom:
        return QStringLiteral("Mappings of device %1").arg(device);
    case BtreeKind::MetadataRefCount:
        return QStringLiteral("Metadata refcount tree");
    case BtreeKind::DataRefCount:
        return QStringLiteral("Data refcount tree");
    case BtreeKind::DataSpaceMapIndex:
        return QStringLiteral("Data space map index");
    case BtreeKind::MappingArray:
        return QStringLiteral("Mapping array (spine)");
    case BtreeKind::HintArray:
        return QStringLiteral("Hint array (spine)");
    case BtreeKind::DiscardBitset:
        return QStringLiteral("Discard bitset (spine)");
    case BtreeKind::DirtyBitset:
        return QStringLiteral("Dirty bitset (spine)");
    case BtreeKind::EraArray:
        return QStringLiteral("Era array (spine)");
    case BtreeKind::WritesetBitset:
        return QStringLiteral("Writeset of era %1 (spine)").arg(device);
    case BtreeKind::WritesetTree:
        return QStringLiteral("Writesets (era -> bitset)");
    }
    return {};
}

std::vector<BtreeRoot> BtreeRoot::ofSuperblock(const ThinSuperblock& sb) {
    std::vector<BtreeRoot> roots{{BtreeKind::Details, sb.deviceDetailsRoot, 0},
                                 {BtreeKind::MappingTop, sb.dataMappingRoot, 0}};
    if (!sb.metadataSpaceMap.isZero())
        roots.push_back({BtreeKind::MetadataRefCount, sb.metadataSpaceMap.refCountRoot, 0});
    if (!sb.dataSpaceMap.isZero()) {
        roots.push_back({BtreeKind::DataRefCount, sb.dataSpaceMap.refCountRoot, 0});
        roots.push_back({BtreeKind::DataSpaceMapIndex, sb.dataSpaceMap.bitmapRoot, 0});
    }
    return roots;
}

} // namespace dms
