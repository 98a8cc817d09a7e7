#pragma once
// Reverse map of data-device regions to thin devices, as thin_rmap 0.9.0 computes it: the
// live mapping tree is walked once, devices in id order; mappings whose data block lies in any
// region are merged into runs (same device, data and virtual blocks both following on by one;
// time is ignored; mappings outside the regions do not break a run), and the runs are sorted by
// first data block with std::sort, whose order among equal starts is reproduced by doing the same.
// A node already visited is skipped, so a subtree shared by several devices is reported for the
// first device only. Device ids are narrowed to 32 bits, as thin_rmap prints them.

#include "core/thin/ThinMetadata.h"
#include "core/util/OutputBuffer.h"

#include <vector>

namespace dms {

struct DataRegion {
    std::uint64_t begin = 0; // first data block
    std::uint64_t end = 0;   // one past the last
};

struct RmapRun {
    std::uint64_t dataBegin = 0;
    std::uint64_t dataEnd = 0; // exclusive
    std::uint32_t thinDev = 0;
    std::uint64_t thinBegin = 0;
};

Expected<std::vector<RmapRun>> computeThinRmap(const ThinMetadata& md,
                                               const std::vector<DataRegion>& regions);

// "data B..E -> thin(D) T..U" lines, U = T + (E - B).
void writeThinRmap(OutputBuffer& out, const std::vector<RmapRun>& runs);

// thin_rmap's region syntax "BEGIN..END" (END exclusive) read as an istream does: leading
// blanks and a sign allowed, text after END ignored. Errors carry thin_rmap's wording.
Expected<DataRegion> parseDataRegion(const std::string& text);

} // namespace dms
