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

    bool stored() const { return !root.isZero(); } // a held snapshot copy stores none
    std::uint64_t nrBlocks() const { return root.nrBlocks; }

    static SpaceMapTotals count(const ThinMetadata& md, const SpaceMapRoot& root,
                                SpaceMapKind kind);
};

} // namespace dms
