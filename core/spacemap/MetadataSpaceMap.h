#pragma once
// The metadata space map, behaving as the kernel's (../shared/reference): it counts the blocks of
// the device it lives on, so changing it allocates blocks from itself. Nested requests made while
// it is updating itself (recursion depth > 0) are queued in the block-op ring buffer and applied
// when the outermost operation ends; counts add the queued adjustments. New blocks come from the
// last committed state (never a block freed in this transaction). A bootstrap mode hands out
// blocks in order while the map is created or extended. An edge-triggered threshold watches the
// free count. Modes and the allocation policy are objects swapped at run time.

#include "core/spacemap/AllocationPolicy.h"
#include "core/spacemap/BlockOpRing.h"
#include "core/spacemap/SpaceMap.h"
#include "core/spacemap/Threshold.h"

namespace dms {

class MetadataSpaceMap final : public SpaceMap {
public:
    // The largest device the map can describe: 255 bitmaps of 16320 blocks.
    static constexpr std::uint64_t kMaxBlocks = kMaxMetadataBlocks;

    // Formats a new map for `nrBlocks` (capped at kMaxBlocks) blocks; blocks up to the first
    // one the bootstrap allocator did not hand out (from `superblock` on) get count 1.
    static Expected<std::unique_ptr<MetadataSpaceMap>>
    create(TransactionManager& tm, std::uint64_t nrBlocks, std::uint64_t superblock = 0,
           AllocationPolicyKind policy = AllocationPolicyKind::Reference,
           TraceObserver* observer = nullptr);
    static Expected<std::unique_ptr<MetadataSpaceMap>>
    open(TransactionManager& tm, const SpaceMapRoot& root,
         AllocationPolicyKind policy = AllocationPolicyKind::Reference,
         TraceObserver* observer = nullptr);
    ~MetadataSpaceMap() override;

    // SpaceMap (dispatched to the current mode)
    std::uint64_t nrBlocks() const override;
    Expected<std::uint64_t> nrFree() const override;
    Expected<std::uint32_t> count(std::uint64_t b) override;
    Expected<bool> countIsMoreThanOne(std::uint64_t b) override;
    Status setCount(std::uint64_t b, std::uint32_t count) override;
    Status inc(std::uint64_t b) override;
    Status dec(std::uint64_t b) override;
    // Mainline policy: one range op (queued as one ring entry while recursing); reference policy:
    // block by block, as that kernel had no range ops.
    Status incRange(std::uint64_t begin, std::uint64_t end) override;
    Expected<std::uint64_t> newBlock() override;
    Status commit() override;
    Status extend(std::uint64_t extraBlocks) override;
    SpaceMapRoot root() const override;

    // The machinery, for viewers and tests.
    const BlockOpRing& ring() const { return ring_; }
    std::uint32_t recursionDepth() const { return depth_; }
    std::uint64_t cursor() const { return cursor_; }
    std::uint64_t allocatedThisTransaction() const { return allocatedThisTransaction_; }
    bool bootstrapping() const;
    const Threshold& threshold() const { return threshold_; }
    void setThreshold(std::uint64_t value, std::function<void()> callback);
    const AllocationPolicy& policy() const { return *policy_; }
    // Blocks for which `excluded` answers true are never handed out (while rebuilding the counts
    // of a damaged map, a block wrongly shown free may still be in use). Empty: no filter.
    void setAllocationFilter(std::function<bool(std::uint64_t)> excluded) {
        excluded_ = std::move(excluded);
    }
    // Recomputes nr_allocated and every index entry's nr_free and none_free_before from the
    // bitmaps (the hints a damaged or tool-written map may have wrong).
    Status recountHints();
    void setObserver(TraceObserver* observer);
    SpaceMapState state() const;

    // The recursion protocol, public so tests can drive it: in() deepens; out() at depth 1
    // applies the queued ops, and at depth 0 fails ("lost track of recursion depth").
    void in();
    Status out();

    class Mode;

private:
    class NormalMode;
    class BootstrapMode;

    MetadataSpaceMap(TransactionManager& tm, AllocationPolicyKind policy, TraceObserver* observer);
    Status applyBops();
    Status queue(BlockOpType type, std::uint64_t b, std::uint64_t end = 0); // end 0: b + 1
    Status applyOne(BlockOpType type, std::uint64_t b);                     // in(); ll op; out()
    void setMode(Mode* mode);
    void trace(TraceKind kind, const char* op, std::uint64_t block = 0, std::uint64_t oldValue = 0,
               std::uint64_t newValue = 0) const;

    TransactionManager* tm_;
    std::unique_ptr<AllocationPolicy> policy_;
    TraceObserver* observer_;
    std::unique_ptr<LowLevelSpaceMap> live_;
    std::unique_ptr<LowLevelSpaceMap> committed_;
    std::unique_ptr<Mode> normal_;
    std::unique_ptr<Mode> bootstrap_;
    Mode* mode_ = nullptr;
    BlockOpRing ring_;
    std::uint32_t depth_ = 0;
    std::uint64_t cursor_ = 0;
    std::uint64_t allocatedThisTransaction_ = 0;
    std::uint64_t pendingNrBlocks_ = 0; // size before live_ exists (during create)
    Threshold threshold_;
    std::function<bool(std::uint64_t)> excluded_;
};

} // namespace dms
