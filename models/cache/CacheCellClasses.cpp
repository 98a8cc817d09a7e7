#include "models/cache/CacheCellClasses.h"

namespace dms {

std::vector<std::uint8_t> cacheBlockClasses(const CacheContents& c) {
    // CacheContents::State has the same order and values as CacheCellClass.
    return c.states();
}

OriginRegions originRegionClasses(const CacheContents& c, std::uint64_t maxRegions) {
    OriginRegions r;
    const std::uint64_t extent = c.originExtent();
    if (extent == 0) return r;
    r.regionSize = (extent + maxRegions - 1) / maxRegions;
    const std::uint64_t regions = (extent + r.regionSize - 1) / r.regionSize;
    r.classes.assign(regions, OriginNotCached);
    r.cachedBlocks.assign(regions, 0);
    for (std::uint32_t cb = 0; cb < c.cacheBlocks(); ++cb) {
        const CacheContents::State s = c.state(cb);
        if (s != CacheContents::Clean && s != CacheContents::Dirty) continue;
        const std::uint64_t region = CacheContents::originOf(c.mapping(cb)) / r.regionSize;
        ++r.cachedBlocks[region];
        r.classes[region] = std::max<std::uint8_t>(
            r.classes[region], s == CacheContents::Dirty ? OriginDirty : OriginCached);
    }
    return r;
}

std::vector<std::uint8_t> discardClasses(const CacheContents& c) {
    std::vector<std::uint8_t> out(c.discardBlocks(), DiscardKept);
    for (std::uint64_t i = 0; i < out.size(); ++i)
        if (c.discarded(i)) out[i] = DiscardDiscarded;
    return out;
}

} // namespace dms
