// The block map's level-of-detail pyramid: every stored cell's class counts equal the counts of
// the blocks the layout puts in it (counted here block by block, independently of the pyramid's
// run-wise tally), for both layouts and every colouring; the bitmap source counts a space map's
// 2-bit entries exactly; the colour rule keeps damage visible.

#include "core/spacemap/BitmapBlock.h"
#include "core/thin/SyntheticBlockMap.h"
#include "models/BitmapClassSource.h"
#include "models/BlockMapPyramid.h"
#include "models/BlockMapScheme.h"
#include "models/BlockMapTileRenderer.h"
#include "models/MetadataClassSource.h"

#include <QTest>
#include <random>

using namespace dms;

namespace {

// Bitmaps in memory with random entries; every fifth one unreadable.
class RandomBitmaps : public BitmapClassSource {
public:
    RandomBitmaps(std::uint64_t blocks, unsigned seed) : BitmapClassSource(blocks) {
        std::mt19937 rng(seed);
        const std::uint64_t n = (blocks + kEntriesPerBitmap - 1) / kEntriesPerBitmap;
        blocks_.assign(n * 4096, 0);
        for (std::uint64_t i = 0; i < n; ++i)
            for (std::uint64_t e = 0; e < kEntriesPerBitmap; ++e)
                setBitmapEntry(&blocks_[i * 4096], e, rng() % 7 < 4 ? 0 : rng() % 4);
    }
    Block bitmap(std::uint64_t i) const override {
        if (i % 5 == 4) return {};
        return Block::borrowed(i, &blocks_[i * 4096]);
    }

private:
    std::vector<std::uint8_t> blocks_;
};

void comparePyramidWithBlocks(const BlockClassSource& source, const BlockMapLayout& layout,
                              unsigned base, const char* what) {
    auto pyramid = BlockMapPyramid::build(source, layout, base);
    QVERIFY(pyramid);
    QCOMPARE(pyramid->baseLevel(), std::min(base, layout.topLevel()));
    QCOMPARE(pyramid->topLevel(), layout.topLevel());
    const unsigned C = source.classCount();
    for (unsigned k = pyramid->baseLevel(); k <= pyramid->topLevel(); ++k) {
        const std::size_t w = layout.levelWidth(k), h = layout.levelHeight(k);
        std::vector<std::uint32_t> expected(w * h * C, 0);
        for (std::uint64_t b = 0; b < source.blockCount(); ++b) {
            const GridCell c = layout.cellOf(b);
            ++expected[((c.y >> k) * w + (c.x >> k)) * C + source.classOf(b)];
        }
        for (std::uint32_t y = 0; y < h; ++y)
            for (std::uint32_t x = 0; x < w; ++x) {
                std::uint32_t got[BlockClassSource::kMaxClasses] = {};
                pyramid->addCounts(k, {x, y}, got);
                for (unsigned cls = 0; cls < C; ++cls)
                    if (got[cls] != expected[(y * w + x) * C + cls])
                        QFAIL(qPrintable(QStringLiteral("%1: level %2 cell (%3,%4) class %5: "
                                                        "pyramid %6, blocks %7")
                                             .arg(what)
                                             .arg(k)
                                             .arg(x)
                                             .arg(y)
                                             .arg(cls)
                                             .arg(got[cls])
                                             .arg(expected[(y * w + x) * C + cls])));
            }
    }
    std::uint64_t sum = 0;
    for (auto t : pyramid->totals())
        sum += t;
    QCOMPARE(sum, source.blockCount());
}

} // namespace

class TestBlockMapPyramid : public QObject {
    Q_OBJECT
private slots:
    void pyramidCellsEqualTheCountsOfTheirBlocks() {
        auto map = std::make_shared<const BlockMap>(SyntheticBlockMap::make(70001, 5));
        for (auto colouring :
             {BlockMapColouring::Type, BlockMapColouring::RefCount, BlockMapColouring::Owner}) {
            const MetadataClassSource source(map, colouring);
            for (auto kind : {BlockMapLayout::Kind::Hilbert, BlockMapLayout::Kind::Linear})
                for (unsigned base : {0u, 3u})
                    comparePyramidWithBlocks(
                        source, BlockMapLayout(kind, source.blockCount()), base,
                        kind == BlockMapLayout::Kind::Hilbert ? "hilbert" : "linear");
        }
    }

    void typeTotalsAreTheBlockMapsRoleTotals() {
        auto map = std::make_shared<const BlockMap>(SyntheticBlockMap::make(200000, 9));
        const MetadataClassSource source(map, BlockMapColouring::Type);
        auto pyramid = BlockMapPyramid::build(
            source, BlockMapLayout(BlockMapLayout::Kind::Hilbert, map->size()), 3);
        QVERIFY(pyramid);
        for (unsigned r = 0; r < kBlockRoleCount; ++r)
            QVERIFY2(pyramid->totals()[r] == map->total(static_cast<BlockRole>(r)),
                     blockRoleName(static_cast<BlockRole>(r)));
        QVERIFY(map->total(BlockRole::Leaked) > 0);
        QVERIFY(map->total(BlockRole::Unreadable) > 0);
        QVERIFY(map->total(BlockRole::MappingBottomLeaf) > 0);
    }

