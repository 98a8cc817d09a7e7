// The edit-mode widgets over a copy of the demo pool: the stepping buttons move the stepper and
// every panel follows it, the ring is drawn with its queued ops, Commit asks first and writes only
// when answered yes, Abort discards. Renders the panel in the middle of creating a snapshot to
// $DMSCOPE_SCREENSHOT_DIR/edit-stepping.png (default: the test's temporary directory).

#include "models/BlockSelection.h"
#include "models/DemoPool.h"
#include "models/edit/EditSession.h"
#include "models/edit/EventStepper.h"
#include "models/edit/PendingOpsModel.h"
#include "models/edit/RingBufferModel.h"
#include "models/edit/ThresholdModel.h"
#include "tests/support/Fixtures.h"
#include "views/edit/EditModePanel.h"
#include "views/edit/EventListView.h"
#include "views/edit/MachineStateView.h"
#include "views/edit/PendingOpsView.h"
#include "views/edit/RingBufferView.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace dms;

namespace {

std::unique_ptr<EditSession> demoSession() {
    auto demo = DemoPool::load();
    if (!demo) return nullptr;
    auto s = EditSession::editCopyOf(**demo, QStringLiteral("demo pool"));
    return s ? std::move(*s) : nullptr;
}

QPushButton* button(QWidget* w, const QString& text) {
    for (QPushButton* b : w->findChildren<QPushButton*>())
        if (b->text().remove(QLatin1Char('&')).startsWith(text)) return b;
    return nullptr;
}

} // namespace

class TestEditViews : public QObject {
    Q_OBJECT
private slots:
    void steppingMovesEveryPanelAndTheScreenshotShowsAQueuedOp() {
        auto s = demoSession();
        QVERIFY(s);
        s->setThreshold(s->initialState().nrFree - 2);
        QVERIFY(s->add(EditOperation::createSnapshot(100, 1)));
        EditModePanel panel;
        BlockSelection selection;
        panel.setSelection(&selection);
        panel.setSession(s.get());
        panel.resize(1400, 820);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QCOMPARE(panel.stepper()->position(), -1);

        QPushButton* step = button(panel.eventListView(), QStringLiteral("Step"));
        QVERIFY(step);
        step->click();
        QCOMPARE(panel.stepper()->position(), 0);
        QCOMPARE(panel.machineStateView()->fieldText(QStringLiteral("at")),
                 QStringLiteral("event 1 of %1").arg(panel.stepper()->eventCount()));
        // Step to the first event that leaves two ops queued (else one), mid-operation.
        int target = -1;
        for (std::uint32_t want : {2u, 1u}) {
            for (int i = 0; i < panel.stepper()->eventCount() && target < 0; ++i) {
                const SpaceMapState& st = panel.stepper()->events()[std::size_t(i)].state;
                if (panel.stepper()->events()[std::size_t(i)].source ==
                        TraceSource::MetadataSpaceMap &&
                    (st.ringEnd + 1025 - st.ringBegin) % 1025 >= want)
                    target = i;
            }
            if (target >= 0) break;
        }
        while (panel.stepper()->position() < target && step->isEnabled())
            step->click();
        QVERIFY2(panel.ringModel()->fill() > 0, "no step left an op in the ring");
        const std::uint32_t begin = panel.ringModel()->beginCursor();
        QVERIFY(panel.ringModel()->index(int(begin)).data(RingBufferModel::QueuedRole).toBool());
        QCOMPARE(panel.machineStateView()->fieldText(QStringLiteral("depth")),
                 QString::number(panel.stepper()->state().recursionDepth));
        QVERIFY(panel.machineStateView()
                    ->fieldText(QStringLiteral("ring"))
                    .contains(QStringLiteral("%1 queued").arg(panel.ringModel()->fill())));
        QVERIFY(panel.eventListView()->table()->selectionModel()->isRowSelected(
            panel.stepper()->position(), {}));
        // Picking an event selects its block.
        const int row = panel.stepper()->position();
        emit panel.eventListView()->table()->clicked(panel.stepper()->index(row, 0));
        QVERIFY(selection.current().has_value());

        QApplication::processEvents();
        const QImage shot = panel.grab().toImage();
        QVERIFY(!shot.isNull());
        QString dir = qEnvironmentVariable("DMSCOPE_SCREENSHOT_DIR");
        if (dir.isEmpty()) dir = test::tempDir();
        QVERIFY(shot.save(dir + QStringLiteral("/edit-stepping.png")));
        // The same under a dark palette (the ring and strip take their colours from it).
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
        dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Mid, QColor(0x60, 0x60, 0x60));
        panel.setPalette(dark);
        QVERIFY(panel.grab().toImage().save(dir + QStringLiteral("/edit-stepping-dark.png")));

