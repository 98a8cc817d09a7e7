#include "core/btree/BtreeValueType.h"

#include "core/Endian.h"
#include "core/tx/TransactionManager.h"

namespace dms {

BtreeValueType BtreeValueType::plain(std::uint32_t size) {
    BtreeValueType t;
    t.size = size;
    return t;
}

BtreeValueType BtreeValueType::blockRef(TransactionManager& tm) {
    BtreeValueType t;
    t.size = 8;
    t.inc = [&tm](const std::uint8_t* v) { return tm.inc(loadLe64(v)); };
    t.dec = [&tm](const std::uint8_t* v) { return tm.dec(loadLe64(v)); };
    return t;
}

} // namespace dms
