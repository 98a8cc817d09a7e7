#pragma once
// The thin-device table, sortable by any column on raw values (not on the display text).
// Picking a device selects its mapping tree root block in the window's selection; when the
// selection moves to a device's root from elsewhere, its row is highlighted.

#include <QTableView>

class QSortFilterProxyModel;

namespace dms {

class BlockSelection;
class DeviceListModel;
struct BlockRef;

class DeviceListView : public QTableView {
    Q_OBJECT
public:
    explicit DeviceListView(QWidget* parent = nullptr);
    void setDeviceModel(DeviceListModel* model);
    void setSelection(BlockSelection* selection);

private:
    void rowPicked(const QModelIndex& current);
    void follow(const BlockRef& ref, const QObject* origin);

    QSortFilterProxyModel* proxy_;
    DeviceListModel* model_ = nullptr;
    BlockSelection* selection_ = nullptr;
    bool following_ = false;
};

} // namespace dms
