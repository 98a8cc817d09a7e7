// The main window's side of edit sessions' transaction history and of diffs: stepping every view
// to an earlier state (a read-only document over EditSession::stateAt), the block map's marks of
// the open transaction, and File > Compare with… / Compare Held Snapshot with Live.

#include "app/gui/EditTab.h"
#include "app/gui/MainWindow.h"
#include "core/FileBlockSource.h"
#include "models/ThinPoolDocument.h"
#include "models/edit/EditSession.h"
#include "models/edit/EventStepper.h"
#include "models/edit/TransactionMarks.h"
#include "views/blockmap/BlockMapView.h"
#include "views/common/MessageBanner.h"
#include "views/edit/EditModePanel.h"
#include "views/edit/MetadataDiffView.h"
#include "views/edit/TransactionBanner.h"
#include "views/edit/TransactionHistoryView.h"

#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QMenu>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace dms {

// Once, when the Edit tab is made: the history view steps the window, the banner steps back,
// the stepper and the pending operations move the block map's marks.
void MainWindow::wireEditHistory() {
    TransactionHistoryView* history = editTab_->historyView();
    connect(history, &TransactionHistoryView::stateRequested, this,
            [this](int k) { showTransactionState(k); });
    goMenu_->addSeparator();
    goMenu_->addAction(history->stepBackAction());
    goMenu_->addAction(history->stepForwardAction());
    goMenu_->addAction(history->currentStateAction());
    transactionBanner_ = new TransactionBanner(centralWidget());
    static_cast<QVBoxLayout*>(centralWidget()->layout())->insertWidget(1, transactionBanner_);
    connect(transactionBanner_, &TransactionBanner::earlierRequested, history,
            &TransactionHistoryView::stepBack);
    connect(transactionBanner_, &TransactionBanner::laterRequested, history,
            &TransactionHistoryView::stepForward);
    connect(transactionBanner_, &TransactionBanner::currentRequested, history,
            &TransactionHistoryView::showCurrent);
    // The block map as context: the stepper reloads while the window is torn down, after the map
    // is gone.
    EventStepper* stepper = editTab_->panel()->stepper();
    connect(stepper, &EventStepper::positionChanged, blockMap_,
            [this] { updateTransactionMarks(); });
    connect(stepper, &EventStepper::eventsReloaded, blockMap_,
            [this] { updateTransactionMarks(); });
}

bool MainWindow::showTransactionState(int k) {
    EditSession* s = editTab_ ? editTab_->session() : nullptr;
    if (!s) return false;
    const int n = s->history().size();
    QElapsedTimer clock;
    clock.start();
    auto source =
        k == n ? Expected<std::shared_ptr<const BlockSource>>(s->committedSource()) : s->stateAt(k);
    if (!source) {
        showError(tr("Cannot rebuild transaction %1 of %2").arg(k).arg(n), source.error());
        return false;
    }
    const QString name =
        k == n   ? tr("%1 (edited copy)").arg(s->displayName())
        : k == 0 ? tr("%1 (edited copy, as opened)").arg(s->displayName())
                 : tr("%1 (edited copy, transaction %2 of %3)").arg(s->displayName()).arg(k).arg(n);
    auto doc = ThinPoolDocument::openSource(std::move(*source), name, false);
    if (!doc) {
        showError(tr("Cannot show transaction %1 of %2").arg(k).arg(n), doc.error());
        return false;
    }
    setDocument(std::move(*doc));
    shownState_ = k == n ? -1 : k;
    transactionBanner_->showState(k, n);
    updateTransactionMarks();
    statusBar()->showMessage(
        tr("Showing %1 (switched in %2 ms)").arg(name).arg(clock.nsecsElapsed() / 1e6, 0, 'f', 1),
        5000);
    return true;
}

void MainWindow::showingCurrentState() {
    shownState_ = -1;
    transactionBanner_->showState(0, 0);
    updateTransactionMarks();
}

// The open transaction's blocks, as far as the stepper has gone (all of them before the first
// step); none while an earlier state is shown, to which they do not belong.
void MainWindow::updateTransactionMarks() {
    EditSession* s = editTab_ ? editTab_->session() : nullptr;
    if (!s || shownState_ >= 0) {
        blockMap_->setTransactionMarks({});
        return;
    }
    const EventStepper* stepper = editTab_->panel()->stepper();
    const int at = stepper->position();
    const TransactionBlocks t =
        at < 0 ? s->transactionBlocks()
               : transactionBlocksOf(stepper->events(), static_cast<std::size_t>(at) + 1);
    BlockMapMarks marks;
    marks.blocks[BlockMapMarks::Shadowed] = t.shadowed;
    marks.blocks[BlockMapMarks::Allocated] = t.allocated;
    marks.blocks[BlockMapMarks::Freed] = t.freed;
    blockMap_->setTransactionMarks(std::move(marks),
                                   at < 0 ? tr("Open transaction")
                                          : tr("Open transaction, to event %1").arg(at + 1));
}

QDockWidget* MainWindow::compareDock() {
    if (!compareDock_) {
        compareView_ = new MetadataDiffView(this);
        compareView_->setSelection(selection_);
        compareDock_ = addDock(tr("Compare"), QStringLiteral("compare"), compareView_,
                               Qt::BottomDockWidgetArea);
        viewMenu_->addAction(compareDock_->toggleViewAction());
    }
    compareDock_->show();
    compareDock_->raise();
    return compareDock_;
}

void MainWindow::chooseCompareFile() {
    if (!doc_) return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Compare with Another Image of This Pool"), QString(),
        tr("Metadata images (*.img *.bin *.meta *.tmeta *.raw);;All files (*)"));
    if (!path.isEmpty()) compareWith(path);
}

bool MainWindow::compareWith(const QString& path) {
    if (!doc_) return false;
    auto other = FileBlockSource::open(path.toStdString(), OpenMode::ReadOnly);
    if (!other) {
        showError(tr("Cannot open %1 to compare").arg(path), other.error());
        return false;
    }
    compareDock();
    compareView_->compareSources(doc_->source(),
                                 std::shared_ptr<const BlockSource>(std::move(*other)),
                                 doc_->displayName(), path);
    return true;
}

bool MainWindow::compareHeldWithLive() {
    if (!doc_ || !doc_->metadata().hasMetadataSnapshot()) {
        showError(tr("No metadata snapshot"),
                  makeError(ErrorKind::Usage, "the open metadata holds no metadata snapshot"));
        return false;
    }
    compareDock();
    compareView_->compareHeldWithLive(doc_->source(), doc_->displayName());
    return true;
}

} // namespace dms
