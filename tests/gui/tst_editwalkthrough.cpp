// Issue 5's walkthrough, driven through the window as a person would: open the demo pool, File >
// Edit a Copy, set a threshold just below the free count, type "create-snap 100 1", step through
// every event (the ring buffer fills and drains, the threshold fires exactly once, where the free
// count first reaches it; the block map marks follow the steps), commit, commit a second
// transaction, step back (every view shows the earlier metadata under a banner), return, diff two
// transactions (the snapshot is right_only), and the committed copy passes thin_check. Renders the
// history, the diff and the block map's marks to $DMSCOPE_SCREENSHOT_DIR (default: a temporary
// directory).

#include "app/gui/EditTab.h"
#include "app/gui/MainWindow.h"
#include "core/thin/ThinMetadata.h"
#include "models/BlockSelection.h"
#include "models/DemoPool.h"
#include "models/DeviceListModel.h"
#include "models/ThinPoolDocument.h"
#include "models/edit/EditSession.h"
#include "models/edit/EventStepper.h"
#include "models/edit/MetadataDiffModel.h"
#include "models/edit/RingBufferModel.h"
#include "models/edit/ThresholdModel.h"
#include "models/edit/TransactionHistoryModel.h"
#include "tests/gui/EditDriving.h"
#include "tests/support/Fixtures.h"
#include "tests/support/ImageChecks.h"
#include "views/blockmap/BlockMapView.h"
#include "views/edit/EditModePanel.h"
#include "views/edit/EventListView.h"
#include "views/edit/MachineStateView.h"
#include "views/edit/MetadataDiffView.h"
#include "views/edit/PendingOpsView.h"
#include "views/edit/TransactionBanner.h"
#include "views/edit/TransactionHistoryView.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

using namespace dms;
using namespace dms::test;

namespace {

int queuedSlots(const RingBufferModel& m) {
    int n = 0;
    for (int i = 0; i < m.rowCount(); ++i)
        n += m.index(i).data(RingBufferModel::QueuedRole).toBool() ? 1 : 0;
    return n;
}

QString screenshotDir() {
    const QString dir = qEnvironmentVariable("DMSCOPE_SCREENSHOT_DIR");
    return dir.isEmpty() ? test::tempDir() : dir;
}

// Paints until every visible tile is rendered (a paint requests the missing ones).
void waitForTiles(BlockMapCanvas* canvas) {
    for (int i = 0; i < 1000; ++i) {
        canvas->viewport()->repaint();
        if (!canvas->hasPendingTiles()) return;
        QTest::qWait(20);
    }
    QFAIL("the block map's tiles were not rendered in 20 s");
}

// Shows the window at a size that fits every panel and opens the demo pool, its scan finished.
void showWithDemo(MainWindow& w) {
    w.resize(1500, 950);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy scanned(&w, &MainWindow::scanFinished);
    QVERIFY(w.openDemo());
    QVERIFY(scanned.wait(20000));
}

} // namespace

