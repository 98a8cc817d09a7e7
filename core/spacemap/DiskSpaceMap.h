#pragma once
// The thin data device's space map (the kernel's dm-space-map-disk): counts of data blocks kept
// in bitmaps (metadata blocks) indexed by a btree. Its changes allocate metadata blocks from the
// metadata space map through the transaction manager; new data blocks come from the committed
// state, searched from a cursor that returns to 0 at commit.

#include "core/spacemap/LowLevelSpaceMap.h"
#include "core/spacemap/SpaceMap.h"

namespace dms {

class DiskSpaceMap final : public SpaceMap {
public:
    static Expected<std::unique_ptr<DiskSpaceMap>>
    create(TransactionManager& tm, std::uint64_t nrBlocks, TraceObserver* observer = nullptr);
    static Expected<std::unique_ptr<DiskSpaceMap>>
    open(TransactionManager& tm, const SpaceMapRoot& root, TraceObserver* observer = nullptr);

    std::uint64_t nrBlocks() const override { return live_->nrBlocks(); }
    Expected<std::uint64_t> nrFree() const override;
    Expected<std::uint32_t> count(std::uint64_t b) override { return live_->lookup(b); }
    Expected<bool> countIsMoreThanOne(std::uint64_t b) override;
    Status setCount(std::uint64_t b, std::uint32_t count) override;
    Status inc(std::uint64_t b) override;
    Status dec(std::uint64_t b) override;
    Expected<std::uint64_t> newBlock() override;
    Status commit() override;
    Status extend(std::uint64_t extraBlocks) override;
    SpaceMapRoot root() const override { return live_->root(); }

    std::uint64_t cursor() const { return cursor_; }
    std::int64_t allocatedThisTransaction() const { return allocatedThisTransaction_; }
    void setObserver(TraceObserver* observer);
    // As MetadataSpaceMap::recountHints.
    Status recountHints() { return live_->recountHints(); }

private:
    explicit DiskSpaceMap(TraceObserver* observer) : observer_(observer) {}
    void account(AllocationEvent ev, std::uint64_t b);
    void trace(TraceKind kind, const char* op, std::uint64_t block,
               std::uint64_t newValue = 0) const;
    SpaceMapState state() const;

    TraceObserver* observer_;
    std::unique_ptr<LowLevelSpaceMap> live_;
    std::unique_ptr<LowLevelSpaceMap> committed_;
    std::uint64_t cursor_ = 0;
    std::int64_t allocatedThisTransaction_ = 0;
};

} // namespace dms
