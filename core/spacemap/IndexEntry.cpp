#include "core/spacemap/IndexEntry.h"

#include "core/Endian.h"

namespace dms {

IndexEntry IndexEntry::decode(const std::uint8_t* p) {
    IndexEntry e;
    e.blocknr = loadLe64(p);
    e.nrFree = loadLe32(p + 8);
    e.noneFreeBefore = loadLe32(p + 12);
    return e;
}

void IndexEntry::encode(std::uint8_t* p) const {
    storeLe64(p, blocknr);
    storeLe32(p + 8, nrFree);
    storeLe32(p + 12, noneFreeBefore);
}

} // namespace dms