class TestEditWalkthrough : public QObject {
    Q_OBJECT
private slots:
    void openEditStepCommitStepBackDiffAndCheck() {
        MainWindow w;
        showWithDemo(w);
        if (QTest::currentTestFailed()) return;
        const int devices0 = w.deviceModel()->rowCount();
        QVERIFY(devices0 > 1);

        // File > Edit a Copy.
        QAction* editAction = menuAction(w, QStringLiteral("Edit a Copy"));
        QVERIFY(editAction);
        editAction->trigger();
        EditTab* tab = w.editTab();
        QVERIFY(tab && tab->session());
        EditSession* s = tab->session();
        EditModePanel* panel = tab->panel();
        EventStepper* stepper = panel->stepper();
        QAbstractItemModelTester historyTester(
            tab->historyView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester diffTester(tab->diffView()->model(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);

        // A threshold just below the free count, set in the machine view.
        const std::uint64_t free0 = s->initialState().nrFree;
        const std::uint64_t threshold = free0 - 1;
        auto* spin = panel->machineStateView()->findChild<QSpinBox*>();
        auto* on = panel->machineStateView()->findChild<QCheckBox*>();
        QVERIFY(spin && on);
        spin->setValue(int(threshold));
        on->setChecked(true);
        QCOMPARE(s->threshold().value_or(0), threshold);

        typeOperation(tab, QStringLiteral("create-snap 100 1"));
        // Before any step the block map marks the whole open transaction.
        const TransactionBlocks all = s->transactionBlocks();
        QVERIFY(!all.shadowed.empty() && !all.allocated.empty());
        QCOMPARE(w.blockMapView()->transactionMarks().blocks[BlockMapMarks::Shadowed],
                 all.shadowed);
        QCOMPARE(w.blockMapView()->transactionMarks().blocks[BlockMapMarks::Allocated],
                 all.allocated);
        QVERIFY2(w.blockMapView()->legend()->markText().contains(QStringLiteral("shadowed")),
                 qPrintable(w.blockMapView()->legend()->markText()));

        // Step through every event with the Step button.
        QPushButton* step = button(panel->eventListView(), QStringLiteral("Step"));
        QVERIFY(step);
        int maxFill = 0, maxFillAt = -1, firstReach = -1, firedAt = -1, fires = 0;
        int lastFires = 0;
        std::size_t marksAtFirstStep = 0;
        while (step->isEnabled()) {
            step->click();
            const int at = stepper->position();
            const int fill = queuedSlots(*panel->ringModel());
            QCOMPARE(std::uint32_t(fill), stepper->ringFill());
            if (fill > maxFill) {
                maxFill = fill;
                maxFillAt = at;
            }
            if (firstReach < 0 && stepper->state().nrFree <= threshold) firstReach = at;
            const int f = panel->thresholdModel()->firesSoFar();
            if (f != lastFires) {
                QCOMPARE(f, lastFires + 1);
                firedAt = at;
                ++fires;
                lastFires = f;
                QVERIFY2(panel->machineStateView()
                                 ->fieldText(QStringLiteral("threshold"))
                                 .contains(QStringLiteral("fired")) ||
                             panel->machineStateView()
                                 ->fieldText(QStringLiteral("state"))
                                 .contains(QStringLiteral("fired")),
                         qPrintable(panel->machineStateView()->fieldText(QStringLiteral("state"))));
            }
            if (at == 0) {
                const auto& m = w.blockMapView()->transactionMarks();
                marksAtFirstStep = m.count(BlockMapMarks::Shadowed) +
                                   m.count(BlockMapMarks::Allocated) +
                                   m.count(BlockMapMarks::Freed);
            }
        }
        QCOMPARE(stepper->position(), stepper->eventCount() - 1);
        // The ring filled and drained.
        QVERIFY2(maxFill > 0, "no op was ever queued in the ring");
        QCOMPARE(queuedSlots(*panel->ringModel()), 0);
        QVERIFY(maxFillAt >= 0);
        stepper->setPosition(maxFillAt);
        QCOMPARE(queuedSlots(*panel->ringModel()), maxFill);
        stepper->setPosition(stepper->eventCount() - 1);
        // The threshold fired once, right after the free count first reached it: between the two
        // no other block was allocated.
        QCOMPARE(fires, 1);
        QVERIFY2(
            firstReach >= 0 && firedAt > firstReach,
            qPrintable(QStringLiteral("reached at %1, fired at %2").arg(firstReach).arg(firedAt)));
        for (int i = firstReach + 1; i < firedAt; ++i)
            QVERIFY(stepper->events()[std::size_t(i)].kind != TraceKind::BlockAllocated ||
                    stepper->events()[std::size_t(i)].source != TraceSource::MetadataSpaceMap);
        QCOMPARE(stepper->events()[std::size_t(firedAt)].kind, TraceKind::ThresholdFired);
        // The marks followed the steps: few after the first event, all of them at the end.
        const auto& endMarks = w.blockMapView()->transactionMarks();
        QVERIFY(marksAtFirstStep <
                endMarks.count(BlockMapMarks::Shadowed) + endMarks.count(BlockMapMarks::Allocated));
        for (std::uint64_t b : all.shadowed)
            QVERIFY2(std::binary_search(endMarks.blocks[BlockMapMarks::Shadowed].begin(),
                                        endMarks.blocks[BlockMapMarks::Shadowed].end(), b),
                     qPrintable(QStringLiteral("block %1 is not marked shadowed").arg(b)));

        // Commit (answering the question), then a second transaction.
        panel->pendingOpsView()->setConfirm([](const QString&) { return true; });
        button(panel->pendingOpsView(), QStringLiteral("Commit"))->click();
        QCOMPARE(s->history().size(), 1);
        QCOMPARE(w.deviceModel()->rowCount(), devices0 + 1);
        QVERIFY(w.blockMapView()->transactionMarks().empty());
        typeOperation(tab, QStringLiteral("delete 2"));
        typeOperation(tab, QStringLiteral("provision 100 4000"));
        button(panel->pendingOpsView(), QStringLiteral("Commit"))->click();
        QCOMPARE(s->history().size(), 2);
        QCOMPARE(w.deviceModel()->rowCount(), devices0);
        TransactionHistoryView* history = tab->historyView();
        QCOMPARE(history->model()->rowCount(), 2);
        QVERIFY(history->model()
                    ->index(1, TransactionHistoryModel::MetadataFreeColumn)
                    .data()
                    .toULongLong() > 0);

        // Step back one transaction: every view shows the metadata after transaction 1.
        tab->showPage(QStringLiteral("transactions"));
        QElapsedTimer clock;
        clock.start();
        button(history, QStringLiteral("◀ Earlier"))->click();
        qInfo("the window switched to transaction 1 of 2 in %.1f ms", clock.nsecsElapsed() / 1e6);
        QCOMPARE(w.shownTransactionState(), 1);
        QCOMPARE(w.deviceModel()->rowCount(), devices0 + 1);
        QVERIFY(w.document()->displayName().contains(QStringLiteral("transaction 1 of 2")));
        QVERIFY2(w.transactionBanner()->text().contains(
                     QStringLiteral("Viewing transaction 1 of 2 (read-only)")),
                 qPrintable(w.transactionBanner()->text()));
        {
            auto devs = w.document()->metadata().devices(w.document()->superblock());
            QVERIFY(devs);
            QCOMPARE(int(devs->size()), devices0 + 1);
        }
        // Alt+PgUp: as opened.
        QAction* back = history->stepBackAction();
        QCOMPARE(back->shortcut(), QKeySequence(Qt::ALT | Qt::Key_PageUp));
        back->trigger();
        QCOMPARE(w.shownTransactionState(), 0);
        QCOMPARE(w.deviceModel()->rowCount(), devices0);
        QVERIFY(w.transactionBanner()->text().contains(QStringLiteral("as opened")));
        QVERIFY(w.blockMapView()->transactionMarks().empty());
        QPushButton* backToCurrent =
            button(w.transactionBanner(), QStringLiteral("Back to current"));
        QVERIFY(backToCurrent);
        backToCurrent->click();
        QCOMPARE(w.shownTransactionState(), -1);
        QVERIFY(w.transactionBanner()->text().isEmpty());
        QCOMPARE(history->viewedState(), 2);

        // Diff as opened -> after transaction 1: the snapshot is right_only, with as many blocks
        // as its origin has unchanged.
        tab->showPage(QStringLiteral("diff"));
        MetadataDiffView* diff = tab->diffView();
        QSignalSpy ready(diff, &MetadataDiffView::diffReady);
        diff->leftPicker()->setCurrentIndex(diff->leftPicker()->findData(0));
        diff->rightPicker()->setCurrentIndex(diff->rightPicker()->findData(1));
        QVERIFY(ready.wait(10000));
        while (diff->isBusy())
            QVERIFY(ready.wait(10000));
        const MetadataDiffModel& m = *diff->model();
        const int snapRow = rowOfDevice(m, 100), originRow = rowOfDevice(m, 1);
        QVERIFY(snapRow >= 0 && originRow >= 0);
        QCOMPARE(m.index(snapRow, MetadataDiffModel::PresenceColumn).data().toString(),
                 QStringLiteral("right_only"));
        QCOMPARE(m.index(snapRow, MetadataDiffModel::RightOnlyColumn).data().toULongLong(),
                 m.index(originRow, MetadataDiffModel::SameColumn).data().toULongLong());
        QVERIFY(m.index(originRow, MetadataDiffModel::SameColumn).data().toULongLong() > 0);
        QCOMPARE(m.rowCount(), devices0 + 1);
        QCOMPARE(int(diff->diff().changedBlocks.size()), int(s->history().at(0).blocks.size()));
        QVERIFY2(diff->summaryText().contains(QStringLiteral("1 right_only")),
                 qPrintable(diff->summaryText()));
        // A changed block, clicked, is selected in every view.
        QListWidget* blocks = diff->blockList();
        QVERIFY(blocks->count() > 1);
        QListWidgetItem* item = blocks->item(1);
        QTest::mouseClick(blocks->viewport(), Qt::LeftButton, {},
                          blocks->visualItemRect(item).center());
        QVERIFY(w.selection()->current());
        QCOMPARE(w.selection()->current()->block, item->data(Qt::UserRole).toULongLong());
        // The snapshot's runs, as thin_delta prints them.
        diff->deviceTable()->selectRow(snapRow);
        QTest::mouseClick(diff->deviceTable()->viewport(), Qt::LeftButton, {},
                          diff->deviceTable()->visualRect(m.index(snapRow, 0)).center());
        QVERIFY2(diff->runsText().startsWith(QStringLiteral("<right_only begin=")),
                 qPrintable(diff->runsText()));
        QVERIFY(w.grab().save(QDir(screenshotDir()).filePath(QStringLiteral("edit-diff.png"))));

        // A third transaction, then the history at transaction 2 of 3 for the screenshot.
        typeOperation(tab, QStringLiteral("create-thin 101"));
        typeOperation(tab, QStringLiteral("provision 101 0"));
        button(panel->pendingOpsView(), QStringLiteral("Commit"))->click();
        QCOMPARE(history->model()->rowCount(), 3);
        tab->showPage(QStringLiteral("transactions"));
        QSignalSpy rescanned(&w, &MainWindow::scanFinished);
        history->showState(2);
        QVERIFY(rescanned.wait(20000));
        QVERIFY(w.transactionBanner()->text().contains(QStringLiteral("transaction 2 of 3")));
        QVERIFY(w.grab().save(QDir(screenshotDir()).filePath(QStringLiteral("edit-history.png"))));
        history->showCurrent();

        // The committed copy passes thin_check and dmscope-cli check.
        const QString image = test::writeScratchImage(QStringLiteral("walkthrough.img"),
                                                      bytesOf(*s->committedSource()));
        for (const test::ImageChecker& c : test::imageCheckers()) {
            const auto r = test::runProgram(c.program, c.args + QStringList{image});
            QVERIFY2(r.exitCode == 0,
                     qPrintable(c.name + QStringLiteral(": ") + QString::fromUtf8(r.out + r.err)));
        }
    }

    void theBlockMapMarksThePendingTransaction() {
        MainWindow w;
        showWithDemo(w);
        if (QTest::currentTestFailed()) return;
        QVERIFY(w.editCopy());
        EditTab* tab = w.editTab();
        typeOperation(tab, QStringLiteral("create-snap 100 1"));
        typeOperation(tab, QStringLiteral("delete 3"));
        const TransactionBlocks t = tab->session()->transactionBlocks();
        QVERIFY(!t.freed.empty());
        BlockMapView* map = w.blockMapView();
        QCOMPARE(map->transactionMarks().blocks[BlockMapMarks::Freed], t.freed);
        // Undo drops the second operation's marks.
        button(tab->panel()->pendingOpsView(), QStringLiteral("Undo"))->click();
        const TransactionBlocks u = tab->session()->transactionBlocks();
        QCOMPARE(map->transactionMarks().blocks[BlockMapMarks::Shadowed], u.shadowed);
        QCOMPARE(map->transactionMarks().blocks[BlockMapMarks::Freed], u.freed);
        typeOperation(tab, QStringLiteral("delete 3"));
        w.showView(QStringLiteral("blockmap"));
        QSignalSpy mapReady(map, &BlockMapView::ready);
        if (!map->isReady()) QVERIFY(mapReady.wait(20000));
        // A marked block is drawn in its kind's colour over the map.
        map->canvas()->setZoom(3);
        const std::uint64_t b = t.freed.front();
        map->canvas()->centreOn(b);
        waitForTiles(map->canvas());
        const QImage img = map->canvas()->viewport()->grab().toImage();
        const QPoint c = map->canvas()->viewportPointOf(b) * img.devicePixelRatio();
        bool found = false;
        const QColor red = blockmap::markColour(BlockMapMarks::Freed);
        for (int dy = -6; dy <= 6 && !found; ++dy)
            for (int dx = -6; dx <= 6 && !found; ++dx)
                found = img.pixelColor(c + QPoint(dx, dy)) == red;
        QVERIFY2(found, qPrintable(QStringLiteral("block %1's freed mark is not drawn").arg(b)));
        // The screenshot: zoomed in on the first marked blocks, the legend beside.
        map->canvas()->setZoom(4);
        map->canvas()->centreOn(t.allocated.front()); // the top: both groups of marks
        waitForTiles(map->canvas());
        QVERIFY(
            w.grab().save(QDir(screenshotDir()).filePath(QStringLiteral("blockmap-marks.png"))));
    }
};

QTEST_MAIN(TestEditWalkthrough)
#include "tst_editwalkthrough.moc"
