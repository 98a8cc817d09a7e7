#pragma once
// Seeded random dm-cache metadata in cache_dump's XML: cache size, block size, policy name,
// valid mappings (distinct origin blocks, random dirty flags) and 4-byte hints, which
// cache_restore 0.9.0 turns into an image. xml(true) is the exact text cache_dump prints for
// such an image in format 1 (and dmscope-cli dump --dirty-from-bitset in format 2).

#include <QString>
#include <cstdint>
#include <random>
#include <vector>

namespace dms::test {

struct CacheMappingSpec {
    std::uint64_t cblock = 0;
    std::uint64_t origin = 0;
    bool dirty = false;
    std::uint32_t hint = 0;
    bool hasHint = false;
};

struct CachePoolSpec {
    std::uint32_t blockSize = 128;
    std::uint32_t nrCacheBlocks = 0;
    QString policy;
    std::vector<CacheMappingSpec> mappings;                          // ascending cache block
    std::vector<std::pair<std::uint64_t, std::uint32_t>> strayHints; // hints of unmapped blocks
    unsigned version = 1;

    // The XML; canonical = as cache_dump prints it (no stray hints, dirty as given).
    QString xml(bool canonical, bool allClean = false) const;
    // Metadata blocks the image needs, with room to spare.
    std::uint64_t imageBlocks() const;
};

// `large`: enough cache blocks for a two-level array spine (> 252 array blocks).
CachePoolSpec randomCachePool(std::mt19937_64& rng, bool large);

} // namespace dms::test
