#include "core/cache/CacheSuperblock.h"

#include "core/SuperblockHeader.h"

#include <cstring>

namespace dms {

std::string CacheSuperblock::policy() const {
    return textUntilNul(policyName.data(), policyName.size());
}

std::string CacheSuperblock::uuidText() const {
    return textUntilNul(uuid.data(), uuid.size());
}

CacheSuperblock CacheSuperblock::decode(const Block& b) {
    CacheSuperblock sb;
    decodeSuperblockHeader(b, sb);
    std::memcpy(sb.policyName.data(), b.data() + 44, 16);
    sb.policyHintSize = b.u32(60);
    sb.metadataSpaceMap = SpaceMapRoot::decode(b.data() + 64);
    sb.mappingRoot = b.u64(192);
    sb.hintRoot = b.u64(200);
    sb.discardRoot = b.u64(208);
    sb.discardBlockSize = b.u64(216);
    sb.discardNrBlocks = b.u64(224);
    sb.dataBlockSize = b.u32(232);
    sb.metadataBlockSize = b.u32(236);
    sb.cacheBlocks = b.u32(240);
    sb.compatFlags = b.u32(244);
    sb.compatRoFlags = b.u32(248);
    sb.incompatFlags = b.u32(252);
    sb.readHits = b.u32(256);
    sb.readMisses = b.u32(260);
    sb.writeHits = b.u32(264);
    sb.writeMisses = b.u32(268);
    for (int i = 0; i < 3; ++i)
        sb.policyVersion[i] = b.u32(272 + 4 * i);
    sb.dirtyRoot = sb.version >= 2 ? b.u64(284) : 0;
    return sb;
}

void CacheSuperblock::encode(std::uint8_t* p) const {
    encodeSuperblockHeader(*this, p);
    std::memcpy(p + 44, policyName.data(), 16);
    storeLe32(p + 60, policyHintSize);
    metadataSpaceMap.encode(p + 64);
    storeLe64(p + 192, mappingRoot);
    storeLe64(p + 200, hintRoot);
    storeLe64(p + 208, discardRoot);
    storeLe64(p + 216, discardBlockSize);
    storeLe64(p + 224, discardNrBlocks);
    storeLe32(p + 232, dataBlockSize);
    storeLe32(p + 236, metadataBlockSize);
    storeLe32(p + 240, cacheBlocks);
    storeLe32(p + 244, compatFlags);
    storeLe32(p + 248, compatRoFlags);
    storeLe32(p + 252, incompatFlags);
    storeLe32(p + 256, readHits);
    storeLe32(p + 260, readMisses);
    storeLe32(p + 264, writeHits);
    storeLe32(p + 268, writeMisses);
    for (int i = 0; i < 3; ++i)
        storeLe32(p + 272 + 4 * i, policyVersion[i]);
    if (version >= 2) storeLe64(p + 284, dirtyRoot);
}

Expected<CacheSuperblock> CacheSuperblock::read(const BlockReader& reader) {
    auto b = readSuperblockBlock(reader, BlockType::CacheSuperblock);
    if (!b) return b.takeError();
    CacheSuperblock sb = decode(*b);
    if (sb.version < 1 || sb.version > 2)
        return makeError(ErrorKind::Unsupported,
                         "cache metadata version " + std::to_string(sb.version) + " is not 1 or 2",
                         0, "version");
    return sb;
}

} // namespace dms
