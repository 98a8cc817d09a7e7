#pragma once
// Reference counts of the metadata blocks of a cache or era device against its metadata space
// map (FORMAT.md §5): the checker reports every pointer it follows (superblock, btree nodes,
// array blocks), this adds the space map's own blocks (index block, bitmaps, refcount-tree
// nodes) and compares. cache_check and era_check 0.9.0 do not look at the space map at all, so
// these findings are warnings: they never change the verdict (e.g. the leaked block 6 of a
// cache_restore 0.9.0 format-1 image).

#include "core/BlockReader.h"
#include "core/check/CheckReport.h"
#include "core/spacemap/SpaceMapRoot.h"

#include <vector>

namespace dms {

class MetadataCountCheck {
public:
    MetadataCountCheck(const BlockReader& reader, const SpaceMapRoot& root, CheckReport& report);

    // One more pointer to block b (ignored beyond the device: the walk reported it).
    void ref(std::uint64_t b) {
        if (b < expected_.size()) ++expected_[b];
    }
    // Counts the space map's own blocks, then compares every block's count.
    void compare();

    static constexpr std::uint64_t kReportedPerKind = 100;

private:
    void warn(FindingCategory c, std::optional<std::uint64_t> block, std::string field,
              std::string message);

    const BlockReader& reader_;
    SpaceMapRoot root_;
    CheckReport& report_;
    std::vector<std::uint32_t> expected_;
};

} // namespace dms
