#include "models/DeviceListModel.h"

#include "models/ByteSize.h"
#include "models/ModelRoles.h"

namespace dms {

DeviceListModel::DeviceListModel(QObject* parent) : QAbstractTableModel(parent) {}

void DeviceListModel::setDevices(std::vector<ThinDevice> devices, std::uint32_t dataBlockSize) {
    beginResetModel();
    devices_ = std::move(devices);
    dataBlockSize_ = dataBlockSize;
    endResetModel();
}

void DeviceListModel::clear() {
    if (devices_.empty()) return;
    beginResetModel();
    devices_.clear();
    endResetModel();
}

int DeviceListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(devices_.size());
}

int DeviceListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

quint64 DeviceListModel::rawValue(const ThinDevice& d, int column) const {
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
    const quint64 raw = rawValue(d, index.column());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == MappedSizeColumn) return formatByteSize(raw);
        return QString::number(raw);
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
        return raw;
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
