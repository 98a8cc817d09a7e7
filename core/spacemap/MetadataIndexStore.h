#pragma once
// The metadata space map's index: one block of 255 entries (FORMAT.md §5), held in memory and
// written by shadowing the index block at commit.
//
//   Off Size      Field
//   0   4         csum (xor 160478)
//   4   4         padding
//   8   8         blocknr
//   16  255 x 16  index entries

#include "core/spacemap/IndexStore.h"
#include "core/tx/TransactionManager.h"

#include <array>

namespace dms {

class MetadataIndexStore final : public IndexStore {
public:
    // A new, empty index block (during bootstrap).
    static Expected<std::unique_ptr<MetadataIndexStore>> create(TransactionManager& tm);
    // Reads the index block at `root`.
    static Expected<std::unique_ptr<MetadataIndexStore>> open(TransactionManager& tm,
                                                              std::uint64_t root);

    Expected<IndexEntry> load(std::uint64_t index) override;
    Status save(std::uint64_t index, const IndexEntry& entry) override;
    std::uint64_t maxEntries() const override { return kMetadataIndexEntries; }
    Status commit() override;
    std::uint64_t root() const override { return root_; }
    std::unique_ptr<IndexStore> clone() const override;

private:
    MetadataIndexStore(TransactionManager& tm, std::uint64_t root) : tm_(&tm), root_(root) {}

    TransactionManager* tm_;
    std::uint64_t root_;
    std::array<IndexEntry, kMetadataIndexEntries> entries_{};
};

} // namespace dms
