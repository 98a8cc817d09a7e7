#include "views/edit/MachineStateView.h"

#include "models/edit/EventStepper.h"
#include "models/edit/ThresholdModel.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace dms {

MachineStateView::MachineStateView(QWidget* parent)
    : QWidget(parent), event_(new QLabel(this)), depth_(new QLabel(this)),
      cursor_(new QLabel(this)), allocated_(new QLabel(this)), free_(new QLabel(this)),
      bootstrap_(new QLabel(this)), ring_(new QLabel(this)), thresholdState_(new QLabel(this)),
      thresholdOn_(new QCheckBox(tr("Threshold"), this)), thresholdValue_(new QSpinBox(this)),
      fires_(new QTableView(this)) {
    thresholdValue_->setRange(0, 1 << 30);
    thresholdValue_->setEnabled(false);
    thresholdValue_->setKeyboardTracking(false);
    auto* form = new QFormLayout;
    form->addRow(tr("At:"), event_);
    form->addRow(tr("Recursion depth:"), depth_);
    form->addRow(tr("Allocation cursor:"), cursor_);
    form->addRow(tr("allocated_this_transaction:"), allocated_);
    form->addRow(tr("Free (committed − allocated):"), free_);
    form->addRow(tr("Mode:"), bootstrap_);
    form->addRow(tr("Ring buffer:"), ring_);
    auto* th = new QHBoxLayout;
    th->addWidget(thresholdOn_);
    th->addWidget(thresholdValue_);
    th->addStretch();
    form->addRow(th);
    form->addRow(tr("Threshold state:"), thresholdState_);
    fires_->verticalHeader()->hide();
    fires_->setMaximumHeight(110);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Threshold fires:"), this));
    layout->addWidget(fires_);
    layout->addStretch();
    connect(thresholdOn_, &QCheckBox::toggled, this, [this](bool on) {
        thresholdValue_->setEnabled(on);
        applyThreshold();
    });
    connect(thresholdValue_, &QSpinBox::valueChanged, this, &MachineStateView::applyThreshold);
    refresh();
}

void MachineStateView::setStepper(EventStepper* stepper, ThresholdModel* threshold) {
    if (stepper_) disconnect(stepper_, nullptr, this, nullptr);
    if (threshold_) disconnect(threshold_, nullptr, this, nullptr);
    stepper_ = stepper;
    threshold_ = threshold;
    fires_->setModel(threshold);
    if (threshold_) {
        fires_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        fires_->horizontalHeader()->setSectionResizeMode(ThresholdModel::OperationColumn,
                                                         QHeaderView::Stretch);
        connect(threshold_, &ThresholdModel::stateChanged, this, &MachineStateView::refresh);
    }
    if (stepper_)
        connect(stepper_, &EventStepper::positionChanged, this, &MachineStateView::refresh);
    refresh();
}

void MachineStateView::applyThreshold() {
    if (!threshold_) return;
    const std::optional<std::uint64_t> want =
        thresholdOn_->isChecked() ? std::optional<std::uint64_t>(thresholdValue_->value())
                                  : std::nullopt;
    if (want != threshold_->threshold()) threshold_->setThreshold(want);
}

void MachineStateView::refresh() {
    if (!stepper_) {
        for (QLabel* l :
             {event_, depth_, cursor_, allocated_, free_, bootstrap_, ring_, thresholdState_})
            l->setText(QStringLiteral("–"));
        return;
    }
    const SpaceMapState& s = stepper_->state();
    const int pos = stepper_->position();
    event_->setText(pos < 0 ? tr("before the first event")
                            : tr("event %1 of %2").arg(pos + 1).arg(stepper_->eventCount()));
    depth_->setText(QString::number(s.recursionDepth));
    cursor_->setText(tr("block %1").arg(s.cursor));
    allocated_->setText(QString::number(s.allocatedThisTransaction));
    free_->setText(tr("%1 blocks").arg(s.nrFree));
    bootstrap_->setText(s.bootstrap ? tr("bootstrap (blocks handed out in order)") : tr("normal"));
    ring_->setText(
        tr("[%1, %2): %3 queued").arg(s.ringBegin).arg(s.ringEnd).arg(stepper_->ringFill()));
    if (!threshold_ || !threshold_->threshold()) {
        thresholdState_->setText(tr("not set"));
    } else {
        const QSignalBlocker b1(thresholdOn_), b2(thresholdValue_);
        thresholdOn_->setChecked(true);
        thresholdValue_->setEnabled(true);
        thresholdValue_->setValue(int(std::min<std::uint64_t>(*threshold_->threshold(), 1 << 30)));
        thresholdState_->setText(
            (threshold_->armed() ? tr("armed")
                                 : tr("fired (re-arms above %1)").arg(*threshold_->threshold())) +
            tr(", %1 fire(s) so far of %2")
                .arg(threshold_->firesSoFar())
                .arg(threshold_->rowCount()));
    }
}

QString MachineStateView::fieldText(const QString& name) const {
    static const char* names[] = {"at",   "depth",     "cursor", "allocated",
                                  "free", "bootstrap", "ring",   "threshold"};
    const QLabel* labels[] = {event_, depth_,     cursor_, allocated_,
                              free_,  bootstrap_, ring_,   thresholdState_};
    for (int i = 0; i < 8; ++i)
        if (name == QLatin1String(names[i])) return labels[i]->text();
    return {};
}

} // namespace dms
