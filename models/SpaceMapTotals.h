#pragma once
// Totals of one space map as the GUI shows them: blocks covered and blocks in use, counted from
// the bitmaps (the root's nr_allocated is only a hint, off by one in tool-written images).

#include "core/spacemap/SpaceMapReader.h"

#include <optional>
#include <string>

namespace dms {

class ThinMetadata;

struct SpaceMapTotals {
    SpaceMapKind kind = SpaceMapKind::Data;
    SpaceMapRoot root;
    std::optional<std::uint64_t> allocated; // from the bitmaps; empty when they cannot be read
    std::string error;                      // why `allocated` is empty
    bool fromIndex = false; // allocated is nr_blocks minus the index entries' nr_free (a hint)

    bool stored() const { return !root.isZero(); } // a held snapshot copy stores none
    std::uint64_t nrBlocks() const { return root.nrBlocks; }

    static SpaceMapTotals count(const ThinMetadata& md, const SpaceMapRoot& root,
                                SpaceMapKind kind);
    // At once, from the index entries only (no bitmap read): what a window shows until count()
    // has read the bitmaps of a big data space map (65 794 bitmaps for 1 G blocks).
    static SpaceMapTotals estimate(const ThinMetadata& md, const SpaceMapRoot& root,
                                   SpaceMapKind kind);
    // count() for maps of at most maxBitmaps bitmaps, else estimate().
    static SpaceMapTotals quick(const ThinMetadata& md, const SpaceMapRoot& root, SpaceMapKind kind,
                                std::size_t maxBitmaps = 256);
};

} // namespace dms
