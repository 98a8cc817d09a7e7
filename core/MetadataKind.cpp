#include "core/MetadataKind.h"

#include "core/BlockType.h"
#include "core/Endian.h"

#include <vector>

namespace dms {

const char* metadataKindName(MetadataKind kind) {
    switch (kind) {
    case MetadataKind::Thin:
        return "thin";
    case MetadataKind::Cache:
        return "cache";
    case MetadataKind::Era:
        return "era";
    default:
        return "unknown";
    }
}

Expected<MetadataKind> detectMetadataKind(const BlockSource& source) {
    if (source.blockCount() == 0) return MetadataKind::Unknown;
    const std::uint8_t* p = source.mapped(0);
    std::vector<std::uint8_t> copy;
    if (!p) {
        copy.resize(kBlockSize);
        if (Status s = source.read(0, copy.data()); !s) return s.error();
        p = copy.data();
    }
    switch (loadLe64(p + 32)) {
    case kThinSuperblockMagic:
        return MetadataKind::Thin;
    case kCacheSuperblockMagic:
        return MetadataKind::Cache;
    case kEraSuperblockMagic:
        return MetadataKind::Era;
    default:
        return MetadataKind::Unknown;
    }
}

} // namespace dms
