#pragma once
// The thin devices of one superblock (live or held copy), a row each, in id order: id, mapped
// blocks and size, exclusive and shared blocks (as thin_ls counts them: a full walk, so they are
// given precomputed by setUsage() and shown as "…" until then), the transaction and the pool
// times at creation and last snapshot. BlockRefRole: the device's mapping tree root.

#include "core/thin/ThinMetadata.h"
#include "core/thin/ThinUsage.h"

#include <QAbstractTableModel>
#include <optional>
#include <vector>

namespace dms {

class DeviceListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        MappedBlocksColumn,
        MappedSizeColumn,
        ExclusiveColumn,
        SharedColumn,
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
    // Exclusive/shared blocks per device (computeThinUsage with countExclusive, on a worker
    // thread); matched by device id. Devices missing from `usage` stay "…".
    void setUsage(const std::vector<ThinDeviceUsage>& usage);
    bool hasUsage() const { return !exclusive_.empty(); }
    // The row of a device id, or -1.
    int rowOfDevice(std::uint64_t id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::optional<quint64> rawValue(std::size_t row, int column) const;

    std::vector<ThinDevice> devices_;
    std::vector<std::optional<std::uint64_t>> exclusive_; // per row, empty until setUsage()
    std::uint32_t dataBlockSize_ = 0;
};

} // namespace dms
