#pragma once
// The trace events of the pending operations (and of the commit that would follow) with the
// current one highlighted, and the stepping buttons: Step, Step op, Continue (to the end of the
// current operation), Run to commit, Reset. Picking an event selects the block it is about.

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace dms {

class BlockSelection;
class EventStepper;

class EventListView : public QWidget {
    Q_OBJECT
public:
    explicit EventListView(QWidget* parent = nullptr);

    void setStepper(EventStepper* stepper);
    void setSelection(BlockSelection* selection) { selection_ = selection; }
    QTableView* table() const { return table_; }

private:
    void follow(int position);
    void picked(int row);

    EventStepper* stepper_ = nullptr;
    BlockSelection* selection_ = nullptr;
    QTableView* table_;
    QLabel* where_;
    QPushButton* step_;
    QPushButton* stepOp_;
    QPushButton* continue_;
    QPushButton* runToCommit_;
    QPushButton* reset_;
};

} // namespace dms
