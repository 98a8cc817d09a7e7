// SpaceMapModel and RefCountTreeModel: they pass QAbstractItemModelTester on the demo pool and
// every fixture, for both space maps, fully expanded; every block's count shown equals what the
// core's SpaceMapReader resolves; the refcount tree's entries are the core's; and a corrupt
// bitmap, refcount node or index is shown as an error row while the rest stays browsable.

#include "core/spacemap/BitmapBlock.h"
#include "models/BlockRef.h"
#include "models/ModelRoles.h"
#include "models/RefCountTreeModel.h"
#include "models/SpaceMapModel.h"
#include "tests/models/ModelFixtures.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"
#include "tests/support/Require.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace dms;

namespace {

// Each tester is attached after the model was filled: Qt 6.4's tester runs its checks, which
// fetch lazy rows, from inside modelReset before it has marked the reset finished, and then
// reports those insertions as overlapping the reset.
constexpr auto kTesterMode = QAbstractItemModelTester::FailureReportingMode::QtTest;
const char* const kDemoFixture = "kernel/pool-b/metadata-msnap.img.zst";

const SpaceMapRoot& rootOf(const ThinPoolDocument& doc, SpaceMapKind kind) {
    const ThinSuperblock& sb = doc.metadata().superblock();
    return kind == SpaceMapKind::Metadata ? sb.metadataSpaceMap : sb.dataSpaceMap;
}

QString where(const QString& name, SpaceMapKind kind) {
    return name + QStringLiteral(" (") + QString::fromLatin1(spaceMapKindName(kind)) +
           QStringLiteral(")");
}

// Every run row of a fully fetched model, checked against the core's counts block by block.
void compareRunsWithCore(SpaceMapModel& model, const ThinPoolDocument& doc, SpaceMapKind kind,
                         const QString& name) {
    auto sm = SpaceMapReader::open(doc.metadata().reader(), rootOf(doc, kind), kind);
    REQUIRE_OK(sm);
    std::vector<std::uint32_t> counts;
    REQUIRE_OK(sm->forEachCount([&](std::uint64_t, std::uint32_t c) { counts.push_back(c); }));
    QCOMPARE(model.rowCount(), int(sm->indexEntries().size()));
    std::uint64_t next = 0;
    for (int i = 0; i < model.rowCount(); ++i) {
        const QModelIndex entry = model.index(i, 0);
        QCOMPARE(entry.siblingAtColumn(SpaceMapModel::BlockColumn).data(RawValueRole).toULongLong(),
                 quint64(sm->indexEntries()[std::size_t(i)].blocknr));
        QCOMPARE(entry.siblingAtColumn(SpaceMapModel::StatusColumn).data().toString(),
                 QStringLiteral("ok"));
        for (int r = 0; r < model.rowCount(entry); ++r) {
            const QModelIndex run = model.index(r, 0, entry);
            const quint64 begin =
                run.siblingAtColumn(SpaceMapModel::BlockColumn).data(RawValueRole).toULongLong();
            const quint64 length = run.data(RawValueRole).toULongLong();
            const quint64 count =
                run.siblingAtColumn(SpaceMapModel::CountColumn).data(RawValueRole).toULongLong();
            QVERIFY2(
                begin == next,
                qPrintable(where(name, kind) +
                           QStringLiteral(": run at block %1, expected %2").arg(begin).arg(next)));
            for (quint64 b = begin; b < begin + length; ++b)
                QVERIFY2(counts[b] == count,
                         qPrintable(where(name, kind) +
                                    QStringLiteral(": block %1 shown with count %2, the space map "
                                                   "holds %3")
                                        .arg(b)
                                        .arg(count)
                                        .arg(counts[b])));
            const BlockRef ref = run.data(BlockRefRole).value<BlockRef>();
            QCOMPARE(ref.block, std::uint64_t(begin));
            QCOMPARE(ref.isMetadata(), kind == SpaceMapKind::Metadata);
            next = begin + length;
        }
    }
    QCOMPARE(next, quint64(sm->nrBlocks()));
}

std::vector<std::pair<std::uint64_t, std::uint32_t>> refTreeEntries(RefCountTreeModel& model,
                                                                    const QModelIndex& parent) {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> out;
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        if (model.hasChildren(i)) {
            auto sub = refTreeEntries(model, i);
            out.insert(out.end(), sub.begin(), sub.end());
            continue;
        }
        const QVariant count = i.siblingAtColumn(RefCountTreeModel::CountColumn).data(RawValueRole);
        if (!count.isValid()) continue;
        out.emplace_back(
            i.siblingAtColumn(RefCountTreeModel::BlockColumn).data(RawValueRole).toULongLong(),
            count.toUInt());
    }
    return out;
}

