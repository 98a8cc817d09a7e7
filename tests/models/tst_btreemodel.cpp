// BtreeModel: passes QAbstractItemModelTester on every tree of the demo pool and the fixtures;
// fully fetched, its leaf entries are exactly what the core walks (mappings per device as
// ThinMetadata::forEachMapping gives them, details, refcounts, index entries), runs expand to
// the entries they stand for, and a broken node is one row naming its block while the rest of
// the tree is still there.

#include "core/btree/BtreeWalker.h"
#include "core/spacemap/IndexEntry.h"
#include "core/thin/ThinMetadata.h"
#include "models/BtreeModel.h"
#include "models/ThinPoolDocument.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"
#include "tests/support/Require.h"

#include <QAbstractItemModelTester>
#include <QTest>
#include <algorithm>
#include <tuple>

using namespace dms;

namespace {

const QStringList kFixtures = {QStringLiteral("kernel/pool-a/metadata-msnap.img.zst"),
                               QStringLiteral("kernel/pool-a/metadata.img.zst"),
                               QStringLiteral("kernel/pool-b/metadata-msnap.img.zst"),
                               QStringLiteral("kernel/pool-b/metadata.img.zst"),
                               QStringLiteral("tools/thin_small.bin.zst"),
                               QStringLiteral("tools/thin_large.bin.zst")};

// (device, key, a, b): a leaf entry as the model shows it (mappings: data block and time;
// details: mapped blocks and transaction; refcounts: count; index: bitmap block and nr_free).
using Entry = std::tuple<std::uint64_t, std::uint64_t, std::uint64_t, std::uint64_t>;

struct Fetched {
    std::vector<Entry> entries;
    std::vector<QString> errors; // ErrorRole of broken node rows
    std::vector<std::uint64_t> brokenBlocks;
    QString runProblem; // a run whose children are not the entries it names
};

quint64 u64(const QModelIndex& i, int role) {
    return i.data(role).value<quint64>();
}

// Fetches everything under parent, depth first, collecting leaf entries in key order.
void fetchAll(BtreeModel& m, const QModelIndex& parent, std::uint64_t device, Fetched& out) {
    while (m.canFetchMore(parent))
        m.fetchMore(parent);
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        const int kind = i.data(BtreeModel::RowKindRole).toInt();
        if (kind == BtreeModel::NodeRow) {
            if (!i.data(BtreeModel::ErrorRole).toString().isEmpty()) {
                out.errors.push_back(i.data(BtreeModel::ErrorRole).toString());
                out.brokenBlocks.push_back(u64(i, BtreeModel::NodeBlockRole));
                QVERIFY(!m.hasChildren(i));
            }
            fetchAll(m, i, device, out);
        } else if (kind == BtreeModel::RunRow) {
            const quint64 key = u64(i, BtreeModel::KeyRole);
            const quint64 n = u64(i, BtreeModel::CountRole);
            const quint64 data = u64(i, BtreeModel::DataBlockRole);
            const quint64 time = u64(i, BtreeModel::TimeRole);
            while (m.canFetchMore(i))
                m.fetchMore(i);
            if (quint64(m.rowCount(i)) != n) out.runProblem = i.data().toString() + " count";
            for (int c = 0; c < m.rowCount(i); ++c) {
                const QModelIndex e = m.index(c, 0, i);
                if (u64(e, BtreeModel::KeyRole) != key + quint64(c) ||
                    u64(e, BtreeModel::DataBlockRole) != data + quint64(c) ||
                    u64(e, BtreeModel::TimeRole) != time)
                    out.runProblem = i.data().toString() + " child " + QString::number(c);
                out.entries.emplace_back(device, key + quint64(c), data + quint64(c), time);
            }
        } else {
            const quint64 key = u64(i, BtreeModel::KeyRole);
            if (m.root().kind == BtreeKind::MappingTop && m.hasChildren(i)) {
                // A top-level entry: the device's bottom tree below it.
                fetchAll(m, i, key, out);
                continue;
            }
            if (m.root().kind == BtreeKind::MappingTop || m.root().kind == BtreeKind::MappingBottom)
                out.entries.emplace_back(device, key, u64(i, BtreeModel::DataBlockRole),
                                         u64(i, BtreeModel::TimeRole));
            else
                out.entries.emplace_back(0, key, 0, 0);
        }
    }
}

