#pragma once
// What the Open Device dialog lists: the active thin pools (their metadata device, with the
// kernel's status: transaction, metadata and data use, held snapshot, mode) and the inactive
// block devices whose block 0 carries thin, cache or era metadata. A row each.

#include "core/devmapper/MetadataCandidates.h"
#include "core/devmapper/ThinPoolInfo.h"

#include <QAbstractTableModel>
#include <optional>
#include <vector>

namespace dms {

class PoolListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { DeviceColumn, WhatColumn, StatusColumn, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 60, ActivePoolRole };

    explicit PoolListModel(QObject* parent = nullptr);

    // Candidates that are an active pool's metadata device are listed once, as the pool.
    void setDevices(std::vector<ThinPoolInfo> pools, std::vector<MetadataCandidate> candidates);
    void clear() { setDevices({}, {}); }

    // The pool of a row, when the row is an active pool.
    const ThinPoolInfo* poolAt(int row) const;
    QString pathAt(int row) const;
    const std::vector<ThinPoolInfo>& pools() const { return pools_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "transaction 5 · metadata 217/2048 · data 76/4096 · snapshot held at 201 · rw".
    static QString statusSummary(const ThinPoolInfo& pool);

private:
    std::vector<ThinPoolInfo> pools_;
    std::vector<MetadataCandidate> candidates_;
};

} // namespace dms
