#include "core/btree/BtreeLookup.h"

namespace dms {

Expected<std::optional<BtreeHit>> btreeLookup(const BlockReader& reader, std::uint64_t root,
                                              std::uint64_t key, std::uint32_t leafValueSize) {
    constexpr unsigned kMaxDepth = 16; // also ends any cycle
    std::uint64_t b = root;
    for (unsigned depth = 0; depth < kMaxDepth; ++depth) {
        auto node = BtreeNode::read(reader, b, leafValueSize);
        if (!node) return node.takeError();
        const int i = node->lastKeyAtMost(key);
        if (node->isLeaf()) {
            if (i < 0 || node->key(static_cast<std::uint32_t>(i)) != key)
                return std::optional<BtreeHit>();
            return std::optional<BtreeHit>(BtreeHit{*node, static_cast<std::uint32_t>(i)});
        }
        if (i < 0) return std::optional<BtreeHit>();
        b = node->valueU64(static_cast<std::uint32_t>(i));
    }
    return makeError(ErrorKind::Corrupt,
                     "lookup of key " + std::to_string(key) + " went deeper than " +
                         std::to_string(kMaxDepth) + " levels (a cycle?)",
                     root);
}

} // namespace dms

namespace dms {

Expected<unsigned> btreeHeight(const BlockReader& reader, std::uint64_t root) {
    std::uint64_t b = root;
    for (unsigned levels = 1; levels <= 16; ++levels) {
        auto node = BtreeNode::read(reader, b, 0);
        if (!node) return node.takeError();
        if (node->isLeaf()) return levels;
        if (node->nrEntries() == 0)
            return makeError(ErrorKind::Corrupt, "internal node with no entries", b, "nr_entries");
        b = node->valueU64(0);
    }
    return makeError(ErrorKind::Corrupt, "tree deeper than 16 levels (a cycle?)", root);
}

} // namespace dms
