// The btree browser: thin_explore's hjkl keys (and the arrows) move as they do there, picking a
// row selects its node's block in the window's selection, and a block selected elsewhere becomes
// the current row when its node is already fetched (or is the root of an offered tree), without
// fetching anything.

#include "models/BlockSelection.h"
#include "models/BtreeModel.h"
#include "models/ThinPoolDocument.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"
#include "tests/support/Require.h"
#include "views/btree/BtreeBrowser.h"
#include "views/btree/BtreeTreeView.h"
#include "views/inspector/BlockInspector.h"
#include "views/inspector/HexView.h"

#include <QDir>
#include <QTest>

using namespace dms;

namespace {

QModelIndex current(const BtreeBrowser& b) {
    return b.treeView()->currentIndex().siblingAtColumn(0);
}

BtreeRoot treeOf(const BtreeBrowser& b, BtreeKind kind) {
    for (const BtreeRoot& r : b.trees())
        if (r.kind == kind) return r;
    return {};
}

} // namespace

class TestBtreeBrowser : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        auto doc = ThinPoolDocument::openDemo();
        REQUIRE_OK(doc);
        doc_ = *doc;
    }

    void offersEveryTreeOfTheSuperblock() {
        BtreeBrowser b;
        b.setDocument(doc_);
        const ThinSuperblock& sb = doc_->superblock();
        QCOMPARE(b.trees().size(), std::size_t(5));
        QCOMPARE(b.currentTree().kind, BtreeKind::Details);
        QCOMPARE(treeOf(b, BtreeKind::MappingTop).block, sb.dataMappingRoot);
        QCOMPARE(treeOf(b, BtreeKind::MetadataRefCount).block, sb.metadataSpaceMap.refCountRoot);
        QCOMPARE(treeOf(b, BtreeKind::DataRefCount).block, sb.dataSpaceMap.refCountRoot);
        QCOMPARE(treeOf(b, BtreeKind::DataSpaceMapIndex).block, sb.dataSpaceMap.bitmapRoot);
        QVERIFY2(
            b.summaryText().contains(QStringLiteral("root block %1").arg(sb.deviceDetailsRoot)),
            qPrintable(b.summaryText()));
        b.setDocument(nullptr);
        QCOMPARE(b.model()->rowCount(), 0);
    }

    void hjklAndArrowsMoveLikeThinExplore() {
        for (const bool vi : {true, false}) {
            BtreeBrowser b;
            b.resize(700, 500);
            b.setDocument(doc_);
            b.show();
            QVERIFY(QTest::qWaitForWindowExposed(&b));
            b.showTree(treeOf(b, BtreeKind::MappingTop));
            BtreeTreeView* v = b.treeView();
            auto press = [&](char key, Qt::Key arrow) {
                if (vi)
                    QTest::keyClick(v, key);
                else
                    QTest::keyClick(v, arrow);
            };
            const QModelIndex root = b.model()->index(0, 0);
            QCOMPARE(current(b), root);
            QVERIFY(v->isExpanded(root));
            const QModelIndex first = b.model()->index(0, 0, root);
            QVERIFY(first.isValid());
            press('j', Qt::Key_Down);
            QCOMPARE(current(b), first);
            press('k', Qt::Key_Up);
            QCOMPARE(current(b), root);
            press('l', Qt::Key_Right); // expanded: to the first child
            QCOMPARE(current(b), first);
            QVERIFY(!v->isExpanded(first));
            press('l', Qt::Key_Right); // collapsed: expands (and fetches) in place
            QCOMPARE(current(b), first);
            QVERIFY(v->isExpanded(first));
            QVERIFY(b.model()->rowCount(first) > 0);
            press('l', Qt::Key_Right);
            QCOMPARE(current(b), b.model()->index(0, 0, first));
            press('h', Qt::Key_Left); // not expanded: to the parent
            QCOMPARE(current(b), first);
            press('h', Qt::Key_Left); // expanded: collapses in place
            QCOMPARE(current(b), first);
            QVERIFY(!v->isExpanded(first));
            press('j', Qt::Key_Down); // next visible row: the root's second child, if any
            QCOMPARE(current(b),
                     b.model()->rowCount(root) > 1 ? b.model()->index(1, 0, root) : first);
            press('h', Qt::Key_Left);
            QCOMPARE(current(b), root);
        }
    }

    void pickingARowSelectsItsNodeBlock() {
        BlockSelection sel;
        BtreeBrowser b;
        b.setDocument(doc_);
        b.setSelection(&sel);
        b.show();
        QVERIFY(QTest::qWaitForWindowExposed(&b));
        b.showTree(treeOf(b, BtreeKind::MappingTop));
        QTest::keyClick(b.treeView(), 'j');
        QVERIFY(sel.current().has_value());
        QCOMPARE(*sel.current(), current(b).data(BtreeModel::BlockRefRole).value<BlockRef>());
        QTest::keyClick(b.treeView(), 'k');
        QCOMPARE(*sel.current(), BlockRef::metadata(doc_->superblock().dataMappingRoot));
    }

    void followsBlocksSelectedElsewhereWithoutFetching() {
        BlockSelection sel;
        BtreeBrowser b;
        b.setDocument(doc_);
        b.setSelection(&sel);
        b.show();
        QVERIFY(QTest::qWaitForWindowExposed(&b));
        b.showTree(treeOf(b, BtreeKind::MappingTop));
        // Fetch one device's tree, then go back to the root.
        const QModelIndex root = b.model()->index(0, 0);
        QTest::keyClick(b.treeView(), 'l');
        QTest::keyClick(b.treeView(), 'l');
        QTest::keyClick(b.treeView(), 'l');
        const QModelIndex bottomRoot = current(b);
        const quint64 bottom = bottomRoot.data(BtreeModel::NodeBlockRole).value<quint64>();
        QCOMPARE(bottomRoot.data(BtreeModel::RowKindRole).toInt(), int(BtreeModel::NodeRow));
        QTest::keyClick(b.treeView(), 'g');
        QCOMPARE(current(b), root);

        const QObject other;
        sel.select(BlockRef::metadata(bottom), &other);
        QCOMPARE(current(b), bottomRoot);

        // A block no fetched row holds: nothing moves, nothing is read.
        const int rows = b.model()->rowCount(root);
        sel.select(BlockRef::metadata(doc_->deviceBlocks() - 1), &other);
        QCOMPARE(current(b), bottomRoot);
        QCOMPARE(b.model()->rowCount(root), rows);

        // The root of another tree: the browser switches to it.
        sel.select(BlockRef::metadata(doc_->superblock().deviceDetailsRoot), &other);
        QCOMPARE(b.currentTree().kind, BtreeKind::Details);
        QCOMPARE(current(b), b.model()->index(0, 0));
    }

    void anEntryPointsTheInspectorAtItsKey() {
        BlockSelection sel;
        BtreeBrowser b;
        BlockInspector inspector;
        b.setDocument(doc_);
        inspector.setDocument(doc_);
        b.setSelection(&sel);
        inspector.setSelection(&sel);
        connect(&b, &BtreeBrowser::entrySelected, &inspector, &BlockInspector::showSlot);
        b.show();
        QVERIFY(QTest::qWaitForWindowExposed(&b));
        b.showTree(treeOf(b, BtreeKind::Details));
        QTest::keyClick(b.treeView(), 'j'); // the details leaf's first entry
        QTest::keyClick(b.treeView(), 'j'); // its second
        const QModelIndex entry = current(b);
        QCOMPARE(entry.data(BtreeModel::RowKindRole).toInt(), int(BtreeModel::EntryRow));
        const quint64 leaf = entry.data(BtreeModel::NodeBlockRole).value<quint64>();
        QCOMPARE(inspector.currentBlock(), std::optional<std::uint64_t>(leaf));
        const int field = inspector.hexView()->highlightedField();
        QVERIFY(field >= 0);
        const BlockField& f = inspector.layout().fields()[std::size_t(field)];
        QCOMPARE(f.group, std::string("key[1]"));
        QCOMPARE(f.offset, 32u + 8u);
    }

    void showsADeviceTreeByItsId() {
        BtreeBrowser b;
        b.setDocument(doc_);
        auto devices = doc_->metadata().devices(doc_->superblock());
        REQUIRE_OK(devices);
        const ThinDevice& d = devices->back();
        QVERIFY(b.showDeviceTree(d.id));
        QCOMPARE(b.currentTree().kind, BtreeKind::MappingBottom);
        QCOMPARE(b.currentTree().block, d.mappingRoot);
        QVERIFY(!b.showDeviceTree(0xFFFFFF));
    }

    void aBrokenNodeIsARowWithItsErrorAndItsSiblingsStay() {
        const auto bytes = test::fixtureBytes(QStringLiteral("tools/thin_large.bin.zst"));
        test::Corruptor c(bytes);
        const test::ImageLayout l = c.layout();
        QVERIFY(l.bottomInternal && l.bottomLeaf);
        c.flipBit(l.bottomLeaf, 300, 1);
        auto doc = ThinPoolDocument::openSource(
            std::make_shared<MemoryBlockSource>(c.bytes(), false, "bad"), QStringLiteral("bad"),
            false);
        REQUIRE_OK(doc);
        BtreeBrowser b;
        b.resize(900, 360);
        b.setDocument(*doc);
        b.show();
        QVERIFY(QTest::qWaitForWindowExposed(&b));
        auto devices = (*doc)->metadata().devices((*doc)->superblock());
        REQUIRE_OK(devices);
        std::uint64_t dev = 0;
        for (const ThinDevice& d : *devices)
            if (d.mappingRoot == l.bottomInternal) dev = d.id;
        QVERIFY(b.showDeviceTree(dev));
        const QModelIndex root = b.model()->index(0, 0);
        QVERIFY(b.model()->rowCount(root) > 1);
        const QModelIndex broken = b.model()->index(0, 0, root); // the leaf was child 0
        QCOMPARE(broken.data(BtreeModel::NodeBlockRole).value<quint64>(), quint64(l.bottomLeaf));
        const QString shown = b.model()->index(0, BtreeModel::ValueColumn, root).data().toString();
        QVERIFY2(shown.contains(QStringLiteral("block %1").arg(l.bottomLeaf)) &&
                     shown.contains(QStringLiteral("checksum")),
                 qPrintable(shown));
        QVERIFY(!b.model()->hasChildren(broken));
        // Its sibling still opens.
        const QModelIndex sibling = b.model()->index(1, 0, root);
        b.treeView()->setCurrentIndex(sibling);
        QTest::keyClick(b.treeView(), 'l');
        QVERIFY(b.model()->rowCount(sibling) > 0);
        if (const QString dir = qEnvironmentVariable("DMSCOPE_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(
                b.grab().toImage().save(QDir(dir).filePath(QStringLiteral("btree-broken.png"))));
    }

    void rendersOnTheDemoPool() {
        BtreeBrowser b;
        b.resize(760, 520);
        b.setDocument(doc_);
        b.show();
        QVERIFY(QTest::qWaitForWindowExposed(&b));
        b.showTree(treeOf(b, BtreeKind::MappingTop));
        for (char k : {'j', 'l', 'l', 'l', 'l', 'j', 'j'})
            QTest::keyClick(b.treeView(), k);
        const QImage img = b.grab().toImage();
        QVERIFY(!img.isNull());
        if (const QString dir = qEnvironmentVariable("DMSCOPE_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(img.save(QDir(dir).filePath(QStringLiteral("btree-browser.png"))));
    }

private:
    std::shared_ptr<ThinPoolDocument> doc_;
};

QTEST_MAIN(TestBtreeBrowser)
#include "tst_btreebrowser.moc"
