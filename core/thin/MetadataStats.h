#pragma once
// Statistics of a thin pool's metadata: reference-count histograms and free-run lengths of both
// space maps, depth and fill of every btree, per-device mapped / exclusive / shared counts and the
// distribution of mapping times. Computed in one pass over the space maps and one walk of each
// tree, reading leaf values directly (no per-entry callbacks). The key names used by
// `dmscope-cli stats --json` are the field names here.

#include "core/thin/ThinMetadata.h"

#include <map>
#include <string>
#include <vector>

namespace dms {

// Fill of nodes in percent of max_entries (100 * nr_entries / max_entries).
struct FillStats {
    std::uint64_t nodes = 0;
    double minPercent = 0;
    double maxPercent = 0;
    double sumPercent = 0;
    double avgPercent() const { return nodes ? sumPercent / double(nodes) : 0; }
    void add(double percent);
    void merge(const FillStats& other);
};

struct TreeStats {
    std::string name; // metadata_refcount, data_refcount, data_sm_index, details, mapping_top,
                      // mapping_bottom (all devices together), or the device's tree
    std::uint64_t root = 0;
    std::vector<std::uint64_t> nodesPerLevel; // [0] = the root level
    std::uint64_t entries = 0;                // leaf entries
    FillStats leaves;
    FillStats internals;
    unsigned levels() const { return static_cast<unsigned>(nodesPerLevel.size()); }
    std::uint64_t nodes() const;
    void merge(const TreeStats& other); // level by level, from the root
};

// Runs of consecutive free (count 0) blocks. Bucket k counts runs of length 2^k .. 2^(k+1)-1.
struct FreeRunStats {
    std::uint64_t runs = 0;
    std::uint64_t freeBlocks = 0;
    std::uint64_t largest = 0;
    std::uint64_t largestFirst = 0; // first block of the (first) largest run
    std::vector<std::uint64_t> bucketRuns;
    std::vector<std::uint64_t> bucketBlocks;
    void addRun(std::uint64_t first, std::uint64_t length);
};

struct SpaceMapStats {
    std::uint64_t nrBlocks = 0;
    std::map<std::uint32_t, std::uint64_t> refcounts; // count -> blocks (count 0 included)
    FreeRunStats freeRuns;
};

struct DeviceStats {
    std::uint64_t id = 0;
    DeviceDetails details;
    std::uint64_t mappings = 0; // leaf entries found in its tree
    // As thin_ls: a mapping is exclusive when no other mapping of the walked devices (live, or
    // the held copy's with --metadata-snap) points at its data block, else shared.
    std::uint64_t exclusive = 0;
    std::uint64_t shared = 0;
    TreeStats tree;
};

struct MetadataStats {
    bool fromMetadataSnapshot = false;
    std::uint32_t time = 0; // the superblock's time (mapping times are <= it)
    SpaceMapStats metadata;
    SpaceMapStats data;
    std::vector<TreeStats> trees;
    std::vector<DeviceStats> devices;
    std::map<std::uint32_t, std::uint64_t> mappingTimes; // time -> mappings, all devices
    std::vector<std::string> problems;                   // damage found (the rest is partial)

    // Trees, devices and mapping times from `sb` (the live superblock or the held copy); the space
    // maps always from the live superblock (the copy's are zero).
    static MetadataStats compute(const ThinMetadata& md, const ThinSuperblock& sb);
};

} // namespace dms
