#include "core/btree/BtreeNode.h"

namespace dms {

Expected<BtreeNode> BtreeNode::read(const BlockReader& reader, std::uint64_t number,
                                    std::uint32_t expectedLeafValueSize) {
    auto block = reader.read(number, BlockType::BtreeNode);
    if (!block) return block.takeError();
    return fromBlock(*block, expectedLeafValueSize);
}

Expected<BtreeNode> BtreeNode::fromBlock(const Block& block, std::uint32_t expectedLeafValueSize) {
    BtreeNode n(block);
    const std::uint64_t b = block.number();
    const std::uint32_t flags = n.flags();
    if (flags != kNodeInternal && flags != kNodeLeaf)
        return makeError(ErrorKind::Corrupt,
                         "node flags " + std::to_string(flags) +
                             " are neither INTERNAL (1) nor LEAF (2)",
                         b, "flags");
    const std::uint32_t vs = n.valueSize();
    const std::uint32_t want = n.isInternal() ? 8 : expectedLeafValueSize;
    if (want != 0 && vs != want)
        return makeError(ErrorKind::Corrupt,
                         std::string(n.isInternal() ? "internal" : "leaf") + " node value_size " +
                             std::to_string(vs) + ", expected " + std::to_string(want),
                         b, "value_size");
    // Guards memory: the key and value arrays must lie inside the block (divided, not
    // multiplied: a hostile value_size times max_entries can wrap around 2^64).
    if (vs == 0 || vs > kBlockSize || n.maxEntries() > (kBlockSize - kNodeHeaderSize) / (8ull + vs))
        return makeError(ErrorKind::Corrupt,
                         "max_entries " + std::to_string(n.maxEntries()) + " with value_size " +
                             std::to_string(vs) + " does not fit in a block",
                         b, "max_entries");
    if (n.maxEntries() % 3 != 0)
        return makeError(ErrorKind::Corrupt,
                         "max_entries " + std::to_string(n.maxEntries()) +
                             " is not a multiple of 3",
                         b, "max_entries");
    if (n.nrEntries() > n.maxEntries())
        return makeError(ErrorKind::Corrupt,
                         "nr_entries " + std::to_string(n.nrEntries()) + " > max_entries " +
                             std::to_string(n.maxEntries()),
                         b, "nr_entries");
    return n;
}

int lastKeyAtMost(const std::uint8_t* keys, std::uint32_t nr, std::uint64_t k) {
    int lo = -1;
    int hi = static_cast<int>(nr);
    // Invariant: key(lo) <= k (or lo == -1), key(hi) > k (or hi == nr).
    while (hi - lo > 1) {
        const int mid = lo + (hi - lo) / 2;
        if (loadLe64(keys + 8 * static_cast<std::size_t>(mid)) <= k)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

int BtreeNode::lastKeyAtMost(std::uint64_t k) const {
    return dms::lastKeyAtMost(block_.data() + kNodeHeaderSize, nrEntries(), k);
}

int BtreeNode::find(std::uint64_t k) const {
    const int i = lastKeyAtMost(k);
    return (i >= 0 && key(static_cast<std::uint32_t>(i)) == k) ? i : -1;
}

} // namespace dms
