// The main window on dm-cache and dm-era metadata: cache formats 1 and 2 and an era image open
// without being refused; the Cache and Era tabs appear and the thin-only tabs are disabled with
// the reason; the views' counts equal the dumps (dirty blocks as cache_dump lists them in format
// 1 and as the restored XML says in format 2, era values as era_dump's); picking a cache block
// or an era block selects the metadata block holding its entry and the inspector shows it; the
// check runs (Issues) and the dump is cache_dump's / era_dump's; damaged images open with the
// damage named and the window keeps working.

#include "app/gui/MainWindow.h"
#include "core/check/CheckReport.h"
#include "models/BlockSelection.h"
#include "models/BtreeModel.h"
#include "models/CacheEraBlockRoles.h"
#include "models/CacheEraDocument.h"
#include "models/PoolScan.h"
#include "models/SpaceMapModel.h"
#include "models/SuperblockModel.h"
#include "models/ThinPoolDocument.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"
#include "views/blockmap/BlockMapView.h"
#include "views/btree/BtreeBrowser.h"
#include "views/cache/CacheView.h"
#include "views/common/CellGrid.h"
#include "views/common/MetadataRoleMap.h"
#include "views/dump/DumpView.h"
#include "views/era/EraView.h"
#include "views/inspector/BlockInspector.h"
#include "views/inspector/HexView.h"
#include "views/search/BlockSearchView.h"
#include "views/spacemaps/SpaceMapBrowser.h"

#include <QDockWidget>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

using namespace dms;
using namespace dms::test;

namespace {

QString fixtureFile(const QString& fixture, const QString& name) {
    return writeTempFile(name, fixtureBytes(fixture));
}

int countOf(const QString& fixture, const QString& needle) {
    const auto b = fixtureBytes(fixture);
    return QString::fromUtf8(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()))
        .count(needle);
}

bool tabShown(const MainWindow& w, const QString& name) {
    for (int i = 0; i < w.tabs()->count(); ++i)
        if (w.tabs()->widget(i)->objectName() == name)
            return w.tabs()->isTabVisible(i) && w.tabs()->isTabEnabled(i);
    return false;
}

// With DMSCOPE_SCREENSHOT_DIR set, the window is saved there at the states the docs show, with
// the inspector dock in front.
void maybeSaveScreenshot(MainWindow& w, const QString& name) {
    const QString dir = qEnvironmentVariable("DMSCOPE_SCREENSHOT_DIR");
    if (dir.isEmpty()) return;
    if (auto* dock = qobject_cast<QDockWidget*>(w.inspector()->parentWidget())) dock->raise();
    QCoreApplication::processEvents();
    QVERIFY(w.grab().save(dir + QLatin1Char('/') + name, "PNG"));
}

bool waitForScan(MainWindow& w) {
    QSignalSpy done(&w, &MainWindow::scanFinished);
    return w.scanResult() || done.wait(20000);
}

} // namespace