// Every mapping of every device of sb, as the core walks them.
std::vector<Entry> coreMappings(const ThinMetadata& md, const ThinSuperblock& sb) {
    std::vector<Entry> out;
    auto devices = md.devices(sb);
    if (!devices) return out;
    for (const ThinDevice& d : *devices) {
        const Status s = md.forEachMapping(d.mappingRoot, [&](std::uint64_t v, BlockTime bt) {
            out.emplace_back(d.id, v, bt.dataBlock, bt.time);
        });
        if (!s) return {};
    }
    return out;
}

// Keys of a single-level tree, as the core walks them.
std::vector<Entry> coreKeys(const BlockReader& reader, std::uint64_t root, std::uint32_t vs) {
    std::vector<Entry> out;
    const Status s = BtreeWalker::forEachEntry(
        reader, root, vs, [&](std::uint64_t k, auto) { out.emplace_back(0, k, 0, 0); });
    return s ? out : std::vector<Entry>{};
}

// Shows root, attaches the model tester (which fetches all it can reach, 10 levels deep; Qt 6.4's
// tester cannot follow fetches during a reset), then fetches the rest.
Fetched browse(BtreeModel& m, const BlockReader& reader, const BtreeRoot& root) {
    m.setTree(reader, root);
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Fetched f;
    fetchAll(m, {}, root.device, f);
    return f;
}

} // namespace

class TestBtreeModel : public QObject {
    Q_OBJECT
private slots:
    void everyTreeOfEveryFixtureMatchesTheCoreWalk() {
        for (const QString& fixture : kFixtures) {
            auto md = ThinMetadata::open(test::fixtureSource(fixture));
            REQUIRE_OK(md);
            std::vector<ThinSuperblock> sbs{(*md)->superblock()};
            if ((*md)->hasMetadataSnapshot()) {
                auto held = (*md)->metadataSnapshot();
                REQUIRE_OK(held);
                sbs.push_back(*held);
            }
            for (const ThinSuperblock& sb : sbs) {
                for (const BtreeRoot& root : BtreeRoot::ofSuperblock(sb)) {
                    BtreeModel model;
                    const Fetched f = browse(model, (*md)->reader(), root);
                    const QString where =
                        fixture + QStringLiteral(" sb %1: ").arg(sb.location) + root.title();
                    QVERIFY2(f.errors.empty(),
                             qPrintable(where + ": " +
                                        (f.errors.empty() ? QString() : f.errors.front())));
                    QVERIFY2(f.runProblem.isEmpty(), qPrintable(where + ": " + f.runProblem));
                    const std::vector<Entry> want =
                        root.kind == BtreeKind::MappingTop
                            ? coreMappings(**md, sb)
                            : coreKeys((*md)->reader(), root.block,
                                       BtreeRoot::leafValueSize(root.kind));
                    QVERIFY2(f.entries == want,
                             qPrintable(where + QStringLiteral(": %1 entries, core walks %2")
                                                    .arg(f.entries.size())
                                                    .arg(want.size())));
                }
            }
        }
    }

    void entriesDecodeTheirValues() {
        auto doc = ThinPoolDocument::openDemo();
        REQUIRE_OK(doc);
        const ThinMetadata& md = (*doc)->metadata();
        auto devices = md.devices((*doc)->superblock());
        REQUIRE_OK(devices);
        BtreeModel model;
        model.setTree(md.reader(), {BtreeKind::Details, (*doc)->superblock().deviceDetailsRoot, 0});
        QModelIndex node = model.index(0, 0);
        for (;;) {
            while (model.canFetchMore(node))
                model.fetchMore(node);
            if (model.data(node, BtreeModel::IsLeafRole).toBool()) break;
            node = model.index(0, 0, node);
        }
        QVERIFY(model.rowCount(node) > 0);
        const ThinDevice& d = devices->front();
        const QString value = model.index(0, BtreeModel::ValueColumn, node).data().toString();
        QCOMPARE(model.index(0, 0, node).data().toString(), QStringLiteral("dev %1").arg(d.id));
        QCOMPARE(value, QStringLiteral("mapped %1, trans %2, created %3, snapshotted %4")
                            .arg(d.details.mappedBlocks)
                            .arg(d.details.transactionId)
                            .arg(d.details.creationTime)
                            .arg(d.details.snapshottedTime));
        QVERIFY(model.indexOfFetchedNode(node.data(BtreeModel::NodeBlockRole).value<quint64>())
                    .isValid());
    }

