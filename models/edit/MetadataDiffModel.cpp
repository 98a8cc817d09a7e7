#include "models/edit/MetadataDiffModel.h"

namespace dms {

MetadataDiffModel::MetadataDiffModel(QObject* parent) : QAbstractTableModel(parent) {}

void MetadataDiffModel::setDiff(MetadataDiff diff) {
    beginResetModel();
    diff_ = std::move(diff);
    endResetModel();
}

QString MetadataDiffModel::summary() const {
    return tr("%1 blocks changed, %2 metadata and %3 data reference counts")
        .arg(diff_.changedBlocks.size())
        .arg(diff_.metadataCounts.size())
        .arg(diff_.dataCounts.size());
}

int MetadataDiffModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(diff_.devices.size());
}

int MetadataDiffModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MetadataDiffModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || role != Qt::DisplayRole) return {};
    const DeviceDelta& d = diff_.devices[static_cast<std::size_t>(index.row())];
    switch (index.column()) {
    case DeviceColumn:
        return qulonglong(d.id);
    case PresenceColumn:
        return d.presence == DeviceDelta::Presence::Both       ? QStringLiteral("both")
               : d.presence == DeviceDelta::Presence::LeftOnly ? QStringLiteral("left_only")
                                                               : QStringLiteral("right_only");
    case SameColumn:
    case DifferentColumn:
    case LeftOnlyColumn:
    case RightOnlyColumn:
        return qulonglong(d.blocks[index.column() - SameColumn]);
    }
    return {};
}

QVariant MetadataDiffModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"Device",    "Present",   "same",
                                  "different", "left_only", "right_only"};
    if (section < 0 || section >= ColumnCount) return {};
    return tr(names[section]);
}

} // namespace dms
