#pragma once
// The btree browser's tree view, with thin_explore's keys beside the arrows: h/Left collapses or
// goes to the parent, l/Right expands (fetching the node) or goes to the first child, j/Down and
// k/Up move to the next/previous visible row, g/Home and G/End to the first and last row.

#include <QTreeView>

namespace dms {

class BtreeTreeView : public QTreeView {
    Q_OBJECT
public:
    explicit BtreeTreeView(QWidget* parent = nullptr);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void goTo(const QModelIndex& index);
};

} // namespace dms
