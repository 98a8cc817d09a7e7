#pragma once
// The class bytes the cache maps draw (views/common/CellGrid): per cache block its state, per
// origin region whether any block in it is cached and whether any is dirty, per discard block
// whether it is discarded. Class values order what matters: a higher one wins when a square
// stands for several items.

#include "models/cache/CacheContents.h"

#include <vector>

namespace dms {

enum CacheCellClass : std::uint8_t {
    CellUnmapped = 0,
    CellClean = 1,
    CellDirty = 2,
    CellUnreadable = 3,
};

enum OriginCellClass : std::uint8_t { OriginNotCached = 0, OriginCached = 1, OriginDirty = 2 };
enum DiscardCellClass : std::uint8_t { DiscardKept = 0, DiscardDiscarded = 1 };

std::vector<std::uint8_t> cacheBlockClasses(const CacheContents& c);

// The origin device split into at most maxRegions regions of regionSize blocks (the extent is
// the highest mapped origin block + 1: the metadata does not store the origin's size).
struct OriginRegions {
    std::uint64_t regionSize = 1;
    std::vector<std::uint8_t> classes;
    std::vector<std::uint32_t> cachedBlocks; // per region
};
OriginRegions originRegionClasses(const CacheContents& c, std::uint64_t maxRegions = 65536);

std::vector<std::uint8_t> discardClasses(const CacheContents& c);

} // namespace dms
