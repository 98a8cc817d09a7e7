// The fault-injecting block source does what the crash tests rely on: writes after the k-th fail
// and reach nothing, a torn write leaves exactly the chosen prefix or sectors new, the device
// stays failed afterwards (flushes too), and writes and flushes are counted and logged.

#include "core/FaultInjectingBlockSource.h"
#include "core/MemoryBlockSource.h"

#include <QTest>

using namespace dms;

namespace {

std::vector<std::uint8_t> filled(std::uint8_t v) {
    return std::vector<std::uint8_t>(kBlockSize, v);
}

struct Rig {
    std::shared_ptr<MemoryBlockSource> mem =
        std::make_shared<MemoryBlockSource>(std::vector<std::uint8_t>(8 * kBlockSize, 0x11));
    FaultInjectingBlockSource dev{mem};
    std::uint8_t at(std::uint64_t block, std::size_t offset) const {
        return mem->bytes()[block * kBlockSize + offset];
    }
};

} // namespace

class TestFaultInjectingBlockSource : public QObject {
    Q_OBJECT
private slots:
    void passesThroughWhenNotArmed() {
        Rig r;
        QCOMPARE(r.dev.blockCount(), 8u);
        QVERIFY(r.dev.writable());
        QVERIFY(r.dev.write(3, filled(0x22).data()).ok());
        QVERIFY(r.dev.flush().ok());
        QCOMPARE(r.at(3, 0), std::uint8_t(0x22));
        std::uint8_t buf[kBlockSize];
        QVERIFY(r.dev.read(3, buf).ok());
        QCOMPARE(buf[4095], std::uint8_t(0x22));
        QCOMPARE(r.dev.completedWrites(), 1u);
        QCOMPARE(r.dev.completedFlushes(), 1u);
        QVERIFY(!r.dev.failed());
    }

    void writesAfterTheKthFailAndReachNothing() {
        Rig r;
        QVERIFY(r.dev.write(0, filled(0x01).data()).ok()); // before arming: not counted
        r.dev.failAfterWrites(2);
        QVERIFY(r.dev.write(1, filled(0x02).data()).ok());
        QVERIFY(r.dev.flush().ok());
        QVERIFY(r.dev.write(2, filled(0x03).data()).ok());
        Status s = r.dev.write(3, filled(0x04).data());
        QVERIFY(!s.ok());
        QCOMPARE(s.error().block, std::optional<std::uint64_t>(3));
        QVERIFY(r.dev.failed());
        QVERIFY(!r.dev.write(4, filled(0x05).data()).ok());
        QVERIFY(!r.dev.flush().ok());
        QCOMPARE(r.at(2, 0), std::uint8_t(0x03));
        QCOMPARE(r.at(3, 0), std::uint8_t(0x11));
        QCOMPARE(r.at(4, 0), std::uint8_t(0x11));
        QCOMPARE(r.dev.writeCalls(), 5u);
        QCOMPARE(r.dev.completedWrites(), 3u);
        QCOMPARE(r.dev.flushCalls(), 2u);
        QCOMPARE(r.dev.completedFlushes(), 1u);
        using K = FaultInjectingBlockSource::EventKind;
        const std::vector<std::pair<K, std::uint64_t>> expect = {
            {K::Write, 0},       {K::Write, 1},       {K::Flush, 0},      {K::Write, 2},
            {K::FailedWrite, 3}, {K::FailedWrite, 4}, {K::FailedFlush, 0}};
        QCOMPARE(r.dev.events().size(), expect.size());
        for (std::size_t i = 0; i < expect.size(); ++i) {
            QCOMPARE(r.dev.events()[i].kind, expect[i].first);
            QCOMPARE(r.dev.events()[i].block, expect[i].second);
        }
    }

    void failAfterZeroFailsTheFirstWrite() {
        Rig r;
        r.dev.failAfterWrites(0);
        QVERIFY(!r.dev.write(5, filled(0x09).data()).ok());
        QCOMPARE(r.at(5, 0), std::uint8_t(0x11));
    }

    void aTornPrefixWritesOnlyItsFirstBytes() {
        Rig r;
        r.dev.tearWritePrefix(2, 1000);
        QVERIFY(r.dev.write(1, filled(0x33).data()).ok());
        QVERIFY(!r.dev.write(2, filled(0x44).data()).ok());
        QCOMPARE(r.at(2, 0), std::uint8_t(0x44));
        QCOMPARE(r.at(2, 999), std::uint8_t(0x44));
        QCOMPARE(r.at(2, 1000), std::uint8_t(0x11));
        QCOMPARE(r.at(2, 4095), std::uint8_t(0x11));
        QCOMPARE(r.dev.tornBlock(), std::optional<std::uint64_t>(2));
        QVERIFY(r.dev.failed());
        QVERIFY(!r.dev.write(1, filled(0x55).data()).ok());
        QCOMPARE(r.at(1, 0), std::uint8_t(0x33));
    }

    void aTornSectorMixKeepsTheOldSectors() {
        Rig r;
        r.dev.tearWriteSectors(1, 0x81); // sectors 0 and 7 new
        QVERIFY(!r.dev.write(6, filled(0x66).data()).ok());
        for (unsigned sector = 0; sector < 8; ++sector) {
            const std::uint8_t want = (sector == 0 || sector == 7) ? 0x66 : 0x11;
            QCOMPARE(r.at(6, sector * 512), want);
            QCOMPARE(r.at(6, sector * 512 + 511), want);
        }
        QCOMPARE(r.dev.events().back().kind, FaultInjectingBlockSource::EventKind::TornWrite);
    }

    void disarmStopsAPlannedFault() {
        Rig r;
        r.dev.failAfterWrites(1);
        r.dev.disarm();
        for (std::uint64_t b = 0; b < 4; ++b)
            QVERIFY(r.dev.write(b, filled(0x77).data()).ok());
        QVERIFY(!r.dev.failed());
    }
};

QTEST_GUILESS_MAIN(TestFaultInjectingBlockSource)
#include "tst_faultinjectingblocksource.moc"
