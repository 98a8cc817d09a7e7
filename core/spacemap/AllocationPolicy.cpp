#include "core/spacemap/AllocationPolicy.h"

namespace dms {
namespace {

class ReferencePolicy final : public AllocationPolicy {
public:
    AllocationPolicyKind kind() const override { return AllocationPolicyKind::Reference; }
    const char* name() const override { return "reference"; }
    Expected<std::optional<std::uint64_t>> findFree(LowLevelSpaceMap& committed, LowLevelSpaceMap&,
                                                    std::uint64_t cursor) override {
        return committed.findFreeBlock(cursor, committed.nrBlocks());
    }
    bool resetsCursorOnCommit() const override { return true; }
};

class MainlinePolicy final : public AllocationPolicy {
public:
    AllocationPolicyKind kind() const override { return AllocationPolicyKind::Mainline; }
    const char* name() const override { return "mainline"; }
    Expected<std::optional<std::uint64_t>>
    findFree(LowLevelSpaceMap& committed, LowLevelSpaceMap& live, std::uint64_t cursor) override {
        auto found = findCommon(committed, live, cursor, live.nrBlocks());
        if (!found || *found) return found;
        return findCommon(committed, live, 0, cursor);
    }
    bool resetsCursorOnCommit() const override { return false; }

private:
    // Free in the committed map and in the live one (a block freed and re-used in one
    // transaction would otherwise be handed out twice).
    static Expected<std::optional<std::uint64_t>> findCommon(LowLevelSpaceMap& committed,
                                                             LowLevelSpaceMap& live,
                                                             std::uint64_t begin,
                                                             std::uint64_t end) {
        end = std::min(end, committed.nrBlocks());
        while (begin < end) {
            auto b = committed.findFreeBlock(begin, end);
            if (!b || !*b) return b;
            auto liveCount = live.lookupBitmap(**b);
            if (!liveCount) return liveCount.takeError();
            if (*liveCount == 0) return b;
            begin = **b + 1;
        }
        return std::optional<std::uint64_t>();
    }
};

} // namespace

std::unique_ptr<AllocationPolicy> AllocationPolicy::make(AllocationPolicyKind kind) {
    if (kind == AllocationPolicyKind::Mainline) return std::make_unique<MainlinePolicy>();
    return std::make_unique<ReferencePolicy>();
}

} // namespace dms
