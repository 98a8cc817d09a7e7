#include "core/spacemap/SpaceMapRoot.h"

#include "core/Endian.h"

#include <cstring>

namespace dms {

SpaceMapRoot SpaceMapRoot::decode(const std::uint8_t* blob) {
    SpaceMapRoot r;
    r.nrBlocks = loadLe64(blob);
    r.nrAllocated = loadLe64(blob + 8);
    r.bitmapRoot = loadLe64(blob + 16);
    r.refCountRoot = loadLe64(blob + 24);
    return r;
}

void SpaceMapRoot::encode(std::uint8_t* blob) const {
    std::memset(blob, 0, kSize);
    storeLe64(blob, nrBlocks);
    storeLe64(blob + 8, nrAllocated);
    storeLe64(blob + 16, bitmapRoot);
    storeLe64(blob + 24, refCountRoot);
}

} // namespace dms
