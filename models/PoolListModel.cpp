#include "models/PoolListModel.h"

#include "models/ByteSize.h"

namespace dms {

PoolListModel::PoolListModel(QObject* parent) : QAbstractTableModel(parent) {}

void PoolListModel::setDevices(std::vector<ThinPoolInfo> pools,
                               std::vector<MetadataCandidate> candidates) {
    beginResetModel();
    pools_ = std::move(pools);
    candidates_.clear();
    for (MetadataCandidate& c : candidates)
        if (!poolWithMetadata(pools_, c.dev)) candidates_.push_back(std::move(c));
    endResetModel();
}

const ThinPoolInfo* PoolListModel::poolAt(int row) const {
    return row >= 0 && row < int(pools_.size()) ? &pools_[std::size_t(row)] : nullptr;
}

QString PoolListModel::pathAt(int row) const {
    if (const ThinPoolInfo* p = poolAt(row)) return QString::fromStdString(p->metadata.path);
    const int c = row - int(pools_.size());
    if (c >= 0 && c < int(candidates_.size()))
        return QString::fromStdString(candidates_[std::size_t(c)].path);
    return {};
}

QString PoolListModel::statusSummary(const ThinPoolInfo& p) {
    if (!p.status) return tr("status unreadable: %1").arg(QString::fromStdString(p.statusError));
    const ThinPoolStatus& s = *p.status;
    QStringList words{tr("transaction %1").arg(s.transactionId),
                      tr("metadata %1/%2").arg(s.usedMetadataBlocks).arg(s.totalMetadataBlocks),
                      tr("data %1/%2").arg(s.usedDataBlocks).arg(s.totalDataBlocks),
                      s.heldRoot ? tr("snapshot held at %1").arg(*s.heldRoot)
                                 : tr("no metadata snapshot")};
    if (s.needsCheck) words << tr("NEEDS_CHECK");
    if (s.failed())
        words << tr("FAILED");
    else if (s.mode == PoolMode::ReadOnly)
        words << tr("read-only");
    else if (s.mode == PoolMode::OutOfDataSpace)
        words << tr("out of data space");
    return words.join(QStringLiteral(" · "));
}

int PoolListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(pools_.size() + candidates_.size());
}

int PoolListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PoolListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    if (role == PathRole) return pathAt(row);
    if (role == ActivePoolRole) return poolAt(row) != nullptr;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    if (const ThinPoolInfo* p = poolAt(row)) {
        const QString lvm = QString::fromStdString(p->lvmName());
        switch (index.column()) {
        case DeviceColumn:
            return QString::fromStdString(p->metadata.path);
        case WhatColumn:
            return tr("metadata of active pool %1%2 (%3 thin volumes)")
                .arg(QString::fromStdString(p->name),
                     lvm.isEmpty() ? QString() : tr(", LVM %1").arg(lvm))
                .arg(p->thins.size());
        case StatusColumn:
            return role == Qt::ToolTipRole && p->status ? QString::fromStdString(p->status->text)
                                                        : statusSummary(*p);
        default:
            return {};
        }
    }
    const MetadataCandidate& c = candidates_[std::size_t(row) - pools_.size()];
    switch (index.column()) {
    case DeviceColumn:
        return QString::fromStdString(c.path);
    case WhatColumn:
        return tr("%1 metadata, not in an active pool")
            .arg(QLatin1String(metadataKindName(c.kind)));
    case StatusColumn:
        return c.holders.empty() ? formatByteSize(c.bytes)
                                 : tr("%1, in use by %2")
                                       .arg(formatByteSize(c.bytes))
                                       .arg(QString::fromStdString(c.holders.front()));
    default:
        return {};
    }
}

QVariant PoolListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case DeviceColumn:
        return tr("Device");
    case WhatColumn:
        return tr("What");
    case StatusColumn:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace dms
