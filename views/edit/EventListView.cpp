#include "views/edit/EventListView.h"

#include "models/BlockSelection.h"
#include "models/edit/EventStepper.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace dms {

EventListView::EventListView(QWidget* parent)
    : QWidget(parent), table_(new QTableView(this)), where_(new QLabel(this)),
      step_(new QPushButton(tr("&Step"), this)), stepOp_(new QPushButton(tr("Step &op"), this)),
      continue_(new QPushButton(tr("C&ontinue"), this)),
      runToCommit_(new QPushButton(tr("Run to co&mmit"), this)),
      reset_(new QPushButton(tr("&Reset"), this)) {
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setWordWrap(false);
    step_->setShortcut(Qt::Key_F10);
    step_->setToolTip(tr("Next event (F10)"));
    stepOp_->setToolTip(tr("To the next request made of a space map"));
    continue_->setToolTip(tr("To the end of the current operation"));
    runToCommit_->setToolTip(tr("To the last event before the commit"));
    reset_->setToolTip(tr("Before the first event"));
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {step_, stepOp_, continue_, runToCommit_, reset_})
        buttons->addWidget(b);
    buttons->addStretch();
    buttons->addWidget(where_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(table_);
    connect(step_, &QPushButton::clicked, this, [this] {
        if (stepper_) stepper_->step();
    });
    connect(stepOp_, &QPushButton::clicked, this, [this] {
        if (stepper_) stepper_->stepOp();
    });
    connect(continue_, &QPushButton::clicked, this, [this] {
        if (stepper_) stepper_->continueRun();
    });
    connect(runToCommit_, &QPushButton::clicked, this, [this] {
        if (stepper_) stepper_->runToCommit();
    });
    connect(reset_, &QPushButton::clicked, this, [this] {
        if (stepper_) stepper_->reset();
    });
    connect(table_, &QTableView::activated, this,
            [this](const QModelIndex& i) { picked(i.row()); });
    connect(table_, &QTableView::clicked, this, [this](const QModelIndex& i) { picked(i.row()); });
    follow(-1);
}

void EventListView::setStepper(EventStepper* stepper) {
    if (stepper_) disconnect(stepper_, nullptr, this, nullptr);
    stepper_ = stepper;
    table_->setModel(stepper);
    if (stepper_) {
        connect(stepper_, &EventStepper::positionChanged, this, &EventListView::follow);
        auto* h = table_->horizontalHeader();
        h->setSectionResizeMode(QHeaderView::ResizeToContents);
        h->setSectionResizeMode(EventStepper::OperationColumn, QHeaderView::Interactive);
        h->setSectionResizeMode(EventStepper::DetailColumn, QHeaderView::Stretch);
        table_->setColumnWidth(EventStepper::OperationColumn, 160);
    }
    follow(stepper_ ? stepper_->position() : -1);
}

void EventListView::follow(int position) {
    const int n = stepper_ ? stepper_->eventCount() : 0;
    const bool more = stepper_ && !stepper_->atEnd();
    for (QPushButton* b : {step_, stepOp_, continue_, runToCommit_})
        b->setEnabled(more);
    reset_->setEnabled(position >= 0);
    where_->setText(n == 0 ? tr("no events") : tr("event %1 of %2").arg(position + 1).arg(n));
    if (!stepper_ || position < 0) {
        table_->clearSelection();
        return;
    }
    const QModelIndex i = stepper_->index(position, 0);
    table_->selectRow(position);
    table_->scrollTo(i, QAbstractItemView::PositionAtCenter);
}

void EventListView::picked(int row) {
    if (!stepper_ || row < 0 || row >= stepper_->eventCount()) return;
    const TraceEvent& e = stepper_->events()[static_cast<std::size_t>(row)];
    if (!selection_) return;
    if (e.source == TraceSource::DataSpaceMap)
        selection_->select(BlockRef::data(e.block), this);
    else if (e.kind != TraceKind::RecursionDepth && e.kind != TraceKind::IndexEntryChanged)
        selection_->select(
            BlockRef::metadata(e.kind == TraceKind::BlockShadowed ? e.newBlock : e.block), this);
}

} // namespace dms
