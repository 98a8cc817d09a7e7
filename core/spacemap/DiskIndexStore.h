#pragma once
// The data space map's index: a btree of 16-byte index entries keyed by bitmap number
// (FORMAT.md §5), updated through the transaction manager on every save.

#include "core/btree/BtreeWriter.h"
#include "core/spacemap/IndexStore.h"

namespace dms {

class DiskIndexStore final : public IndexStore {
public:
    static Expected<std::unique_ptr<DiskIndexStore>> create(TransactionManager& tm);
    DiskIndexStore(TransactionManager& tm, std::uint64_t root);

    Expected<IndexEntry> load(std::uint64_t index) override;
    Status save(std::uint64_t index, const IndexEntry& entry) override;
    std::uint64_t maxEntries() const override { return ~std::uint64_t(0); }
    Status commit() override { return Status::success(); }
    std::uint64_t root() const override { return root_; }
    std::unique_ptr<IndexStore> clone() const override;

private:
    BtreeWriter writer_;
    std::uint64_t root_;
};

} // namespace dms
