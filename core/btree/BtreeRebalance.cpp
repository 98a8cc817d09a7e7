// Rebalancing an underfull child (fewer than max_entries / 3 entries, t below) with its siblings,
// after the shape of the kernel's dm-btree-remove.c: an edge child pairs with its one neighbour
// (two-way), any other with both (three-way). Siblings are shadowed first, so a shared sibling's
// children gain their reference before entries move; a node merged away is a shadow of this
// transaction and its dec frees it without touching the children it handed over.
//
// Bounds (siblings hold >= t, the child 0..t-1, every node <= 3t):
//   two-way   total <= 2t: merge into the left node (>= t since the sibling alone has t);
//             otherwise halve: each >= t.
//   three-way total <= 4t: drop the center, halve between left and right (total >= 2t);
//             otherwise thirds: each >= (4t + 1) / 3 >= t and <= (7t - 1) / 3 < 3t.

#include "core/btree/BtreeWriter.h"

#include "core/tx/TransactionManager.h"

#include <array>

namespace dms {

namespace {

Status incompatible(const MutableBtreeNode& a, const MutableBtreeNode& b) {
    return makeError(ErrorKind::Corrupt,
                     "while writing: sibling nodes " + std::to_string(a.number()) + " and " +
                         std::to_string(b.number()) + " differ in flags, value_size or max_entries",
                     b.number(), "flags");
}

} // namespace

Status BtreeWriter::rebalanceChild(MutableBtreeNode& parent, std::uint32_t index,
                                   MutableBtreeNode& child) {
    const std::uint32_t nr = parent.nrEntries();
    if (nr < 2) return Status::success(); // the root's only child: the root collapses instead
    if (index == 0) {
        auto right = shadowChild(parent, 1);
        if (!right) return right.error();
        return rebalance2(parent, 0, child, *right);
    }
    auto left = shadowChild(parent, index - 1);
    if (!left) return left.error();
    if (index + 1 == nr) return rebalance2(parent, index - 1, *left, child);
    auto right = shadowChild(parent, index + 1);
    if (!right) return right.error();
    return rebalance3(parent, index - 1, *left, child, *right);
}

Status BtreeWriter::rebalance2(MutableBtreeNode& parent, std::uint32_t leftIndex,
                               MutableBtreeNode& left, MutableBtreeNode& right) {
    if (!left.compatibleWith(right)) return incompatible(left, right);
    const std::uint32_t t = left.minEntries();
    const std::uint32_t total = left.nrEntries() + right.nrEntries();
    std::array<MutableBtreeNode, 2> nodes{left, right};
    if (total <= 2 * t) {
        const std::array<std::uint32_t, 2> targets{total, 0};
        MutableBtreeNode::redistribute(nodes, targets);
        parent.eraseRange(leftIndex + 1, leftIndex + 2);
        if (Status s = tm_.dec(right.number()); !s) return s;
    } else {
        const std::array<std::uint32_t, 2> targets{total / 2, total - total / 2};
        MutableBtreeNode::redistribute(nodes, targets);
        parent.setKey(leftIndex + 1, right.key(0));
    }
    if (left.nrEntries() > 0) parent.setKey(leftIndex, left.key(0));
    return Status::success();
}

Status BtreeWriter::rebalance3(MutableBtreeNode& parent, std::uint32_t leftIndex,
                               MutableBtreeNode& left, MutableBtreeNode& center,
                               MutableBtreeNode& right) {
    if (!left.compatibleWith(center)) return incompatible(left, center);
    if (!center.compatibleWith(right)) return incompatible(center, right);
    const std::uint32_t t = left.minEntries();
    const std::uint32_t total = left.nrEntries() + center.nrEntries() + right.nrEntries();
    std::array<MutableBtreeNode, 3> nodes{left, center, right};
    if (total <= 4 * t) {
        const std::array<std::uint32_t, 3> targets{total / 2, 0, total - total / 2};
        MutableBtreeNode::redistribute(nodes, targets);
        parent.eraseRange(leftIndex + 1, leftIndex + 2);
        if (Status s = tm_.dec(center.number()); !s) return s;
        parent.setKey(leftIndex + 1, right.key(0));
    } else {
        const std::uint32_t a = total / 3;
        const std::uint32_t b = (total - a) / 2;
        const std::array<std::uint32_t, 3> targets{a, b, total - a - b};
        MutableBtreeNode::redistribute(nodes, targets);
        parent.setKey(leftIndex + 1, center.key(0));
        parent.setKey(leftIndex + 2, right.key(0));
    }
    if (left.nrEntries() > 0) parent.setKey(leftIndex, left.key(0));
    return Status::success();
}

} // namespace dms
