#include "views/btree/BtreeTreeView.h"

#include <QKeyEvent>

namespace dms {

BtreeTreeView::BtreeTreeView(QWidget* parent) : QTreeView(parent) {
    setUniformRowHeights(true); // fast with thousands of fetched rows
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAllColumnsShowFocus(true);
    setAlternatingRowColors(true);
}

void BtreeTreeView::goTo(const QModelIndex& index) {
    if (!index.isValid()) return;
    const QModelIndex first = index.siblingAtColumn(0);
    selectionModel()->setCurrentIndex(first, QItemSelectionModel::ClearAndSelect |
                                                 QItemSelectionModel::Rows);
    scrollTo(first);
}

void BtreeTreeView::keyPressEvent(QKeyEvent* event) {
    if (!model() || event->modifiers() & (Qt::ControlModifier | Qt::AltModifier)) {
        QTreeView::keyPressEvent(event);
        return;
    }
    const QModelIndex cur = currentIndex().siblingAtColumn(0);
    const QString t = event->text();
    const int key = event->key();
    if (!cur.isValid() && (key == Qt::Key_J || key == Qt::Key_K || key == Qt::Key_H ||
                           key == Qt::Key_L || key == Qt::Key_Down || key == Qt::Key_Up)) {
        goTo(model()->index(0, 0));
        return;
    }
    if (key == Qt::Key_H || key == Qt::Key_Left) {
        if (isExpanded(cur))
            collapse(cur);
        else
            goTo(cur.parent());
    } else if (key == Qt::Key_L || key == Qt::Key_Right) {
        if (!model()->hasChildren(cur)) return;
        if (!isExpanded(cur)) {
            if (model()->canFetchMore(cur)) model()->fetchMore(cur);
            expand(cur);
        } else {
            goTo(model()->index(0, 0, cur));
        }
    } else if (key == Qt::Key_J || key == Qt::Key_Down) {
        goTo(moveCursor(MoveDown, Qt::NoModifier));
    } else if (key == Qt::Key_K || key == Qt::Key_Up) {
        goTo(moveCursor(MoveUp, Qt::NoModifier));
    } else if (t == QLatin1String("g") || key == Qt::Key_Home) {
        goTo(moveCursor(MoveHome, Qt::NoModifier));
    } else if (t == QLatin1String("G") || key == Qt::Key_End) {
        goTo(moveCursor(MoveEnd, Qt::NoModifier));
    } else {
        QTreeView::keyPressEvent(event);
    }
}

} // namespace dms
