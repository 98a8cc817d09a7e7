#pragma once
// The metadata space map's machine state at the event stepper's position: recursion depth,
// allocation cursor, allocated_this_transaction, free count (committed free minus allocated),
// bootstrap mode, the ring's cursors and fill; and the threshold: its value (set here), armed or
// fired, and the history of fires.

#include <QWidget>

class QCheckBox;
class QLabel;
class QSpinBox;
class QTableView;

namespace dms {

class EventStepper;
class ThresholdModel;

class MachineStateView : public QWidget {
    Q_OBJECT
public:
    explicit MachineStateView(QWidget* parent = nullptr);

    void setStepper(EventStepper* stepper, ThresholdModel* threshold);
    // The value shown for a field ("depth", "cursor", "allocated", "free", "bootstrap", "ring",
    // "threshold", "state"), for tests.
    QString fieldText(const QString& name) const;

private:
    void refresh();
    void applyThreshold();

    EventStepper* stepper_ = nullptr;
    ThresholdModel* threshold_ = nullptr;
    QLabel* event_;
    QLabel* depth_;
    QLabel* cursor_;
    QLabel* allocated_;
    QLabel* free_;
    QLabel* bootstrap_;
    QLabel* ring_;
    QLabel* thresholdState_;
    QCheckBox* thresholdOn_;
    QSpinBox* thresholdValue_;
    QTableView* fires_;
};

} // namespace dms
