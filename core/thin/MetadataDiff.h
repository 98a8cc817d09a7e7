#pragma once
// The difference between two states of the same pool's metadata (two transactions of an edit
// session, or two captures): the blocks whose bytes differ, the reference counts that changed
// (metadata and data space maps), and per thin device the mapping delta in thin_delta's
// categories: runs of virtual blocks mapped to the same data block on both sides, to different
// ones, or on one side only.

#include "core/BlockSource.h"

#include <memory>
#include <vector>

namespace dms {

class ThinMetadata;
struct ThinSuperblock;

struct MappingRun {
    enum class Kind { Same, Different, LeftOnly, RightOnly };
    Kind kind = Kind::Same;
    std::uint64_t begin = 0; // virtual block
    std::uint64_t length = 0;
};

const char* mappingRunKindName(MappingRun::Kind kind); // "same", "different", "left_only", ...

struct DeviceDelta {
    enum class Presence { Both, LeftOnly, RightOnly };
    std::uint64_t id = 0;
    Presence presence = Presence::Both;
    // Runs are contiguous virtual blocks of one kind (thin_delta's non-verbose output).
    std::vector<MappingRun> runs;
    std::uint64_t blocks[4] = {0, 0, 0, 0}; // per Kind
};

struct RefCountDelta {
    std::uint64_t block = 0;
    std::uint32_t before = 0;
    std::uint32_t after = 0;
};

struct MetadataDiff {
    std::vector<std::uint64_t> changedBlocks;
    std::vector<DeviceDelta> devices; // every device of either side, in id order
    std::vector<RefCountDelta> metadataCounts;
    std::vector<RefCountDelta> dataCounts;
    // False when a side has no space maps to compare (the held snapshot's superblock copy
    // keeps zeroed space map roots): the count deltas are then empty, not "no change".
    bool countsCompared = true;
};

class MetadataDiffer {
public:
    // `candidates`: the only blocks that may differ (e.g. those the transactions in between
    // wrote); empty: every block is compared.
    static Expected<MetadataDiff> compare(std::shared_ptr<const BlockSource> left,
                                          std::shared_ptr<const BlockSource> right,
                                          const std::vector<std::uint64_t>& candidates = {});
    // The held metadata snapshot (left) against the live superblock (right) of one metadata
    // device: the devices and their mappings as the snapshot saw them and as they are now.
    // Blocks are the same device's, so changedBlocks lists the metadata blocks the live trees
    // reach that the snapshot's do not, and the counts are not compared.
    static Expected<MetadataDiff> compareHeldWithLive(std::shared_ptr<const BlockSource> source);
    // Devices and (when both sides have space maps) reference counts of two superblocks.
    static Status compareSuperblocks(const ThinMetadata& left, const ThinSuperblock& leftSb,
                                     const ThinMetadata& right, const ThinSuperblock& rightSb,
                                     MetadataDiff& diff);
    // One device's mappings, left tree against right tree (each may be in other metadata).
    static Expected<std::vector<MappingRun>> compareMappings(const ThinMetadata& left,
                                                             std::uint64_t leftRoot,
                                                             const ThinMetadata& right,
                                                             std::uint64_t rightRoot);
};

} // namespace dms