// Rows whose SeverityRole is set, anywhere in the fetched tree.
int errorRows(QAbstractItemModel& model, const QModelIndex& parent = {}) {
    int n = 0;
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        n += i.data(SeverityRole).isValid();
        n += errorRows(model, i);
    }
    return n;
}

} // namespace

class TestSpaceMapModel : public QObject {
    Q_OBJECT
private slots:
    void bothSpaceMapsOfEveryImageShowTheCoresCounts() {
        for (auto& [name, doc] : test::allDocuments()) {
            for (SpaceMapKind kind : {SpaceMapKind::Metadata, SpaceMapKind::Data}) {
                SpaceMapModel model;
                model.setSpaceMap(doc, kind);
                QAbstractItemModelTester tester(&model, kTesterMode);
                QVERIFY2(!model.openError(), qPrintable(where(name, kind)));
                test::fetchAll(model);
                compareRunsWithCore(model, *doc, kind, name);
                QCOMPARE(errorRows(model), 0);
            }
        }
    }

    void refCountTreeOfEveryImageHoldsTheCoresEntries() {
        for (auto& [name, doc] : test::allDocuments()) {
            for (SpaceMapKind kind : {SpaceMapKind::Metadata, SpaceMapKind::Data}) {
                RefCountTreeModel model;
                model.setSpaceMap(doc, kind);
                QAbstractItemModelTester tester(&model, kTesterMode);
                QCOMPARE(model.rowCount(), 1);
                test::fetchAll(model);
                auto sm = SpaceMapReader::open(doc->metadata().reader(), rootOf(*doc, kind), kind);
                REQUIRE_OK(sm);
                auto core = sm->refCountEntries();
                REQUIRE_OK(core);
                QVERIFY2(refTreeEntries(model, {}) == *core, qPrintable(where(name, kind)));
                QCOMPARE(errorRows(model), 0);
            }
        }
    }

    // Nothing is read before a row is expanded, and a bitmap's runs arrive a page at a time.
    void bitmapRunsArriveInPages() {
        auto doc = test::documentFromBytes(test::fixtureBytes(kDemoFixture), "demo");
        SpaceMapModel model;
        model.setSpaceMap(doc, SpaceMapKind::Metadata);
        const QModelIndex first = model.index(0, 0);
        QVERIFY(model.hasChildren(first));
        QCOMPARE(model.rowCount(first), 0);
        QVERIFY(model.canFetchMore(first));
        model.fetchMore(first);
        QVERIFY(model.rowCount(first) > 0);
        QVERIFY(model.rowCount(first) <= SpaceMapModel::kRunsPerFetch);
    }

    // runFor() finds the run of any block, loading only what it needs.
    void runForFindsTheRunOfEveryBlock() {
        auto doc = test::documentFromBytes(
            test::fixtureBytes(QStringLiteral("tools/thin_large.bin.zst")), "thin_large");
        for (SpaceMapKind kind : {SpaceMapKind::Metadata, SpaceMapKind::Data}) {
            SpaceMapModel model;
            model.setSpaceMap(doc, kind);
            QAbstractItemModelTester tester(&model, kTesterMode);
            for (std::uint64_t b = model.nrBlocks(); b-- > 0;) {
                const QModelIndex run = model.runFor(b);
                QVERIFY(run.parent().isValid());
                const quint64 begin = run.siblingAtColumn(SpaceMapModel::BlockColumn)
                                          .data(RawValueRole)
                                          .toULongLong();
                const quint64 length = run.data(RawValueRole).toULongLong();
                QVERIFY2(begin <= b && b < begin + length,
                         qPrintable(where(QStringLiteral("thin_large"), kind) +
                                    QStringLiteral(": block %1 is not in %2")
                                        .arg(b)
                                        .arg(run.data().toString())));
            }
            QVERIFY(!model.runFor(model.nrBlocks()).isValid());
        }
    }

