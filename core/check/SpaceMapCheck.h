#pragma once
// The space maps in a check (FORMAT.md §5): their own blocks are metadata references
// ("self-hosting": metadata index, metadata bitmaps, both refcount trees, the data space-map
// index btree and the data bitmaps each count once per pointer), then the comparison of
// on-disk counts with the expected ones.
//
// Metadata counts are compared as thin_check 0.9.0 does: a block counted higher on disk
// than referenced is a non-fatal leak, lower is fatal, and a bitmap or refcount lookup that
// fails stops the comparison (fatal). thin_check 0.9.0 does not compare data counts at all,
// so every data finding is a warning (leaks and bad counts still told apart).

#include "core/check/RefCountLookup.h"
#include "core/check/ThinTreeHandlers.h"
#include "core/spacemap/SpaceMapRoot.h"

#include <memory>

namespace dms {

class SpaceMapCheck {
public:
    SpaceMapCheck(WalkEnv& env, const SpaceMapRoot& metadata, const SpaceMapRoot& data);

    void countMetadataSpaceMap();
    void countDataSpaceMap();

    void compareMetadata(CheckStats& stats);
    // dataCounts null: data blocks were not counted, for the reason given.
    void compareData(const RefCountArray* dataCounts, const std::string& whyNotCounted = {});

    static constexpr std::uint64_t kReportedPerKind = 100;

    // Data blocks the data space map can describe: nr_blocks, but no more than its index has
    // bitmaps for. Bounds the one-byte-per-block count array against a corrupt nr_blocks.
    static std::uint64_t dataBlocksCovered(std::shared_ptr<const BlockSource> source,
                                           const SpaceMapRoot& data);

private:
    const std::uint8_t* blockBytes(std::uint64_t b, std::vector<std::uint8_t>& copy) const;
    void report(Severity s, FindingCategory c, std::optional<std::uint64_t> block,
                std::string field, std::string message, std::string path = {});

    WalkEnv& env_;
    SpaceMapRoot metaRoot_;
    SpaceMapRoot dataRoot_;
    TreeSpec metaRefSpec_;
    TreeSpec dataIndexSpec_;
    TreeSpec dataRefSpec_;

    bool metaIndexOk_ = false;
    std::vector<IndexEntry> metaEntries_;
    std::vector<std::pair<std::uint64_t, IndexEntry>> dataEntries_; // sorted by key
    bool dataTreesWalked_ = false;
};

} // namespace dms
