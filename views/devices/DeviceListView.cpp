#include "views/devices/DeviceListView.h"

#include "models/BlockSelection.h"
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
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->hide();
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { rowPicked(current); });
}

void DeviceListView::setDeviceModel(DeviceListModel* model) {
    model_ = model;
    proxy_->setSourceModel(model);
}

void DeviceListView::setSelection(BlockSelection* selection) {
    if (selection_) disconnect(selection_, nullptr, this, nullptr);
    selection_ = selection;
    if (selection_)
        connect(selection_, &BlockSelection::currentChanged, this, &DeviceListView::follow);
}

void DeviceListView::rowPicked(const QModelIndex& current) {
    if (following_ || !selection_ || !current.isValid()) return;
    const QVariant ref = current.data(BlockRefRole);
    if (ref.isValid()) selection_->select(ref.value<BlockRef>(), this);
}

void DeviceListView::follow(const BlockRef& ref, const QObject* origin) {
    if (origin == this || !model_ || !ref.isMetadata()) return;
    for (int r = 0; r < model_->rowCount(); ++r) {
        if (model_->devices()[std::size_t(r)].mappingRoot != ref.block) continue;
        following_ = true;
        const QModelIndex at = proxy_->mapFromSource(model_->index(r, 0));
        selectionModel()->setCurrentIndex(at, QItemSelectionModel::ClearAndSelect |
                                                  QItemSelectionModel::Rows);
        scrollTo(at);
        following_ = false;
        return;
    }
}

} // namespace dms
