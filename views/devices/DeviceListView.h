#pragma once
// The thin-device table, sortable by any column on raw values (not on the display text).

#include <QTableView>

class QSortFilterProxyModel;

namespace dms {

class DeviceListModel;

class DeviceListView : public QTableView {
    Q_OBJECT
public:
    explicit DeviceListView(QWidget* parent = nullptr);
    void setDeviceModel(DeviceListModel* model);

private:
    QSortFilterProxyModel* proxy_;
};

} // namespace dms
