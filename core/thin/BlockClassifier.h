#pragma once
// Classifies every block of a thin-pool metadata device by walking, from the live superblock and
// from the held metadata snapshot (if any), every tree (details, mapping top and bottom levels,
// both space maps' index, bitmaps and refcount trees), then reading the metadata space map's counts
// for what no pointer reached (free, leaked). Shared nodes are entered once and counted once per
// pointer; a shared bottom-level subtree is walked a second time only to mark its nodes "shared".
// Damaged blocks become Unreadable with the reason; the walk goes on around them.
//
// Meant for a worker thread: progress is reported every 64 blocks visited, and returning false
// from the callback cancels the walk (classify() then returns an error "cancelled").

#include "core/thin/BlockMap.h"
#include "core/thin/ThinMetadata.h"

#include <atomic>
#include <functional>

namespace dms {

class BlockClassifier {
public:
    // done: blocks visited so far; total: allocated blocks of the metadata space map (an estimate).
    using Progress = std::function<bool(std::uint64_t done, std::uint64_t total)>;

    explicit BlockClassifier(const ThinMetadata& metadata) : md_(metadata) {}

    // Fails only when cancelled; damage is recorded in the map.
    Expected<BlockMap> classify(const Progress& progress = {});
    // A flag another thread sets to cancel: looked at for every block (a relaxed load), so that
    // a scan of a slow device stops at once rather than at the next progress report.
    void setCancelFlag(const std::atomic<bool>* flag) { cancelFlag_ = flag; }

private:
    friend class ClassifyVisitor;

    enum class Tree {
        MetadataRefcount,
        DataRefcount,
        DataSmIndex,
        Details,
        MappingTop,
        MappingBottom
    };

    void readMetadataSpaceMap(const SpaceMapRoot& root);
    void readDataSpaceMap(const SpaceMapRoot& root);
    void walkSuperblockTrees(const ThinSuperblock& sb);
    void walkTree(Tree tree, std::uint64_t root, std::uint64_t device = 0);
    // A pointer to a block that is not a btree node (superblocks, bitmaps, index block).
    // Returns the block when it validated.
    std::optional<Block> referencePlain(std::uint64_t b, BlockRole role, BlockType type);
    bool tick();
    bool stopRequested();

    const ThinMetadata& md_;
    BlockMap map_;
    Progress progress_;
    std::uint64_t visited_ = 0;
    std::uint64_t progressTotal_ = 0;
    bool cancelled_ = false;
    const std::atomic<bool>* cancelFlag_ = nullptr;
    // Leaf entries collected while walking the trees that point at further structures.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> refcountEntries_;
    std::vector<std::uint64_t> bitmapBlocks_;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> bottomRoots_; // device, root
};

} // namespace dms
