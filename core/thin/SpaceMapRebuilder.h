#pragma once
// Recomputes both space maps from the trees, in one editor transaction: every metadata block's
// count becomes the number of pointers to it (BlockClassifier), every data block's the number of
// mapping entries in distinct leaves (live and held trees); leaks are freed, missing counts
// restored, and the hints (nr_allocated, nr_free, none_free_before) recounted. While counts are
// being fixed the allocator is kept off every block that is in use, even one the damaged map
// shows free. The space maps' own blocks are left to the space maps (they move as counts change);
// if one of those has a wrong count, or any block is unreadable, the rebuild refuses and says so.

#include "core/thin/ThinPoolEditor.h"

namespace dms {

struct SpaceMapRebuildResult {
    std::uint64_t metadataBlocksChanged = 0;
    std::uint64_t dataBlocksChanged = 0;
};

class SpaceMapRebuilder {
public:
    explicit SpaceMapRebuilder(ThinPoolEditor& editor) : editor_(editor) {}
    // Commits pending work first; leaves the rebuilt counts uncommitted.
    Expected<SpaceMapRebuildResult> run();

private:
    ThinPoolEditor& editor_;
};

} // namespace dms
