// One selection per window: picking a block in any view moves every other view to it (block
// info, inspector, btree browser, search input), and back/forward carry all of them along.

#include "app/gui/MainWindow.h"
#include "models/BlockInfoModel.h"
#include "models/BlockSelection.h"
#include "models/DeviceListModel.h"
#include "models/NavigationHistory.h"
#include "models/PoolScan.h"
#include "models/ThinPoolDocument.h"
#include "tests/support/Fixtures.h"
#include "views/blockinfo/BlockInfoView.h"
#include "views/btree/BtreeBrowser.h"
#include "views/devices/DeviceListView.h"
#include "views/inspector/BlockInspector.h"
#include "views/issues/IssuesView.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace dms;

namespace {

// Every view that shows one metadata block shows b.
void requireAllShow(MainWindow& w, std::uint64_t b) {
    QCOMPARE(w.selection()->current(), BlockRef::metadata(b));
    QCOMPARE(w.inspector()->currentBlock(), std::optional<std::uint64_t>(b));
    QCOMPARE(w.blockInfoView()->infoModel()->block(),
             std::optional<BlockRef>(BlockRef::metadata(b)));
    QVERIFY2(w.statusText().contains(QStringLiteral("read-only")), qPrintable(w.statusText()));
}

} // namespace

class TestSharedSelection : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                           test::tempDir() + QStringLiteral("/settings"));
    }

    void aDeviceRowMovesEveryView() {
        MainWindow w;
        w.show();
        QSignalSpy scanned(&w, &MainWindow::scanFinished);
        QVERIFY(w.openDemo());
        QVERIFY(scanned.wait(10000));
        DeviceListModel* devices = w.deviceModel();
        const int row = devices->rowOfDevice(7);
        QVERIFY(row >= 0);
        const ThinDevice& d = devices->devices()[std::size_t(row)];
        // Pick the device as a user would: its row in the overview's table.
        QTableView* table = w.findChild<DeviceListView*>();
        QVERIFY(table);
        for (int r = 0; r < table->model()->rowCount(); ++r)
            if (table->model()->index(r, 0).data(Qt::DisplayRole).toString() ==
                QStringLiteral("7")) {
                table->setCurrentIndex(table->model()->index(r, 0));
                break;
            }
        requireAllShow(w, d.mappingRoot);
    }

    void goToTheMappingRootShowsItsTreeAndBackRestoresEverything() {
        MainWindow w;
        w.show();
        QSignalSpy scanned(&w, &MainWindow::scanFinished);
        QVERIFY(w.openDemo());
        QVERIFY(scanned.wait(10000));
        const ThinSuperblock& sb = w.document()->metadata().superblock();
        QVERIFY(w.goToBlock(QString::number(sb.deviceDetailsRoot)));
        requireAllShow(w, sb.deviceDetailsRoot);
        QCOMPARE(w.btreeBrowser()->currentTree().block, sb.deviceDetailsRoot);
        QVERIFY(w.goToBlock(QString::number(sb.dataMappingRoot)));
        requireAllShow(w, sb.dataMappingRoot);
        QCOMPARE(w.btreeBrowser()->currentTree().block, sb.dataMappingRoot);
        w.history()->back();
        requireAllShow(w, sb.deviceDetailsRoot);
        QCOMPARE(w.btreeBrowser()->currentTree().block, sb.deviceDetailsRoot);
        w.history()->forward();
        requireAllShow(w, sb.dataMappingRoot);
    }

    void anIssueLeadsEveryViewToItsBlock() {
        auto bytes = test::fixtureBytes(QStringLiteral("tools/thin_large.bin.zst"));
        // Flip a bit in the first mapping leaf the classifier would reach: any mapping leaf.
        auto md =
            ThinMetadata::open(test::fixtureSource(QStringLiteral("tools/thin_large.bin.zst")));
        QVERIFY(md.ok());
        auto devs = (*md)->devices((*md)->superblock());
        QVERIFY(devs.ok() && !devs->empty());
        const std::uint64_t victim = devs->front().mappingRoot;
        bytes[victim * 4096 + 100] ^= 0x08;
        const QString path = test::writeTempFile(QStringLiteral("issue.img"), bytes);

        MainWindow w;
        w.show();
        QSignalSpy scanned(&w, &MainWindow::scanFinished);
        QVERIFY(w.openPath(path));
        QVERIFY(scanned.wait(10000));
        IssuesView* issues = w.issuesView();
        auto* table = issues->findChild<QTableView*>();
        QVERIFY(table && table->model()->rowCount() > 0);
        int row = -1;
        for (int r = 0; r < table->model()->rowCount() && row < 0; ++r)
            if (table->model()->index(r, 0).data(Qt::UserRole + 1 /* RawValueRole */).isValid() &&
                table->model()->index(r, 2).data().toString() == QString::number(victim))
                row = r;
        QVERIFY2(row >= 0, "no issue names the damaged block");
        emit table->activated(table->model()->index(row, 0));
        requireAllShow(w, victim);
        QVERIFY(!w.inspector()->checksumMatches());
    }
};

QTEST_MAIN(TestSharedSelection)
#include "tst_sharedselection.moc"
