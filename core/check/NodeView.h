#pragma once
// A btree node read in place (FORMAT.md §4), without copying or validating: the checker's
// hot loops read keys and values straight from the mapped block.
//
//   Off Size Field        Meaning
//   0   4    csum         xor 121107
//   4   4    flags        1 INTERNAL, 2 LEAF
//   8   8    blocknr      self
//   16  4    nr_entries
//   20  4    max_entries
//   24  4    value_size
//   32  8*max_entries     keys; then the values, value_size bytes each

#include "core/Endian.h"

#include <cstddef>
#include <cstdint>

namespace dms {

struct NodeView {
    const std::uint8_t* data = nullptr;
    std::uint64_t block = 0;

    std::uint32_t flags() const { return loadLe32(data + 4); }
    std::uint64_t blocknr() const { return loadLe64(data + 8); }
    std::uint32_t nrEntries() const { return loadLe32(data + 16); }
    std::uint32_t maxEntries() const { return loadLe32(data + 20); }
    std::uint32_t valueSize() const { return loadLe32(data + 24); }

    // Only for i < max_entries of a node whose header passed the checks.
    std::uint64_t key(std::uint32_t i) const { return loadLe64(data + 32 + 8 * std::size_t(i)); }
    const std::uint8_t* value(std::uint32_t i) const {
        return data + 32 + 8 * std::size_t(maxEntries()) + std::size_t(i) * valueSize();
    }
    std::uint64_t valueU64(std::uint32_t i) const { return loadLe64(value(i)); }
    std::uint32_t valueU32(std::uint32_t i) const { return loadLe32(value(i)); }
};

} // namespace dms
