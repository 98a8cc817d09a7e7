#pragma once
// The bottom-level mapping trees of every device, walked by several threads in the counting
// pass. Big trees are split: their upper internal nodes are visited first (by the calling
// thread) and the subtrees below become work items. Counts are atomic, so the result does not
// depend on the order as long as no node check fails; checks that span items (leaf keys
// increasing from one item to the next, equal leaf depth) are done afterwards, in key order.
// Any fatal or non-fatal finding aborts the walk (WalkEnv::optimistic) and the check is redone
// in thin_check's order.

#include "core/check/ThinTreeHandlers.h"

namespace dms {

class ParallelMappingWalk {
public:
    ParallelMappingWalk(WalkEnv& env, DataCounter& data, unsigned threads)
        : env_(env), data_(data), threads_(threads ? threads : 1) {}

    void run(const std::vector<DeviceRoot>& roots);

private:
    struct Item {
        std::size_t device = 0;
        SubtreeStart start;
        std::optional<std::uint64_t> firstLeafKey;
        std::optional<std::uint64_t> lastLeafKey;
        std::optional<unsigned> leafDepth;
    };

    std::vector<Item> split(const std::vector<DeviceRoot>& roots);
    bool isInternal(std::uint64_t block) const;
    void checkAcrossItems(const std::vector<DeviceRoot>& roots, const std::vector<Item>& items);

    WalkEnv& env_;
    DataCounter& data_;
    unsigned threads_;
};

} // namespace dms