class TestCacheEraViews : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                           tempDir() + QStringLiteral("/settings"));
    }

    void cacheFormatsOpenWithDirtyBlocksAsDumped() {
        struct Case {
            const char* fixture;
            const char* truth; // what lists the dirty blocks
        } cases[] = {{"tools/cache_v1.bin.zst", "tools/cache_v1.dump.xml"},
                     {"tools/cache_v2.bin.zst", "tools/cache.xml"}};
        MainWindow w;
        w.show();
        for (const Case& c : cases) {
            const QString path = fixtureFile(QLatin1String(c.fixture), QStringLiteral("c.img"));
            QVERIFY2(w.openPath(path), qPrintable(w.bannerText()));
            QVERIFY2(!w.showsError(), qPrintable(w.bannerText()));
            QCOMPARE(w.document()->kind(), MetadataKind::Cache);
            QVERIFY(tabShown(w, QStringLiteral("cache")));
            QVERIFY(!tabShown(w, QStringLiteral("era")));
            QVERIFY(!tabShown(w, QStringLiteral("blockmap"))); // thin only
            QVERIFY(!tabShown(w, QStringLiteral("charts")));
            QVERIFY(tabShown(w, QStringLiteral("spacemaps")));
            QVERIFY(tabShown(w, QStringLiteral("btrees")));
            QVERIFY(!w.searchView()->isEnabled()); // thin devices and trees only
            QVERIFY(!w.tabs()->tabToolTip(w.tabs()->indexOf(w.blockMapView())).isEmpty());
            QVERIFY(w.superblockModel()->rowOf(QStringLiteral("policy_name")) >= 0);
            QVERIFY(w.statusText().contains(QStringLiteral("dm-cache format")));

            QVERIFY(w.showView(QStringLiteral("cache")));
            QVERIFY(!w.showView(QStringLiteral("era/heatmap"))); // not an era image
            CacheView* v = w.cacheView();
            QTRY_VERIFY_WITH_TIMEOUT(v->contents() != nullptr, 10000);
            const CacheContents& cc = *v->contents();
            QCOMPARE(cc.cacheBlocks(), 2048u);
            QCOMPARE(int(cc.dirty()),
                     countOf(QLatin1String(c.truth), QStringLiteral("dirty=\"true\"")));
            QCOMPARE(int(cc.valid()), countOf(QLatin1String(c.truth), QStringLiteral("<mapping ")));
            QCOMPARE(v->blockGrid()->itemCount(), quint64(2048));
            QVERIFY(v->summaryText().contains(QStringLiteral("%1 dirty").arg(cc.dirty())));

            // Cache block 100 maps origin 123456 in both fixtures.
            v->chooseCacheBlock(100);
            QVERIFY(v->detailsText().contains(QStringLiteral("123456")));
            const std::uint64_t entryBlock = cc.mappingBlockOf(100);
            QVERIFY(entryBlock != 0);
            QVERIFY(w.selection()->current() == BlockRef::metadata(entryBlock));
            QCOMPARE(w.inspector()->currentBlock(), std::optional<std::uint64_t>(entryBlock));
            QCOMPARE(w.inspector()->blockType(), BlockType::ArrayBlock);
            QVERIFY2(w.inspector()->errorText().isEmpty(), qPrintable(w.inspector()->errorText()));
            // The inspector selects the entry's value: value[100], the mapping of origin 123456.
            const int field = w.inspector()->hexView()->highlightedField();
            QVERIFY(field >= 0);
            const BlockField& f = w.inspector()->layout().fields()[std::size_t(field)];
            QCOMPARE(QString::fromStdString(f.group), QStringLiteral("value[100]"));
            QCOMPARE(f.offset, 24u + 100u * 8u);
            v->showPart(QStringLiteral("blocks"));
            maybeSaveScreenshot(w, QStringLiteral("cache-selected-%1.png").arg(cc.format()));

            // The metadata block map: the clicked entry's block, pointed at by the spine.
            QTRY_VERIFY_WITH_TIMEOUT(v->metadataMap()->roles() != nullptr, 10000);
            QVERIFY(v->showPart(QStringLiteral("metadata")));
            QVERIFY2(
                v->metadataMap()->describe(entryBlock).contains(QStringLiteral("mapping array")),
                qPrintable(v->metadataMap()->describe(entryBlock)));
            QCOMPARE(v->metadataMap()->grid()->itemCount(), w.document()->deviceBlocks());
            // Selecting a mapping array block elsewhere points at its cache blocks.
            w.selection()->select(BlockRef::metadata(cc.mappingBlockOf(1000)), nullptr);
            QCOMPARE(v->blockGrid()->currentItem(), std::optional<quint64>(1000 / 509 * 509));
            emit v->metadataMap()->blockClicked(5);
            QCOMPARE(w.inspector()->currentBlock(), std::optional<std::uint64_t>(5));

            // The shared views: the metadata space map, the array spines, the check.
            QVERIFY(w.spaceMapBrowser()->kind() == SpaceMapKind::Metadata);
            QCOMPARE(w.spaceMapBrowser()->spaceMapModel()->rowCount(), 1); // one bitmap
            QVERIFY(!w.spaceMapBrowser()->spaceMapModel()->openError());
            QCOMPARE(w.btreeBrowser()->trees().front().kind, BtreeKind::MappingArray);
            // The mapping array's spine: one leaf of 5 entries (2048 / 509), each an array block.
            w.btreeBrowser()->showTree(w.btreeBrowser()->trees().front());
            BtreeModel* spine = w.btreeBrowser()->model();
            const QModelIndex root = spine->index(0, 0);
            if (spine->canFetchMore(root)) spine->fetchMore(root);
            QCOMPARE(spine->rowCount(root), 5);
            const QModelIndex first = spine->index(0, BtreeModel::ValueColumn, root);
            QVERIFY2(first.data().toString().startsWith(QStringLiteral("-> array block")),
                     qPrintable(first.data().toString()));
            QVERIFY(first.data(BtreeModel::TargetRole).value<BlockRef>() ==
                    BlockRef::metadata(cc.mappingBlockOf(0)));
            QVERIFY(waitForScan(w));
            QVERIFY(w.scanResult()->checkReport);
            QVERIFY2(w.scanResult()->checkReport->exitCode(false) == 0, c.fixture);
            QVERIFY(!w.editCopy()); // refused with the reason, the window stays
            QVERIFY(w.bannerText().contains(QStringLiteral("dmscope-cli edit")));
        }
    }

    void eraOpensWithItsHeatMapAndWrittenSince() {
        MainWindow w;
        w.show();
        const QString path =
            fixtureFile(QStringLiteral("tools/era.bin.zst"), QStringLiteral("e.img"));
        QVERIFY2(w.openPath(path), qPrintable(w.bannerText()));
        QVERIFY2(!w.showsError(), qPrintable(w.bannerText()));
        QCOMPARE(w.document()->kind(), MetadataKind::Era);
        QVERIFY(tabShown(w, QStringLiteral("era")));
        QVERIFY(!tabShown(w, QStringLiteral("cache")));
        QVERIFY(w.showView(QStringLiteral("era")));
        EraView* v = w.eraView();
        QTRY_VERIFY_WITH_TIMEOUT(v->contents() != nullptr, 10000);
        const EraContents& c = *v->contents();
        // Every era equals era_dump's.
        const auto bytes = fixtureBytes(QStringLiteral("tools/era.dump.xml"));
        const QString dump =
            QString::fromUtf8(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
        static const QRegularExpression re(
            QStringLiteral("<era block=\"(\\d+)\" era=\"(\\d+)\"/>"));
        int seen = 0;
        for (auto it = re.globalMatch(dump); it.hasNext(); ++seen) {
            const auto m = it.next();
            QCOMPARE(c.era(m.captured(1).toUInt()), m.captured(2).toUInt());
        }
        QCOMPARE(std::uint32_t(seen), c.nrBlocks());
        QCOMPARE(v->heatMap()->itemCount(), quint64(c.nrBlocks()));
        // Blocks 0..3 have eras 1..4: later eras are drawn with higher classes.
        QVERIFY(v->heatMap()->shownClass(3) > v->heatMap()->shownClass(0) ||
                v->heatMap()->itemsPerCell() > 1);
        QVERIFY(v->legendLabels().size() >= 2);
        // era_invalidate --written-since 4 lists blocks 3, 100 and 255 (FORMAT fixture).
        QCOMPARE(v->setWrittenSince(4), std::uint64_t(3));
        QVERIFY(v->sinceText().contains(QStringLiteral("--written-since 4")));
        QCOMPARE(v->heatMap()->shownClass(1), 0); // block 1 (era 2) dimmed
        v->chooseBlock(100);
        maybeSaveScreenshot(w, QStringLiteral("era-written-since.png"));

        v->chooseBlock(3);
        const std::uint64_t entry = c.eraArrayBlockOf(3);
        QVERIFY(v->detailsText().contains(QStringLiteral("era: 4")));
        QVERIFY(w.selection()->current() == BlockRef::metadata(entry));
        QCOMPARE(w.inspector()->currentBlock(), std::optional<std::uint64_t>(entry));
        QCOMPARE(w.inspector()->blockType(), BlockType::ArrayBlock);
        QVERIFY(waitForScan(w));
        QVERIFY(w.scanResult()->checkReport->exitCode(false) == 0);
        QCOMPARE(w.btreeBrowser()->trees().front().kind, BtreeKind::EraArray);

        // Dump: era_dump's XML.
        QVERIFY(w.showView(QStringLiteral("dump")));
        w.dumpView()->loadAll();
        QTRY_VERIFY_WITH_TIMEOUT(w.dumpView()->isComplete(), 10000);
        QVERIFY(w.dumpView()->loadError().isEmpty());
        const QStringList shown =
            w.dumpView()->textEdit()->toPlainText().trimmed().split(QLatin1Char('\n'));
        const QStringList want = dump.trimmed().split(QLatin1Char('\n'));
        for (qsizetype i = 0; i < std::min(shown.size(), want.size()); ++i)
            QCOMPARE(shown[i], want[i]);
        QCOMPARE(shown.size(), want.size());
        QVERIFY(w.dumpView()->textEdit()->toPlainText().startsWith(
            QStringLiteral("<superblock uuid=\"\" block_size=\"128\" nr_blocks=\"256\"")));
    }

    void damagedCacheAndEraOpenWithTheDamageNamed() {
        MainWindow w;
        w.show();
        // A zeroed array block of the mapping array: the cache view and the check name it.
        {
            auto doc = ThinPoolDocument::openSource(
                fixtureSource(QStringLiteral("tools/cache_v1.bin.zst")), QStringLiteral("v1"),
                false);
            QVERIFY(doc);
            const CacheContents c =
                CacheContents::load((*doc)->cacheEra()->reader(), (*doc)->cacheEra()->cache());
            const std::uint64_t victim = c.mappingBlockOf(0);
            Corruptor k(fixtureBytes(QStringLiteral("tools/cache_v1.bin.zst")));
            k.zeroBlock(victim);
            QVERIFY(w.openPath(writeTempFile(QStringLiteral("bad_cache.img"), k.bytes())));
            QTRY_VERIFY_WITH_TIMEOUT(w.cacheView()->contents() != nullptr, 10000);
            QVERIFY(!w.cacheView()->contents()->errors().empty());
            QVERIFY2(w.cacheView()->summaryText().contains(QStringLiteral("block %1").arg(victim)),
                     qPrintable(w.cacheView()->summaryText()));
            QCOMPARE(w.cacheView()->contents()->state(0), CacheContents::Unreadable);
            QVERIFY(waitForScan(w));
            QVERIFY(w.scanResult()->checkReport->exitCode(false) != 0);
            bool named = false;
            for (const Finding& f : w.scanResult()->checkReport->findings())
                named = named || (f.block && *f.block == victim);
            QVERIFY2(named, qPrintable(QStringLiteral("no finding names block %1").arg(victim)));
        }
        // A hostile cache_blocks (resealed): the views say the array cannot be that long.
        {
            Corruptor k(fixtureBytes(QStringLiteral("tools/cache_v2.bin.zst")));
            k.setU32(0, 240, 0xffffffffu);
            k.reseal(0, BlockType::CacheSuperblock);
            QVERIFY(w.openPath(writeTempFile(QStringLiteral("huge_cache.img"), k.bytes())));
            QTRY_VERIFY_WITH_TIMEOUT(w.cacheView()->contents() != nullptr, 10000);
            QVERIFY(!w.cacheView()->contents()->errors().empty());
            QCOMPARE(w.cacheView()->contents()->cacheBlocks(), 0u);
            QVERIFY(waitForScan(w));
            QVERIFY(w.scanResult()->checkReport->exitCode(false) != 0);
        }
        // A flipped bit in the era superblock: shown as stored, the damage in the banner.
        {
            Corruptor k(fixtureBytes(QStringLiteral("tools/era.bin.zst")));
            k.flipBit(0, 180, 0); // nr_blocks, checksum left wrong
            QVERIFY(w.openPath(writeTempFile(QStringLiteral("bad_era.img"), k.bytes())));
            QVERIFY(w.showsError());
            QVERIFY2(w.bannerText().contains(QStringLiteral("block 0")),
                     qPrintable(w.bannerText()));
            QCOMPARE(w.document()->kind(), MetadataKind::Era);
            QTRY_VERIFY_WITH_TIMEOUT(w.eraView()->contents() != nullptr, 10000);
            QVERIFY(waitForScan(w));
            QVERIFY(w.scanResult()->checkReport->exitCode(false) != 0);
        }
        // The window still opens a thin pool afterwards (see also the matrix below).
        QVERIFY(w.openDemo());
        QVERIFY(tabShown(w, QStringLiteral("blockmap")));
        QVERIFY(!tabShown(w, QStringLiteral("cache")));
        QVERIFY(w.searchView()->isEnabled());
    }

    void cellGridMapsPositionsToItemsAndBlends() {
        CellGrid g;
        g.resize(200, 100);
        std::vector<std::uint8_t> classes(100000, 0);
        for (std::size_t i = 0; i < classes.size(); i += 2)
            classes[i] = 1;
        g.setCells(classes, {QColor(Qt::black), QColor(Qt::white)});
        QVERIFY(g.itemsPerCell() > 1); // 100000 items do not fit 200x100 pixels one by one
        for (quint64 item : {quint64(0), quint64(777), quint64(99999)}) {
            const QRect r = g.cellRect(item);
            const auto hit = g.itemAt(r.center());
            QVERIFY(hit);
            QCOMPARE(*hit / g.itemsPerCell(), item / g.itemsPerCell());
        }
        QCOMPARE(g.shownClass(0), 1); // highest wins
        g.setAggregate(CellGrid::Aggregate::Blend);
        const QImage shot = g.grab().toImage();
        const QColor mid = shot.pixelColor(g.cellRect(0).center() * shot.devicePixelRatio());
        QVERIFY2(mid.red() > 60 && mid.red() < 200, qPrintable(mid.name())); // grey: half white
    }

    // Every allocated block of each fixture zeroed, one at a time, in one window: the image is
    // refused with the reason (block 0) or opened, its view loads, the check finishes and has a
    // finding; the window keeps working throughout.
    void everyZeroedBlockOpensOrIsRefusedWithTheReason() {
        MainWindow w;
        w.show();
        int opened = 0, refused = 0;
        for (const char* fixture :
             {"tools/cache_v1.bin.zst", "tools/cache_v2.bin.zst", "tools/era.bin.zst"}) {
            const auto bytes = fixtureBytes(QLatin1String(fixture));
            auto doc = ThinPoolDocument::openSource(fixtureSource(QLatin1String(fixture)),
                                                    QStringLiteral("f"), false);
            QVERIFY(doc);
            const CacheEraBlockRoles roles = CacheEraBlockRoles::classify(*(*doc)->cacheEra());
            for (std::uint64_t b = 0; b < roles.size(); ++b) {
                if (roles.role(b) == MetadataBlockRole::Free) continue;
                Corruptor k(bytes);
                k.zeroBlock(b);
                const QString what = QStringLiteral("%1 with block %2 (%3) zeroed")
                                         .arg(QLatin1String(fixture))
                                         .arg(b)
                                         .arg(QLatin1String(metadataBlockRoleName(roles.role(b))));
                if (!w.openPath(writeTempFile(QStringLiteral("zeroed.img"), k.bytes()))) {
                    QVERIFY2(w.showsError() && w.bannerText().contains(QStringLiteral("block 0")),
                             qPrintable(what + QStringLiteral(": ") + w.bannerText()));
                    ++refused;
                    continue;
                }
                ++opened;
                QVERIFY2(waitForScan(w), qPrintable(what));
                QVERIFY2(!w.scanResult()->checkReport->findings().empty(), qPrintable(what));
                const bool cache = w.document()->kind() == MetadataKind::Cache;
                QTRY_VERIFY2_WITH_TIMEOUT(cache ? w.cacheView()->contents() != nullptr
                                                : w.eraView()->contents() != nullptr,
                                          qPrintable(what), 10000);
            }
        }
        QCOMPARE(refused, 3); // block 0 of each
        QVERIFY(opened >= 30);
        QVERIFY(w.openDemo());
    }
};

QTEST_MAIN(TestCacheEraViews)
#include "tst_cacheeraviews.moc"
