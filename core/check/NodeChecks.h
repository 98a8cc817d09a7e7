#pragma once
// The node invariants thin_check 0.9.0 applies while walking a btree, in its order, so that a
// node fails here exactly when it fails there. Two kinds of failure matter:
//  - an "exception": thin_check cannot use the node at all (bad checksum or block number,
//    unknown node type, reading key 0 of an empty node); fatal in every pass;
//  - a failed check: fatal in the pass over the live trees, but in the counting pass the
//    node is only left uncounted (its blocks then show up as leaks).

#include "core/check/NodeView.h"

#include <optional>
#include <string>

namespace dms {

struct NodeProblem {
    bool exception = false;
    std::string field;
    std::string message;
};

enum class NodeKind { Internal, Leaf };

// Checksum (xor 121107), then the self block number.
std::optional<NodeProblem> validateNodeBlock(const NodeView& n);

// INTERNAL if bit 0 is set (not together with bit 1), else LEAF if bit 1 is set.
std::optional<NodeProblem> classifyNode(const NodeView& n, NodeKind& kind);

struct NodeCheckContext {
    bool subRoot = true;                      // the root of a tree or of a bottom-level tree
    std::optional<std::uint64_t> parentKey;   // the parent's key for this child
    bool leafLike = false;                    // a leaf of any level (its keys follow the last leaf)
    std::optional<std::uint64_t> lastLeafKey; // last key of the previous leaf in this subtree
    std::uint32_t expectedValueSize = 8;
    // thin_check --ignore-non-fatal-errors skips the whole nr_entries check in its pass over
    // the live trees; only what does not fit in the block is still an error then.
    bool skipNrEntriesCheck = false;
};

// value_size, max_entries, nr_entries (and the minimum fill of a non-root node), key order
// within the node, first key against the parent's key, first key against the previous leaf.
std::optional<NodeProblem> checkNode(const NodeView& n, const NodeCheckContext& ctx);

} // namespace dms
