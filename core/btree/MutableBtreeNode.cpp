#include "core/btree/MutableBtreeNode.h"

#include <cassert>
#include <vector>

namespace dms {

void MutableBtreeNode::format(std::uint32_t flags, std::uint32_t valueSize,
                              std::uint32_t maxEntries) {
    std::memset(data_ + 4, 0, kBlockSize - 4);
    storeLe32(data_ + 4, flags);
    storeLe32(data_ + 16, 0);
    storeLe32(data_ + 20, maxEntries);
    storeLe32(data_ + 24, valueSize);
}

int MutableBtreeNode::lastKeyAtMost(std::uint64_t k) const {
    return dms::lastKeyAtMost(data_ + kNodeHeaderSize, nrEntries(), k);
}

std::uint32_t MutableBtreeNode::firstKeyAtLeast(std::uint64_t k) const {
    std::uint32_t lo = 0;
    std::uint32_t hi = nrEntries();
    while (lo < hi) {
        const std::uint32_t mid = lo + (hi - lo) / 2;
        if (key(mid) < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int MutableBtreeNode::find(std::uint64_t k) const {
    const int i = lastKeyAtMost(k);
    return (i >= 0 && key(static_cast<std::uint32_t>(i)) == k) ? i : -1;
}

void MutableBtreeNode::insertAt(std::uint32_t i, std::uint64_t k, const std::uint8_t* v) {
    const std::uint32_t nr = nrEntries();
    assert(i <= nr && nr < maxEntries());
    const std::size_t vs = valueSize();
    std::memmove(keyPtr(i + 1), keyPtr(i), 8ull * (nr - i));
    std::memmove(value(i + 1), value(i), vs * (nr - i));
    setKey(i, k);
    std::memcpy(value(i), v, vs);
    setNrEntries(nr + 1);
}

void MutableBtreeNode::zeroSlots(std::uint32_t begin, std::uint32_t end) {
    if (begin >= end) return;
    std::memset(keyPtr(begin), 0, 8ull * (end - begin));
    std::memset(value(begin), 0, std::size_t(valueSize()) * (end - begin));
}

void MutableBtreeNode::eraseRange(std::uint32_t begin, std::uint32_t end) {
    const std::uint32_t nr = nrEntries();
    assert(begin <= end && end <= nr);
    const std::uint32_t n = end - begin;
    if (n == 0) return;
    const std::size_t vs = valueSize();
    std::memmove(keyPtr(begin), keyPtr(end), 8ull * (nr - end));
    std::memmove(value(begin), value(end), vs * (nr - end));
    zeroSlots(nr - n, nr);
    setNrEntries(nr - n);
}

bool MutableBtreeNode::compatibleWith(const MutableBtreeNode& other) const {
    return flags() == other.flags() && valueSize() == other.valueSize() &&
           maxEntries() == other.maxEntries();
}

void MutableBtreeNode::redistribute(std::span<MutableBtreeNode> nodes,
                                    std::span<const std::uint32_t> targets) {
    assert(nodes.size() == targets.size() && !nodes.empty());
    const std::size_t vs = nodes[0].valueSize();
    std::uint32_t total = 0;
    for (const MutableBtreeNode& n : nodes)
        total += n.nrEntries();

    // Gathering everything first keeps this one simple loop for every split, merge and share-out;
    // it runs once per underflow or split, never per entry of a hot path.
    std::vector<std::uint8_t> keys(8ull * total);
    std::vector<std::uint8_t> values(vs * total);
    std::size_t at = 0;
    for (const MutableBtreeNode& n : nodes) {
        const std::uint32_t nr = n.nrEntries();
        std::memcpy(keys.data() + 8 * at, n.keyPtr(0), 8ull * nr);
        std::memcpy(values.data() + vs * at, n.value(0), vs * nr);
        at += nr;
    }
    at = 0;
    for (std::size_t j = 0; j < nodes.size(); ++j) {
        MutableBtreeNode& n = nodes[j];
        const std::uint32_t want = targets[j];
        assert(want <= n.maxEntries());
        const std::uint32_t had = n.nrEntries();
        std::memcpy(n.keyPtr(0), keys.data() + 8 * at, 8ull * want);
        std::memcpy(n.value(0), values.data() + vs * at, vs * want);
        n.zeroSlots(want, had);
        n.setNrEntries(want);
        at += want;
    }
    assert(at == total);
}

} // namespace dms
