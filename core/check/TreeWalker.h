#pragma once
// Walks one btree (one or two levels) the way thin_check 0.9.0 does, in one of its two passes:
//
//  Damage  the pass over the live trees: every failed node check is fatal; a node already
//          seen in this tree is skipped silently (so a pointer back to an ancestor is too).
//  Count   the counting pass over every tree: a node is counted once per pointer but descended
//          only on its first count; a node failing a check is neither counted nor descended
//          (non-fatal: its blocks then appear leaked); read errors are fatal.
//
// Leaf values are handed to a LeafHandler (Count only). Nodes are read in place from the
// mapped device; no allocation happens per node unless something is reported.

#include "core/check/NodeChecks.h"
#include "core/check/WalkEnv.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace dms {

class TreeWalker;

struct TreeSpec {
    std::string name;                // e.g. "live mapping", used in finding paths
    unsigned levels = 1;             // 2 for the thin mapping tree
    std::uint32_t leafValueSize = 8; // value size of the last level's leaves
    std::uint64_t rootHolder = 0;    // block holding the root pointer (a superblock)
    std::string rootField;           // its field, e.g. "data_mapping_root"
    bool live = false;               // thin_check also walks it in its damage pass
};

class LeafHandler {
public:
    virtual ~LeafHandler() = default;
    // A leaf of the last level, on its first count.
    virtual void leaf(const NodeView& node, TreeWalker& walker) = 0;
    // An entry of an upper-level leaf: key and sub-tree root. Return false to leave the sub-tree
    // to the caller (the parallel walk collects roots this way).
    virtual bool subRoot(std::uint64_t /*key*/, std::uint64_t /*root*/, TreeWalker&) {
        return true;
    }
};

enum class WalkMode { Damage, Count };

// Where a walk starts when it is not a tree's root: a subtree of a bottom-level tree.
struct SubtreeStart {
    std::uint64_t block = 0;
    unsigned level = 0;
    unsigned depth = 0; // below the bottom-level root
    std::optional<std::uint64_t> parentKey;
    std::optional<std::uint64_t> highKey;
    std::uint32_t parentSlot = 0;
    std::vector<std::uint64_t> pathBlocks; // top-level blocks, then the sub-tree's blocks
    std::uint64_t subTreeKey = 0;          // the top-level key (device id)
    std::size_t subTreeKeyAt = 0;          // position of the key within pathBlocks
};

class TreeWalker {
public:
    static constexpr unsigned kMaxDepth = 64;

    TreeWalker(WalkEnv& env, const TreeSpec& spec, WalkMode mode, LeafHandler* handler = nullptr,
               BlockBitmap* damageSeen = nullptr);

    void walk(std::uint64_t root);
    void walkSubtree(const SubtreeStart& start);

    // What a subtree walk saw of the last level's leaves (for checks across subtrees).
    std::optional<std::uint64_t> firstLeafKey() const { return firstLeafKey_; }
    std::optional<std::uint64_t> lastLeafKey() const { return lastLeafKey_[spec_.levels - 1]; }
    std::optional<unsigned> leafDepth() const { return leafDepth_[spec_.levels - 1]; }

    // For handlers: report against the current node.
    void report(Severity s, FindingCategory c, std::uint64_t block, std::string field,
                std::string message) const;
    std::string path() const;
    const std::vector<std::uint64_t>& pathBlocks() const { return path_; }
    // Instead of descending into the children of internal nodes, hand them out as subtrees
    // (how the parallel walk splits big trees).
    void setExpandInto(std::vector<SubtreeStart>* out) { expandInto_ = out; }
    // The top-level key (device id) of the sub-tree being walked.
    std::uint64_t subTreeKey() const { return subTreeKey_; }
    const TreeSpec& spec() const { return spec_; }
    WalkEnv& env() const { return env_; }

private:
    struct Pos {
        unsigned level = 0;
        unsigned depth = 0;
        std::optional<std::uint64_t> parentKey;
        std::optional<std::uint64_t> highKey;
        std::uint32_t parentSlot = 0;
    };

    void visit(std::uint64_t block, const Pos& pos);
    const std::uint8_t* fetch(std::uint64_t block);
    bool onPath(std::uint64_t block) const;
    void fail(const Pos& pos, std::uint64_t block, const NodeProblem& p, bool suppressCheck);
    void extraWarnings(const NodeView& n, NodeKind kind, bool leafLike, const Pos& pos);
    void descend(const NodeView& n, NodeKind kind, bool leafLike, const Pos& pos);

    WalkEnv& env_;
    const TreeSpec& spec_;
    WalkMode mode_;
    LeafHandler* handler_;
    BlockBitmap* damageSeen_;
    std::vector<SubtreeStart>* expandInto_ = nullptr;

    std::vector<std::uint64_t> path_; // nodes above the current one
    std::size_t subTreeKeyAt_ = SIZE_MAX;
    std::uint64_t subTreeKey_ = 0;
    std::array<std::optional<std::uint64_t>, 2> lastLeafKey_;
    std::array<std::optional<unsigned>, 2> leafDepth_;
    std::optional<std::uint64_t> firstLeafKey_;
    std::vector<std::vector<std::uint8_t>> scratch_; // per depth, when the source is not mapped
};

} // namespace dms
