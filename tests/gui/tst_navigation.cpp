// Navigation in the main window, offscreen: Go to block, back/forward history, bookmarks kept per
// image across a restart, and the background scan (block map, check, usage) that finishes with
// results or is cancelled without blocking the window and without delivering anything.

#include "app/gui/BlockAddress.h"
#include "app/gui/MainWindow.h"
#include "app/gui/RecentFiles.h"
#include "core/MemoryBlockSource.h"
#include "models/BlockSelection.h"
#include "models/BookmarkModel.h"
#include "models/NavigationHistory.h"
#include "models/PoolScan.h"
#include "models/SearchResultsModel.h"
#include "models/ThinPoolDocument.h"
#include "tests/support/Fixtures.h"
#include "views/search/BlockSearchView.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QUrl>
#include <atomic>
#include <map>
#include <thread>

using namespace dms;

namespace {

const char* const kDemoFixture = "kernel/pool-b/metadata-msnap.img.zst";

// A source that takes delayMs for every read that is not served from memory, so that a scan
// of a small pool lasts long enough to be cancelled in the middle.
class SlowBlockSource final : public BlockSource {
public:
    explicit SlowBlockSource(std::shared_ptr<MemoryBlockSource> inner) : inner_(std::move(inner)) {}
    std::atomic<int> delayMs{0};
    mutable std::atomic<int> reads{0};

    std::uint64_t blockCount() const override { return inner_->blockCount(); }
    std::uint64_t byteSize() const override { return inner_->byteSize(); }
    Status read(std::uint64_t block, std::uint8_t* out) const override {
        ++reads;
        if (delayMs) std::this_thread::sleep_for(std::chrono::milliseconds(int(delayMs)));
        return inner_->read(block, out);
    }
    std::string name() const override { return "slow"; }

private:
    std::shared_ptr<MemoryBlockSource> inner_;
};

std::optional<BlockRef> current(const MainWindow& w) {
    return w.selection()->current();
}

} // namespace

