#pragma once
// The answer to a search ("which devices map data block N", "who references metadata block N"),
// a row each: what was found, where, and the block to go to when the row is activated.

#include "models/BlockRef.h"

#include <QAbstractTableModel>
#include <vector>

namespace dms {

struct SearchHit {
    QString what;   // "thin 3, virtual block 100"
    QString detail; // "time 2, in mapping leaf 57"
    BlockRef target;
};

class SearchResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { WhatColumn, DetailColumn, TargetColumn, ColumnCount };
    enum Role { BlockRefRole = Qt::UserRole + 50 };

    explicit SearchResultsModel(QObject* parent = nullptr);

    void setHits(std::vector<SearchHit> hits);
    void clear() { setHits({}); }
    const std::vector<SearchHit>& hits() const { return hits_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<SearchHit> hits_;
};

} // namespace dms
