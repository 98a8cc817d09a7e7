// The space-map browser, block info, issues and devices views, offscreen: each follows and drives
// the window's one selection (double-click a finding, a referrer, a device, a bitmap row), the
// block info view finds referrers on its worker thread, and each renders (PNG written to
// $DMSCOPE_SCREENSHOT_DIR when set, for a look).

#include "core/check/ThinChecker.h"
#include "core/thin/BlockClassifier.h"
#include "core/thin/ReferrerSearch.h"
#include "core/thin/ThinUsage.h"
#include "models/BlockInfoModel.h"
#include "models/BlockSelection.h"
#include "models/DeviceListModel.h"
#include "models/IssuesModel.h"
#include "models/ModelRoles.h"
#include "models/RefCountTreeModel.h"
#include "models/SpaceMapModel.h"
#include "models/ThinPoolDocument.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"
#include "views/blockinfo/BlockInfoView.h"
#include "views/devices/DeviceListView.h"
#include "views/issues/IssuesView.h"
#include "views/spacemaps/SpaceMapBrowser.h"

#include <QApplication>
#include <QDir>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace dms;

namespace {

const char* const kDemoFixture = "kernel/pool-b/metadata-msnap.img.zst";

std::shared_ptr<ThinPoolDocument> demo() {
    auto d = ThinPoolDocument::openDemo();
    if (!d) qFatal("%s", d.error().describe().c_str());
    return *d;
}

std::vector<std::uint8_t> damagedDemo() {
    test::Corruptor c(test::fixtureBytes(kDemoFixture));
    const test::ImageLayout l = c.layout();
    c.flipBit(l.bottomLeaf, 900, 2);
    c.flipBit(l.dataBitmap, 64, 0);
    return c.bytes();
}

std::shared_ptr<ThinPoolDocument> documentFromBytes(std::vector<std::uint8_t> bytes) {
    auto source = std::make_shared<MemoryBlockSource>(std::move(bytes), false, "damaged");
    auto d = ThinPoolDocument::openSource(source, QStringLiteral("damaged"), false);
    if (!d) qFatal("%s", d.error().describe().c_str());
    return *d;
}

void render(QWidget& w, const QString& name) {
    w.resize(900, 420);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QImage image = w.grab().toImage();
    QVERIFY(!image.isNull());
    const QString dir = qEnvironmentVariable("DMSCOPE_SCREENSHOT_DIR");
    if (!dir.isEmpty()) QVERIFY(image.save(QDir(dir).filePath(name + QStringLiteral(".png"))));
}

void doubleClick(QAbstractItemView* view, const QModelIndex& index) {
    view->scrollTo(index);
    const QPoint at = view->visualRect(index).center();
    // A double-click is preceded by a click, as a user's is.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
}

} // namespace

class TestGuiModelViews : public QObject {
    Q_OBJECT
private slots:
    void doubleClickOnAFindingSelectsItsBlock() {
        auto bytes = damagedDemo();
        auto source = std::make_shared<MemoryBlockSource>(bytes, false);
        auto report = std::make_shared<const CheckReport>(ThinChecker(source).run());
        QVERIFY(!report->findings().empty());
        BlockSelection selection;
        IssuesView view;
        view.setSelection(&selection);
        view.setCheckReport(report);
        render(view, QStringLiteral("issues-view"));
        QTableView* table = view.table();
        int checked = 0;
        for (int r = 0; r < table->model()->rowCount(); ++r) {
            const QModelIndex i = table->model()->index(r, IssuesModel::MessageColumn);
            const QVariant ref = i.data(BlockRefRole);
            if (!ref.isValid()) continue;
            selection.clear();
            doubleClick(table, i);
            QVERIFY2(selection.current().has_value(), qPrintable(i.data().toString()));
            QCOMPARE(*selection.current(), ref.value<BlockRef>());
            ++checked;
        }
        QVERIFY(checked > 0);
    }

    void severityFilterHidesFindings() {
        auto source = std::make_shared<MemoryBlockSource>(damagedDemo(), false);
        auto report = std::make_shared<const CheckReport>(ThinChecker(source).run());
        IssuesView view;
        view.setCheckReport(report);
        QCOMPARE(view.visibleRows(), int(report->findings().size()));
        view.setSeverityShown(Severity::Fatal, false);
        QCOMPARE(std::uint64_t(view.visibleRows()),
                 report->findings().size() - report->count(Severity::Fatal));
        for (int r = 0; r < view.visibleRows(); ++r)
            QVERIFY(view.table()->model()->index(r, 0).data(SeverityRole).toInt() !=
                    int(Severity::Fatal));
        view.setSeverityShown(Severity::Fatal, true);
        QCOMPARE(view.visibleRows(), int(report->findings().size()));
    }

