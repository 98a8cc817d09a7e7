// The block map view on the demo pool, offscreen: clicking a cell selects its block, selecting a
// block centres and outlines it, the tooltip names the block's role, the zoom keys and the wheel
// change the scale, arrow keys pan, the legend counts what the BlockMap counts, the data space
// map shows as many used blocks as its bitmaps hold, and the PNG export shows each block's colour.

#include "core/MemoryBlockSource.h"
#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/BlockClassifier.h"
#include "models/BlockMapTileRenderer.h"
#include "models/BlockSelection.h"
#include "models/MetadataClassSource.h"
#include "models/ThinPoolDocument.h"
#include "resources/ResourceInit.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"
#include "views/blockmap/BlockMapView.h"

#include <QApplication>
#include <QScrollBar>
#include <QTest>
#include <QWheelEvent>

using namespace dms;

namespace {

struct Demo {
    std::shared_ptr<ThinPoolDocument> doc;
    std::shared_ptr<const BlockMap> map;
};

Demo openDemo() {
    Demo d;
    auto doc = ThinPoolDocument::openDemo();
    if (!doc) return d;
    d.doc = *doc;
    auto map = BlockClassifier(d.doc->metadata()).classify();
    if (map) d.map = std::make_shared<const BlockMap>(std::move(*map));
    return d;
}

// The first block with this role, or the device size when there is none.
std::uint64_t firstWithRole(const BlockMap& map, BlockRole role) {
    for (std::uint64_t b = 0; b < map.size(); ++b)
        if (map.role(b) == role) return b;
    return map.size();
}

quint64 legendCount(const BlockMapView& v, const QString& name) {
    for (const auto& e : v.legendEntries())
        if (e.name == name) return e.blocks;
    return 0;
}

} // namespace

