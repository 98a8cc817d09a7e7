#include "core/SuperblockHeader.h"

namespace dms {

std::string textUntilNul(const std::uint8_t* p, std::size_t n) {
    return std::string(reinterpret_cast<const char*>(p),
                       ::strnlen(reinterpret_cast<const char*>(p), n));
}

Expected<Block> readSuperblockBlock(const BlockReader& reader, BlockType type) {
    if (reader.blockCount() == 0)
        return makeError(ErrorKind::Corrupt,
                         reader.source().name() + " is too small to hold a superblock", 0);
    return reader.read(0, type);
}

} // namespace dms
