#pragma once
// How many mappings of one thin device carry each mapping time (the snapshot epoch a block was
// written in): the per-device counterpart of MetadataStats::mappingTimes, for charts that follow
// a selected device. One walk of the device's bottom-level tree, leaf values read directly.

#include "core/thin/ThinMetadata.h"

#include <atomic>
#include <map>

namespace dms {

struct MappingTimeHistogram {
    std::map<std::uint32_t, std::uint64_t> mappings; // time -> mappings
    std::uint64_t total = 0;
    std::vector<std::string> problems; // damage met; the counts are then partial

    // The device's mapping tree root comes from the top-level mapping tree of sb. A missing
    // device is a problem (empty histogram). cancel, when set, stops the walk early.
    static MappingTimeHistogram compute(const ThinMetadata& md, const ThinSuperblock& sb,
                                        std::uint64_t devId,
                                        const std::atomic<bool>* cancel = nullptr);
};

} // namespace dms
