#pragma once
// A model of thin_restore 0.9.0's btree insertion, to keep the generator away from inputs that
// thin_restore itself restores wrongly.
//
// thin_restore's btree splits every full node on the way down (a full root is split beneath
// itself). When the key being inserted is smaller than every key in the tree and the split
// node lies on the leftmost path, the split writes the node's old lowest key into the parent,
// then the new key goes into the node: the parent's key is now larger than its child's first
// key, and lookups of keys below the parent's key fail until a later, even smaller key patches
// the parent again. thin_restore looks a data block up in its reference-count tree whenever the
// block's count is already 3 or more ("ref count not in tree" if that fails), and a tree left
// broken at the end makes thin_check fail. Inputs in ascending key order never do this; the
// data space map's reference-count tree, however, receives its keys (data blocks reaching a
// count of 3) in the order thin_restore meets them, which can be any order. The model replays
// those operations on a key-only tree that splits exactly like thin_restore's.

#include <cstdint>
#include <vector>

namespace dms::test {

struct GeneratedPool;

class RestoreBtreeModel {
public:
    // Entries per node for the tree's value size (FORMAT.md §4: 3 * floor(4064 / (8 + v) / 3)).
    explicit RestoreBtreeModel(unsigned leafValueSize);

    // Inserts (or overwrites) key as thin_restore does.
    void insert(std::uint64_t key);
    // Whether a lookup finds key (descending by the parents' keys, as thin_restore does).
    bool reachable(std::uint64_t key) const;

private:
    struct Node {
        bool leaf = true;
        std::vector<std::uint64_t> keys;
        std::vector<std::size_t> children; // internal nodes only
    };

    std::size_t split(std::size_t node, std::size_t parent, std::size_t parentIndex,
                      std::uint64_t key, bool top);

    std::vector<Node> nodes_;
    std::size_t root_ = 0;
    std::size_t maxLeaf_;
    std::size_t maxInternal_;
};

// True when restoring `pool` (devices in pool.inputOrder, mappings in virtual order) would make
// thin_restore 0.9.0 break its data reference-count tree.
bool restoreBreaksRefCountTree(const GeneratedPool& pool);

} // namespace dms::test
