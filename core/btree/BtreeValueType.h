#pragma once
// What the values of a btree's leaves are, for the copy-on-write writer (the kernel's
// dm_btree_value_type). Values are opaque bytes of a fixed size; the callbacks keep reference
// counts of whatever a value refers to:
//   inc   - a value gained a holder: every value of a shared leaf when that leaf is shadowed
//           (the copy and the original both hold it now);
//   dec   - a value lost its holder: removed, overwritten by a different value, or its leaf
//           dropped by BtreeWriter::destroy;
//   equal - an overwrite with an equal value keeps the one reference (empty: bytewise).
// inc and dec may be empty (plain data). A value inserted by the caller comes with the caller's
// reference: the tree takes it over and calls no inc for it.

#include "core/Expected.h"

#include <cstring>
#include <functional>

namespace dms {

class TransactionManager;

struct BtreeValueType {
    std::uint32_t size = 0;
    std::function<Status(const std::uint8_t* value)> inc;
    std::function<Status(const std::uint8_t* value)> dec;
    std::function<bool(const std::uint8_t* a, const std::uint8_t* b)> equal;

    bool isEqual(const std::uint8_t* a, const std::uint8_t* b) const {
        return equal ? equal(a, b) : std::memcmp(a, b, size) == 0;
    }

    // Values without references (no inc/dec), `size` bytes each.
    static BtreeValueType plain(std::uint32_t size);
    // A little-endian u64 metadata block number counted in tm's space map: inc/dec of that block.
    // For a value that is the root of a lower-level tree use BtreeWriter::subtreeValueType(),
    // whose dec drops the whole lower tree.
    static BtreeValueType blockRef(TransactionManager& tm);
};

} // namespace dms
