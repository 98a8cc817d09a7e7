// Removal: a read-only search finds the next key to remove, then one write descent shadows the
// path to its leaf, erases the leaf's run of keys in range, and on the way back up refreshes the
// parents' keys and rebalances each underfull node with its siblings (BtreeRebalance.cpp). Only
// the node just written can be underfull at each level, so the classic bottom-up fix keeps every
// non-root node at least a third full even when a whole leaf's run goes at once.

#include "core/btree/BtreeWriter.h"

#include "core/tx/TransactionManager.h"

#include <limits>
#include <vector>

namespace dms {

Expected<std::optional<std::uint64_t>>
BtreeWriter::firstKeyAtLeast(std::uint64_t b, std::uint64_t k, unsigned depth) const {
    if (depth >= kMaxDepth)
        return makeError(ErrorKind::Corrupt,
                         "tree deeper than " + std::to_string(kMaxDepth) + " levels (a cycle?)", b);
    auto node = BtreeNode::read(tm_.reader(), b, type_.size);
    if (!node) return node.takeError();
    const std::uint32_t nr = node->nrEntries();
    int i = node->lastKeyAtMost(k);
    if (node->isLeaf()) {
        std::uint32_t j = static_cast<std::uint32_t>(i + 1);
        if (i >= 0 && node->key(static_cast<std::uint32_t>(i)) == k)
            j = static_cast<std::uint32_t>(i);
        if (j < nr) return std::optional<std::uint64_t>(node->key(j));
        return std::optional<std::uint64_t>();
    }
    // Keys >= k live in child i's subtree or, failing that, at the start of a later child.
    for (std::uint32_t c = static_cast<std::uint32_t>(std::max(i, 0)); c < nr; ++c) {
        auto found = firstKeyAtLeast(node->valueU64(c), k, depth + 1);
        if (!found || *found) return found;
    }
    return std::optional<std::uint64_t>();
}

Expected<std::uint64_t> BtreeWriter::collapseRoot(const MutableBtreeNode& root) {
    std::uint64_t top = root.number();
    if (!root.isInternal() || root.nrEntries() != 1) return top;
    std::uint64_t child = root.child(0);
    for (unsigned depth = 1;; ++depth) {
        // The only child takes the root's place; the root (a shadow, count 1) is freed.
        if (Status s = tm_.dec(top); !s) return s.error();
        top = child;
        auto node = BtreeNode::read(tm_.reader(), top, type_.size);
        if (!node) return node.takeError();
        if (!node->isInternal() || node->nrEntries() != 1) return top;
        if (depth >= kMaxDepth)
            return makeError(ErrorKind::Corrupt,
                             "tree deeper than " + std::to_string(kMaxDepth) + " levels", top);
        child = node->valueU64(0);
    }
}

Expected<BtreeRemoveRangeResult> BtreeWriter::removeLeafRun(std::uint64_t root, std::uint64_t first,
                                                            std::uint64_t last) {
    std::vector<MutableBtreeNode> path;
    std::vector<std::uint32_t> slots; // slots[d]: entry of path[d] leading to path[d + 1]
    auto top = shadowNode(root);
    if (!top) return top.takeError();
    path.push_back(*top);
    while (path.back().isInternal()) {
        if (path.size() >= kMaxDepth)
            return makeError(ErrorKind::Corrupt,
                             "tree deeper than " + std::to_string(kMaxDepth) + " levels (a cycle?)",
                             root);
        MutableBtreeNode& n = path.back();
        const int i = n.lastKeyAtMost(first);
        if (i < 0)
            return makeError(ErrorKind::Corrupt,
                             "key " + std::to_string(first) + " lies below the node's first key " +
                                 std::to_string(n.key(0)),
                             n.number(), "keys");
        auto child = shadowChild(n, static_cast<std::uint32_t>(i));
        if (!child) return child.takeError();
        slots.push_back(static_cast<std::uint32_t>(i));
        path.push_back(*child);
    }

    MutableBtreeNode& leaf = path.back();
    const std::uint32_t lo = leaf.firstKeyAtLeast(first);
    const std::uint32_t hi = last == std::numeric_limits<std::uint64_t>::max()
                                 ? leaf.nrEntries()
                                 : leaf.firstKeyAtLeast(last + 1);
    if (type_.dec)
        for (std::uint32_t j = lo; j < hi; ++j)
            if (Status s = type_.dec(leaf.value(j)); !s) return s.error();
    leaf.eraseRange(lo, hi);

    for (std::size_t d = path.size() - 1; d > 0; --d) {
        MutableBtreeNode& parent = path[d - 1];
        MutableBtreeNode& child = path[d];
        const std::uint32_t i = slots[d - 1];
        if (child.nrEntries() > 0) parent.setKey(i, child.key(0));
        if (child.nrEntries() < child.minEntries())
            if (Status s = rebalanceChild(parent, i, child); !s) return s.error();
    }
    auto newRoot = collapseRoot(path.front());
    if (!newRoot) return newRoot.takeError();
    return BtreeRemoveRangeResult{*newRoot, hi - lo};
}

Expected<BtreeRemoveResult> BtreeWriter::remove(std::uint64_t root, std::uint64_t key) {
    // Look first so that a missing key leaves the tree unwritten.
    auto hit = lookup(root, key);
    if (!hit) return hit.takeError();
    if (!*hit) return BtreeRemoveResult{root, false};
    auto r = removeLeafRun(root, key, key);
    if (!r) return r.takeError();
    if (r->removed != 1)
        return makeError(ErrorKind::Corrupt,
                         "key " + std::to_string(key) + " found by lookup is not on the write path",
                         root);
    return BtreeRemoveResult{r->root, true};
}

Expected<BtreeRemoveRangeResult> BtreeWriter::removeRange(std::uint64_t root, std::uint64_t begin,
                                                          std::uint64_t end) {
    BtreeRemoveRangeResult result{root, 0};
    if (begin >= end) return result;
    const std::uint64_t last = end - 1;
    for (;;) {
        auto next = firstKeyAtLeast(result.root, begin, 0);
        if (!next) return next.takeError();
        if (!*next || **next > last) return result;
        auto r = removeLeafRun(result.root, **next, last);
        if (!r) return r.takeError();
        // Each round must make progress, or a damaged tree could keep us here.
        if (r->removed == 0)
            return makeError(ErrorKind::Corrupt,
                             "key " + std::to_string(**next) +
                                 " found by search is not on the write path",
                             result.root);
        result.root = r->root;
        result.removed += r->removed;
    }
}

} // namespace dms
