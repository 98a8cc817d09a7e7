#include "core/era/EraSuperblock.h"

#include <cstring>

namespace dms {

std::string EraSuperblock::uuidText() const {
    return std::string(reinterpret_cast<const char*>(uuid.data()),
                       ::strnlen(reinterpret_cast<const char*>(uuid.data()), uuid.size()));
}

EraSuperblock EraSuperblock::decode(const Block& b) {
    EraSuperblock sb;
    sb.csum = b.u32(0);
    sb.flags = b.u32(4);
    sb.blocknr = b.u64(8);
    std::memcpy(sb.uuid.data(), b.data() + 16, 16);
    sb.magic = b.u64(32);
    sb.version = b.u32(40);
    sb.metadataSpaceMap = SpaceMapRoot::decode(b.data() + 44);
    sb.dataBlockSize = b.u32(172);
    sb.metadataBlockSize = b.u32(176);
    sb.nrBlocks = b.u32(180);
    sb.currentEra = b.u32(184);
    sb.currentWritesetNrBits = b.u32(188);
    sb.currentWritesetRoot = b.u64(192);
    sb.writesetTreeRoot = b.u64(200);
    sb.eraArrayRoot = b.u64(208);
    sb.metadataSnap = b.u64(216);
    return sb;
}

void EraSuperblock::encode(std::uint8_t* p) const {
    std::memset(p, 0, kBlockSize);
    storeLe32(p + 4, flags);
    storeLe64(p + 8, blocknr);
    std::memcpy(p + 16, uuid.data(), 16);
    storeLe64(p + 32, magic);
    storeLe32(p + 40, version);
    metadataSpaceMap.encode(p + 44);
    storeLe32(p + 172, dataBlockSize);
    storeLe32(p + 176, metadataBlockSize);
    storeLe32(p + 180, nrBlocks);
    storeLe32(p + 184, currentEra);
    storeLe32(p + 188, currentWritesetNrBits);
    storeLe64(p + 192, currentWritesetRoot);
    storeLe64(p + 200, writesetTreeRoot);
    storeLe64(p + 208, eraArrayRoot);
    storeLe64(p + 216, metadataSnap);
}

Expected<EraSuperblock> EraSuperblock::read(const BlockReader& reader) {
    if (reader.blockCount() == 0)
        return makeError(ErrorKind::Corrupt,
                         reader.source().name() + " is too small to hold a superblock", 0);
    auto b = reader.read(0, BlockType::EraSuperblock);
    if (!b) return b.takeError();
    EraSuperblock sb = decode(*b);
    if (sb.version != 1)
        return makeError(ErrorKind::Unsupported,
                         "era metadata version " + std::to_string(sb.version) + " is not 1", 0,
                         "version");
    return sb;
}

} // namespace dms