    void bitmapTallyCountsEveryEntry() {
        const RandomBitmaps source(5 * kEntriesPerBitmap + 777, 3);
        std::mt19937_64 rng(11);
        for (int i = 0; i < 300; ++i) {
            const std::uint64_t first = rng() % source.blockCount();
            const std::uint64_t n =
                1 + rng() % std::min<std::uint64_t>(40000, source.blockCount() - first);
            std::uint32_t got[BitmapClassSource::ClassCount] = {};
            std::uint32_t want[BitmapClassSource::ClassCount] = {};
            source.tally(first, n, got);
            for (std::uint64_t b = first; b < first + n; ++b)
                ++want[source.classOf(b)];
            for (unsigned c = 0; c < BitmapClassSource::ClassCount; ++c)
                QVERIFY2(
                    got[c] == want[c],
                    qPrintable(QStringLiteral("blocks %1+%2 class %3").arg(first).arg(n).arg(c)));
        }
        QCOMPARE(source.classOf(4 * kEntriesPerBitmap), unsigned(BitmapClassSource::Unreadable));
        // Runs that straddle bitmaps, the last one cut short by the end of the map.
        for (std::uint64_t length : {std::uint64_t(7), std::uint64_t(256), std::uint64_t(20000)}) {
            const std::uint64_t first = length < 1000 ? kEntriesPerBitmap - 3 * length : 100;
            const std::uint64_t runs = (source.blockCount() - first) / length + 1;
            std::vector<std::uint32_t> got(runs * BitmapClassSource::ClassCount, 0);
            source.tallyRuns(first, length, runs, got.data());
            for (std::uint64_t r = 0; r < runs; ++r) {
                std::uint32_t want[BitmapClassSource::ClassCount] = {};
                const std::uint64_t b0 = first + r * length;
                for (std::uint64_t b = b0; b < std::min(b0 + length, source.blockCount()); ++b)
                    ++want[source.classOf(b)];
                for (unsigned c = 0; c < BitmapClassSource::ClassCount; ++c)
                    if (got[r * BitmapClassSource::ClassCount + c] != want[c])
                        QFAIL(qPrintable(QStringLiteral("run %1 of %2 blocks from %3, class %4")
                                             .arg(r)
                                             .arg(length)
                                             .arg(first)
                                             .arg(c)));
            }
        }
    }

    void bitmapPyramidCellsEqualTheCountsOfTheirBlocks() {
        const RandomBitmaps source(70000, 4);
        for (auto kind : {BlockMapLayout::Kind::Hilbert, BlockMapLayout::Kind::Linear})
            comparePyramidWithBlocks(source, BlockMapLayout(kind, source.blockCount()), 4,
                                     "bitmaps");
    }

    void buildStopsWhenCancelled() {
        const RandomBitmaps source(3 * kEntriesPerBitmap, 1);
        auto pyramid = BlockMapPyramid::build(
            source, BlockMapLayout(BlockMapLayout::Kind::Hilbert, source.blockCount()), 0,
            [](std::uint64_t, std::uint64_t) { return false; });
        QVERIFY(!pyramid);
    }

    void withoutThePyramidZoomedOutCellsArePreviewedFromSamples() {
        auto map = std::make_shared<const BlockMap>(SyntheticBlockMap::make(70001, 5));
        const MetadataClassSource source(map, BlockMapColouring::Type);
        const BlockMapScheme scheme = BlockMapScheme::forType();
        for (auto kind : {BlockMapLayout::Kind::Hilbert, BlockMapLayout::Kind::Linear}) {
            const BlockMapLayout layout(kind, source.blockCount());
            const BlockMapTileRenderer preview(source, layout, nullptr, scheme);
            const unsigned base = BlockMapPyramid::baseLevelFor(layout.blocks());
            QVERIFY(!preview.canRender(-int(base)));
            QVERIFY(preview.canPreview(-int(base)));
            QVERIFY(preview.canRender(-int(base) + 1)); // below the base: tallied exactly
            auto pyramid = BlockMapPyramid::build(source, layout, base);
            const BlockMapTileRenderer exact(source, layout, &*pyramid, scheme);
            for (unsigned k = base + 2; k <= layout.topLevel(); ++k) {
                // A full cell: 8 samples of 16 blocks (linear: 8 rows), never all of them.
                std::uint32_t sampled[BlockClassSource::kMaxClasses] = {};
                std::uint32_t all[BlockClassSource::kMaxClasses] = {};
                preview.addCellCounts(k, {0, 0}, sampled);
                exact.addCellCounts(k, {0, 0}, all);
                std::uint64_t n = 0, total = 0;
                for (unsigned c = 0; c < source.classCount(); ++c) {
                    n += sampled[c];
                    total += all[c];
                    QVERIFY2(sampled[c] <= all[c], qPrintable(QStringLiteral("level %1").arg(k)));
                }
                QVERIFY2(n > 0 && n < total,
                         qPrintable(QStringLiteral("level %1: %2 of %3").arg(k).arg(n).arg(total)));
                QVERIFY(preview.cellColour(k, {0, 0}) != 0);
            }
        }
    }

    void colourRuleShowsAlertsAndFadesSparseCells() {
        const BlockMapScheme s = BlockMapScheme::forType();
        std::uint32_t counts[BlockClassSource::kMaxClasses] = {};
        QCOMPARE(s.colourOf(counts), QRgb(0));
        counts[unsigned(BlockRole::Free)] = 60;
        QCOMPARE(s.colourOf(counts), s.colourOfClass(unsigned(BlockRole::Free)));
        counts[unsigned(BlockRole::MappingBottomLeaf)] = 3;
        const QRgb sparse = s.colourOf(counts);
        QVERIFY(sparse != s.colourOfClass(unsigned(BlockRole::Free)));
        QVERIFY(sparse != s.colourOfClass(unsigned(BlockRole::MappingBottomLeaf)));
        counts[unsigned(BlockRole::Unreadable)] = 1;
        QCOMPARE(s.colourOf(counts), s.colourOfClass(unsigned(BlockRole::Unreadable)));
    }
};

QTEST_GUILESS_MAIN(TestBlockMapPyramid)
#include "tst_blockmappyramid.moc"
