#include "views/edit/EditModePanel.h"

#include "models/edit/EventStepper.h"
#include "models/edit/RingBufferModel.h"
#include "models/edit/ThresholdModel.h"
#include "views/edit/EventListView.h"
#include "views/edit/MachineStateView.h"
#include "views/edit/PendingOpsView.h"
#include "views/edit/RingBufferView.h"

#include <QHBoxLayout>
#include <QSplitter>

namespace dms {

EditModePanel::EditModePanel(QWidget* parent)
    : QWidget(parent), stepper_(new EventStepper(this)), ring_(new RingBufferModel(this)),
      threshold_(new ThresholdModel(this)), pendingView_(new PendingOpsView),
      eventView_(new EventListView), ringView_(new RingBufferView),
      machineView_(new MachineStateView) {
    ring_->setStepper(stepper_);
    threshold_->setStepper(stepper_);
    eventView_->setStepper(stepper_);
    ringView_->setModel(ring_);
    machineView_->setStepper(stepper_, threshold_);

    auto* left = new QSplitter(Qt::Vertical);
    left->addWidget(pendingView_);
    left->addWidget(eventView_);
    left->setSizes({170, 600});
    auto* right = new QSplitter(Qt::Vertical);
    right->addWidget(ringView_);
    right->addWidget(machineView_);
    right->setSizes({440, 360});
    auto* main = new QSplitter(Qt::Horizontal);
    main->addWidget(left);
    main->addWidget(right);
    main->setSizes({900, 480});
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(main);
}

void EditModePanel::setSession(EditSession* session) {
    pendingView_->setSession(session);
    stepper_->setSession(session);
}

void EditModePanel::setSelection(BlockSelection* selection) {
    eventView_->setSelection(selection);
}

} // namespace dms
