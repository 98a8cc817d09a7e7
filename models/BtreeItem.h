#pragma once
// One row of a BtreeModel: a node (with its header, or the error that kept it from being read),
// a leaf entry, or a run of adjacent mapping entries. Rows own their fetched children.

#include "core/Error.h"
#include "models/BtreeRoot.h"

#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace dms {

class BlockReader;
class BtreeNode;

struct BtreeItem {
    enum class Kind : std::uint8_t { Root, Node, Entry, Run };

    Kind kind = Kind::Root;
    BtreeKind tree = BtreeKind::Details; // the tree of the node (of the containing node)
    BtreeItem* parent = nullptr;
    int row = 0;
    bool fetched = false;

    std::uint64_t block = 0;  // Node: its block; Entry/Run: the leaf holding it
    std::uint32_t slot = 0;   // slot in the parent node (Node under an internal node), or leaf
    std::uint64_t key = 0;    // Node: parent's key; Entry: key; Run: first key
    std::uint64_t device = 0; // mapping trees: the device id (bottom nodes and top entries)

    // Node header (when readable).
    std::uint32_t flags = 0;
    std::uint32_t nrEntries = 0;
    std::uint32_t maxEntries = 0;
    std::uint32_t valueSize = 0;
    std::optional<Error> error; // why the node could not be used

    // Decoded value: mapping data block/time, details fields, index entry, count, bottom root.
    std::uint64_t a = 0;     // data block | mapped_blocks | index blocknr | count | root
    std::uint64_t b = 0;     // time | transaction_id | nr_free
    std::uint32_t c = 0;     // creation_time | none_free_before
    std::uint32_t d = 0;     // snapshotted_time
    std::uint32_t count = 1; // Run: entries in the run

    std::vector<std::unique_ptr<BtreeItem>> children;

    bool isLeafNode() const { return flags == 2; }
    bool isBroken() const { return error.has_value(); }
    // Children exist (fetched or not).
    bool expandable() const;

    // A node row for block `number` of `tree`, read and validated now; `parentItem` is used to
    // detect cycles (the block is one of its own ancestors).
    static std::unique_ptr<BtreeItem> makeNode(const BlockReader& reader, BtreeKind tree,
                                               std::uint64_t number, BtreeItem* parentItem);
    // The rows under this one (does not attach them).
    std::vector<std::unique_ptr<BtreeItem>> fetchChildren(const BlockReader& reader);

    QString text(int column) const;
    QString errorText() const;

private:
    void fillEntry(const BtreeNode& leaf, std::uint32_t i);
    std::vector<std::unique_ptr<BtreeItem>> leafRows(const BtreeNode& leaf);
};

} // namespace dms
