#include "tests/interop/PoolXmlGenerator.h"

#include "tests/interop/PoolHistory.h"
#include "tests/interop/RestoreBtreeModel.h"

#include <algorithm>
#include <cstdio>

namespace dms::test {

namespace {

constexpr std::uint64_t kBitmapEntries = 16320;       // entries per space-map bitmap block
constexpr std::uint64_t kMaxMetadataBlocks = 4161600; // 255 metadata bitmaps
constexpr std::uint64_t kMetadataBlockBytes = 4096;

enum class Shape { Tiny, Small, Medium, ManyDevices, Large, WideData, HugeMetadata };

const char* shapeName(Shape s) {
    switch (s) {
    case Shape::Tiny:
        return "tiny";
    case Shape::Small:
        return "small";
    case Shape::Medium:
        return "medium";
    case Shape::ManyDevices:
        return "many-devices";
    case Shape::Large:
        return "large";
    case Shape::WideData:
        return "wide-data";
    case Shape::HugeMetadata:
        return "huge-metadata";
    }
    return "?";
}

// Every 200 pools hold 8 large, 4 wide-data, 2 huge-metadata and 10 many-device pools; the rest
// are drawn at random, mostly small so that a run stays short.
Shape shapeFor(std::uint64_t index, PoolRandom& rng) {
    if (index % 25 == 3) return Shape::Large;
    if (index % 50 == 11) return Shape::WideData;
    if (index % 100 == 42) return Shape::HugeMetadata;
    if (index % 20 == 7) return Shape::ManyDevices;
    const auto r = rng.below(100);
    return r < 20 ? Shape::Tiny : r < 75 ? Shape::Small : Shape::Medium;
}

std::uint32_t pickDataBlockSize(PoolRandom& rng) {
    // The kernel accepts multiples of 128 sectors (64 KiB) up to 2^21 sectors (1 GiB).
    static const std::uint32_t sizes[] = {256, 384, 512, 1024, 2048, 4096, 8192, 65536, 2097152};
    if (rng.chance(55)) return 128;
    if (rng.chance(15)) return std::uint32_t(128 * rng.between(1, 16384));
    return sizes[rng.below(std::size(sizes))];
}

// Generous upper bound of the metadata blocks thin_restore needs: half-full leaves of 8-byte
// values, the data bitmaps and their index tree, device details, superblock and space maps.
std::uint64_t metadataBlocksNeeded(const GeneratedPool& pool) {
    std::uint64_t blocks = 16;
    for (const auto& d : pool.devices)
        blocks += 2 + d.mappedBlocks() / 100;
    const std::uint64_t bitmaps = (pool.nrDataBlocks + kBitmapEntries - 1) / kBitmapEntries;
    blocks += bitmaps + bitmaps / 50 + pool.devices.size() / 40;
    return blocks;
}

std::uint64_t pickMetadataBlocks(const GeneratedPool& pool, Shape shape, PoolRandom& rng) {
    const std::uint64_t need = 2 * metadataBlocksNeeded(pool);
    if (shape == Shape::HugeMetadata) {
        // At the limit of the metadata space map, or beyond it (the tools use only the first
        // kMaxMetadataBlocks blocks).
        const auto r = rng.below(3);
        return r == 0   ? kMaxMetadataBlocks
               : r == 1 ? kMaxMetadataBlocks + 1
                        : kMaxMetadataBlocks + rng.between(2, 300000);
    }
    const auto r = rng.below(100);
    if (shape == Shape::Large || r < 20)
        return std::max(need, rng.between(kBitmapEntries + 1, 5 * kBitmapEntries)); // >1 bitmap
    if (r < 40) return rng.between(need, need + need / 2);                          // tight
    return std::max(need, rng.logBetween(16, kBitmapEntries));
}

std::string u64(std::uint64_t v) {
    return std::to_string(v);
}

void appendRun(std::string& out, std::uint64_t v, std::uint64_t d, std::uint64_t len,
               std::uint32_t time, bool rangeOfOne) {
    if (len == 1 && !rangeOfOne) {
        out += "    <single_mapping origin_block=\"" + u64(v) + "\" data_block=\"" + u64(d) +
               "\" time=\"" + u64(time) + "\"/>\n";
    } else {
        out += "    <range_mapping origin_begin=\"" + u64(v) + "\" data_begin=\"" + u64(d) +
               "\" length=\"" + u64(len) + "\" time=\"" + u64(time) + "\"/>\n";
    }
}

std::string superblockLine(const GeneratedPool& pool, bool withFlags) {
    std::string s = "<superblock uuid=\"\" time=\"" + u64(pool.time) + "\" transaction=\"" +
                    u64(pool.transaction) + "\"";
    if (withFlags) s += " flags=\"" + u64(pool.needsCheck ? 1 : 0) + "\"";
    s += " version=\"2\" data_block_size=\"" + u64(pool.dataBlockSize) + "\" nr_data_blocks=\"" +
         u64(pool.nrDataBlocks) + "\">\n";
    return s;
}

std::string deviceLine(const GeneratedDevice& d) {
    return "  <device dev_id=\"" + u64(d.id) + "\" mapped_blocks=\"" + u64(d.mappedBlocks()) +
           "\" transaction=\"" + u64(d.transaction) + "\" creation_time=\"" + u64(d.creationTime) +
           "\" snap_time=\"" + u64(d.snapTime) + "\">\n";
}

} // namespace

std::uint64_t PoolRandom::below(std::uint64_t n) {
    // Lemire's multiply-shift with rejection: exact and portable.
    for (;;) {
        const unsigned __int128 m = static_cast<unsigned __int128>(next()) * n;
        const std::uint64_t low = static_cast<std::uint64_t>(m);
        if (low >= n || low >= (0 - n) % n) return static_cast<std::uint64_t>(m >> 64);
    }
}

std::uint64_t PoolRandom::logBetween(std::uint64_t lo, std::uint64_t hi) {
    if (lo >= hi) return lo;
    const int bitsLo = 64 - __builtin_clzll(lo | 1);
    const int bitsHi = 64 - __builtin_clzll(hi);
    const int bits = int(between(std::uint64_t(bitsLo), std::uint64_t(bitsHi)));
    const std::uint64_t top = bits >= 64 ? ~0ull : (1ull << bits) - 1;
    const std::uint64_t bottom = bits <= 1 ? 0 : 1ull << (bits - 1);
    return between(std::max(lo, bottom), std::min(hi, top));
}

std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b) {
    // splitmix64 finaliser over a combination of both.
    std::uint64_t z = a + 0x9E3779B97F4A7C15ull * (b + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::uint64_t GeneratedDevice::mappedBlocks() const {
    std::uint64_t n = 0;
    for (const auto& r : runs)
        n += r.length;
    return n;
}

std::uint64_t GeneratedPool::totalMappedBlocks() const {
    std::uint64_t n = 0;
    for (const auto& d : devices)
        n += d.mappedBlocks();
    return n;
}

std::string GeneratedPool::describe() const {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "%s pool: %zu devices, %llu mapped blocks, max data refcount %u, "
                  "nr_data_blocks %llu, metadata %llu blocks, data_block_size %u%s",
                  shape.c_str(), devices.size(), (unsigned long long)totalMappedBlocks(),
                  maxDataRefCount, (unsigned long long)nrDataBlocks,
                  (unsigned long long)(metadataBytes / kMetadataBlockBytes), dataBlockSize,
                  attempts > 1 ? ", regenerated" : "");
    return buf;
}

namespace {

GeneratedPool generateOnce(std::uint64_t seed, Shape shape) {
    GeneratedPool pool;
    pool.seed = seed;
    PoolRandom rng(pool.seed);
    pool.shape = shapeName(shape);
    pool.dataBlockSize = pickDataBlockSize(rng);
    pool.needsCheck = rng.chance(10);
    pool.omitFlagsAttribute = !pool.needsCheck && rng.chance(10);
    pool.splitRunsInInput = rng.chance(30);
    pool.shuffleInput = rng.chance(10);

    HistoryLimits lim;
    switch (shape) {
    case Shape::Tiny:
        pool.nrDataBlocks = rng.logBetween(1, 256);
        lim = {rng.below(40), std::size_t(rng.below(5)), 16, rng.logBetween(1, 4096), false};
        break;
    case Shape::Small:
    case Shape::HugeMetadata:
        pool.nrDataBlocks = rng.logBetween(256, 2 * kBitmapEntries);
        lim = {rng.logBetween(20, 4000), std::size_t(rng.between(1, 10)), 1024, 0, false};
        break;
    case Shape::Medium:
        pool.nrDataBlocks = rng.between(kBitmapEntries + 1, 8 * kBitmapEntries);
        lim = {rng.between(4000, 40000), 26, 8192, 0, rng.chance(50)};
        break;
    case Shape::ManyDevices:
        // More than one leaf in the details tree and the top-level mapping tree.
        pool.nrDataBlocks = rng.between(1000, 100000);
        lim = {rng.between(2000, 6000), std::size_t(rng.between(140, 420)), 64, 0, rng.chance(50)};
        lim.initialDevices = lim.maxDevices - rng.below(12);
        break;
    case Shape::Large:
        pool.nrDataBlocks = rng.between(6 * kBitmapEntries, 40 * kBitmapEntries);
        lim = {rng.between(100000, 400000), 26, 65536, 0, true};
        lim.firstDeviceBlocks = rng.between(40000, 100000);
        break;
    case Shape::WideData:
        // The data space map index tree needs more than one leaf (168 bitmaps each).
        pool.nrDataBlocks = rng.between(170 * kBitmapEntries, 360 * kBitmapEntries);
        lim = {rng.between(500, 8000), std::size_t(rng.between(1, 8)), 4096, 0, false};
        break;
    }
    if (lim.virtualSpan == 0) {
        // Dense, sparse (several tree levels by key spread) or very sparse virtual addresses.
        const auto r = rng.below(100);
        lim.virtualSpan = r < 50   ? std::max<std::uint64_t>(1024, 3 * lim.targetMapped)
                          : r < 85 ? rng.logBetween(1ull << 20, 1ull << 32)
                                   : rng.logBetween(1ull << 32, 1ull << 48);
    }
    PoolHistory(rng, pool, lim).run();
    pool.metadataBytes = pickMetadataBlocks(pool, shape, rng) * kMetadataBlockBytes;
    if (rng.chance(5)) pool.metadataBytes += rng.between(1, kMetadataBlockBytes - 1);
    for (std::size_t i = 0; i < pool.devices.size(); ++i)
        pool.inputOrder.push_back(i);
    // Out-of-order keys are safe only while the details and top-level trees have one leaf
    // (126 devices): thin_restore mis-splits the leftmost node when a smaller key arrives.
    pool.shuffleInput = pool.shuffleInput && pool.devices.size() <= 126;
    if (pool.shuffleInput)
        for (std::size_t i = pool.inputOrder.size(); i > 1; --i)
            std::swap(pool.inputOrder[i - 1], pool.inputOrder[rng.below(i)]);
    return pool;
}

} // namespace

GeneratedPool generatePool(std::uint64_t runSeed, std::uint64_t index) {
    const std::uint64_t seed = mixSeed(runSeed, index);
    PoolRandom shapeRng(mixSeed(seed, 0x7368617065));
    const Shape shape = shapeFor(index, shapeRng);
    for (unsigned attempt = 1;; ++attempt) {
        // Rarely, the data blocks reach a count of 3 in an order that thin_restore 0.9.0 cannot
        // store (RestoreBtreeModel.h); such a pool is replaced by another of the same shape.
        GeneratedPool pool = generateOnce(attempt == 1 ? seed : mixSeed(seed, attempt), shape);
        pool.attempts = attempt;
        if (attempt == 20 || !restoreBreaksRefCountTree(pool)) return pool;
    }
}

std::string poolToRestoreXml(const GeneratedPool& pool) {
    PoolRandom rng(mixSeed(pool.seed, 0x786d6c)); // spelling choices, independent of content
    std::string out = superblockLine(pool, !pool.omitFlagsAttribute);
    for (std::size_t index : pool.inputOrder) {
        const GeneratedDevice& d = pool.devices[index];
        out += deviceLine(d);
        for (const auto& r : d.runs) {
            std::uint64_t done = 0;
            while (done < r.length) {
                // Split runs into pieces thin_restore has to join again.
                std::uint64_t len = r.length - done;
                if (pool.splitRunsInInput && len > 1 && rng.chance(40))
                    len = rng.between(1, len - 1);
                appendRun(out, r.virtualBegin + done, r.dataBegin + done, len, r.time,
                          pool.splitRunsInInput && rng.chance(20));
                done += len;
            }
        }
        out += "  </device>\n";
    }
    out += "</superblock>\n";
    return out;
}

std::string poolToExpectedDump(const GeneratedPool& pool) {
    std::string out = superblockLine(pool, true);
    for (const auto& d : pool.devices) {
        out += deviceLine(d);
        std::size_t i = 0;
        while (i < d.runs.size()) {
            MappingRun m = d.runs[i++];
            while (i < d.runs.size() && d.runs[i].virtualBegin == m.virtualBegin + m.length &&
                   d.runs[i].dataBegin == m.dataBegin + m.length && d.runs[i].time == m.time)
                m.length += d.runs[i++].length;
            appendRun(out, m.virtualBegin, m.dataBegin, m.length, m.time, false);
        }
        out += "  </device>\n";
    }
    out += "</superblock>\n";
    return out;
}

} // namespace dms::test
