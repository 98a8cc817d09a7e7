// Insertion: shadow the path top-down, splitting every full node met on the way (as the kernel's
// btree_insert_raw does), so a split never has to climb back up: the parent always has room.

#include "core/btree/BtreeWriter.h"

#include "core/tx/TransactionManager.h"

#include <array>

namespace dms {

namespace {

Error depthError(std::uint64_t root) {
    return makeError(
        ErrorKind::Corrupt,
        "tree deeper than " + std::to_string(BtreeWriter::kMaxDepth) + " levels (a cycle?)", root);
}

} // namespace

Status BtreeWriter::splitBeneath(MutableBtreeNode& root) {
    // The root's entries go to two new children; the root becomes an internal node over them.
    auto left = newNode(root.flags(), root.valueSize(), root.maxEntries());
    if (!left) return left.error();
    auto right = newNode(root.flags(), root.valueSize(), root.maxEntries());
    if (!right) return right.error();
    const std::uint32_t nr = root.nrEntries();
    std::array<MutableBtreeNode, 3> nodes{root, *left, *right};
    const std::array<std::uint32_t, 3> targets{0, nr / 2, nr - nr / 2};
    MutableBtreeNode::redistribute(nodes, targets);

    root.format(kNodeInternal, 8, btreeMaxEntries(8));
    std::uint8_t loc[8];
    storeLe64(loc, left->number());
    root.insertAt(0, left->key(0), loc);
    storeLe64(loc, right->number());
    root.insertAt(1, right->key(0), loc);
    return Status::success();
}

Status BtreeWriter::splitChild(MutableBtreeNode& parent, std::uint32_t& index,
                               MutableBtreeNode& node, std::uint64_t key) {
    auto right = newNode(node.flags(), node.valueSize(), node.maxEntries());
    if (!right) return right.error();
    const std::uint32_t nr = node.nrEntries();
    std::array<MutableBtreeNode, 2> nodes{node, *right};
    const std::array<std::uint32_t, 2> targets{nr / 2, nr - nr / 2};
    MutableBtreeNode::redistribute(nodes, targets);

    std::uint8_t loc[8];
    storeLe64(loc, right->number());
    parent.insertAt(index + 1, right->key(0), loc);
    if (key >= right->key(0)) {
        node = *right;
        ++index;
    }
    return Status::success();
}

Expected<BtreeInsertResult> BtreeWriter::insert(std::uint64_t root, std::uint64_t key,
                                                std::span<const std::uint8_t> value) {
    if (value.size() != type_.size)
        return makeError(ErrorKind::Usage, "insert of a " + std::to_string(value.size()) +
                                               "-byte value into a tree of " +
                                               std::to_string(type_.size) + "-byte values");
    auto top = shadowNode(root);
    if (!top) return top.takeError();
    const std::uint64_t newRoot = top->number();

    MutableBtreeNode node = *top;
    MutableBtreeNode parent;
    std::uint32_t index = 0;
    for (unsigned depth = 0;; ++depth) {
        if (depth >= kMaxDepth) return depthError(root);
        // A full leaf needs no room when the key is already there: that is an overwrite.
        if (node.isFull() && !(node.isLeaf() && node.find(key) >= 0)) {
            Status s = depth == 0 ? splitBeneath(node) : splitChild(parent, index, node, key);
            if (!s) return s.error();
        }
        if (node.isLeaf()) break;

        int i = node.lastKeyAtMost(key);
        if (i < 0) {
            // A new smallest key: lower the bound here; the leaf will start with it.
            node.setKey(0, key);
            i = 0;
        }
        auto child = shadowChild(node, static_cast<std::uint32_t>(i));
        if (!child) return child.takeError();
        parent = node;
        index = static_cast<std::uint32_t>(i);
        node = *child;
    }

    const int i = node.lastKeyAtMost(key);
    if (i >= 0 && node.key(static_cast<std::uint32_t>(i)) == key) {
        std::uint8_t* old = node.value(static_cast<std::uint32_t>(i));
        if (!type_.isEqual(old, value.data()) && type_.dec)
            if (Status s = type_.dec(old); !s) return s.error();
        std::memcpy(old, value.data(), type_.size);
        return BtreeInsertResult{newRoot, false};
    }
    node.insertAt(static_cast<std::uint32_t>(i + 1), key, value.data());
    return BtreeInsertResult{newRoot, true};
}

} // namespace dms
