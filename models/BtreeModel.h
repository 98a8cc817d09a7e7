#pragma once
// A lazy tree over one btree of the metadata (BtreeRoot: details, mapping top level and each
// device's bottom tree, the refcount trees, the data space map's index). Rows: a node (header:
// leaf/internal, nr_entries/max_entries, fill, value size, block) -> its children: child nodes of
// an internal node (with the parent's key), decoded entries of a leaf. Adjacent mapping entries
// (consecutive virtual and data blocks, one time) form one expandable run row. A top-level
// mapping entry expands to its device's bottom tree. Nodes are read when their parent is fetched
// (canFetchMore/fetchMore), at most one node's entries per fetch, so the UI thread never walks a
// whole tree. A node that does not validate (checksum, header, out-of-range pointer, cycle) is a
// row carrying its error, with no children; the rest of the tree stays browsable.
//
// Columns: Entry (key, or the node's place in its parent), Value (node header or decoded value),
// Block (the node's block).

#include "core/BlockReader.h"
#include "models/BlockRef.h"
#include "models/BtreeItem.h"

#include <QAbstractItemModel>
#include <QHash>

namespace dms {

class BtreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { EntryColumn, ValueColumn, BlockColumn, ColumnCount };
    enum RowKind { NodeRow, EntryRow, RunRow };
    enum Role {
        BlockRefRole = Qt::UserRole + 100, // BlockRef: the node's block (an entry: its leaf's)
        RowKindRole,                       // RowKind
        ErrorRole,                         // QString: why the node is broken, else empty
        KeyRole,                           // quint64: key (a run: its first key)
        CountRole,                         // quint64: entries the row stands for (run length)
        TargetRole,    // BlockRef an entry points at: data block, bitmap block, bottom root
        DataBlockRole, // quint64: mapping entries and runs: the (first) data block
        TimeRole,      // quint64: mapping time
        IsLeafRole,    // bool: node rows: the node is a leaf
        NodeBlockRole, // quint64: the node's block (an entry: its leaf's)
        SlotRole, // int: an entry's slot in its leaf (a run: its first), a node's in its parent
    };

    explicit BtreeModel(QObject* parent = nullptr);
    ~BtreeModel() override;

    // Shows the tree at root; reads the root node only.
    void setTree(const BlockReader& reader, const BtreeRoot& root);
    void clear();
    bool hasTree() const { return reader_.has_value(); }
    const BtreeRoot& root() const { return root_; }

    // The row of a node that is already fetched (the first one found, if shared), else invalid.
    // Never reads: following a selection must not walk the tree.
    QModelIndex indexOfFetchedNode(std::uint64_t block) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    BtreeItem* itemOf(const QModelIndex& index) const;
    void attach(BtreeItem* parent, std::vector<std::unique_ptr<BtreeItem>> rows);
    QVariant roleData(const BtreeItem& item, int role) const;

    std::optional<BlockReader> reader_;
    BtreeRoot root_;
    std::unique_ptr<BtreeItem> top_;
    QHash<quint64, BtreeItem*> nodes_; // fetched node rows by block (the first one)
};

} // namespace dms
