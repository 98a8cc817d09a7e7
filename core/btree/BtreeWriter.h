#pragma once
// Copy-on-write writes to one btree (FORMAT.md §4, §6; behaviour of the kernel's dm-btree.c and
// dm-btree-remove.c, own code). Every node on a written root-to-leaf path is shadowed through the
// transaction manager, so a tree reachable from the committed superblock is never changed in
// place and the root moves; when a shadowed node was shared, the copy's children (internal) or
// values (leaf, through the value type's inc) gain a reference, which breaks sharing lazily along
// written paths only.
//
// Invariants kept (the ones thin_check and the kernel check): keys strictly ascending; new nodes
// get max_entries = btreeMaxEntries(value_size) (split halves keep their sibling's); nr_entries
// <= max_entries; every non-root node at least max_entries / 3 full; all leaves at one depth; a
// parent's key equals its child's first key on every path written here (kernel removals leave it
// lower, which readers accept). Inserts split full nodes on the way down (a full
// root splits beneath itself: the tree grows by one level); removals rebalance an underfull node
// with its siblings on the way up (two-way with the one sibling an edge node has, else three-way)
// and an internal root left with one child is replaced by that child (the tree shrinks).
//
// Multi-level trees (the thin mapping tree) are composed by the caller, top-down as the kernel
// does: update() shadows the upper tree's path to a key and hands the value slot to a callback
// that writes the lower tree and stores its new root there; subtreeValueType() gives the upper
// tree's value type (inc = one more holder of the lower root, dec = destroy the lower tree).
//
// Errors are values. A node that fails validation while being written is named by its block.
// After an error the transaction is half-written and must be aborted.

#include "core/btree/BtreeLookup.h"
#include "core/btree/BtreeValueType.h"
#include "core/btree/MutableBtreeNode.h"

#include <functional>
#include <span>

namespace dms {

class TransactionManager;

struct BtreeInsertResult {
    std::uint64_t root = 0;
    bool inserted = false; // false: an existing key's value was overwritten
};

struct BtreeRemoveResult {
    std::uint64_t root = 0;
    bool found = false;
};

struct BtreeRemoveRangeResult {
    std::uint64_t root = 0;
    std::uint64_t removed = 0;
};

struct BtreeUpdateResult {
    std::uint64_t root = 0;
    bool found = false; // false: the key is absent and nothing was written
};

class BtreeWriter {
public:
    // Trees deeper than this are treated as corrupt (a cycle): 4 levels already hold 252^4 keys.
    static constexpr unsigned kMaxDepth = 16;

    BtreeWriter(TransactionManager& tm, BtreeValueType leafType);

    TransactionManager& transactionManager() const { return tm_; }
    const BtreeValueType& valueType() const { return type_; }

    // A new empty tree: one leaf without entries.
    Expected<std::uint64_t> empty();

    // Inserts or overwrites key -> value (valueType().size bytes). The tree takes over the
    // caller's reference to the value; an overwritten different value is dec'd.
    Expected<BtreeInsertResult> insert(std::uint64_t root, std::uint64_t key,
                                       std::span<const std::uint8_t> value);
    // Removes key (its value is dec'd). A missing key writes nothing.
    Expected<BtreeRemoveResult> remove(std::uint64_t root, std::uint64_t key);
    // Removes every key in [begin, end), a leaf's run at a time.
    Expected<BtreeRemoveRangeResult> removeRange(std::uint64_t root, std::uint64_t begin,
                                                 std::uint64_t end);
    // Shadows the path to key and lets `edit` change its value in place, with no inc/dec: for
    // composing multi-level trees (see above). `edit` may write other trees but not this one (the
    // slot would move). A missing key writes nothing.
    Expected<BtreeUpdateResult> update(std::uint64_t root, std::uint64_t key,
                                       const std::function<Status(std::uint8_t* value)>& edit);

    // Reads through the transaction, so it sees uncommitted writes. The hit's bytes are valid
    // until the next write.
    Expected<std::optional<BtreeHit>> lookup(std::uint64_t root, std::uint64_t key) const;

    // Drops one reference to the tree (the kernel's dm_btree_del): a node whose count is above
    // one is only dec'd; otherwise its children are dropped likewise (leaf values dec'd) and the
    // node freed. Shared subtrees survive.
    Status destroy(std::uint64_t root);

    // Value type for an upper-level tree whose values are roots of trees written by this writer:
    // inc adds a holder of the root block, dec destroys the lower tree. Refers to this writer.
    BtreeValueType subtreeValueType();

private:
    // Node access (BtreeWriter.cpp).
    Expected<MutableBtreeNode> shadowNode(std::uint64_t b);
    Expected<MutableBtreeNode> shadowChild(MutableBtreeNode& parent, std::uint32_t index);
    Expected<MutableBtreeNode> newNode(std::uint32_t flags, std::uint32_t valueSize,
                                       std::uint32_t maxEntries);
    Status checkHeader(std::uint64_t b, const std::uint8_t* data) const;
    Status incReferences(const MutableBtreeNode& n);
    Status drop(std::uint64_t b, unsigned depth);

    // Inserting (BtreeInsert.cpp).
    Status splitBeneath(MutableBtreeNode& root);
    Status splitChild(MutableBtreeNode& parent, std::uint32_t& index, MutableBtreeNode& node,
                      std::uint64_t key);

    // Removing (BtreeRemove.cpp).
    Expected<std::optional<std::uint64_t>> firstKeyAtLeast(std::uint64_t b, std::uint64_t k,
                                                           unsigned depth) const;
    Expected<BtreeRemoveRangeResult> removeLeafRun(std::uint64_t root, std::uint64_t first,
                                                   std::uint64_t last);
    Expected<std::uint64_t> collapseRoot(const MutableBtreeNode& root);

    // Rebalancing after removal (BtreeRebalance.cpp).
    Status rebalanceChild(MutableBtreeNode& parent, std::uint32_t index, MutableBtreeNode& child);
    Status rebalance2(MutableBtreeNode& parent, std::uint32_t leftIndex, MutableBtreeNode& left,
                      MutableBtreeNode& right);
    Status rebalance3(MutableBtreeNode& parent, std::uint32_t leftIndex, MutableBtreeNode& left,
                      MutableBtreeNode& center, MutableBtreeNode& right);

    TransactionManager& tm_;
    BtreeValueType type_;
};

} // namespace dms
