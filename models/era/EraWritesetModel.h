#pragma once
// The writesets of dm-era metadata as a table: the archived ones of the writeset tree in era
// order, then the live (current) writeset: era, kind, nr_bits, bits set, bitset root. BlockRefRole
// is the bitset's root block; RawValueRole of the era column the era.

#include "models/era/EraContents.h"

#include <QAbstractTableModel>
#include <memory>

namespace dms {

class EraWritesetModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { EraColumn, KindColumn, BitsColumn, SetColumn, RootColumn, ColumnCount };

    explicit EraWritesetModel(QObject* parent = nullptr);
    void setContents(std::shared_ptr<const EraContents> contents);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const EraContents> contents_;
};

} // namespace dms