    void corruptBitmapIsAnErrorRowAndTheOthersStayBrowsable() {
        // thin_large's data space map has three bitmaps.
        test::Corruptor c(test::fixtureBytes(QStringLiteral("tools/thin_large.bin.zst")));
        const std::uint64_t bitmap = c.layout().dataBitmap;
        c.flipBit(bitmap, 100, 3); // checksum no longer matches
        auto doc = test::documentFromBytes(c.bytes(), "corrupt data bitmap");
        SpaceMapModel model;
        model.setSpaceMap(doc, SpaceMapKind::Data);
        QAbstractItemModelTester tester(&model, kTesterMode);
        QVERIFY(!model.openError());
        QVERIFY(model.rowCount() >= 2);
        test::fetchAll(model);
        int broken = 0;
        for (int i = 0; i < model.rowCount(); ++i) {
            const QModelIndex entry = model.index(i, 0);
            const bool isBad =
                entry.siblingAtColumn(SpaceMapModel::BlockColumn).data(RawValueRole) ==
                QVariant(quint64(bitmap));
            if (!isBad) {
                QVERIFY(model.rowCount(entry) >= 1);
                QVERIFY(!model.index(0, 0, entry).data(SeverityRole).isValid());
                continue;
            }
            ++broken;
            QVERIFY(entry.data(SeverityRole).isValid());
            const QString status =
                entry.siblingAtColumn(SpaceMapModel::StatusColumn).data().toString();
            QVERIFY2(status.contains(QString::number(bitmap)) && status.contains("checksum"),
                     qPrintable(status));
            QCOMPARE(model.rowCount(entry), 1);
            QVERIFY(model.index(0, 0, entry).data(SeverityRole).isValid());
        }
        QCOMPARE(broken, 1);
    }

    void corruptRefCountNodeIsAnErrorRowAndCountsOfThreeAreUnknown() {
        test::Corruptor c(test::fixtureBytes(kDemoFixture));
        const std::uint64_t root = c.layout().dataRefRoot;
        c.flipBit(root, 200, 1);
        auto doc = test::documentFromBytes(c.bytes(), "corrupt data refcount root");
        RefCountTreeModel tree;
        tree.setSpaceMap(doc, SpaceMapKind::Data);
        QAbstractItemModelTester treeTester(&tree, kTesterMode);
        test::fetchAll(tree);
        QCOMPARE(tree.rowCount(tree.index(0, 0)), 1);
        const QString err =
            tree.index(0, RefCountTreeModel::StatusColumn, tree.index(0, 0)).data().toString();
        QVERIFY2(err.contains(QString::number(root)), qPrintable(err));

        // The demo pool has data blocks shared by three devices and more: their counts are
        // unknown now, the other runs keep theirs.
        SpaceMapModel model;
        model.setSpaceMap(doc, SpaceMapKind::Data);
        QAbstractItemModelTester tester(&model, kTesterMode);
        test::fetchAll(model);
        int unknown = 0, known = 0;
        for (int i = 0; i < model.rowCount(); ++i)
            for (int r = 0; r < model.rowCount(model.index(i, 0)); ++r) {
                const QModelIndex run = model.index(r, 0, model.index(i, 0));
                const bool three =
                    run.siblingAtColumn(SpaceMapModel::ValueColumn).data(RawValueRole).toUInt() ==
                    3;
                const bool bad = run.data(SeverityRole).isValid();
                QCOMPARE(bad, three);
                (bad ? unknown : known) += 1;
            }
        QVERIFY2(unknown > 0, "the demo pool has no data block with count >= 3");
        QVERIFY(known > 0);
    }

    void unreadableIndexIsOneErrorRow() {
        test::Corruptor c(test::fixtureBytes(kDemoFixture));
        const std::uint64_t index = c.layout().metadataIndex;
        c.flipBit(index, 40, 0);
        auto doc = test::documentFromBytes(c.bytes(), "corrupt metadata index");
        SpaceMapModel model;
        model.setSpaceMap(doc, SpaceMapKind::Metadata);
        QAbstractItemModelTester tester(&model, kTesterMode);
        QVERIFY(model.openError().has_value());
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(!model.hasChildren(model.index(0, 0)));
        const QString status = model.index(0, SpaceMapModel::StatusColumn).data().toString();
        QVERIFY2(status.contains(QString::number(index)), qPrintable(status));
        // The data space map is untouched and still browsable.
        SpaceMapModel data;
        data.setSpaceMap(doc, SpaceMapKind::Data);
        QAbstractItemModelTester dataTester(&data, kTesterMode);
        QVERIFY(!data.openError());
        QVERIFY(test::fetchAll(data) > data.rowCount());
    }

    void clearingEmptiesTheModels() {
        auto doc = test::documentFromBytes(test::fixtureBytes(kDemoFixture), "demo");
        SpaceMapModel model;
        RefCountTreeModel tree;
        model.setSpaceMap(doc, SpaceMapKind::Data);
        tree.setSpaceMap(doc, SpaceMapKind::Data);
        model.clear();
        tree.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(tree.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSpaceMapModel)
#include "tst_spacemapmodel.moc"