    void blockInfoFollowsTheSelectionAndItsReferrersNavigate() {
        auto doc = demo();
        auto classified = BlockClassifier(doc->metadata()).classify();
        QVERIFY(classified.ok());
        auto map = std::make_shared<const BlockMap>(std::move(*classified));
        BlockSelection selection;
        BlockInfoView view;
        view.setDocument(doc);
        view.setSelection(&selection);
        view.setBlockMap(map);
        QSignalSpy finished(&view, &BlockInfoView::searchFinished);
        // A bottom-level leaf: its referrer is an internal node or the top-level leaf.
        std::uint64_t leaf = 0;
        for (std::uint64_t b = 1; b < map->size() && !leaf; ++b)
            if (map->role(b) == BlockRole::MappingBottomLeaf) leaf = b;
        QVERIFY(leaf != 0);
        selection.select(BlockRef::metadata(leaf));
        QVERIFY(finished.wait(10000));
        BlockInfoModel* model = view.infoModel();
        auto expected = ReferrerSearch(doc->metadata()).find(leaf);
        QVERIFY(expected.ok() && !expected->empty());
        QVERIFY(model->referrers().has_value());
        QCOMPARE(model->referrers()->size(), expected->size());
        render(view, QStringLiteral("block-info-view"));
        const int row = model->rowOf(QStringLiteral("referrer.0"));
        QVERIFY(row >= 0);
        doubleClick(view.table(), model->index(row, BlockInfoModel::ValueColumn));
        QCOMPARE(*selection.current(), BlockRef::metadata(expected->front().parent));
        QVERIFY(finished.wait(10000));
        QCOMPARE(model->block(), BlockRef::metadata(expected->front().parent));
    }

    void blockInfoShowsDamageAndDataBlockUsers() {
        test::Corruptor c(test::fixtureBytes(kDemoFixture));
        const std::uint64_t leaf = c.layout().bottomLeaf;
        c.flipBit(leaf, 900, 2);
        auto doc = documentFromBytes(c.bytes());
        BlockSelection selection;
        BlockInfoView view;
        view.setDocument(doc);
        view.setSelection(&selection);
        QSignalSpy finished(&view, &BlockInfoView::searchFinished);
        selection.select(BlockRef::metadata(leaf));
        QVERIFY(finished.wait(10000));
        BlockInfoModel* model = view.infoModel();
        const int checksum = model->rowOf(QStringLiteral("checksum"));
        QVERIFY(checksum >= 0);
        QVERIFY2(model->index(checksum, 1).data(SeverityRole).isValid(),
                 qPrintable(model->index(checksum, 1).data().toString()));
        QVERIFY(model->referrers().has_value() && !model->referrers()->empty());
        render(view, QStringLiteral("block-info-view-damaged"));

        // A data block mapped by the first device.
        auto devices = doc->metadata().devices(doc->superblock());
        QVERIFY(devices.ok());
        std::optional<std::uint64_t> data;
        QVERIFY(doc->metadata()
                    .forEachMapping(devices->front().mappingRoot,
                                    [&](std::uint64_t, BlockTime bt) {
                                        if (!data) data = bt.dataBlock;
                                    })
                    .ok());
        QVERIFY(data.has_value());
        selection.select(BlockRef::data(*data));
        QVERIFY(finished.wait(10000));
        // thin_rmap's walk stops at the broken leaf: the row says so.
        const int users = model->rowOf(QStringLiteral("users"));
        QVERIFY(users >= 0);
        QVERIFY2(model->index(users, 1).data().toString().contains(QString::number(leaf)),
                 qPrintable(model->index(users, 1).data().toString()));
        render(view, QStringLiteral("block-info-view-data-damaged"));

        // A new document comes with a cleared selection, as the main window does.
        auto clean = demo();
        view.setDocument(clean);
        selection.clear();
        selection.select(BlockRef::data(*data));
        QVERIFY(finished.wait(10000));
        QVERIFY(model->rowOf(QStringLiteral("user.0")) >= 0);
        render(view, QStringLiteral("block-info-view-data"));

        // Two lookups in a row (the first one still running): the second one's answer shows.
        selection.select(BlockRef::data(*data + 1));
        selection.select(BlockRef::data(*data));
        QVERIFY(finished.wait(10000));
        QCOMPARE(model->block(), BlockRef::data(*data));
        const int user = model->rowOf(QStringLiteral("user.0"));
        QVERIFY(user >= 0);
        auto expected = findDataBlockUsers(clean->metadata(), *data);
        QVERIFY(expected.ok() && !expected->empty());
        QCOMPARE(model->index(user, 0).data().toString().trimmed(),
                 QStringLiteral("thin device %1").arg(expected->front().thinDev));
    }

