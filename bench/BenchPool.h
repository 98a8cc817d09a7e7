#pragma once
// The benchmark's thin pools: a generated thin_restore XML (origins of contiguous mappings plus
// snapshots that diverge in scattered chunks, like writes after `lvcreate -s`), restored once into
// a metadata image and cached with a version stamp so later runs reuse it.

#include <cstdint>
#include <optional>
#include <string>

namespace dms::bench {

struct PoolSpec {
    std::string name;
    unsigned origins = 1;
    std::uint64_t originBlocks = 0;  // mapped virtual blocks per origin (one contiguous run)
    unsigned snapshotsPerOrigin = 0; // each diverges from its origin
    unsigned divergePerMille = 30;   // chance per chunk that a snapshot rewrote it
    std::uint64_t chunkBlocks = 16;  // a diverged chunk is remapped to fresh data blocks
    std::uint64_t metadataBytes = 0; // size of the metadata image
    std::uint64_t dataBlockSectors = 128;

    static std::optional<PoolSpec> named(const std::string& name);
    // Identifies the generator and every parameter: a cached image with another stamp is rebuilt.
    std::string stamp() const;
};

struct PoolFacts {
    std::uint64_t mappings = 0;
    std::uint64_t devices = 0;
    std::uint64_t dataBlocks = 0;         // nr_data_blocks of the pool
    std::uint64_t usedMetadataBlocks = 0; // count > 0 in the metadata space map
    std::uint64_t metadataBlocks = 0;     // blocks of the image
};

// Returns the path of the pool image under dir, building it first if the cached one is missing or
// has another stamp. Progress and errors go to stderr; an empty string means failure.
std::string ensurePool(const PoolSpec& spec, const std::string& dir, bool rebuild);

// Reads the facts from the image (superblock, space maps, details tree).
std::optional<PoolFacts> readPoolFacts(const std::string& image);

} // namespace dms::bench
