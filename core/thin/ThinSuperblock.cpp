#include "core/thin/ThinSuperblock.h"

#include "core/SuperblockHeader.h"

#include <algorithm>
#include <cstring>

namespace dms {

ThinSuperblock ThinSuperblock::decode(const Block& b) {
    ThinSuperblock sb;
    sb.location = b.number();
    decodeSuperblockHeader(b, sb);
    sb.time = b.u32(44);
    sb.transactionId = b.u64(48);
    sb.heldRoot = b.u64(56);
    sb.dataSpaceMap = SpaceMapRoot::decode(b.data() + 64);
    sb.metadataSpaceMap = SpaceMapRoot::decode(b.data() + 192);
    sb.dataMappingRoot = b.u64(320);
    sb.deviceDetailsRoot = b.u64(328);
    sb.dataBlockSize = b.u32(336);
    sb.metadataBlockSize = b.u32(340);
    sb.metadataNrBlocks = b.u64(344);
    sb.compatFlags = b.u32(352);
    sb.compatRoFlags = b.u32(356);
    sb.incompatFlags = b.u32(360);
    return sb;
}

void ThinSuperblock::encode(std::uint8_t* p) const {
    encodeSuperblockHeader(*this, p);
    storeLe32(p + 44, time);
    storeLe64(p + 48, transactionId);
    storeLe64(p + 56, heldRoot);
    dataSpaceMap.encode(p + 64);
    metadataSpaceMap.encode(p + 192);
    storeLe64(p + 320, dataMappingRoot);
    storeLe64(p + 328, deviceDetailsRoot);
    storeLe32(p + 336, dataBlockSize);
    storeLe32(p + 340, metadataBlockSize);
    storeLe64(p + 344, metadataNrBlocks);
    storeLe32(p + 352, compatFlags);
    storeLe32(p + 356, compatRoFlags);
    storeLe32(p + 360, incompatFlags);
}

Expected<ThinSuperblock> ThinSuperblock::read(const BlockReader& reader, std::uint64_t location) {
    const char* what = location == 0 ? "superblock" : "metadata snapshot superblock";
    if (reader.blockCount() == 0)
        return makeError(ErrorKind::Corrupt,
                         reader.source().name() + " is too small to hold a superblock (" +
                             std::to_string(reader.source().byteSize()) + " bytes)",
                         0);
    auto raw = reader.raw(location);
    if (!raw) return raw.takeError();
    const std::uint8_t* d = raw->data();
    if (location == 0 && std::all_of(d, d + kBlockSize, [](std::uint8_t c) { return c == 0; }))
        return makeError(ErrorKind::Magic, "block 0 is all zero: the metadata is not formatted", 0,
                         "magic");
    if (raw->u64(32) != kThinSuperblockMagic)
        return makeError(ErrorKind::Magic,
                         std::string(what) + " magic is " + std::to_string(raw->u64(32)) +
                             ", not the thin-pool magic 27022010" +
                             (raw->u64(32) == kCacheSuperblockMagic ? " (this is dm-cache metadata)"
                              : raw->u64(32) == kEraSuperblockMagic ? " (this is dm-era metadata)"
                                                                    : ""),
                         location, "magic");
    if (Status s = reader.validate(*raw, BlockType::ThinSuperblock); !s) return s.error();
    ThinSuperblock sb = decode(*raw);
    const std::uint64_t n = reader.blockCount();
    if (sb.version < 1 || sb.version > 2)
        return makeError(ErrorKind::Unsupported,
                         "superblock version " + std::to_string(sb.version) + " is not 1 or 2",
                         location, "version");
    if (sb.incompatFlags != 0)
        return makeError(ErrorKind::Unsupported,
                         "unknown incompat_flags " + std::to_string(sb.incompatFlags), location,
                         "incompat_flags");
    auto checkRoot = [&](std::uint64_t root, const char* field) -> Status {
        if (root == 0 || root >= n)
            return makeError(ErrorKind::Corrupt,
                             std::string(field) + " " + std::to_string(root) +
                                 " is not a metadata block (device has " + std::to_string(n) +
                                 " blocks)",
                             location, field);
        return Status::success();
    };
    if (Status s = checkRoot(sb.dataMappingRoot, "data_mapping_root"); !s) return s.error();
    if (Status s = checkRoot(sb.deviceDetailsRoot, "device_details_root"); !s) return s.error();
    if (sb.heldRoot != 0 && location == 0)
        if (Status s = checkRoot(sb.heldRoot, "held_root"); !s) return s.error();
    return sb;
}

} // namespace dms
