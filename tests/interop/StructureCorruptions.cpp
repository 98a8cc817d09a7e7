// Corruptions of structure: node headers, child pointers (cycles, out of range, at the wrong
// kind of block, duplicated), devices sharing one mapping tree, details keys without mappings,
// space-map index pointers and the metadata-snapshot root.

#include "tests/interop/CorruptionContext.h"

namespace dms::test {

namespace {

constexpr std::size_t kSbHeldRoot = 56;
constexpr std::size_t kIndexEntries = 16; // first index entry in the metadata index block

// The roots of every btree in the image, for picking one at random.
std::vector<std::pair<const char*, std::uint64_t>> treeRoots(CorruptionContext& c) {
    std::vector<std::pair<const char*, std::uint64_t>> roots = {
        {"mapping top level", c.sb().dataMappingRoot},
        {"device details", c.sb().deviceDetailsRoot},
        {"data space map index", c.dataMap().root().bitmapRoot},
        {"data refcount", c.dataMap().root().refCountRoot},
        {"metadata refcount", c.metadataMap().root().refCountRoot}};
    for (int k = 0; k < 3; ++k)
        if (auto root = c.randomDeviceRoot()) roots.push_back({"device mapping", *root});
    return roots;
}

} // namespace

CorruptionResult corruptNodeHeader(CorruptionContext& c) {
    PoolRandom& rng = c.rng();
    const auto roots = treeRoots(c);
    const auto& [tree, root] = roots[rng.below(roots.size())];
    std::vector<BtreeNode> path = c.randomPath(root);
    if (path.empty()) {
        auto node = BtreeNode::read(c.reader(), root, 0); // an empty root has no path
        if (!node) return {false, "node-header", "unreadable root"};
        path.push_back(*node);
    }
    const BtreeNode& node = path[rng.below(path.size())];
    BlockBytes bytes = c.copy(node.number());
    std::string what;
    switch (rng.below(4)) {
    case 0: {
        const std::uint32_t n = rng.chance(50)
                                    ? node.maxEntries() + std::uint32_t(rng.between(1, 9))
                                : node.nrEntries() > 0 ? 0u
                                                       : 0xFFFFFFFFu;
        storeLe32(bytes.data() + 16, n);
        what = "nr_entries " + num(node.nrEntries()) + " -> " + num(n);
        break;
    }
    case 1: {
        const std::uint32_t m =
            node.nrEntries() > 1 && rng.chance(50) ? node.nrEntries() - 1 : node.maxEntries() + 3;
        storeLe32(bytes.data() + 20, m);
        what = "max_entries " + num(node.maxEntries()) + " -> " + num(m);
        break;
    }
    case 2: {
        static const std::uint32_t sizes[] = {0, 4, 8, 16, 24, 4000};
        std::uint32_t v = node.valueSize();
        while (v == node.valueSize())
            v = sizes[rng.below(std::size(sizes))];
        storeLe32(bytes.data() + 24, v);
        what = "value_size " + num(node.valueSize()) + " -> " + num(v);
        break;
    }
    default: {
        const std::uint32_t f = rng.chance(50) ? node.flags() ^ 3u : rng.chance(50) ? 0u : 3u;
        storeLe32(bytes.data() + 4, f);
        what = "flags " + num(node.flags()) + " -> " + num(f);
        break;
    }
    }
    return c.write(node.number(), bytes, BlockType::BtreeNode, "node-header",
                   std::string(tree) + " node " + num(node.number()) + ": " + what);
}

CorruptionResult corruptChildPointer(CorruptionContext& c) {
    PoolRandom& rng = c.rng();
    const auto roots = treeRoots(c);
    for (int tries = 0; tries < 8; ++tries) {
        const auto& [tree, root] = roots[rng.below(roots.size())];
        const std::vector<BtreeNode> path = c.randomPath(root);
        if (path.size() < 2) continue; // no internal node on this path
        const std::size_t k = rng.below(path.size() - 1);
        const BtreeNode& node = path[k];
        const std::uint32_t i = std::uint32_t(rng.below(node.nrEntries()));
        const std::uint64_t old = node.valueU64(i);
        std::uint64_t to = 0;
        std::string what;
        switch (rng.below(6)) {
        case 0:
            to = node.number();
            what = "itself (a cycle)";
            break;
        case 1:
            to = path[0].number();
            what = "the root (a cycle)";
            break;
        case 2:
            to = c.sb().metadataNrBlocks + rng.below(100);
            what = "beyond the metadata device";
            break;
        case 3:
            to = 0;
            what = "the superblock";
            break;
        case 4:
            to = c.randomUsedBlock();
            what = "another used block";
            break;
        default:
            to = node.valueU64(i + 1 < node.nrEntries() ? i + 1 : (i > 0 ? i - 1 : i));
            what = "its sibling's child (a shared node)";
            break;
        }
        if (to == old) continue;
        BlockBytes bytes = c.copy(node.number());
        storeLe64(bytes.data() + nodeValueOffset(node.maxEntries(), 8, i), to);
        return c.write(node.number(), bytes, BlockType::BtreeNode, "child-pointer",
                       std::string(tree) + " internal node " + num(node.number()) + " child " +
                           num(i) + ": " + num(old) + " -> " + num(to) + ", " + what);
    }
    return {false, "child-pointer", "no internal node"};
}

CorruptionResult corruptSharedDeviceTree(CorruptionContext& c) {
    auto leaf = c.randomLeaf(c.sb().dataMappingRoot);
    if (!leaf || leaf->nrEntries() < 2) return {false, "shared-tree", "fewer than two devices"};
    PoolRandom& rng = c.rng();
    const std::uint32_t i = std::uint32_t(rng.below(leaf->nrEntries()));
    std::uint32_t j = std::uint32_t(rng.below(leaf->nrEntries() - 1));
    if (j >= i) ++j;
    if (leaf->valueU64(i) == leaf->valueU64(j))
        return {false, "shared-tree", "the devices already share a tree"};
    BlockBytes bytes = c.copy(leaf->number());
    storeLe64(bytes.data() + nodeValueOffset(leaf->maxEntries(), 8, j), leaf->valueU64(i));
    return c.write(leaf->number(), bytes, BlockType::BtreeNode, "shared-tree",
                   "top-level leaf " + num(leaf->number()) + ": device " + num(leaf->key(j)) +
                       " now points at device " + num(leaf->key(i)) + "'s tree " +
                       num(leaf->valueU64(i)));
}

CorruptionResult corruptDetailsKey(CorruptionContext& c) {
    auto leaf = c.randomLeaf(c.sb().deviceDetailsRoot);
    if (!leaf) return {false, "details-key", "no device"};
    const std::uint32_t i = std::uint32_t(c.rng().below(leaf->nrEntries()));
    // A new id between the neighbours, so that the keys stay in order.
    const std::uint64_t next = i + 1 < leaf->nrEntries() ? leaf->key(i + 1) : ~0ull;
    if (next - leaf->key(i) < 2) return {false, "details-key", "no free id after the device"};
    const std::uint64_t id = leaf->key(i) + 1;
    BlockBytes bytes = c.copy(leaf->number());
    storeLe64(bytes.data() + kNodeHeaderSize + 8ull * i, id);
    return c.write(leaf->number(), bytes, BlockType::BtreeNode, "details-key",
                   "details leaf " + num(leaf->number()) + ": device " + num(leaf->key(i)) +
                       " renamed " + num(id) + " (no mapping tree of that id)");
}

CorruptionResult corruptIndexEntry(CorruptionContext& c) {
    PoolRandom& rng = c.rng();
    const bool metadata = rng.chance(50);
    const SpaceMapReader& sm = metadata ? c.metadataMap() : c.dataMap();
    const auto& entries = sm.indexEntries();
    if (entries.empty()) return {false, "index-entry", "no index entries"};
    const std::uint64_t k = rng.below(entries.size());
    // Where entry k is stored: the metadata index block, or a data index tree leaf.
    std::uint64_t block = 0;
    std::size_t at = 0;
    if (metadata) {
        block = sm.root().bitmapRoot;
        at = kIndexEntries + 16 * k;
    } else {
        for (int tries = 0; tries < 64 && !block; ++tries) {
            auto leaf = c.randomLeaf(sm.root().bitmapRoot);
            if (!leaf) break;
            const int idx = leaf->find(k);
            if (idx >= 0) {
                block = leaf->number();
                at = nodeValueOffset(leaf->maxEntries(), 16, std::uint32_t(idx));
            }
        }
        if (!block) return {false, "index-entry", "data index entry not found"};
    }
    BlockBytes bytes = c.copy(block);
    std::string what;
    switch (rng.below(3)) {
    case 0: {
        const std::uint64_t to =
            rng.chance(50) ? c.randomUsedBlock() : c.sb().metadataNrBlocks + rng.below(100);
        storeLe64(bytes.data() + at, to);
        what = "bitmap " + num(entries[k].blocknr) + " -> " + num(to);
        break;
    }
    case 1:
        storeLe32(bytes.data() + at + 8, entries[k].nrFree + 1 + std::uint32_t(rng.below(100)));
        what = "nr_free (a hint) raised";
        break;
    default:
        storeLe32(bytes.data() + at + 12, std::uint32_t(rng.below(kEntriesPerBitmap)));
        what = "none_free_before (a hint) changed";
        break;
    }
    return c.write(block, bytes, metadata ? BlockType::MetadataIndex : BlockType::BtreeNode,
                   "index-entry",
                   std::string(metadata ? "metadata" : "data") + " index entry " + num(k) +
                       " in block " + num(block) + ": " + what);
}

CorruptionResult corruptHeldRoot(CorruptionContext& c) {
    PoolRandom& rng = c.rng();
    BlockBytes bytes = c.copy(0);
    const std::uint64_t to =
        rng.chance(60) ? c.randomUsedBlock() : c.sb().metadataNrBlocks + rng.below(100);
    storeLe64(bytes.data() + kSbHeldRoot, to);
    return c.write(0, bytes, BlockType::ThinSuperblock, "held-root",
                   "superblock: held_root (metadata snapshot) -> block " + num(to));
}

} // namespace dms::test