class TestNavigation : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        // Bookmarks and recent files go to a private settings file, never the user's.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                           test::tempDir() + QStringLiteral("/settings"));
        QCoreApplication::setOrganizationName(QStringLiteral("dmscope-tests"));
    }

    void blockAddressesParse() {
        QCOMPARE(parseBlockAddress(QStringLiteral("37")), BlockRef::metadata(37));
        QCOMPARE(parseBlockAddress(QStringLiteral(" 0x25 ")), BlockRef::metadata(37));
        QCOMPARE(parseBlockAddress(QStringLiteral("m37")), BlockRef::metadata(37));
        QCOMPARE(parseBlockAddress(QStringLiteral("metadata 37")), BlockRef::metadata(37));
        QCOMPARE(parseBlockAddress(QStringLiteral("d 1200")), BlockRef::data(1200));
        QCOMPARE(parseBlockAddress(QStringLiteral("DATA:0x10")), BlockRef::data(16));
        QCOMPARE(parseBlockAddress(QStringLiteral("12"), BlockSpace::Data), BlockRef::data(12));
        for (const char* bad : {"", "x", "-1", "12 13", "d", "0x", "99999999999999999999999"})
            QVERIFY2(!parseBlockAddress(QLatin1String(bad)), bad);
    }

    void goToSelectsInRangeBlocksOnly() {
        MainWindow w;
        w.show();
        QVERIFY(!w.goToBlock(QStringLiteral("1"))); // nothing open
        QVERIFY(w.openDemo());
        QVERIFY(w.goToBlock(QStringLiteral("37")));
        QCOMPARE(current(w), BlockRef::metadata(37));
        QVERIFY(w.goToBlock(QStringLiteral("d 4095")));
        QCOMPARE(current(w), BlockRef::data(4095));
        const quint64 blocks = w.document()->deviceBlocks();
        QVERIFY(!w.goToBlock(QString::number(blocks)));
        QVERIFY(!w.goToBlock(QStringLiteral("d 4096"))); // the demo pool has 4096 data blocks
        QVERIFY(!w.goToBlock(QStringLiteral("nonsense")));
        QCOMPARE(current(w), BlockRef::data(4095));
        QVERIFY(w.statusText().contains(QStringLiteral("read-only")));
    }

    void backAndForwardRetraceTheSelections() {
        MainWindow w;
        w.show();
        QVERIFY(w.openDemo());
        for (const char* b : {"1", "2", "3"})
            QVERIFY(w.goToBlock(QLatin1String(b)));
        NavigationHistory* h = w.history();
        QVERIFY(h->canGoBack() && !h->canGoForward());
        // The shortcuts, as a user presses them.
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTest::keyClick(&w, Qt::Key_Left, Qt::AltModifier);
        QCOMPARE(current(w), BlockRef::metadata(2));
        QTest::keyClick(&w, Qt::Key_Left, Qt::AltModifier);
        QCOMPARE(current(w), BlockRef::metadata(1));
        QVERIFY(!h->canGoBack());
        QTest::keyClick(&w, Qt::Key_Right, Qt::AltModifier);
        QCOMPARE(current(w), BlockRef::metadata(2));
        QVERIFY(h->canGoForward());
        // A new selection drops what was ahead.
        QVERIFY(w.goToBlock(QStringLiteral("9")));
        QVERIFY(!h->canGoForward());
        h->back();
        QCOMPARE(current(w), BlockRef::metadata(2));
        h->back();
        QCOMPARE(current(w), BlockRef::metadata(1));
        // Opening another document forgets the history.
        QVERIFY(w.openDemo());
        QVERIFY(!h->canGoBack() && !h->canGoForward());
        QVERIFY(!current(w));
    }

    void bookmarksSurviveARestartAndStayWithTheirImage() {
        const QString a = test::writeTempFile(QStringLiteral("bm-a.img"),
                                              test::fixtureBytes(QLatin1String(kDemoFixture)));
        const QString b =
            test::writeTempFile(QStringLiteral("bm-b.img"),
                                test::fixtureBytes(QStringLiteral("tools/thin_small.bin.zst")));
        {
            MainWindow w;
            QVERIFY(w.openPath(a));
            QCOMPARE(w.bookmarkModel()->count(), 0);
            w.bookmarkModel()->add({BlockRef::metadata(1081), QStringLiteral("held root"),
                                    QColor(Qt::red), QStringLiteral("the snapshot copy")});
            w.bookmarkModel()->add(
                {BlockRef::data(7), QStringLiteral("a data block"), QColor(), QString()});
            QVERIFY(w.openPath(b));
            QCOMPARE(w.bookmarkModel()->count(), 0);
        }
        MainWindow again;
        QVERIFY(again.openPath(a));
        BookmarkModel* m = again.bookmarkModel();
        QCOMPARE(m->count(), 2);
        QCOMPARE(m->bookmark(0).block, BlockRef::metadata(1081));
        QCOMPARE(m->bookmark(0).name, QStringLiteral("held root"));
        QCOMPARE(m->bookmark(0).colour, QColor(Qt::red));
        QCOMPARE(m->bookmark(0).note, QStringLiteral("the snapshot copy"));
        QCOMPARE(m->bookmark(1).block, BlockRef::data(7));
        m->remove(0);
        MainWindow third;
        QVERIFY(third.openPath(a));
        QCOMPARE(third.bookmarkModel()->count(), 1);
        QCOMPARE(third.bookmarkModel()->bookmark(0).block, BlockRef::data(7));
    }

    void scanDeliversBlockMapCheckAndUsage() {
        MainWindow w;
        w.show();
        QSignalSpy finished(&w, &MainWindow::scanFinished);
        QVERIFY(w.openDemo());
        QVERIFY(finished.wait(10000));
        const PoolScanResult* r = w.scanResult();
        QVERIFY(r && r->blockMap && r->checkReport && r->usage);
        QCOMPARE(r->blockMap->size(), w.document()->deviceBlocks());
        QCOMPARE(r->checkReport->verdict(), CheckVerdict::Pass);
        QCOMPARE(r->usage->size(), std::size_t(6));
        QCOMPARE(r->blockMap->allocated(),
                 w.document()->metadata().superblock().metadataSpaceMap.nrAllocated);
        QVERIFY(w.progressText().isEmpty());
    }

    void aScanIsCancelledWithoutBlockingAndDeliversNothing() {
        auto slow = std::make_shared<SlowBlockSource>(test::fixtureSource(kDemoFixture));
        auto doc = ThinPoolDocument::openSource(slow, QStringLiteral("slow"), false);
        QVERIFY(doc.ok());
        slow->delayMs = 40; // a scan of the demo pool now takes a few seconds
        PoolScan scan;
        QSignalSpy progress(&scan, &PoolScan::progress);
        QSignalSpy finished(&scan, &PoolScan::finished);
        QSignalSpy cancelled(&scan, &PoolScan::cancelled);
        scan.start(*doc);
        QVERIFY(scan.isRunning());
        QVERIFY(progress.wait(5000));
        QElapsedTimer t;
        t.start();
        scan.cancel();
        QVERIFY2(t.elapsed() < 50, "cancel() waited for the worker");
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!scan.isRunning());
        const int readsAtCancel = slow->reads;
        QTest::qWait(600);
        QCOMPARE(finished.count(), 0);
        // The worker stopped reading soon after the request, instead of scanning on.
        QVERIFY2(slow->reads - readsAtCancel <= 3, qPrintable(QString::number(slow->reads)));

        // The same scanner runs a new scan to the end afterwards.
        slow->delayMs = 0;
        scan.start(*doc);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(cancelled.count(), 1);
    }

    void dataBlockSearchFindsEveryDeviceAndGoesToTheLeaf() {
        MainWindow w;
        w.show();
        QVERIFY(w.openDemo());
        // A data block shared by snapshots: the demo pool's devices 3..5 share their origin's.
        const ThinMetadata& md = w.document()->metadata();
        std::map<std::uint64_t, int> users;
        auto devices = md.devices(md.superblock());
        QVERIFY(devices.ok());
        for (const ThinDevice& d : *devices)
            QVERIFY(md.forEachMapping(d.mappingRoot, [&](std::uint64_t, BlockTime bt) {
                          ++users[bt.dataBlock];
                      }).ok());
        auto shared = std::max_element(users.begin(), users.end(),
                                       [](auto& a, auto& b) { return a.second < b.second; });
        QVERIFY(shared->second > 1);

        BlockSearchView* search = w.searchView();
        QSignalSpy done(search, &BlockSearchView::searchFinished);
        search->search(BlockSearchView::Kind::DataBlockOwners, shared->first);
        QVERIFY(done.wait(5000));
        SearchResultsModel* results = search->results();
        QCOMPARE(results->rowCount(), shared->second);
        QVERIFY2(
            search->statusText().contains(QStringLiteral("mapped %1 times").arg(shared->second)),
            qPrintable(search->statusText()));
        const BlockRef leaf =
            results->index(0, 0).data(SearchResultsModel::BlockRefRole).value<BlockRef>();
        QVERIFY(leaf.isMetadata() && leaf.block > 0);
        // Activating a row selects the mapping leaf.
        auto* table = search->findChild<QTableView*>();
        QVERIFY(table);
        table->setCurrentIndex(results->index(0, 0));
        emit table->activated(results->index(0, 0));
        QCOMPARE(current(w), leaf);
    }

    void referrerSearchFindsEveryPointerToAMetadataBlock() {
        MainWindow w;
        w.show();
        QSignalSpy scanned(&w, &MainWindow::scanFinished);
        QVERIFY(w.openDemo());
        QVERIFY(scanned.wait(10000));
        const std::uint64_t root = w.document()->metadata().superblock().dataMappingRoot;
        BlockSearchView* search = w.searchView();
        QSignalSpy done(search, &BlockSearchView::searchFinished);
        search->search(BlockSearchView::Kind::MetadataReferrers, root);
        QVERIFY(done.wait(5000));
        // As many pointers as the classifier found, the live superblock's among them.
        QCOMPARE(std::uint64_t(search->results()->rowCount()),
                 std::uint64_t(w.scanResult()->blockMap->references(root)));
        bool fromSuperblock = false;
        for (const SearchHit& h : search->results()->hits())
            fromSuperblock =
                fromSuperblock || (h.target == BlockRef::metadata(0) &&
                                   h.what.contains(QStringLiteral("data_mapping_root")));
        QVERIFY2(fromSuperblock, qPrintable(search->statusText()));
    }

    void aDroppedImageOpensAndJoinsTheRecentList() {
        const QString path =
            test::writeTempFile(QStringLiteral("dropped.img"),
                                test::fixtureBytes(QStringLiteral("tools/thin_small.bin.zst")));
        MainWindow w;
        w.show();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton,
                              Qt::NoModifier);
        QApplication::sendEvent(&w, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &drop);
        QVERIFY(w.document());
        QVERIFY2(w.windowTitle().contains(path), qPrintable(w.windowTitle()));
        QCOMPARE(RecentFiles::list().value(0), QFileInfo(path).canonicalFilePath());
    }

    void closingTheWindowDuringAScanIsClean() {
        auto slow = std::make_shared<SlowBlockSource>(test::fixtureSource(kDemoFixture));
        auto doc = ThinPoolDocument::openSource(slow, QStringLiteral("slow"), false);
        QVERIFY(doc.ok());
        slow->delayMs = 20;
        auto* scan = new PoolScan;
        QSignalSpy progress(scan, &PoolScan::progress);
        scan->start(*doc);
        QVERIFY(progress.wait(5000));
        delete scan; // joins the worker; nothing is posted to the deleted object
        QTest::qWait(100);
    }
};

QTEST_MAIN(TestNavigation)
#include "tst_navigation.moc"
