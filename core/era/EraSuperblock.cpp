#include "core/era/EraSuperblock.h"

#include "core/SuperblockHeader.h"

#include <cstring>

namespace dms {

std::string EraSuperblock::uuidText() const {
    return textUntilNul(uuid.data(), uuid.size());
}

EraSuperblock EraSuperblock::decode(const Block& b) {
    EraSuperblock sb;
    decodeSuperblockHeader(b, sb);
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
    encodeSuperblockHeader(*this, p);
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
    auto b = readSuperblockBlock(reader, BlockType::EraSuperblock);
    if (!b) return b.takeError();
    EraSuperblock sb = decode(*b);
    if (sb.version != 1)
        return makeError(ErrorKind::Unsupported,
                         "era metadata version " + std::to_string(sb.version) + " is not 1", 0,
                         "version");
    return sb;
}

} // namespace dms