        QPushButton* reset = button(panel.eventListView(), QStringLiteral("Reset"));
        QVERIFY(reset);
        button(panel.eventListView(), QStringLiteral("Run to commit"))->click();
        QCOMPARE(panel.ringModel()->fill(), 0u);
        QCOMPARE(panel.thresholdModel()->firesSoFar(), 1);
        QVERIFY(panel.machineStateView()
                    ->fieldText(QStringLiteral("threshold"))
                    .startsWith(QStringLiteral("fired")));
        reset->click();
        QCOMPARE(panel.stepper()->position(), -1);
        QVERIFY(panel.machineStateView()
                    ->fieldText(QStringLiteral("threshold"))
                    .startsWith(QStringLiteral("armed")));
    }

    void theRingViewFindsTheSlotUnderThePointer() {
        RingBufferView v;
        v.resize(400, 400);
        // 12 o'clock on the ring is slot 0; 3 o'clock is a quarter of the way round.
        const QRectF r = v.ringRect();
        QVERIFY(r.width() > 200);
        const QPointF c = r.center();
        QCOMPARE(v.slotAt(QPointF(c.x(), r.top() + 10)), 0);
        QCOMPARE(v.slotAt(QPointF(r.right() - 10, c.y())), 1025 / 4);
        QCOMPARE(v.slotAt(QPointF(c.x(), r.bottom() - 10)), 1025 / 2);
        QCOMPARE(v.slotAt(c), -1); // the middle
    }

    void commitAsksAndAbortDiscards() {
        auto s = demoSession();
        QVERIFY(s);
        PendingOpsView view;
        view.setSession(s.get());
        QVERIFY(!button(&view, QStringLiteral("Commit"))->isEnabled());
        QVERIFY(s->add(EditOperation::createThin(80)));
        QVERIFY(s->add(EditOperation::provision(80, 0)));
        QCOMPARE(view.model()->rowCount(), 2);
        QString asked;
        view.setConfirm([&](const QString& text) {
            asked = text;
            return false;
        });
        button(&view, QStringLiteral("Commit"))->click();
        QVERIFY(asked.contains(QStringLiteral("permanently modifies")));
        QVERIFY(asked.contains(QStringLiteral("Create thin device 80")));
        QCOMPARE(s->history().size(), 0);
        QVERIFY(s->hasPendingOperations());
        view.setConfirm([](const QString&) { return true; });
        QSignalSpy committed(&view, &PendingOpsView::committed);
        button(&view, QStringLiteral("Commit"))->click();
        QCOMPARE(committed.count(), 1);
        QCOMPARE(s->history().size(), 1);
        QVERIFY(s->add(EditOperation::deleteDevice(80)));
        button(&view, QStringLiteral("Undo"))->click();
        QVERIFY(!s->hasPendingOperations());
        QVERIFY(s->add(EditOperation::deleteDevice(80)));
        button(&view, QStringLiteral("Abort"))->click();
        QVERIFY(!s->hasPendingOperations());
        QCOMPARE(s->history().size(), 1);
    }
};

QTEST_MAIN(TestEditViews)
#include "tst_editviews.moc"
