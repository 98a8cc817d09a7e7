// The block map's layouts: the Hilbert curve is a bijection between indices and cells, keeps
// consecutive blocks adjacent, and puts every aligned 2^k square on 4^k consecutive blocks (what
// the pyramid relies on); the linear layout is row-major; both enumerate a cell's blocks exactly.

#include "models/BlockMapLayout.h"

#include <QTest>
#include <set>

using namespace dms;

class TestBlockMapLayout : public QObject {
    Q_OBJECT
private slots:
    void hilbertIndexAndCellRoundTripOnEveryCell() {
        for (unsigned order = 0; order <= 6; ++order) {
            HilbertCurve curve(order);
            std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
            for (std::uint64_t d = 0; d < curve.side() * curve.side(); ++d) {
                const GridCell c = curve.cellOf(d);
                QVERIFY2(c.x < curve.side() && c.y < curve.side(),
                         qPrintable(QStringLiteral("order %1 index %2").arg(order).arg(d)));
                QVERIFY2(seen.insert({c.x, c.y}).second,
                         qPrintable(QStringLiteral("index %1 reuses a cell").arg(d)));
                QCOMPARE(curve.indexOf(c), d);
            }
        }
        // Far corners of a large curve (a billion-block data space map is order 15).
        HilbertCurve big(15);
        for (std::uint64_t d : {std::uint64_t(0), std::uint64_t(1) << 29,
                                (std::uint64_t(1) << 30) - 1, std::uint64_t(123456789)})
            QCOMPARE(big.indexOf(big.cellOf(d)), d);
    }

    void hilbertConsecutiveIndicesAreNeighbours() {
        HilbertCurve curve(8);
        for (std::uint64_t d = 1; d < curve.side() * curve.side(); ++d) {
            const GridCell a = curve.cellOf(d - 1);
            const GridCell b = curve.cellOf(d);
            const auto dist = std::abs(int(a.x) - int(b.x)) + std::abs(int(a.y) - int(b.y));
            QVERIFY2(
                dist == 1,
                qPrintable(
                    QStringLiteral("indices %1 and %2 are %3 apart").arg(d - 1).arg(d).arg(dist)));
        }
    }

    void hilbertAlignedSquaresHoldConsecutiveBlocks() {
        const BlockMapLayout layout(BlockMapLayout::Kind::Hilbert, 4096);
        QCOMPARE(layout.width(), 64u);
        for (unsigned k = 0; k <= layout.topLevel(); ++k)
            for (std::uint32_t y = 0; y < layout.levelHeight(k); ++y)
                for (std::uint32_t x = 0; x < layout.levelWidth(k); ++x) {
                    std::uint64_t first = 0, n = 0;
                    int runs = 0;
                    layout.forEachRun(k, {x, y}, [&](std::uint64_t f, std::uint64_t len) {
                        first = f;
                        n = len;
                        ++runs;
                    });
                    QCOMPARE(runs, 1);
                    QCOMPARE(n, std::uint64_t(1) << (2 * k));
                    for (std::uint64_t b = first; b < first + n; ++b) {
                        const GridCell c = layout.cellOf(b);
                        QVERIFY2((c.x >> k) == x && (c.y >> k) == y,
                                 qPrintable(QStringLiteral("block %1 is outside level-%2 cell "
                                                           "(%3,%4)")
                                                .arg(b)
                                                .arg(k)
                                                .arg(x)
                                                .arg(y)));
                    }
                }
    }

    void hilbertLeavesCellsPastTheLastBlockEmpty() {
        const BlockMapLayout layout(BlockMapLayout::Kind::Hilbert, 1000);
        QCOMPARE(layout.width(), 32u); // 1024 cells
        std::uint64_t shown = 0;
        for (std::uint32_t y = 0; y < layout.height(); ++y)
            for (std::uint32_t x = 0; x < layout.width(); ++x)
                if (auto b = layout.blockAt({x, y})) {
                    QVERIFY(*b < 1000);
                    QCOMPARE(layout.cellOf(*b), (GridCell{x, y}));
                    ++shown;
                }
        QCOMPARE(shown, std::uint64_t(1000));
    }

    void hilbertShowsOnlyTheHalfAMapFills() {
        // 2048 blocks: the first half of a 64 x 64 curve, which lies in its left half.
        const BlockMapLayout layout(BlockMapLayout::Kind::Hilbert, 2048);
        QCOMPARE(layout.width(), 32u);
        QCOMPARE(layout.height(), 64u);
        for (std::uint64_t b = 0; b < 2048; ++b) {
            const GridCell c = layout.cellOf(b);
            if (c.x >= 32 || c.y >= 64)
                QFAIL(qPrintable(QStringLiteral("block %1 outside").arg(b)));
            QCOMPARE(*layout.blockAt(c), b);
        }
        QCOMPARE(layout.levelWidth(layout.topLevel()), 1u);
        QCOMPARE(layout.levelHeight(layout.topLevel()), 1u);
        QCOMPARE(layout.pixelWidth(2), std::uint64_t(128));
        QCOMPARE(layout.pixelHeight(-1), std::uint64_t(32));
        // One more block needs the whole square.
        QCOMPARE(BlockMapLayout(BlockMapLayout::Kind::Hilbert, 2049).width(), 64u);
    }

    void linearIsRowMajorAndEnumeratesCellsByRows() {
        const BlockMapLayout layout(BlockMapLayout::Kind::Linear, 1000);
        QCOMPARE(layout.width(), 32u);
        QCOMPARE(layout.height(), 32u); // ceil(1000 / 32)
        QCOMPARE(layout.cellOf(0), (GridCell{0, 0}));
        QCOMPARE(layout.cellOf(33), (GridCell{1, 1}));
        QCOMPARE(layout.cellOf(999), (GridCell{999 % 32, 999 / 32}));
        QVERIFY(!layout.blockAt({8, 31})); // 31*32+8 = 1000
        QCOMPARE(*layout.blockAt({7, 31}), std::uint64_t(999));
        for (unsigned k = 0; k <= layout.topLevel(); ++k) {
            std::vector<int> seen(1000, 0);
            for (std::uint32_t y = 0; y < layout.levelHeight(k); ++y)
                for (std::uint32_t x = 0; x < layout.levelWidth(k); ++x)
                    layout.forEachRun(k, {x, y}, [&](std::uint64_t f, std::uint64_t n) {
                        QVERIFY(n <= layout.runLength(k));
                        for (std::uint64_t b = f; b < f + n; ++b) {
                            ++seen[b];
                            QCOMPARE(layout.cellOf(b).x >> k, x);
                            QCOMPARE(layout.cellOf(b).y >> k, y);
                        }
                    });
            for (std::uint64_t b = 0; b < 1000; ++b)
                QVERIFY2(seen[b] == 1, qPrintable(QStringLiteral("block %1 seen %2 times at "
                                                                 "level %3")
                                                      .arg(b)
                                                      .arg(seen[b])
                                                      .arg(k)));
        }
    }

    void orderFitsTheBlocks() {
        QCOMPARE(HilbertCurve::orderFor(1), 0u);
        QCOMPARE(HilbertCurve::orderFor(4), 1u);
        QCOMPARE(HilbertCurve::orderFor(5), 2u);
        QCOMPARE(HilbertCurve::orderFor(4161600), 11u); // 16 GiB metadata: 2048 x 2048
        QCOMPARE(HilbertCurve::orderFor(std::uint64_t(1) << 30), 15u);
    }
};

QTEST_GUILESS_MAIN(TestBlockMapLayout)
#include "tst_blockmaplayout.moc"
