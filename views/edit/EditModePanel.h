#pragma once
// Edit mode in one widget: the pending operations, the event list with the stepping buttons, the
// ring buffer and the machine state, all following one edit session. Owns the stepper and the
// ring and threshold models; the session belongs to the caller.

#include <QWidget>

namespace dms {

class BlockSelection;
class EditSession;
class EventListView;
class EventStepper;
class MachineStateView;
class PendingOpsView;
class RingBufferModel;
class RingBufferView;
class ThresholdModel;

class EditModePanel : public QWidget {
    Q_OBJECT
public:
    explicit EditModePanel(QWidget* parent = nullptr);

    void setSession(EditSession* session); // nullptr: nothing is being edited
    void setSelection(BlockSelection* selection);

    EventStepper* stepper() const { return stepper_; }
    RingBufferModel* ringModel() const { return ring_; }
    ThresholdModel* thresholdModel() const { return threshold_; }
    PendingOpsView* pendingOpsView() const { return pendingView_; }
    EventListView* eventListView() const { return eventView_; }
    RingBufferView* ringBufferView() const { return ringView_; }
    MachineStateView* machineStateView() const { return machineView_; }

private:
    EventStepper* stepper_;
    RingBufferModel* ring_;
    ThresholdModel* threshold_;
    PendingOpsView* pendingView_;
    EventListView* eventView_;
    RingBufferView* ringView_;
    MachineStateView* machineView_;
};

} // namespace dms
