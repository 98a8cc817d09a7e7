#include "views/devices/DeviceListView.h"

#include "models/DeviceListModel.h"
#include "models/ModelRoles.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>

namespace dms {

DeviceListView::DeviceListView(QWidget* parent)
    : QTableView(parent), proxy_(new QSortFilterProxyModel(this)) {
    proxy_->setSortRole(RawValueRole);
    setModel(proxy_);
    setSortingEnabled(true);
    sortByColumn(DeviceListModel::IdColumn, Qt::AscendingOrder);
    setAlternatingRowColors(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->hide();
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
}

void DeviceListView::setDeviceModel(DeviceListModel* model) {
    proxy_->setSourceModel(model);
}

} // namespace dms
