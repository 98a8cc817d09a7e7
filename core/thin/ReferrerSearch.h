#pragma once
// "Who references metadata block N": every pointer to a block from the live superblock, the held
// metadata snapshot and every tree below them (superblock fields, the metadata space map's index
// entries, btree child slots, data space-map index values, top-level mapping values). Each node is
// entered once, as BlockClassifier does, so for an intact pool the referrers of a block are the
// pointers BlockMap::references() counts (block 0 has none: it is found at a fixed place).
//
// A full walk (every internal node of every tree; leaves only where they hold pointers), meant for
// a worker thread: progress every 16 nodes (a node read costs far more than the call), and
// returning false from it cancels the search. Also the data-block question, "which thin device and
// virtual block map data block N", through ThinRmap.

#include "core/thin/ThinMetadata.h"
#include "core/thin/ThinRmap.h"

#include <functional>
#include <string>
#include <vector>

namespace dms {

struct Referrer {
    enum class Kind {
        SuperblockField,  // a root in the live superblock or the held copy
        IndexEntry,       // the metadata space map's index block -> bitmap
        ChildPointer,     // an internal btree node -> child node
        DataSmIndexValue, // a data space-map index leaf -> data bitmap
        MappingTopValue,  // a top-level mapping leaf -> a device's bottom-level root
    };
    std::uint64_t target = 0; // the referenced block
    std::uint64_t parent = 0; // the block holding the pointer
    Kind kind = Kind::ChildPointer;
    std::uint32_t slot = 0; // entry index in the parent (0 for superblock fields)
    std::uint64_t key = 0;  // the parent's key at slot (btree parents), else 0
    std::string field; // FORMAT.md name: "data_mapping_root", "values[3]", "entries[2].blocknr"
    std::string path;  // from the superblock down to the parent, e.g.
                       // "live superblock 0 > data_mapping_root 12 > dev 3 88"
};

const char* referrerKindName(Referrer::Kind kind);

class ReferrerSearch {
public:
    // done: nodes entered; total: allocated metadata blocks (an estimate).
    using Progress = std::function<bool(std::uint64_t done, std::uint64_t total)>;

    explicit ReferrerSearch(const ThinMetadata& metadata) : md_(metadata) {}

    // The referrers of one block, in walk order. Fails only when cancelled or out of range.
    Expected<std::vector<Referrer>> find(std::uint64_t block, const Progress& progress = {});
    // The referrers of every block in `blocks`, in one walk.
    Expected<std::vector<Referrer>> find(const std::vector<std::uint64_t>& blocks,
                                         const Progress& progress = {});

    // Nodes entered by the last search.
    std::uint64_t nodesVisited() const { return visited_; }

private:
    enum class Tree { MetadataRefcount, DataRefcount, DataSmIndex, Details, MappingTop, Bottom };

    void walkSuperblock(const ThinSuperblock& sb, const std::string& name, bool live);
    // A pointer from the current parent (top of the path) to `b`.
    // rootField names superblock fields; other fields follow from kind and slot.
    void pointer(std::uint64_t b, Referrer::Kind kind, std::uint32_t slot, std::uint64_t key,
                 const char* rootField);
    // Enters node b (once per search); label names it in paths ("data_mapping_root", "dev 3:").
    void walkTree(Tree tree, std::uint64_t b, unsigned depth, const std::string& label);
    bool tick();

    const ThinMetadata& md_;
    Progress progress_;
    std::vector<std::uint8_t> wanted_;
    std::vector<std::uint8_t> entered_;
    std::vector<std::string> path_;
    std::vector<std::uint64_t> parents_;
    std::vector<Referrer> found_;
    std::uint64_t visited_ = 0;
    std::uint64_t total_ = 0;
    bool cancelled_ = false;
};

// Which thin devices map data block `dataBlock` (live mapping tree), one run of length 1 per
// (device, virtual block). Unlike thin_rmap, a subtree shared by several devices is reported for
// every device that reaches it (findDataBlockOwners). A full walk of the mapping trees.
Expected<std::vector<RmapRun>> findDataBlockUsers(const ThinMetadata& metadata,
                                                  std::uint64_t dataBlock);

} // namespace dms
