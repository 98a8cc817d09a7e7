#pragma once
// The thin devices of one superblock (live or held copy), a row each, in id order: id, mapped
// blocks and size, the transaction and the pool times at creation and last snapshot.

#include "core/thin/ThinMetadata.h"

#include <QAbstractTableModel>
#include <vector>

namespace dms {

class DeviceListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        MappedBlocksColumn,
        MappedSizeColumn,
        TransactionColumn,
        CreationTimeColumn,
        SnapshottedTimeColumn,
        ColumnCount
    };

    explicit DeviceListModel(QObject* parent = nullptr);

    // dataBlockSize in sectors, for the size column.
    void setDevices(std::vector<ThinDevice> devices, std::uint32_t dataBlockSize);
    void clear();
    const std::vector<ThinDevice>& devices() const { return devices_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    quint64 rawValue(const ThinDevice& d, int column) const;

    std::vector<ThinDevice> devices_;
    std::uint32_t dataBlockSize_ = 0;
};

} // namespace dms
