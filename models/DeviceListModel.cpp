#include "models/DeviceListModel.h"

#include "models/BlockRef.h"
#include "models/ByteSize.h"
#include "models/ModelRoles.h"

#include <algorithm>

namespace dms {

DeviceListModel::DeviceListModel(QObject* parent) : QAbstractTableModel(parent) {}

void DeviceListModel::setDevices(std::vector<ThinDevice> devices, std::uint32_t dataBlockSize) {
    beginResetModel();
    devices_ = std::move(devices);
    exclusive_.clear();
    dataBlockSize_ = dataBlockSize;
    endResetModel();
}

void DeviceListModel::setUsage(const std::vector<ThinDeviceUsage>& usage) {
    if (devices_.empty()) return;
    exclusive_.assign(devices_.size(), std::nullopt);
    for (const ThinDeviceUsage& u : usage)
        if (int row = rowOfDevice(u.id); row >= 0) exclusive_[std::size_t(row)] = u.exclusiveBlocks;
    emit dataChanged(index(0, ExclusiveColumn), index(rowCount() - 1, SharedColumn));
}

int DeviceListModel::rowOfDevice(std::uint64_t id) const {
    auto it = std::lower_bound(devices_.begin(), devices_.end(), id,
                               [](const ThinDevice& d, std::uint64_t v) { return d.id < v; });
    return it != devices_.end() && it->id == id ? static_cast<int>(it - devices_.begin()) : -1;
}

void DeviceListModel::clear() {
    if (devices_.empty()) return;
    beginResetModel();
    devices_.clear();
    exclusive_.clear();
    endResetModel();
}

int DeviceListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(devices_.size());
}

int DeviceListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

std::optional<quint64> DeviceListModel::rawValue(std::size_t row, int column) const {
    const ThinDevice& d = devices_[row];
    if (column == ExclusiveColumn || column == SharedColumn) {
        if (row >= exclusive_.size() || !exclusive_[row].has_value()) return std::nullopt;
        const std::uint64_t exclusive = exclusive_[row].value();
        // thin_ls's unsigned arithmetic for shared: mapped - exclusive.
        return column == ExclusiveColumn ? exclusive : d.details.mappedBlocks - exclusive;
    }
    switch (column) {
    case IdColumn:
        return d.id;
    case MappedBlocksColumn:
        return d.details.mappedBlocks;
    case MappedSizeColumn:
        return d.details.mappedBlocks * dataBlockSize_ * 512;
    case TransactionColumn:
        return d.details.transactionId;
    case CreationTimeColumn:
        return d.details.creationTime;
    case SnapshottedTimeColumn:
        return d.details.snapshottedTime;
    }
    return 0;
}

QVariant DeviceListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ThinDevice& d = devices_[static_cast<std::size_t>(index.row())];
    const std::optional<quint64> raw = rawValue(std::size_t(index.row()), index.column());
    switch (role) {
    case Qt::DisplayRole:
        if (!raw) return QStringLiteral("…");
        if (index.column() == MappedSizeColumn) return formatByteSize(*raw);
        return QString::number(*raw);
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::ToolTipRole:
        return QStringLiteral("device %1: %2 mapped blocks; created at transaction %3, pool time "
                              "%4; last snapshotted at time %5; mapping tree root block %6")
            .arg(d.id)
            .arg(d.details.mappedBlocks)
            .arg(d.details.transactionId)
            .arg(d.details.creationTime)
            .arg(d.details.snapshottedTime)
            .arg(d.mappingRoot);
    case RawValueRole:
        if (!raw) return {};
        return *raw;
    case BlockRefRole:
        return QVariant::fromValue(BlockRef::metadata(d.mappingRoot));
    }
    return {};
}

QVariant DeviceListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case MappedBlocksColumn:
            return tr("Mapped virtual blocks (data blocks of data_block_size)");
        case MappedSizeColumn:
            return tr("Mapped blocks times the data block size");
        case ExclusiveColumn:
            return tr("Mapped blocks whose data block no other device maps (as thin_ls counts)");
        case SharedColumn:
            return tr("Mapped blocks whose data block another device maps too");
        case TransactionColumn:
            return tr("The pool's transaction id when the device was created");
        case CreationTimeColumn:
            return tr("Pool time (snapshot epoch) when the device was created");
        case SnapshottedTimeColumn:
            return tr("Pool time when the device was last snapshotted, or created as a snapshot");
        }
        return {};
    }
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case IdColumn:
        return tr("Device");
    case MappedBlocksColumn:
        return tr("Mapped");
    case MappedSizeColumn:
        return tr("Size");
    case ExclusiveColumn:
        return tr("Exclusive");
    case SharedColumn:
        return tr("Shared");
    case TransactionColumn:
        return tr("Transaction");
    case CreationTimeColumn:
        return tr("Created");
    case SnapshottedTimeColumn:
        return tr("Snapshotted");
    }
    return {};
}

} // namespace dms
