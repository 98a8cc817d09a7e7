#include "models/BtreeModel.h"

#include <QBrush>
#include <QColor>

namespace dms {

BtreeModel::BtreeModel(QObject* parent) : QAbstractItemModel(parent) {}

BtreeModel::~BtreeModel() = default;

void BtreeModel::setTree(const BlockReader& reader, const BtreeRoot& root) {
    beginResetModel();
    reader_.emplace(reader);
    root_ = root;
    nodes_.clear();
    top_ = std::make_unique<BtreeItem>();
    top_->fetched = true;
    auto node = BtreeItem::makeNode(*reader_, root.kind, root.block, nullptr);
    node->device = root.device;
    std::vector<std::unique_ptr<BtreeItem>> rows;
    rows.push_back(std::move(node));
    attach(top_.get(), std::move(rows));
    endResetModel();
}

void BtreeModel::clear() {
    beginResetModel();
    reader_.reset();
    top_.reset();
    nodes_.clear();
    endResetModel();
}

void BtreeModel::attach(BtreeItem* parent, std::vector<std::unique_ptr<BtreeItem>> rows) {
    const int first = static_cast<int>(parent->children.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        BtreeItem* item = rows[i].get();
        item->parent = parent;
        item->row = first + static_cast<int>(i);
        if (item->kind == BtreeItem::Kind::Node && !nodes_.contains(item->block))
            nodes_.insert(item->block, item);
        parent->children.push_back(std::move(rows[i]));
    }
    parent->fetched = true;
}

BtreeItem* BtreeModel::itemOf(const QModelIndex& index) const {
    if (!index.isValid()) return top_.get();
    return static_cast<BtreeItem*>(index.internalPointer());
}

QModelIndex BtreeModel::indexOfFetchedNode(std::uint64_t block) const {
    const auto it = nodes_.constFind(block);
    if (it == nodes_.constEnd()) return {};
    return createIndex((*it)->row, 0, *it);
}

QModelIndex BtreeModel::index(int row, int column, const QModelIndex& parent) const {
    const BtreeItem* p = itemOf(parent);
    if (!p || row < 0 || column < 0 || column >= ColumnCount ||
        row >= static_cast<int>(p->children.size()))
        return {};
    return createIndex(row, column, p->children[std::size_t(row)].get());
}

QModelIndex BtreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    const BtreeItem* p = itemOf(child)->parent;
    if (!p || p == top_.get()) return {};
    return createIndex(p->row, 0, const_cast<BtreeItem*>(p));
}

int BtreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.column() > 0) return 0;
    const BtreeItem* p = itemOf(parent);
    return p ? static_cast<int>(p->children.size()) : 0;
}

int BtreeModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

bool BtreeModel::hasChildren(const QModelIndex& parent) const {
    if (parent.column() > 0) return false;
    const BtreeItem* p = itemOf(parent);
    if (!p) return false;
    return p->fetched ? !p->children.empty() : p->expandable();
}

bool BtreeModel::canFetchMore(const QModelIndex& parent) const {
    if (parent.column() > 0 || !reader_) return false;
    const BtreeItem* p = itemOf(parent);
    return p && !p->fetched && p->expandable();
}

void BtreeModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent)) return;
    BtreeItem* p = itemOf(parent);
    auto rows = p->fetchChildren(*reader_);
    // Fetched from here on: a view or tester reacting to the insertion must not fetch it again.
    p->fetched = true;
    if (rows.empty()) return;
    beginInsertRows(parent, 0, static_cast<int>(rows.size()) - 1);
    attach(p, std::move(rows));
    endInsertRows();
}

QVariant BtreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const BtreeItem& item = *itemOf(index);
    if (role == Qt::DisplayRole) return item.text(index.column());
    if (role == Qt::ToolTipRole) {
        if (item.isBroken()) return item.errorText();
        return item.text(0) + QStringLiteral(": ") + item.text(1);
    }
    if (role == Qt::ForegroundRole && item.isBroken() && index.column() == ValueColumn)
        return QBrush(QColor(0xd0, 0x40, 0x40)); // readable on light and dark bases
    if (role == Qt::TextAlignmentRole && index.column() == BlockColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return roleData(item, role);
}

QVariant BtreeModel::roleData(const BtreeItem& item, int role) const {
    const bool node = item.kind == BtreeItem::Kind::Node;
    switch (role) {
    case BlockRefRole:
        return QVariant::fromValue(BlockRef::metadata(item.block));
    case NodeBlockRole:
        return QVariant::fromValue<quint64>(item.block);
    case SlotRole:
        return static_cast<int>(item.slot);
    case RowKindRole:
        return node ? NodeRow : item.kind == BtreeItem::Kind::Run ? RunRow : EntryRow;
    case ErrorRole:
        return item.errorText();
    case KeyRole:
        return QVariant::fromValue<quint64>(item.key);
    case CountRole:
        return QVariant::fromValue<quint64>(node ? item.nrEntries : item.count);
    case IsLeafRole:
        return node && item.isLeafNode();
    case DataBlockRole:
    case TimeRole:
        if (node || item.tree != BtreeKind::MappingBottom) return {};
        return QVariant::fromValue<quint64>(role == DataBlockRole ? item.a : item.b);
    case TargetRole:
        if (node) return QVariant::fromValue(BlockRef::metadata(item.block));
        if (item.tree == BtreeKind::MappingBottom)
            return QVariant::fromValue(BlockRef::data(item.a));
        if (item.tree == BtreeKind::MappingTop || item.tree == BtreeKind::DataSpaceMapIndex ||
            item.tree == BtreeKind::WritesetTree || BtreeRoot::isArraySpine(item.tree))
            return QVariant::fromValue(BlockRef::metadata(item.a));
        if (item.tree == BtreeKind::MetadataRefCount)
            return QVariant::fromValue(BlockRef::metadata(item.key));
        if (item.tree == BtreeKind::DataRefCount)
            return QVariant::fromValue(BlockRef::data(item.key));
        return {};
    default:
        return {};
    }
}

QVariant BtreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case EntryColumn:
        return tr("Entry");
    case ValueColumn:
        return tr("Node / value");
    case BlockColumn:
        return tr("Block");
    default:
        return {};
    }
}

Qt::ItemFlags BtreeModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

} // namespace dms
