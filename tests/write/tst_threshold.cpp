// The low-free-space threshold is edge-triggered: it fires once when the free count reaches it
// on the way down, stays quiet while the count stays at or below it, and fires again only after a
// check has seen the count above it.

#include "core/spacemap/Threshold.h"

#include <QTest>

using namespace dms;

class TestThreshold : public QObject {
    Q_OBJECT
private slots:
    void firesOnceOnTheWayDown() {
        Threshold t;
        int fired = 0;
        t.set(10, [&] { ++fired; });
        for (std::uint64_t free = 20; free > 0; --free)
            t.check(free);
        QCOMPARE(fired, 1);
        QCOMPARE(t.fireCount(), 1u);
    }
    void firesExactlyAtTheThreshold() {
        Threshold t;
        int fired = 0;
        t.set(10, [&] { ++fired; });
        QVERIFY(!t.check(11));
        QVERIFY(t.check(10));
        QCOMPARE(fired, 1);
    }
    void rearmsOnlyAfterRisingAbove() {
        Threshold t;
        int fired = 0;
        t.set(10, [&] { ++fired; });
        t.check(9);  // fires
        t.check(10); // still at/below: quiet
        t.check(8);
        QCOMPARE(fired, 1);
        t.check(11); // above: re-armed
        QVERIFY(t.armed());
        t.check(10); // fires again
        QCOMPARE(fired, 2);
    }
    void unsetThresholdNeverFires() {
        Threshold t;
        QVERIFY(!t.check(0));
        QCOMPARE(t.fireCount(), 0u);
    }
    void firstCheckBelowFires() {
        // The kernel fires on the first check if the value is already below: nothing was seen yet.
        Threshold t;
        int fired = 0;
        t.set(100, [&] { ++fired; });
        t.check(3);
        QCOMPARE(fired, 1);
    }
};

QTEST_GUILESS_MAIN(TestThreshold)
#include "tst_threshold.moc"
