// Stepping through the trace of an edit: creating a snapshot in a copy of the demo pool is stepped
// event by event; the ring buffer fills and drains, the rebuilt ring always holds as many queued
// ops as the machine's cursors say, the stepping commands land where they should, and a threshold
// set just below the free count fires exactly once, at the event where the free count reaches it.

#include "models/DemoPool.h"
#include "models/edit/EditSession.h"
#include "models/edit/EventStepper.h"
#include "models/edit/RingBufferModel.h"
#include "models/edit/ThresholdModel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace dms;

namespace {

std::unique_ptr<EditSession> demoSession() {
    auto demo = DemoPool::load();
    if (!demo) return nullptr;
    auto s = EditSession::editCopyOf(**demo, QStringLiteral("demo pool"));
    return s ? std::move(*s) : nullptr;
}

int queuedSlots(const RingBufferModel& m) {
    int n = 0;
    for (int i = 0; i < m.rowCount(); ++i)
        n += m.index(i).data(RingBufferModel::QueuedRole).toBool() ? 1 : 0;
    return n;
}

} // namespace

class TestEditStepper : public QObject {
    Q_OBJECT
private slots:
    void theRingFillsAndDrainsWhileASnapshotIsCreated() {
        auto s = demoSession();
        QVERIFY(s);
        QVERIFY(s->add(EditOperation::createSnapshot(100, 1)));
        EventStepper stepper;
        RingBufferModel ring;
        QAbstractItemModelTester t1(&stepper,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&ring, QAbstractItemModelTester::FailureReportingMode::QtTest);
        stepper.setSession(s.get());
        ring.setStepper(&stepper);
        QCOMPARE(ring.rowCount(), 1025);
        QVERIFY(stepper.eventCount() > 0);
        QCOMPARE(stepper.segments().size(), std::size_t(2)); // the operation, then the commit
        QCOMPARE(stepper.position(), -1);
        std::uint32_t maxFill = 0;
        int steps = 0;
        while (stepper.step()) {
            ++steps;
            maxFill = std::max(maxFill, ring.fill());
            QVERIFY2(queuedSlots(ring) == int(ring.fill()),
                     qPrintable(QStringLiteral("event %1: %2 queued slots, cursors say %3")
                                    .arg(stepper.position() + 1)
                                    .arg(queuedSlots(ring))
                                    .arg(ring.fill())));
        }
        QCOMPARE(steps, stepper.eventCount());
        qInfo("create-snap 100 of 1: %d events (%d in the operation, %d in the commit), at most "
              "%u ops queued",
              stepper.eventCount(), stepper.segments()[0].count, stepper.segments()[1].count,
              maxFill);
        QVERIFY2(maxFill > 0, "the ring buffer never held an op");
        QCOMPARE(ring.fill(), 0u);
        QCOMPARE(stepper.state().recursionDepth, 0u);
        stepper.reset();
        QCOMPARE(stepper.position(), -1);
        QCOMPARE(stepper.state().nrFree, s->initialState().nrFree);
    }

    void steppingCommandsLandOnOperationsAndTheCommit() {
        auto s = demoSession();
        QVERIFY(s);
        QVERIFY(s->add(EditOperation::createThin(70)));
        QVERIFY(s->add(EditOperation::provision(70, 3)));
        EventStepper stepper;
        stepper.setSession(s.get());
        QCOMPARE(stepper.segments().size(), std::size_t(3));
        QVERIFY(stepper.stepOp());
        QCOMPARE(stepper.current()->kind, TraceKind::OpRequested);
        stepper.continueRun(); // to the end of "create thin 70"
        QCOMPARE(stepper.position(), stepper.segments()[0].count - 1);
        stepper.runToCommit();
        QCOMPARE(stepper.position(), stepper.segments()[2].first - 1);
        QVERIFY(stepper.step());
        QCOMPARE(stepper.segmentOf(stepper.position()), 2);
        stepper.setPosition(3);
        const SpaceMapState forward = stepper.state();
        stepper.setPosition(stepper.eventCount() - 1);
        stepper.setPosition(3); // backwards: rebuilt from the start
        QCOMPARE(stepper.state().nrFree, forward.nrFree);
        QCOMPARE(stepper.state().ringEnd, forward.ringEnd);
        stepper.loadLastOperation();
        QCOMPARE(stepper.eventCount(), int(s->operations().back().events.size()));
    }

    void aThresholdJustBelowTheFreeCountFiresOnceAtTheRightStep() {
        auto s = demoSession();
        QVERIFY(s);
        EventStepper stepper;
        ThresholdModel threshold;
        QAbstractItemModelTester t(&threshold,
                                   QAbstractItemModelTester::FailureReportingMode::QtTest);
        stepper.setSession(s.get());
        threshold.setStepper(&stepper);
        const std::uint64_t free0 = s->initialState().nrFree;
        QVERIFY(free0 > 2);
        threshold.setThreshold(free0 - 2);
        QCOMPARE(threshold.threshold().value_or(0), free0 - 2);
        QVERIFY(s->add(EditOperation::createSnapshot(100, 1)));
        QVERIFY(s->add(EditOperation::createThin(101)));
        // Where the free count first reaches the threshold.
        int expected = -1;
        for (int i = 0; i < stepper.eventCount() && expected < 0; ++i) {
            const TraceEvent& e = stepper.events()[std::size_t(i)];
            if (e.kind == TraceKind::ThresholdChecked &&
                e.source == TraceSource::MetadataSpaceMap && e.newValue <= free0 - 2)
                expected = i + 1; // the fire follows the check
        }
        QVERIFY2(expected > 0, "the free count never reached the threshold");
        QCOMPARE(threshold.rowCount(), 1);
        QCOMPARE(threshold.fires().front(), expected);
        QVERIFY(threshold.armed());
        stepper.setPosition(expected - 1);
        QCOMPARE(threshold.firesSoFar(), 0);
        QVERIFY(threshold.armed());
        QVERIFY(!threshold.index(0, 0).data(ThresholdModel::ReachedRole).toBool());
        stepper.step();
        QCOMPARE(stepper.current()->kind, TraceKind::ThresholdFired);
        QCOMPARE(threshold.firesSoFar(), 1);
        QVERIFY(!threshold.armed());
        QVERIFY(threshold.freeCount() <= free0 - 2);
        QVERIFY(threshold.index(0, 0).data(ThresholdModel::ReachedRole).toBool());
        QCOMPARE(threshold.index(0, ThresholdModel::OperationColumn).data().toString(),
                 QStringLiteral("Create snapshot 100 of device 1"));
        stepper.setPosition(stepper.eventCount() - 1);
        QCOMPARE(threshold.firesSoFar(), 1);
    }
};

QTEST_GUILESS_MAIN(TestEditStepper)
#include "tst_editstepper.moc"