    // The views use the palette's colours; the error colour stays readable on a dark one.
    void viewsRenderWithADarkPalette() {
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
        const QPalette old = QApplication::palette();
        QApplication::setPalette(dark);
        SpaceMapBrowser view;
        view.setDocument(documentFromBytes(damagedDemo()));
        view.setKind(SpaceMapKind::Data);
        view.resize(900, 420);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.bitmapTree()->expandAll();
        QTRY_VERIFY(view.spaceMapModel()->rowCount(view.spaceMapModel()->index(0, 0)) > 0);
        render(view, QStringLiteral("spacemap-browser-dark"));
        QApplication::setPalette(old);
    }

    void pickingADeviceSelectsItsMappingRoot() {
        auto doc = demo();
        DeviceListModel model;
        auto devices = doc->metadata().devices(doc->superblock());
        QVERIFY(devices.ok() && devices->size() > 1);
        model.setDevices(*devices, doc->superblock().dataBlockSize);
        BlockSelection selection;
        DeviceListView view;
        view.setDeviceModel(&model);
        view.setSelection(&selection);
        render(view, QStringLiteral("devices-view-pending"));
        auto usage = computeThinUsage(doc->metadata(), doc->superblock(), true);
        QVERIFY(usage.ok());
        model.setUsage(*usage);
        render(view, QStringLiteral("devices-view"));
        const QModelIndex second = view.model()->index(1, 0);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.visualRect(second).center());
        QCOMPARE(*selection.current(), second.data(BlockRefRole).value<BlockRef>());
        // Selecting another device's root elsewhere moves the current row.
        const QModelIndex third = view.model()->index(2, 0);
        selection.select(third.data(BlockRefRole).value<BlockRef>());
        QCOMPARE(view.currentIndex().row(), 2);
    }

    void spaceMapBrowserSelectsAndFollowsBlocks() {
        auto doc = demo();
        BlockSelection selection;
        SpaceMapBrowser view;
        view.setDocument(doc);
        view.setSelection(&selection);
        QTreeView* tree = view.bitmapTree();
        view.resize(900, 420);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QModelIndex first = tree->model()->index(0, 0);
        tree->expand(first);
        QTRY_VERIFY(tree->model()->rowCount(first) > 0);
        render(view, QStringLiteral("spacemap-browser-metadata"));
        const QModelIndex run = tree->model()->index(0, 0, first);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(run).center());
        QCOMPARE(*selection.current(), run.data(BlockRefRole).value<BlockRef>());
        // The arrow keys move the selection too.
        QTest::keyClick(tree->viewport(), Qt::Key_Down);
        QCOMPARE(*selection.current(),
                 tree->model()->index(1, 0, first).data(BlockRefRole).value<BlockRef>());

        view.setKind(SpaceMapKind::Data);
        QCOMPARE(view.spaceMapModel()->kind(), SpaceMapKind::Data);
        tree->expand(tree->model()->index(0, 0));
        view.refCountTree()->expandAll();
        QTRY_VERIFY(tree->model()->rowCount(tree->model()->index(0, 0)) > 0);
        // The bitmap is expanded: the run holding the block becomes current.
        selection.select(BlockRef::data(5));
        const QModelIndex current = tree->currentIndex();
        QVERIFY(current.parent().isValid());
        const quint64 begin =
            current.siblingAtColumn(SpaceMapModel::BlockColumn).data(RawValueRole).toULongLong();
        QVERIFY2(begin <= 5 && 5 < begin + current.data(RawValueRole).toULongLong(),
                 qPrintable(current.data().toString()));
        tree->collapse(current.parent());
        selection.select(BlockRef::data(7));
        QVERIFY(!tree->currentIndex().parent().isValid());
        render(view, QStringLiteral("spacemap-browser-data"));
        auto* tabs = view.findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentWidget(view.refCountTree());
        QVERIFY(view.refCountModel()->rowCount(view.refCountModel()->index(0, 0)) > 0);
        render(view, QStringLiteral("spacemap-browser-refcounts"));
        tabs->setCurrentWidget(tree);

        // A damaged bitmap: the browser stays up and shows the error.
        auto damaged = documentFromBytes(damagedDemo());
        view.setDocument(damaged);
        tree->expandAll();
        QTRY_VERIFY(tree->model()->rowCount(tree->model()->index(0, 0)) > 0);
        QVERIFY(tree->model()->index(0, 0).data(SeverityRole).isValid());
        render(view, QStringLiteral("spacemap-browser-damaged"));
        view.setDocument(nullptr);
        QCOMPARE(tree->model()->rowCount(), 0);
    }
};

QTEST_MAIN(TestGuiModelViews)
#include "tst_guimodelviews.moc"
