#pragma once
// Depth-first, in-key-order walk of one btree, robust against hostile images: each pointer is
// bounds-checked, each node validated, and cycles (a child pointing at an ancestor), absurd depth,
// uneven leaf depth, key disorder within and across nodes, and keys outside the parent's range are
// reported with block, field and path from the root. After an error the walk goes on with the
// next sibling, so one broken node does not hide the rest of the tree.

#include "core/btree/BtreeNode.h"

#include <functional>
#include <optional>
#include <vector>

namespace dms {

struct BtreeWalkPosition {
    std::vector<std::uint64_t> path;     // blocks from the root down to (excluding) the current one
    std::uint64_t block = 0;             // the node this position is about
    std::uint64_t parentIndex = 0;       // slot in the parent that points here (0 for the root)
    std::optional<std::uint64_t> lowKey; // smallest key allowed (the parent's key)
    std::optional<std::uint64_t> highKey; // keys must stay below this (the parent's next key)
    unsigned depth() const { return static_cast<unsigned>(path.size()); }
};

class BtreeVisitor {
public:
    virtual ~BtreeVisitor() = default;
    // Every pointer to a node, before it is read (the root too). Return false to neither read nor
    // descend (e.g. a shared subtree already counted).
    virtual bool enter(std::uint64_t /*block*/, const BtreeWalkPosition&) { return true; }
    // Every node that read and validated, internal or leaf.
    virtual void node(const BtreeNode&, const BtreeWalkPosition&) {}
    // Every leaf, in key order, after node().
    virtual void leaf(const BtreeNode&, const BtreeWalkPosition&) {}
    virtual void error(const Error&) {}
};

struct BtreeWalkOptions {
    std::uint32_t leafValueSize = 0; // 0: any
    unsigned maxDepth = 16;          // 4 levels address 252^4 keys; deeper is corruption
    std::string treeName;            // used in error paths, e.g. "mapping[dev 3]"
    bool checkMinimumFill = true;    // non-root nodes hold at least max_entries / 3
};

class BtreeWalker {
public:
    BtreeWalker(const BlockReader& reader, BtreeWalkOptions options);

    // Returns the number of errors reported for this walk.
    std::size_t walk(std::uint64_t root, BtreeVisitor& visitor);

    // Convenience: every leaf entry in key order. Stops at the first error and returns it.
    static Status
    forEachEntry(const BlockReader& reader, std::uint64_t root, std::uint32_t valueSize,
                 const std::function<void(std::uint64_t key, const std::uint8_t* value)>& fn);

private:
    void visit(BtreeWalkPosition& pos, BtreeVisitor& visitor);
    void report(BtreeVisitor& visitor, Error e, const BtreeWalkPosition& pos);
    std::string pathString(const BtreeWalkPosition& pos) const;

    const BlockReader& reader_;
    BtreeWalkOptions options_;
    std::optional<unsigned> leafDepth_;
    std::optional<std::uint64_t> lastLeafKey_;
    std::size_t errors_ = 0;
};

} // namespace dms
