#include "models/RefCountTreeModel.h"

#include "core/btree/BtreeNode.h"
#include "models/BlockRef.h"
#include "models/ModelRoles.h"

#include <QBrush>
#include <QColor>

namespace dms {

RefCountTreeModel::RefCountTreeModel(QObject* parent) : QAbstractItemModel(parent) {
    items_.emplace_back();
}

int RefCountTreeModel::addItem(int parent, Item item) {
    item.parent = parent;
    item.row = static_cast<int>(items_[std::size_t(parent)].children.size());
    items_.push_back(std::move(item));
    const int id = static_cast<int>(items_.size() - 1);
    items_[std::size_t(parent)].children.push_back(id);
    return id;
}

void RefCountTreeModel::setSpaceMap(std::shared_ptr<ThinPoolDocument> doc, SpaceMapKind kind) {
    beginResetModel();
    doc_ = std::move(doc);
    kind_ = kind;
    items_.clear();
    items_.emplace_back();
    root_ = 0;
    if (doc_) {
        const ThinSuperblock& sb = doc_->metadata().superblock();
        root_ =
            (kind == SpaceMapKind::Metadata ? sb.metadataSpaceMap : sb.dataSpaceMap).refCountRoot;
        Item top;
        top.block = root_;
        if (root_ == 0 || root_ >= doc_->deviceBlocks()) {
            top.kind = Kind::Error;
            top.error = Error{
                ErrorKind::OutOfRange,
                "ref_count_root " + std::to_string(root_) + " is not a metadata block",
                0,
                "ref_count_root",
                {}}.describe();
        }
        addItem(0, std::move(top));
    }
    endResetModel();
}

void RefCountTreeModel::clear() {
    setSpaceMap(nullptr, kind_);
}

QModelIndex RefCountTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent)) return {};
    const int p = parent.isValid() ? itemOf(parent) : 0;
    return createIndex(row, column, quintptr(items_[std::size_t(p)].children[std::size_t(row)]));
}

QModelIndex RefCountTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    const int p = items_[std::size_t(itemOf(child))].parent;
    if (p <= 0) return {};
    return createIndex(items_[std::size_t(p)].row, 0, quintptr(p));
}

int RefCountTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) return 0;
    const int p = parent.isValid() ? itemOf(parent) : 0;
    return static_cast<int>(items_[std::size_t(p)].children.size());
}

int RefCountTreeModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

bool RefCountTreeModel::hasChildren(const QModelIndex& parent) const {
    if (!parent.isValid()) return rowCount() > 0;
    if (parent.column() != 0) return false;
    const Item& it = items_[std::size_t(itemOf(parent))];
    return it.kind == Kind::Node && (!it.fetched || !it.children.empty());
}

bool RefCountTreeModel::canFetchMore(const QModelIndex& parent) const {
    if (!parent.isValid() || parent.column() != 0) return false;
    const Item& it = items_[std::size_t(itemOf(parent))];
    return it.kind == Kind::Node && !it.fetched;
}

void RefCountTreeModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent)) return;
    const int id = itemOf(parent);
    items_[std::size_t(id)].fetched = true;
    auto node = BtreeNode::read(doc_->metadata().reader(), items_[std::size_t(id)].block, 4);
    std::vector<Item> children;
    if (!node) {
        items_[std::size_t(id)].error = node.error().describe();
        Item e;
        e.kind = Kind::Error;
        e.block = items_[std::size_t(id)].block;
        e.error = node.error().describe();
        children.push_back(std::move(e));
    } else {
        Item& self = items_[std::size_t(id)];
        self.leaf = node->isLeaf();
        self.nrEntries = node->nrEntries();
        self.maxEntries = node->maxEntries();
        for (std::uint32_t i = 0; i < node->nrEntries(); ++i) {
            Item c;
            if (node->isLeaf()) {
                c.kind = Kind::Entry;
                c.block = node->key(i);
                c.count = node->valueU32(i);
            } else {
                c.block = node->valueU64(i);
                if (c.block == 0 || c.block >= doc_->deviceBlocks()) {
                    c.kind = Kind::Error;
                    c.error = Error{
                        ErrorKind::OutOfRange,
                        "child pointer " + std::to_string(c.block) + " is not a metadata block",
                        node->number(),
                        "values[" + std::to_string(i) + "]",
                        {}}.describe();
                }
            }
            children.push_back(std::move(c));
        }
    }
    emit dataChanged(index(parent.row(), 0, parent.parent()),
                     index(parent.row(), ColumnCount - 1, parent.parent()));
    if (children.empty()) return;
    beginInsertRows(parent, 0, static_cast<int>(children.size()) - 1);
    for (Item& c : children)
        addItem(id, std::move(c));
    endInsertRows();
}

QVariant RefCountTreeModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const Item& it = items_[std::size_t(itemOf(index))];
    const int column = index.column();
    const bool bad = !it.error.empty();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            if (it.kind == Kind::Entry) return tr("block %1").arg(it.block);
            if (it.kind == Kind::Error) return QString::fromStdString(it.error);
            if (!it.fetched || bad) return tr("node %1").arg(it.block);
            return tr("%1 node %2 (%3/%4 entries)")
                .arg(it.leaf ? tr("leaf") : tr("internal"))
                .arg(it.block)
                .arg(it.nrEntries)
                .arg(it.maxEntries);
        case BlockColumn:
            return QString::number(it.block);
        case CountColumn:
            if (it.kind == Kind::Entry) return QString::number(it.count);
            return {};
        case StatusColumn:
            if (bad) return QString::fromStdString(it.error);
            return it.kind == Kind::Node && it.fetched ? tr("ok") : QString();
        }
        return {};
    case RawValueRole:
        if (column == BlockColumn) return quint64(it.block);
        if (column == CountColumn && it.kind == Kind::Entry) return quint64(it.count);
        return {};
    case Qt::ForegroundRole:
        if (bad) return QBrush(QColor(0xd0, 0x30, 0x30));
        return {};
    case Qt::ToolTipRole:
        if (bad) return QString::fromStdString(it.error);
        if (it.kind == Kind::Entry)
            return tr("%1 block %2 has %3 references")
                .arg(kind_ == SpaceMapKind::Metadata ? tr("metadata") : tr("data"))
                .arg(it.block)
                .arg(it.count);
        return tr("refcount btree node at metadata block %1").arg(it.block);
    case Qt::TextAlignmentRole:
        if (column == BlockColumn || column == CountColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case BlockRefRole:
        if (it.kind == Kind::Entry && kind_ == SpaceMapKind::Data)
            return QVariant::fromValue(BlockRef::data(it.block));
        return QVariant::fromValue(BlockRef::metadata(it.block));
    case SeverityRole:
        if (bad) return 0;
        return {};
    }
    return {};
}

QVariant RefCountTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case NameColumn:
        return tr("Node / entry");
    case BlockColumn:
        return tr("Block");
    case CountColumn:
        return tr("Count");
    case StatusColumn:
        return tr("Status");
    }
    return {};
}

} // namespace dms
