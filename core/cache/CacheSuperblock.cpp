#include "core/cache/CacheSuperblock.h"

#include <cstring>

namespace dms {

namespace {
std::string untilNul(const std::uint8_t* p, std::size_t n) {
    return std::string(reinterpret_cast<const char*>(p),
                       ::strnlen(reinterpret_cast<const char*>(p), n));
}
} // namespace

std::string CacheSuperblock::policy() const {
    return untilNul(policyName.data(), policyName.size());
}

std::string CacheSuperblock::uuidText() const {
    return untilNul(uuid.data(), uuid.size());
}

CacheSuperblock CacheSuperblock::decode(const Block& b) {
    CacheSuperblock sb;
    sb.csum = b.u32(0);
    sb.flags = b.u32(4);
    sb.blocknr = b.u64(8);
    std::memcpy(sb.uuid.data(), b.data() + 16, 16);
    sb.magic = b.u64(32);
    sb.version = b.u32(40);
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
    std::memset(p, 0, kBlockSize);
    storeLe32(p + 4, flags);
    storeLe64(p + 8, blocknr);
    std::memcpy(p + 16, uuid.data(), 16);
    storeLe64(p + 32, magic);
    storeLe32(p + 40, version);
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
    if (reader.blockCount() == 0)
        return makeError(ErrorKind::Corrupt,
                         reader.source().name() + " is too small to hold a superblock", 0);
    auto b = reader.read(0, BlockType::CacheSuperblock);
    if (!b) return b.takeError();
    CacheSuperblock sb = decode(*b);
    if (sb.version < 1 || sb.version > 2)
        return makeError(ErrorKind::Unsupported,
                         "cache metadata version " + std::to_string(sb.version) + " is not 1 or 2",
                         0, "version");
    return sb;
}

} // namespace dms