class TestBlockMapView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { initResources(); }

    void clickingACellSelectsItsBlock() {
        Demo demo = openDemo();
        QVERIFY(demo.map);
        BlockSelection selection;
        BlockMapView view;
        view.resize(900, 600);
        view.setDocument(demo.doc);
        view.setSelection(&selection);
        view.setBlockMap(demo.map);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(view.isReady());
        BlockMapCanvas* canvas = view.canvas();
        for (BlockRole role : {BlockRole::MappingBottomLeaf, BlockRole::DetailsLeaf,
                               BlockRole::MetadataBitmap, BlockRole::Free}) {
            const std::uint64_t b = firstWithRole(*demo.map, role);
            QVERIFY2(b < demo.map->size(), blockRoleName(role));
            canvas->setZoom(3);
            canvas->centreOn(b);
            const QPoint p = canvas->viewportPointOf(b);
            QTest::mouseClick(canvas->viewport(), Qt::LeftButton, {}, p);
            QVERIFY(selection.current());
            QVERIFY2(*selection.current() == BlockRef::metadata(b),
                     qPrintable(QStringLiteral("clicked block %1 (%2), selected %3")
                                    .arg(b)
                                    .arg(QString::fromLatin1(blockRoleName(role)))
                                    .arg(selection.current()->describe())));
            QCOMPARE(canvas->highlight(), std::optional<std::uint64_t>(b));
        }
    }

    void selectingABlockCentresAndOutlinesIt() {
        Demo demo = openDemo();
        BlockSelection selection;
        BlockMapView view;
        view.resize(700, 500);
        view.setDocument(demo.doc);
        view.setBlockMap(demo.map);
        view.setSelection(&selection);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(view.isReady());
        BlockMapCanvas* canvas = view.canvas();
        canvas->setZoom(4); // 16 px a block: 64 x 64 blocks need 1024 px, more than the view
        for (std::uint64_t b : {std::uint64_t(0), std::uint64_t(1500),
                                firstWithRole(*demo.map, BlockRole::MappingTopLeaf)}) {
            selection.select(BlockRef::metadata(b), nullptr);
            QCOMPARE(canvas->highlight(), std::optional<std::uint64_t>(b));
            const QPoint at = canvas->viewportPointOf(b);
            const QPoint centre = canvas->viewport()->rect().center();
            // Centred unless the scroll range ends first (a block near the map's edge).
            const bool xClamped =
                canvas->horizontalScrollBar()->value() == 0 ||
                canvas->horizontalScrollBar()->value() == canvas->horizontalScrollBar()->maximum();
            const bool yClamped =
                canvas->verticalScrollBar()->value() == 0 ||
                canvas->verticalScrollBar()->value() == canvas->verticalScrollBar()->maximum();
            QVERIFY2(xClamped || std::abs(at.x() - centre.x()) <= 16,
                     qPrintable(QStringLiteral("block %1 at x %2, centre %3")
                                    .arg(b)
                                    .arg(at.x())
                                    .arg(centre.x())));
            QVERIFY2(yClamped || std::abs(at.y() - centre.y()) <= 16,
                     qPrintable(QStringLiteral("block %1 at y %2").arg(b).arg(at.y())));
            QVERIFY(canvas->viewport()->rect().contains(at));
        }
        // Selected while the view is hidden: centred once it is shown and sized.
        BlockMapView hidden;
        hidden.setDocument(demo.doc);
        hidden.setBlockMap(demo.map);
        QTRY_VERIFY(hidden.isReady());
        const BlockMapLayout& grid = hidden.canvas()->layout();
        const std::uint64_t middle = *grid.blockAt({grid.width() / 2, grid.height() / 2});
        hidden.resize(500, 400);
        hidden.canvas()->setZoom(4);
        hidden.setSelection(&selection);
        selection.select(BlockRef::metadata(middle), nullptr);
        hidden.show();
        QVERIFY(QTest::qWaitForWindowExposed(&hidden));
        const QPoint shown = hidden.canvas()->viewportPointOf(middle);
        QVERIFY2((shown - hidden.canvas()->viewport()->rect().center()).manhattanLength() <= 32,
                 qPrintable(QStringLiteral("block %1 at (%2,%3) after showing, centre (%4,%5)")
                                .arg(middle)
                                .arg(shown.x())
                                .arg(shown.y())
                                .arg(hidden.canvas()->viewport()->rect().center().x())
                                .arg(hidden.canvas()->viewport()->rect().center().y())));
        // A data block selected elsewhere is not a metadata block: no outline.
        selection.select(BlockRef::data(7), nullptr);
        QCOMPARE(canvas->highlight(), std::nullopt);
    }

    void tooltipNamesTheBlockAndItsRole() {
        Demo demo = openDemo();
        BlockMapView view;
        view.resize(700, 500);
        view.setDocument(demo.doc);
        view.setBlockMap(demo.map);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(view.isReady());
        view.canvas()->setZoom(3);
        for (BlockRole role : {BlockRole::Superblock, BlockRole::MappingBottomInternal,
                               BlockRole::MappingBottomLeaf, BlockRole::MetadataSnapshot}) {
            const std::uint64_t b = firstWithRole(*demo.map, role);
            QVERIFY2(b < demo.map->size(), blockRoleName(role));
            view.canvas()->centreOn(b);
            const QString tip = view.toolTipAt(view.canvas()->viewportPointOf(b));
            QVERIFY2(tip.contains(QStringLiteral("metadata block %1\n").arg(b)), qPrintable(tip));
            QVERIFY2(tip.contains(QString::fromLatin1(blockRoleName(role))), qPrintable(tip));
        }
        // Zoomed out, a pixel is a cell of many blocks: the tip lists them by class.
        view.canvas()->setZoom(-2);
        const QString tip = view.toolTipAt(view.canvas()->viewportPointOf(0));
        QVERIFY2(tip.startsWith(QStringLiteral("blocks 0-15 (16 blocks)")), qPrintable(tip));
    }

    void zoomKeysAndWheelChangeTheScale() {
        Demo demo = openDemo();
        BlockMapView view;
        view.resize(700, 500);
        view.setDocument(demo.doc);
        view.setBlockMap(demo.map);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(view.isReady());
        BlockMapCanvas* canvas = view.canvas();
        canvas->setFocus();
        const int fit = canvas->fitZoom();
        QCOMPARE(canvas->zoom(), fit);
        QTest::keyClick(canvas, Qt::Key_Plus, Qt::ControlModifier);
        QCOMPARE(canvas->zoom(), fit + 1);
        QTest::keyClick(canvas, Qt::Key_Equal, Qt::ControlModifier);
        QCOMPARE(canvas->zoom(), fit + 2);
        QTest::keyClick(canvas, Qt::Key_Minus, Qt::ControlModifier);
        QCOMPARE(canvas->zoom(), fit + 1);
        QTest::keyClick(canvas, Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(canvas->zoom(), fit);
        const QPointF centre = QRectF(canvas->viewport()->rect()).center();
        QWheelEvent wheel(centre, canvas->viewport()->mapToGlobal(centre), QPoint(), QPoint(0, 240),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(canvas->viewport(), &wheel);
        QCOMPARE(canvas->zoom(), fit + 2);
        // Zoomed in past the viewport, the arrow keys pan.
        canvas->setZoom(BlockMapCanvas::kMaxZoom);
        const int before = canvas->horizontalScrollBar()->value();
        QTest::keyClick(canvas, Qt::Key_Right);
        QVERIFY(canvas->horizontalScrollBar()->value() > before);
        QCOMPARE(canvas->zoom(), BlockMapCanvas::kMaxZoom);
        // Dragging pans and selects nothing.
        BlockSelection selection;
        view.setSelection(&selection);
        QWidget* vp = canvas->viewport();
        const QPoint from = vp->rect().center();
        const int h0 = canvas->horizontalScrollBar()->value();
        const int v0 = canvas->verticalScrollBar()->value();
        QTest::mousePress(vp, Qt::LeftButton, {}, from);
        QTest::mouseMove(vp, from + QPoint(-20, -10));
        QTest::mouseMove(vp, from + QPoint(-60, -40));
        QTest::mouseRelease(vp, Qt::LeftButton, {}, from + QPoint(-60, -40));
        QCOMPARE(canvas->horizontalScrollBar()->value(), h0 + 60);
        QCOMPARE(canvas->verticalScrollBar()->value(), v0 + 40);
        QVERIFY(!selection.current());
    }

    void legendCountsTheBlockMapsRoles() {
        Demo demo = openDemo();
        BlockMapView view;
        view.setDocument(demo.doc);
        view.setBlockMap(demo.map);
        QTRY_VERIFY(view.isReady());
        std::uint64_t sum = 0;
        for (unsigned r = 0; r < kBlockRoleCount; ++r) {
            const auto role = static_cast<BlockRole>(r);
            QCOMPARE(legendCount(view, QString::fromLatin1(blockRoleName(role))),
                     quint64(demo.map->total(role)));
            sum += demo.map->total(role);
        }
        QCOMPARE(sum, demo.doc->deviceBlocks());
    }

    void dataSpaceMapShowsTheUsedBlocksOfTheBitmaps() {
        Demo demo = openDemo();
        BlockSelection selection;
        BlockMapView view;
        view.resize(700, 500);
        view.setDocument(demo.doc);
        view.setSelection(&selection);
        view.setColouring(BlockMapColouring::DataSpace);
        view.show();
        QTRY_VERIFY(view.isReady());
        const SpaceMapRoot& root = demo.doc->metadata().superblock().dataSpaceMap;
        auto sm = SpaceMapReader::open(demo.doc->metadata().reader(), root, SpaceMapKind::Data);
        QVERIFY(sm.ok());
        auto allocated = sm->countAllocated();
        QVERIFY(allocated.ok());
        const quint64 used = legendCount(view, QStringLiteral("used once")) +
                             legendCount(view, QStringLiteral("shared by 2")) +
                             legendCount(view, QStringLiteral("shared by 3 or more"));
        const quint64 free = legendCount(view, QStringLiteral("free"));
        QCOMPARE(used, quint64(*allocated));
        // The kernel wrote the demo pool: its nr_allocated is exact.
        QCOMPARE(used, quint64(root.nrAllocated));
        QCOMPARE(used + free, quint64(root.nrBlocks));
        QVERIFY(legendCount(view, QStringLiteral("shared by 3 or more")) > 0);
        // Clicking a data block selects a data block; its tooltip gives the exact count.
        view.canvas()->setZoom(3);
        std::uint64_t shared = 0;
        while (sm->bitmapValue(shared).value() != 3)
            ++shared;
        view.canvas()->centreOn(shared);
        const QPoint p = view.canvas()->viewportPointOf(shared);
        QTest::mouseClick(view.canvas()->viewport(), Qt::LeftButton, {}, p);
        QCOMPARE(*selection.current(), BlockRef::data(shared));
        const QString tip = view.toolTipAt(p);
        QVERIFY2(tip.contains(QStringLiteral("reference count: %1").arg(sm->count(shared).value())),
                 qPrintable(tip));
        // Zoomed in close, cells of 3-or-more blocks carry their exact count.
        const BlockMapTileRenderer renderer(*view.canvas()->source(), view.canvas()->layout(),
                                            view.canvas()->pyramid(), view.canvas()->scheme());
        QCOMPARE(renderer.cellLabel(shared), QString::number(sm->count(shared).value()));
        std::uint64_t once = 0;
        while (sm->bitmapValue(once).value() != 1)
            ++once;
        QVERIFY(renderer.cellLabel(once).isEmpty());
    }

    void exportedImageShowsEachBlocksColour() {
        Demo demo = openDemo();
        BlockMapView view;
        view.setDocument(demo.doc);
        view.setBlockMap(demo.map);
        QTRY_VERIFY(view.isReady());
        const QString file = test::tempDir() + QStringLiteral("/blockmap.png");
        QString error;
        QVERIFY2(view.renderFullImage(file, &error), qPrintable(error));
        const QImage img(file);
        QVERIFY(!img.isNull());
        const BlockMapLayout& layout = view.canvas()->layout();
        QVERIFY(img.width() >= 512);
        QCOMPARE(img.width() % int(layout.width()), 0);
        const int scale = img.width() / int(layout.width());
        const BlockMapScheme& scheme = view.canvas()->scheme();
        const MetadataClassSource source(demo.map, BlockMapColouring::Type);
        for (std::uint64_t b = 0; b < demo.map->size(); b += 7) {
            const GridCell c = layout.cellOf(b);
            const QRgb got = img.pixel(int(c.x) * scale + scale / 2, int(c.y) * scale + scale / 2);
            if (qRgb(qRed(got), qGreen(got), qBlue(got)) != scheme.colourOfClass(source.classOf(b)))
                QFAIL(qPrintable(QStringLiteral("block %1 (%2) has the wrong colour")
                                     .arg(b)
                                     .arg(QString::fromLatin1(blockRoleName(demo.map->role(b))))));
        }
    }

    void damagedBlocksAndBitmapsShowWithTheirReasons() {
        test::Corruptor c(
            test::fixtureBytes(QStringLiteral("kernel/pool-b/metadata-msnap.img.zst")));
        const test::ImageLayout where = c.layout();
        QVERIFY(where.dataBitmap && where.bottomLeaf);
        c.flipBit(where.dataBitmap, 100, 0); // checksum no longer matches
        c.flipBit(where.bottomLeaf, 200, 1);
        auto doc =
            ThinPoolDocument::openSource(std::make_shared<MemoryBlockSource>(c.bytes(), false),
                                         QStringLiteral("damaged"), false);
        QVERIFY(doc.ok());
        auto map = BlockClassifier((*doc)->metadata()).classify();
        QVERIFY(map.ok());
        auto shared = std::make_shared<const BlockMap>(std::move(*map));
        QCOMPARE(shared->role(where.bottomLeaf), BlockRole::Unreadable);
        BlockMapView view;
        view.resize(700, 500);
        view.setDocument(*doc);
        view.setBlockMap(shared);
        view.show();
        QTRY_VERIFY(view.isReady());
        QCOMPARE(legendCount(view, QStringLiteral("unreadable")),
                 quint64(shared->total(BlockRole::Unreadable)));
        view.canvas()->setZoom(3);
        view.canvas()->centreOn(where.bottomLeaf);
        QString tip = view.toolTipAt(view.canvas()->viewportPointOf(where.bottomLeaf));
        QVERIFY2(tip.contains(QStringLiteral("unreadable: ") +
                              QString::fromStdString(*shared->reason(where.bottomLeaf))),
                 qPrintable(tip));
        // Zoomed out, the unreadable block's cell takes the alert colour whatever surrounds it.
        const BlockMapScheme& scheme = view.canvas()->scheme();
        const unsigned top = view.canvas()->layout().topLevel();
        const GridCell c0 = view.canvas()->layout().cellOf(where.bottomLeaf);
        QCOMPARE(BlockMapTileRenderer(*view.canvas()->source(), view.canvas()->layout(),
                                      view.canvas()->pyramid(), scheme)
                     .cellColour(top, {c0.x >> top, c0.y >> top}),
                 scheme.colourOfClass(unsigned(BlockRole::Unreadable)));

        // The data space map: every block of the broken bitmap is shown as such.
        view.setColouring(BlockMapColouring::DataSpace);
        QTRY_VERIFY(view.isReady());
        const std::uint64_t dataBlocks = (*doc)->metadata().superblock().dataSpaceMap.nrBlocks;
        QCOMPARE(legendCount(view, QStringLiteral("bitmap unreadable")),
                 quint64(std::min<std::uint64_t>(dataBlocks, 16320)));
        view.canvas()->centreOn(5);
        tip = view.toolTipAt(view.canvas()->viewportPointOf(5));
        QVERIFY2(tip.contains(QStringLiteral("bitmap 0 unreadable")), qPrintable(tip));
        QVERIFY2(tip.contains(QString::number(where.dataBitmap)), qPrintable(tip));
    }

    void noDocumentAndNoBlockMapShowMessagesNotACrash() {
        BlockMapView view;
        view.resize(400, 300);
        view.show();
        QVERIFY(!view.isReady());
        QVERIFY(view.toolTipAt(QPoint(10, 10)).isEmpty());
        Demo demo = openDemo();
        view.setDocument(demo.doc); // no BlockMap yet
        QVERIFY(!view.isReady());
        QVERIFY(view.fullImage().isNull());
        view.setBlockMap(demo.map);
        QTRY_VERIFY(view.isReady());
        view.setDocument(nullptr);
        QVERIFY(!view.isReady());
    }
};

QTEST_MAIN(TestBlockMapView)
#include "tst_blockmapview.moc"
