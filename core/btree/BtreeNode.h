#pragma once
// A btree node (FORMAT.md §4), one format for every tree.
//
//   Off Size Field        Meaning
//   0   4    csum         xor 121107
//   4   4    flags        1 INTERNAL, 2 LEAF: exactly one
//   8   8    blocknr      self
//   16  4    nr_entries   entries in use (<= max_entries)
//   20  4    max_entries  capacity; 3 * floor(floor(4064 / (8 + value_size)) / 3) when written
//   24  4    value_size   bytes per value (internal nodes: 8)
//   28  4    padding
//   32  8*max_entries     keys, ascending in 0..nr_entries-1
//   32+8*max_entries      values, value_size each, packed
//
// Slots beyond nr_entries may hold stale bytes (kernel-written nodes): use nr_entries only.

#include "core/BlockReader.h"

namespace dms {

inline constexpr std::size_t kNodeHeaderSize = 32;
inline constexpr std::uint32_t kNodeInternal = 1;
inline constexpr std::uint32_t kNodeLeaf = 2;

// The max_entries writers use for a value size (a multiple of 3).
constexpr std::uint32_t btreeMaxEntries(std::uint32_t valueSize) {
    const std::uint32_t fit =
        static_cast<std::uint32_t>((kBlockSize - kNodeHeaderSize) / (8 + valueSize));
    return 3 * (fit / 3);
}

// Index of the last of the first `nr` keys (LE u64s from `keys`) that is <= k, or -1 when every
// key is greater: the search every lookup and every writer step makes.
int lastKeyAtMost(const std::uint8_t* keys, std::uint32_t nr, std::uint64_t k);

class BtreeNode {
public:
    BtreeNode() = default;

    // Reads and validates block `number` as a node: checksum, self number, then the header
    // (flags, value_size, max_entries, nr_entries). expectedLeafValueSize 0 accepts any size;
    // internal nodes must have value_size 8.
    static Expected<BtreeNode> read(const BlockReader& reader, std::uint64_t number,
                                    std::uint32_t expectedLeafValueSize);
    // The header checks alone, on an already validated block.
    static Expected<BtreeNode> fromBlock(const Block& block, std::uint32_t expectedLeafValueSize);

    const Block& block() const { return block_; }
    std::uint64_t number() const { return block_.number(); }
    std::uint32_t flags() const { return block_.u32(4); }
    bool isLeaf() const { return flags() & kNodeLeaf; }
    bool isInternal() const { return flags() & kNodeInternal; }
    std::uint32_t nrEntries() const { return block_.u32(16); }
    std::uint32_t maxEntries() const { return block_.u32(20); }
    std::uint32_t valueSize() const { return block_.u32(24); }

    std::uint64_t key(std::uint32_t i) const { return block_.u64(kNodeHeaderSize + 8ull * i); }
    const std::uint8_t* value(std::uint32_t i) const {
        return block_.data() + kNodeHeaderSize + 8ull * maxEntries() + std::size_t(i) * valueSize();
    }
    std::uint64_t valueU64(std::uint32_t i) const { return loadLe64(value(i)); }
    std::uint32_t valueU32(std::uint32_t i) const { return loadLe32(value(i)); }

    // Index of the last key <= k, or -1 when every key is greater.
    int lastKeyAtMost(std::uint64_t k) const;
    // Index of the entry with key exactly k, or -1.
    int find(std::uint64_t k) const;

private:
    explicit BtreeNode(Block block) : block_(std::move(block)) {}
    Block block_;
};

} // namespace dms