    void brokenNodesAreRowsNamingTheirBlockAndTheRestIsBrowsable_data() {
        QTest::addColumn<QString>("damage");
        QTest::newRow("leaf checksum") << "leaf-csum";
        QTest::newRow("internal header") << "internal-header";
        QTest::newRow("pointer out of range") << "out-of-range";
        QTest::newRow("cycle") << "cycle";
    }

    void brokenNodesAreRowsNamingTheirBlockAndTheRestIsBrowsable() {
        QFETCH(QString, damage);
        const auto bytes = test::fixtureBytes(QStringLiteral("tools/thin_large.bin.zst"));
        test::Corruptor c(bytes);
        const test::ImageLayout l = c.layout();
        QVERIFY2(l.bottomInternal && l.bottomLeaf, "thin_large has a two-level device tree");
        auto good = ThinMetadata::open(std::make_shared<MemoryBlockSource>(bytes, false, "good"));
        REQUIRE_OK(good);
        const std::vector<Entry> all = coreMappings(**good, (*good)->superblock());

        std::uint64_t broken = 0;      // the block the error row must name
        std::uint64_t lostEntries = 0; // mappings hidden behind it
        std::uint64_t lostChild = l.bottomLeaf;
        if (damage == "leaf-csum") {
            c.flipBit(l.bottomLeaf, 100, 3);
            broken = l.bottomLeaf;
        } else if (damage == "internal-header") {
            c.setU32(l.bottomInternal, 16, 1000); // nr_entries > max_entries
            c.reseal(l.bottomInternal, BlockType::BtreeNode);
            broken = l.bottomInternal;
        } else if (damage == "out-of-range") {
            broken = c.blockCount() + 7;
            c.setValue64(l.bottomInternal, 0, broken);
        } else {
            broken = l.bottomInternal;
            c.setValue64(l.bottomInternal, 0, l.bottomInternal);
        }
        if (damage == "internal-header") {
            // The whole device behind its broken root.
            auto devices = (*good)->devices((*good)->superblock());
            REQUIRE_OK(devices);
            for (const ThinDevice& d : *devices)
                if (d.mappingRoot == l.bottomInternal)
                    lostEntries =
                        std::uint64_t(std::count_if(all.begin(), all.end(), [&](const Entry& e) {
                            return std::get<0>(e) == d.id;
                        }));
        } else {
            lostEntries = test::Corruptor(bytes).nrEntries(lostChild);
        }

        auto md = ThinMetadata::open(std::make_shared<MemoryBlockSource>(c.bytes(), false, "bad"));
        REQUIRE_OK(md);
        BtreeModel model;
        const Fetched f = browse(model, (*md)->reader(),
                                 {BtreeKind::MappingTop, (*md)->superblock().dataMappingRoot, 0});
        QCOMPARE(f.errors.size(), std::size_t(1));
        QCOMPARE(f.brokenBlocks.front(), broken);
        QVERIFY2(f.errors.front().contains(QStringLiteral("block %1").arg(broken)),
                 qPrintable(f.errors.front()));
        QCOMPARE(std::uint64_t(f.entries.size()), std::uint64_t(all.size()) - lostEntries);
        QVERIFY(std::includes(all.begin(), all.end(), f.entries.begin(), f.entries.end()));
        QVERIFY(model.indexOfFetchedNode(broken).isValid());
    }
};

QTEST_GUILESS_MAIN(TestBtreeModel)
#include "tst_btreemodel.moc"
