#include "views/superblock/SuperblockView.h"

#include "models/SuperblockModel.h"

#include <QHeaderView>

namespace dms {

SuperblockView::SuperblockView(QWidget* parent) : QTableView(parent) {
    setAlternatingRowColors(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setWordWrap(false);
    verticalHeader()->hide();
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setHighlightSections(false);
}

void SuperblockView::setSuperblockModel(SuperblockModel* model) {
    setModel(model);
    QHeaderView* h = horizontalHeader();
    h->setSectionResizeMode(SuperblockModel::FieldColumn, QHeaderView::ResizeToContents);
    h->setSectionResizeMode(SuperblockModel::ValueColumn, QHeaderView::ResizeToContents);
    h->setSectionResizeMode(SuperblockModel::OffsetColumn, QHeaderView::ResizeToContents);
    h->setSectionResizeMode(SuperblockModel::MeaningColumn, QHeaderView::Stretch);
}

} // namespace dms
