// BlockInfoModel: for every block of the demo pool and the fixtures it passes
// QAbstractItemModelTester and agrees with the block classifier (role, owner, references) and
// the space map (count); the header type, checksum and self number checks see damage; referrer
// rows select the parents ReferrerSearch found. DeviceListModel's exclusive/shared columns.

#include "core/thin/BlockClassifier.h"
#include "core/thin/ReferrerSearch.h"
#include "core/thin/ThinUsage.h"
#include "models/BlockInfoModel.h"
#include "models/DeviceListModel.h"
#include "models/ModelRoles.h"
#include "tests/models/ModelFixtures.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"
#include "tests/support/Require.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace dms;

namespace {

constexpr auto kTesterMode = QAbstractItemModelTester::FailureReportingMode::QtTest;
const char* const kDemoFixture = "kernel/pool-b/metadata-msnap.img.zst";

QString value(const BlockInfoModel& m, const char* key) {
    const int row = m.rowOf(QLatin1String(key));
    return row < 0 ? QString() : m.index(row, BlockInfoModel::ValueColumn).data().toString();
}

bool problem(const BlockInfoModel& m, const char* key) {
    const int row = m.rowOf(QLatin1String(key));
    return row >= 0 && m.index(row, BlockInfoModel::ValueColumn).data(SeverityRole).isValid();
}

} // namespace

class TestBlockInfoModel : public QObject {
    Q_OBJECT
private slots:
    void everyBlockAgreesWithTheClassifier() {
        for (auto& [name, doc] : test::allDocuments()) {
            auto map = BlockClassifier(doc->metadata()).classify();
            REQUIRE_OK(map);
            auto shared = std::make_shared<const BlockMap>(std::move(*map));
            BlockInfoModel model;
            QAbstractItemModelTester tester(&model, kTesterMode);
            model.setDocument(doc);
            model.setBlockMap(shared);
            auto sm = SpaceMapReader::open(doc->metadata().reader(),
                                           doc->metadata().superblock().metadataSpaceMap,
                                           SpaceMapKind::Metadata);
            REQUIRE_OK(sm);
            for (std::uint64_t b = 0; b < shared->size(); ++b) {
                model.setBlock(BlockRef::metadata(b));
                const QString what = name + QStringLiteral(" block %1").arg(b);
                const BlockRole role = shared->role(b);
                QVERIFY2(value(model, "role").startsWith(QLatin1String(blockRoleName(role))),
                         qPrintable(what + ": " + value(model, "role")));
                const int refs = model.rowOf(QStringLiteral("references"));
                QCOMPARE(model.index(refs, 1).data(RawValueRole).toUInt(), shared->references(b));
                if (b < sm->nrBlocks()) {
                    auto count = sm->count(b);
                    REQUIRE_OK(count);
                    QVERIFY2(value(model, "count") == QString::number(*count), qPrintable(what));
                }
                const bool used = role != BlockRole::Free && role != BlockRole::BeyondSpaceMap &&
                                  role != BlockRole::Leaked && role != BlockRole::UnknownCount;
                if (used && role != BlockRole::Unreadable) {
                    QVERIFY2(!problem(model, "checksum"),
                             qPrintable(what + ": " + value(model, "checksum")));
                    QVERIFY2(value(model, "blocknr").endsWith(QLatin1String(": ok")),
                             qPrintable(what));
                }
                if (role == BlockRole::MappingBottomLeaf)
                    QVERIFY2(value(model, "type").contains(QLatin1String("leaf")),
                             qPrintable(what));
            }
        }
    }

    void referrerRowsSelectTheParents() {
        auto doc = test::documentFromBytes(test::fixtureBytes(kDemoFixture), "demo");
        BlockInfoModel model;
        QAbstractItemModelTester tester(&model, kTesterMode);
        model.setDocument(doc);
        const std::uint64_t target = doc->metadata().superblock().deviceDetailsRoot;
        model.setBlock(BlockRef::metadata(target));
        QCOMPARE(value(model, "referrers"), QStringLiteral("not searched"));
        auto found = ReferrerSearch(doc->metadata()).find(target);
        REQUIRE_OK(found);
        QVERIFY(found->size() >= 1);
        model.setReferrers(target + 1, *found); // another block's: ignored
        QCOMPARE(value(model, "referrers"), QStringLiteral("not searched"));
        model.setReferrers(target, *found);
        QCOMPARE(value(model, "referrers"), QString::number(found->size()));
        for (std::size_t i = 0; i < found->size(); ++i) {
            const int row = model.rowOf(QStringLiteral("referrer.%1").arg(i));
            QVERIFY(row >= 0);
            QCOMPARE(model.index(row, 1).data(BlockRefRole).value<BlockRef>(),
                     BlockRef::metadata((*found)[i].parent));
        }
    }

