// The uncommitted block-op ring buffer behaves as the kernel's: 1024 ops in 1025 slots, FIFO,
// the 1025th push refused, a pop from an empty ring an error, queued adjustments summed.

#include "core/spacemap/BlockOpRing.h"

#include <QTest>

using namespace dms;

class TestBlockOpRing : public QObject {
    Q_OBJECT
private slots:
    void holds1024OpsAndRefusesThe1025th() {
        BlockOpRing ring;
        for (std::uint64_t i = 0; i < BlockOpRing::kMaxOps; ++i)
            QVERIFY2(ring.push(BlockOpType::Inc, i, i + 1).ok(), qPrintable(QString::number(i)));
        QVERIFY(ring.full());
        QCOMPARE(ring.size(), 1024u);
        Status s = ring.push(BlockOpType::Inc, 5000, 5001);
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.find("too many recursive allocations") != std::string::npos);
        QCOMPARE(ring.size(), 1024u); // the refused op left no trace
    }
    void popsInFifoOrderAcrossTheWrap() {
        BlockOpRing ring;
        std::uint64_t next = 0;
        std::uint64_t expect = 0;
        // Push/pop 5000 ops, keeping 700 in flight, so begin and end wrap several times.
        for (int round = 0; round < 5000; ++round) {
            QVERIFY(
                ring.push(round % 3 ? BlockOpType::Inc : BlockOpType::Dec, next, next + 1).ok());
            ++next;
            if (ring.size() > 700) {
                auto op = ring.pop();
                QVERIFY(op.ok());
                QCOMPARE(op->begin, expect);
                ++expect;
            }
        }
        QVERIFY(ring.begin() < BlockOpRing::kSlots && ring.end() < BlockOpRing::kSlots);
    }
    void popFromEmptyRingIsAnError() {
        BlockOpRing ring;
        auto op = ring.pop();
        QVERIFY(!op.ok());
        QVERIFY(ring.push(BlockOpType::Inc, 1, 2).ok());
        QVERIFY(ring.pop().ok());
        QVERIFY(!ring.pop().ok());
        QVERIFY(ring.empty());
    }
    void adjustmentSumsQueuedIncsAndDecsOfOneBlock() {
        BlockOpRing ring;
        QVERIFY(ring.push(BlockOpType::Inc, 7, 8).ok());
        QVERIFY(ring.push(BlockOpType::Inc, 7, 8).ok());
        QVERIFY(ring.push(BlockOpType::Dec, 7, 8).ok());
        QVERIFY(ring.push(BlockOpType::Inc, 8, 9).ok());
        QVERIFY(ring.push(BlockOpType::Inc, 0, 100).ok()); // a mainline-style range
        QCOMPARE(ring.adjustment(7), std::int64_t(2));
        QCOMPARE(ring.adjustment(8), std::int64_t(2));
        QCOMPARE(ring.adjustment(100), std::int64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestBlockOpRing)
#include "tst_blockopring.moc"
