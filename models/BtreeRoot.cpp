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
    }
    return 0;
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
