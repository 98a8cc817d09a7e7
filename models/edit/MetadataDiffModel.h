#pragma once
// A MetadataDiff as a table: one row per thin device of either side, with its presence (both,
// left_only, right_only) and how many virtual blocks are same, different, left_only and
// right_only (thin_delta's categories); the changed blocks and count deltas as totals.

#include "models/edit/MetadataDiff.h"

#include <QAbstractTableModel>

namespace dms {

class MetadataDiffModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        DeviceColumn,
        PresenceColumn,
        SameColumn,
        DifferentColumn,
        LeftOnlyColumn,
        RightOnlyColumn,
        ColumnCount
    };

    explicit MetadataDiffModel(QObject* parent = nullptr);
    void setDiff(MetadataDiff diff);
    const MetadataDiff& diff() const { return diff_; }
    // "12 blocks changed, 9 metadata and 1 data reference counts".
    QString summary() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

private:
    MetadataDiff diff_;
};

} // namespace dms
