#include "tests/interop/RestoreBtreeModel.h"

#include "tests/interop/PoolXmlGenerator.h"

#include <algorithm>
#include <unordered_map>

namespace dms::test {

namespace {

std::size_t maxEntries(unsigned valueSize) {
    return 3 * ((4096 - 32) / (8 + valueSize) / 3);
}

// Index of the last key <= k, or -1 (thin_restore's node lower_bound).
long lastAtMost(const std::vector<std::uint64_t>& keys, std::uint64_t k) {
    auto it = std::upper_bound(keys.begin(), keys.end(), k);
    return long(it - keys.begin()) - 1;
}

} // namespace

RestoreBtreeModel::RestoreBtreeModel(unsigned leafValueSize)
    : nodes_(1), maxLeaf_(maxEntries(leafValueSize)), maxInternal_(maxEntries(8)) {}

std::size_t RestoreBtreeModel::split(std::size_t node, std::size_t parent, std::size_t parentIndex,
                                     std::uint64_t key, bool top) {
    const std::size_t n = nodes_[node].keys.size();
    const std::size_t nrLeft = n / 2;
    Node right;
    right.leaf = nodes_[node].leaf;
    right.keys.assign(nodes_[node].keys.begin() + long(nrLeft), nodes_[node].keys.end());
    if (!right.leaf)
        right.children.assign(nodes_[node].children.begin() + long(nrLeft),
                              nodes_[node].children.end());
    if (top) {
        // The root keeps its place and becomes an internal node over two new children.
        Node left;
        left.leaf = nodes_[node].leaf;
        left.keys.assign(nodes_[node].keys.begin(), nodes_[node].keys.begin() + long(nrLeft));
        if (!left.leaf)
            left.children.assign(nodes_[node].children.begin(),
                                 nodes_[node].children.begin() + long(nrLeft));
        nodes_.push_back(std::move(left));
        nodes_.push_back(std::move(right));
        const std::size_t l = nodes_.size() - 2, r = nodes_.size() - 1;
        Node& root = nodes_[node];
        root.leaf = false;
        root.keys = {nodes_[l].keys.front(), nodes_[r].keys.front()};
        root.children = {l, r};
        return key < nodes_[r].keys.front() ? l : r;
    }
    nodes_[node].keys.resize(nrLeft);
    if (!nodes_[node].leaf) nodes_[node].children.resize(nrLeft);
    nodes_.push_back(std::move(right));
    const std::size_t r = nodes_.size() - 1;
    Node& p = nodes_[parent];
    // The parent's key for the left half becomes the left half's current first key: this undoes
    // a lowered key written on the way down.
    p.keys[parentIndex] = nodes_[node].keys.front();
    p.keys.insert(p.keys.begin() + long(parentIndex) + 1, nodes_[r].keys.front());
    p.children.insert(p.children.begin() + long(parentIndex) + 1, r);
    return key >= nodes_[r].keys.front() ? r : node;
}

void RestoreBtreeModel::insert(std::uint64_t key) {
    std::size_t node = root_, parent = 0, parentIndex = 0;
    bool top = true;
    for (;;) {
        const std::size_t limit = nodes_[node].leaf ? maxLeaf_ : maxInternal_;
        if (nodes_[node].keys.size() == limit) {
            const std::size_t now = split(node, parent, parentIndex, key, top);
            if (top) parent = node; // the old root is the parent of both halves
            node = now;
        }
        Node& n = nodes_[node];
        long i = lastAtMost(n.keys, key);
        if (n.leaf) {
            if (i < 0 || n.keys[std::size_t(i)] != key)
                n.keys.insert(n.keys.begin() + (i + 1), key);
            return;
        }
        if (i < 0) {
            n.keys[0] = key;
            i = 0;
        }
        parent = node;
        parentIndex = std::size_t(i);
        node = n.children[std::size_t(i)];
        top = false;
    }
}

bool RestoreBtreeModel::reachable(std::uint64_t key) const {
    std::size_t node = root_;
    for (;;) {
        const Node& n = nodes_[node];
        const long i = lastAtMost(n.keys, key);
        if (n.leaf) return i >= 0 && n.keys[std::size_t(i)] == key;
        if (i < 0) return false;
        node = n.children[std::size_t(i)];
    }
}

bool restoreBreaksRefCountTree(const GeneratedPool& pool) {
    // Counts of 3 and more live in the data space map's refcount tree (u32 values).
    RestoreBtreeModel tree(4);
    std::unordered_map<std::uint64_t, std::uint32_t> counts;
    for (std::size_t d : pool.inputOrder)
        for (const MappingRun& r : pool.devices[d].runs)
            for (std::uint64_t b = r.dataBegin; b < r.dataBegin + r.length; ++b) {
                std::uint32_t& c = counts[b];
                if (c >= 3 && !tree.reachable(b)) return true; // "ref count not in tree"
                if (++c > 2) tree.insert(b);
            }
    for (const auto& [block, count] : counts)
        if (count > 2 && !tree.reachable(block)) return true; // thin_check would fail
    return false;
}

} // namespace dms::test
