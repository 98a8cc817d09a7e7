#pragma once
// Test double for the metadata space map: reference counts in a vector, nothing on disk. New
// blocks come from blocks that have count 0 now and had count 0 at the last commit (the kernel's
// rule that a block freed in a transaction is not reused before the commit), lowest first.
// Counts newBlock calls, so tests can see whether a writer allocated.

#include "core/spacemap/SpaceMap.h"

#include <set>
#include <vector>

namespace dms::test {

class CountingSpaceMap final : public SpaceMap {
public:
    explicit CountingSpaceMap(std::uint64_t nrBlocks);

    std::uint64_t nrBlocks() const override { return counts_.size(); }
    Expected<std::uint64_t> nrFree() const override;
    Expected<std::uint32_t> count(std::uint64_t b) override;
    Expected<bool> countIsMoreThanOne(std::uint64_t b) override;
    Status setCount(std::uint64_t b, std::uint32_t count) override;
    Status inc(std::uint64_t b) override;
    Status dec(std::uint64_t b) override;
    Expected<std::uint64_t> newBlock() override;
    Status commit() override;
    // Back to the counts of the last commit (what reopening after an abort would read).
    void rollback();
    Status extend(std::uint64_t extraBlocks) override;
    SpaceMapRoot root() const override;

    const std::vector<std::uint32_t>& counts() const { return counts_; }
    std::uint64_t allocated() const; // blocks with count > 0
    std::uint64_t newBlockCalls() const { return newBlockCalls_; }

private:
    Status check(std::uint64_t b, const char* op) const;
    void setRaw(std::uint64_t b, std::uint32_t count);

    std::vector<std::uint32_t> counts_;
    std::vector<std::uint32_t> committed_;
    std::set<std::uint64_t> allocatable_; // count 0 now and at the last commit
    std::uint64_t newBlockCalls_ = 0;
};

} // namespace dms::test
