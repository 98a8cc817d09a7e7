#pragma once
// A writable view of a btree node's bytes (layout in BtreeNode.h) held by the copy-on-write
// writer: header fields, entry insertion and erasure, and redistribution of entries among
// siblings. The writer validated the header before making a view, so the accessors trust it.
// Slots these operations vacate are zeroed (tool style); stale bytes a kernel left beyond
// nr_entries are kept and never read.

#include "core/btree/BtreeNode.h"

#include <span>

namespace dms {

class MutableBtreeNode {
public:
    MutableBtreeNode() = default;
    MutableBtreeNode(std::uint64_t number, std::uint8_t* data) : number_(number), data_(data) {}

    std::uint64_t number() const { return number_; }
    std::uint8_t* data() const { return data_; }

    std::uint32_t flags() const { return loadLe32(data_ + 4); }
    bool isLeaf() const { return flags() == kNodeLeaf; }
    bool isInternal() const { return flags() == kNodeInternal; }
    std::uint32_t nrEntries() const { return loadLe32(data_ + 16); }
    void setNrEntries(std::uint32_t n) { storeLe32(data_ + 16, n); }
    std::uint32_t maxEntries() const { return loadLe32(data_ + 20); }
    std::uint32_t valueSize() const { return loadLe32(data_ + 24); }
    // The fewest entries a non-root node may hold.
    std::uint32_t minEntries() const { return maxEntries() / 3; }
    bool isFull() const { return nrEntries() >= maxEntries(); }

    // A fresh node without entries: header set, entry area zeroed.
    void format(std::uint32_t flags, std::uint32_t valueSize, std::uint32_t maxEntries);

    std::uint64_t key(std::uint32_t i) const { return loadLe64(keyPtr(i)); }
    void setKey(std::uint32_t i, std::uint64_t k) { storeLe64(keyPtr(i), k); }
    std::uint8_t* value(std::uint32_t i) const {
        return data_ + kNodeHeaderSize + 8ull * maxEntries() + std::size_t(i) * valueSize();
    }
    // Internal nodes: the child block of entry i.
    std::uint64_t child(std::uint32_t i) const { return loadLe64(value(i)); }
    void setChild(std::uint32_t i, std::uint64_t b) { storeLe64(value(i), b); }

    // Index of the last key <= k, or -1 when every key is greater.
    int lastKeyAtMost(std::uint64_t k) const;
    // Index of the first key >= k (nrEntries() when none is).
    std::uint32_t firstKeyAtLeast(std::uint64_t k) const;
    // Index of the entry with key k, or -1.
    int find(std::uint64_t k) const;

    // Inserts before entry i (i <= nrEntries() < maxEntries()).
    void insertAt(std::uint32_t i, std::uint64_t k, const std::uint8_t* value);
    // Erases entries [begin, end) and zeroes the slots that fall free.
    void eraseRange(std::uint32_t begin, std::uint32_t end);

    // Same flags, value_size and max_entries: entries can move between the two.
    bool compatibleWith(const MutableBtreeNode& other) const;

    // Deals the entries of `nodes` (compatible siblings in key order) out again, in order, so that
    // node j ends with targets[j] entries. The totals must agree and each target fit.
    static void redistribute(std::span<MutableBtreeNode> nodes,
                             std::span<const std::uint32_t> targets);

private:
    std::uint8_t* keyPtr(std::uint32_t i) const { return data_ + kNodeHeaderSize + 8ull * i; }
    void zeroSlots(std::uint32_t begin, std::uint32_t end);

    std::uint64_t number_ = 0;
    std::uint8_t* data_ = nullptr;
};

} // namespace dms
