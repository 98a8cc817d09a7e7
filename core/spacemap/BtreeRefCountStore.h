#pragma once
// The refcount btree of a space map (u64 block -> u32 count, value_size 4): only blocks whose
// bitmap entry is 3 are in it.

#include "core/btree/BtreeWriter.h"
#include "core/spacemap/IndexStore.h"

namespace dms {

class BtreeRefCountStore final : public RefCountStore {
public:
    BtreeRefCountStore(TransactionManager& tm, std::uint64_t root);

    Expected<std::uint32_t> lookup(std::uint64_t b) override;
    Status insert(std::uint64_t b, std::uint32_t count) override;
    Status remove(std::uint64_t b) override;
    std::uint64_t root() const override { return root_; }
    std::unique_ptr<RefCountStore> clone() const override;

private:
    BtreeWriter writer_;
    std::uint64_t root_;
};

} // namespace dms