    void damagedNodeShowsItsChecksumAndNumber() {
        test::Corruptor c(test::fixtureBytes(kDemoFixture));
        const test::ImageLayout l = c.layout();
        c.flipBit(l.bottomLeaf, 1000, 4);
        // A node copied to another place: valid checksum, wrong self number.
        c.swapBlocks(l.detailsRoot, c.blockCount() - 1);
        auto doc = test::documentFromBytes(c.bytes(), "damaged");
        BlockInfoModel model;
        QAbstractItemModelTester tester(&model, kTesterMode);
        model.setDocument(doc);
        model.setBlock(BlockRef::metadata(l.bottomLeaf));
        QVERIFY(value(model, "type").contains(QLatin1String("no block type")));
        QVERIFY2(problem(model, "checksum"), qPrintable(value(model, "checksum")));
        model.setBlock(BlockRef::metadata(c.blockCount() - 1));
        QVERIFY2(value(model, "type").startsWith(QLatin1String("btree node")),
                 qPrintable(value(model, "type")));
        QVERIFY2(problem(model, "blocknr"), qPrintable(value(model, "blocknr")));
        QVERIFY(value(model, "blocknr").contains(QString::number(l.detailsRoot)));
    }

    void dataBlockShowsItsCountAndUsers() {
        auto doc = test::documentFromBytes(test::fixtureBytes(kDemoFixture), "demo");
        BlockInfoModel model;
        QAbstractItemModelTester tester(&model, kTesterMode);
        model.setDocument(doc);
        auto devices = doc->metadata().devices(doc->metadata().superblock());
        REQUIRE_OK(devices);
        std::optional<std::pair<std::uint64_t, BlockTime>> first;
        REQUIRE_OK(doc->metadata().forEachMapping(devices->front().mappingRoot,
                                                  [&](std::uint64_t v, BlockTime bt) {
                                                      if (!first) first = std::make_pair(v, bt);
                                                  }));
        QVERIFY(first.has_value());
        const std::uint64_t data = first->second.dataBlock;
        model.setBlock(BlockRef::data(data));
        auto sm =
            SpaceMapReader::open(doc->metadata().reader(),
                                 doc->metadata().superblock().dataSpaceMap, SpaceMapKind::Data);
        REQUIRE_OK(sm);
        auto count = sm->count(data);
        REQUIRE_OK(count);
        QCOMPARE(value(model, "count"), QString::number(*count));
        auto users = findDataBlockUsers(doc->metadata(), data);
        REQUIRE_OK(users);
        model.setDataBlockUsers(data, *users);
        const int row = model.rowOf(QStringLiteral("user.0"));
        QVERIFY(row >= 0);
        QCOMPARE(model.index(row, 1).data(RawValueRole).toULongLong(), quint64(first->first));
    }

    void deviceUsageColumnsWaitForTheirFigures() {
        for (auto& [name, doc] : test::allDocuments()) {
            DeviceListModel model;
            QSortFilterProxyModel proxy;
            proxy.setSortRole(RawValueRole);
            proxy.setSourceModel(&model);
            QAbstractItemModelTester tester(&model, kTesterMode);
            QAbstractItemModelTester proxyTester(&proxy, kTesterMode);
            const ThinSuperblock& sb = doc->superblock();
            auto devices = doc->metadata().devices(sb);
            REQUIRE_OK(devices);
            model.setDevices(*devices, sb.dataBlockSize);
            if (devices->empty()) continue;
            QCOMPARE(model.index(0, DeviceListModel::ExclusiveColumn).data().toString(),
                     QStringLiteral("…"));
            QVERIFY(!model.index(0, DeviceListModel::SharedColumn).data(RawValueRole).isValid());
            auto usage = computeThinUsage(doc->metadata(), sb, true);
            REQUIRE_OK(usage);
            model.setUsage(*usage);
            for (const ThinDeviceUsage& u : *usage) {
                const int row = model.rowOfDevice(u.id);
                QVERIFY2(row >= 0, qPrintable(name));
                QCOMPARE(model.index(row, DeviceListModel::ExclusiveColumn)
                             .data(RawValueRole)
                             .toULongLong(),
                         quint64(u.exclusiveBlocks));
                QCOMPARE(model.index(row, DeviceListModel::SharedColumn)
                             .data(RawValueRole)
                             .toULongLong(),
                         quint64(u.sharedBlocks()));
                QCOMPARE(model.index(row, 0).data(BlockRefRole).value<BlockRef>(),
                         BlockRef::metadata((*devices)[std::size_t(row)].mappingRoot));
            }
            for (int c :
                 {int(DeviceListModel::ExclusiveColumn), int(DeviceListModel::SharedColumn)}) {
                proxy.sort(c, Qt::DescendingOrder);
                for (int r = 1; r < proxy.rowCount(); ++r)
                    QVERIFY(proxy.index(r - 1, c).data(RawValueRole).toULongLong() >=
                            proxy.index(r, c).data(RawValueRole).toULongLong());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestBlockInfoModel)
#include "tst_blockinfomodel.moc"
