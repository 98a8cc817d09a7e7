#include "core/check/RefCountLookup.h"

#include "core/check/NodeChecks.h"

namespace dms {
namespace {

// thin_check's bsearch: returns a matching index at once, else the last index below.
int searchLastAtMost(const NodeView& n, std::uint64_t key) {
    int lo = -1;
    int hi = static_cast<int>(n.nrEntries());
    while (hi - lo > 1) {
        const int mid = lo + (hi - lo) / 2;
        const std::uint64_t k = n.key(static_cast<std::uint32_t>(mid));
        if (k == key) return mid;
        if (k < key)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

} // namespace

std::optional<std::uint32_t> RefCountLookup::find(std::uint64_t key,
                                                  std::optional<LookupFailure>& failure) {
    std::uint64_t block = root_;
    for (unsigned step = 0; step < kMaxSteps; ++step) {
        if (block >= env_.nrBlocks) {
            failure = LookupFailure{block, "",
                                    "refcount tree points to block " + std::to_string(block) +
                                        ", beyond the end of the device"};
            return std::nullopt;
        }
        const std::uint8_t* data = env_.source->mapped(block);
        if (!data) {
            scratch_.resize(kBlockSize);
            if (!env_.source->read(block, scratch_.data())) {
                failure = LookupFailure{block, "", "cannot read refcount tree node"};
                return std::nullopt;
            }
            data = scratch_.data();
        }
        const NodeView n{data, block};
        if (!env_.validNodes.test(block)) {
            if (auto p = validateNodeBlock(n)) {
                failure = LookupFailure{block, p->field, "refcount tree node: " + p->message};
                return std::nullopt;
            }
            env_.validNodes.testAndSet(block);
        }
        NodeKind kind = NodeKind::Leaf;
        if (auto p = classifyNode(n, kind)) {
            failure = LookupFailure{block, p->field, "refcount tree node: " + p->message};
            return std::nullopt;
        }
        const std::uint32_t nr = n.nrEntries();
        // thin_check reads keys up to nr_entries and then checks that the values fit.
        const std::uint32_t valueSize = kind == NodeKind::Leaf ? 4 : 8;
        const std::uint32_t capacity = (kBlockSize - 32) / (8 + valueSize);
        if (n.valueSize() != valueSize || nr > capacity) {
            failure = LookupFailure{block, n.valueSize() != valueSize ? "value_size" : "nr_entries",
                                    "refcount tree node has value_size " +
                                        std::to_string(n.valueSize()) + " and nr_entries " +
                                        std::to_string(nr) + ", unusable for a lookup"};
            return std::nullopt;
        }
        const int i = searchLastAtMost(n, key);
        if (kind == NodeKind::Leaf) {
            if (i < 0 || n.key(static_cast<std::uint32_t>(i)) != key) return std::nullopt;
            return n.valueU32(static_cast<std::uint32_t>(i));
        }
        if (i < 0) return std::nullopt;
        block = n.valueU64(static_cast<std::uint32_t>(i));
    }
    failure = LookupFailure{root_, "",
                            "refcount tree lookup of block " + std::to_string(key) +
                                " did not reach a leaf in " + std::to_string(kMaxSteps) +
                                " steps (a pointer loop)"};
    return std::nullopt;
}

} // namespace dms
