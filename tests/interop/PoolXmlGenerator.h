#pragma once
// A seeded generator of thin-pool histories, written out as thin_restore input XML.
//
// The pool is built by replaying a kernel-like history (create thin, snapshot, write, discard,
// delete) so that snapshots share data blocks with their origins, later writes split shared
// runs, and data reference counts reach up to kMaxSharing. Sizes vary from a handful of
// mappings to a few hundred thousand, with data devices needing many bitmap blocks and
// metadata devices needing several metadata bitmaps. Only values thin_restore 0.9.0 accepts
// and the kernel could have written are produced: mapping times <= pool time, data blocks <
// nr_data_blocks, each virtual block mapped at most once per device, no data block mapped twice
// by one device.
//
// The same seed gives the same pool on every platform (own integer sampling, no <random>
// distributions, whose results differ between standard libraries).

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace dms::test {

// A run of consecutive virtual blocks mapped to consecutive data blocks at one time.
struct MappingRun {
    std::uint64_t virtualBegin = 0;
    std::uint64_t dataBegin = 0;
    std::uint64_t length = 0;
    std::uint32_t time = 0;
};

struct GeneratedDevice {
    std::uint64_t id = 0;
    std::uint64_t transaction = 0;
    std::uint32_t creationTime = 0;
    std::uint32_t snapTime = 0;
    std::vector<MappingRun> runs; // ascending virtual blocks, non-overlapping
    std::uint64_t mappedBlocks() const;
};

struct GeneratedPool {
    std::uint64_t seed = 0;
    std::string shape; // the size class, for messages ("small", "large", ...)
    std::uint32_t time = 0;
    std::uint64_t transaction = 0;
    bool needsCheck = false;
    std::uint32_t dataBlockSize = 128; // sectors
    std::uint64_t nrDataBlocks = 0;
    std::uint64_t metadataBytes = 0;      // size of the image file to restore into
    std::vector<GeneratedDevice> devices; // ascending id
    std::vector<std::size_t> inputOrder;  // the order of the devices in the restore XML
    std::uint32_t maxDataRefCount = 0;
    // Input spelling choices (the dump must not depend on them).
    bool omitFlagsAttribute = false;
    bool splitRunsInInput = false;
    bool shuffleInput = false; // devices (and short devices' mappings) out of order
    unsigned attempts = 1;     // generations until thin_restore could restore the pool

    std::uint64_t totalMappedBlocks() const;
    // One-line summary for failure messages.
    std::string describe() const;
};

inline constexpr std::uint32_t kMaxSharing = 20;

// Pool `index` of a run seeded with `runSeed`; the index also steers the size class so that
// every run of 200 pools contains the big shapes.
GeneratedPool generatePool(std::uint64_t runSeed, std::uint64_t index);

// thin_restore input.
std::string poolToRestoreXml(const GeneratedPool& pool);
// What thin_dump prints for the restored image: devices in id order, mappings in virtual order,
// runs merged when virtual and data blocks continue with equal time, runs of one as singles.
std::string poolToExpectedDump(const GeneratedPool& pool);

// A uniform 64-bit stream with portable bounded sampling.
class PoolRandom {
public:
    explicit PoolRandom(std::uint64_t seed) : engine_(seed) {}
    std::uint64_t next() { return engine_(); }
    // Uniform in [0, n); n > 0.
    std::uint64_t below(std::uint64_t n);
    // Uniform in [lo, hi].
    std::uint64_t between(std::uint64_t lo, std::uint64_t hi) { return lo + below(hi - lo + 1); }
    // True with probability percent/100.
    bool chance(unsigned percent) { return below(100) < percent; }
    // Log-uniform in [lo, hi]: small values as likely per decade as large ones.
    std::uint64_t logBetween(std::uint64_t lo, std::uint64_t hi);

private:
    std::mt19937_64 engine_;
};

std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b);

} // namespace dms::test
