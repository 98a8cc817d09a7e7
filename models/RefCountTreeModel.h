#pragma once
// A space map's refcount btree (u64 block -> u32 count, the counts of 3 and more) as a lazy tree:
// the root node, below an internal node its children, below a leaf its entries. A node is read
// when its row is expanded; one that does not validate gets one error row below it and the rest of
// the tree stays browsable.

#include "core/spacemap/SpaceMapReader.h"
#include "models/ThinPoolDocument.h"

#include <QAbstractItemModel>
#include <memory>
#include <vector>

namespace dms {

class RefCountTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,  // "internal node 12 (3/252 entries)" / "leaf node 40 (120/336)" / "block 77"
        BlockColumn, // nodes: their metadata block; entries: the counted block (the key)
        CountColumn, // entries: the reference count
        StatusColumn,
        ColumnCount
    };

    explicit RefCountTreeModel(QObject* parent = nullptr);

    // The live superblock's refcount tree of that space map; nullptr clears.
    void setSpaceMap(std::shared_ptr<ThinPoolDocument> doc, SpaceMapKind kind);
    void clear();
    SpaceMapKind kind() const { return kind_; }
    std::uint64_t root() const { return root_; }

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

private:
    enum class Kind : std::uint8_t { Node, Entry, Error };
    struct Item {
        int parent = -1; // item index, -1 for the top row
        int row = 0;
        Kind kind = Kind::Node;
        bool fetched = false;
        bool leaf = false;
        std::uint64_t block = 0; // node block, or the counted block of an entry
        std::uint32_t count = 0;
        std::uint32_t nrEntries = 0;
        std::uint32_t maxEntries = 0;
        std::string error;
        std::vector<int> children;
    };

    int itemOf(const QModelIndex& index) const { return static_cast<int>(index.internalId()); }
    int addItem(int parent, Item item);

    std::shared_ptr<ThinPoolDocument> doc_;
    SpaceMapKind kind_ = SpaceMapKind::Metadata;
    std::uint64_t root_ = 0;
    // items_[0] is a sentinel standing for the invisible root; its children are the top rows.
    std::vector<Item> items_;
};

} // namespace dms
