// Transaction history of an edit session: every commit is a transaction with before and after
// images; any earlier state is rebuilt exactly; two states are diffed (blocks, reference counts,
// per-device mapping deltas in thin_delta's categories, checked against thin_delta itself); the
// history is saved and reopened.

#include "models/DemoPool.h"
#include "models/edit/EditSession.h"
#include "models/edit/MetadataDiff.h"
#include "models/edit/MetadataDiffModel.h"
#include "models/edit/TransactionHistoryModel.h"
#include "tests/support/Fixtures.h"

#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinMetadata.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace dms;

namespace {

std::vector<std::uint8_t> bytesOf(const BlockSource& s) {
    std::vector<std::uint8_t> out(s.blockCount() * kBlockSize);
    for (std::uint64_t b = 0; b < s.blockCount(); ++b)
        if (!s.read(b, out.data() + b * kBlockSize)) return {};
    return out;
}

std::size_t deviceCount(std::shared_ptr<const BlockSource> source) {
    auto md = ThinMetadata::open(std::move(source));
    if (!md) return 0;
    auto devs = (*md)->devices((*md)->superblock());
    return devs ? devs->size() : 0;
}

// Every block's count on both sides, one lookup at a time: what MetadataDiff's bitmap-by-bitmap
// comparison must find.
std::vector<RefCountDelta> bruteCountDeltas(std::shared_ptr<const BlockSource> a,
                                            std::shared_ptr<const BlockSource> b, bool metadata) {
    auto la = ThinMetadata::open(std::move(a));
    auto lb = ThinMetadata::open(std::move(b));
    if (!la || !lb) return {{~0ull, 0, 0}};
    const auto kind = metadata ? SpaceMapKind::Metadata : SpaceMapKind::Data;
    auto sa = SpaceMapReader::open(
        (*la)->reader(),
        metadata ? (*la)->superblock().metadataSpaceMap : (*la)->superblock().dataSpaceMap, kind);
    auto sb = SpaceMapReader::open(
        (*lb)->reader(),
        metadata ? (*lb)->superblock().metadataSpaceMap : (*lb)->superblock().dataSpaceMap, kind);
    if (!sa || !sb) return {{~0ull, 0, 0}};
    std::vector<RefCountDelta> out;
    for (std::uint64_t blk = 0; blk < std::max(sa->nrBlocks(), sb->nrBlocks()); ++blk) {
        auto cx = blk < sa->nrBlocks() ? sa->count(blk) : Expected<std::uint32_t>(0u);
        auto cy = blk < sb->nrBlocks() ? sb->count(blk) : Expected<std::uint32_t>(0u);
        const std::uint32_t x = cx ? *cx : ~0u, y = cy ? *cy : ~0u;
        if (x != y) out.push_back({blk, x, y});
    }
    return out;
}

bool sameDeltas(const std::vector<RefCountDelta>& a, const std::vector<RefCountDelta>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].block != b[i].block || a[i].before != b[i].before || a[i].after != b[i].after)
            return false;
    return true;
}

const DeviceDelta* deltaOf(const MetadataDiff& d, std::uint64_t id) {
    for (const DeviceDelta& x : d.devices)
        if (x.id == id) return &x;
    return nullptr;
}

// Our runs of (left, right) in one image, printed as thin_delta prints them (non-verbose).
std::string ourDelta(const ThinMetadata& md, std::uint64_t left, std::uint64_t right) {
    auto devs = md.devices(md.superblock());
    if (!devs) return "cannot list devices";
    std::uint64_t lr = 0, rr = 0;
    for (const ThinDevice& d : *devs) {
        if (d.id == left) lr = d.mappingRoot;
        if (d.id == right) rr = d.mappingRoot;
    }
    auto runs = MetadataDiffer::compareMappings(md, lr, md, rr);
    if (!runs) return runs.error().message;
    std::string out;
    for (const MappingRun& r : *runs)
        out += std::string("    <") + mappingRunKindName(r.kind) + " begin=\"" +
               std::to_string(r.begin) + "\" length=\"" + std::to_string(r.length) + "\"/>\n";
    return out;
}

// thin_delta's runs: the lines between <diff> and </diff>.
std::string toolDelta(const QString& image, std::uint64_t left, std::uint64_t right) {
    auto r = test::runProgram(QStringLiteral("thin_delta"),
                              {QStringLiteral("--snap1"), QString::number(left),
                               QStringLiteral("--snap2"), QString::number(right), image});
    if (r.exitCode != 0) return "thin_delta failed: " + r.err.toStdString();
    std::string out;
    for (const QByteArray& line : r.out.split('\n'))
        if (line.startsWith("    <")) out += line.toStdString() + "\n";
    return out;
}

} // namespace

class TestEditHistory : public QObject {
    Q_OBJECT
private slots:
    void transactionsAreSteppedDiffedSavedAndReopened() {
        auto demo = DemoPool::load();
        QVERIFY(demo);
        auto made = EditSession::editCopyOf(**demo, QStringLiteral("demo pool"), false);
        QVERIFY(made);
        EditSession& s = **made;
        TransactionHistoryModel historyModel;
        QAbstractItemModelTester t1(&historyModel,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        historyModel.setSession(&s);
        const std::size_t devices0 = deviceCount(s.committedSource());
        QVERIFY(s.add(EditOperation::createSnapshot(100, 1)));
        QVERIFY(s.commit());
        QVERIFY(s.add(EditOperation::deleteDevice(2)));
        QVERIFY(s.add(EditOperation::provision(100, 4000)));
        QVERIFY(s.commit());
        QCOMPARE(s.history().size(), 2);
        QCOMPARE(historyModel.rowCount(), 2);
        QCOMPARE(historyModel.index(1, TransactionHistoryModel::OperationsColumn).data().toString(),
                 QStringLiteral("Delete device 2 and its mappings; Provision device 100 block "
                                "4000 (a new data block)"));
        QCOMPARE(historyModel.index(0, TransactionHistoryModel::BlocksColumn).data().toULongLong(),
                 qulonglong(s.history().at(0).blocks.size()));
        auto check = test::runProgram(QStringLiteral("thin_check"), {s.copyPath()});
        QVERIFY2(check.exitCode == 0, (check.out + check.err).constData());

        // Step back: each state has the devices it had then.
        auto st0 = s.stateAt(0), st1 = s.stateAt(1), st2 = s.stateAt(2);
        QVERIFY(st0 && st1 && st2);
        QCOMPARE(deviceCount(*st0), devices0);
        QCOMPARE(deviceCount(*st1), devices0 + 1);
        QCOMPARE(deviceCount(*st2), devices0);
        QVERIFY2(bytesOf(**st0) == bytesOf(**demo), "state 0 is not the demo pool");
        QVERIFY(bytesOf(**st2) == bytesOf(*s.committedSource()));

        // Diff 0 -> 1: the snapshot is a right-only device, its origin unchanged.
        auto d01 = MetadataDiffer::compare(*st0, *st1); // every block compared
        QVERIFY2(d01, d01 ? "" : d01.error().message.c_str());
        QCOMPARE(d01->changedBlocks.size(), s.history().at(0).blocks.size());
        const DeviceDelta* snap = deltaOf(*d01, 100);
        QVERIFY(snap);
        QCOMPARE(int(snap->presence), int(DeviceDelta::Presence::RightOnly));
        const DeviceDelta* origin = deltaOf(*d01, 1);
        QVERIFY(origin);
        QCOMPARE(int(origin->presence), int(DeviceDelta::Presence::Both));
        QCOMPARE(snap->blocks[int(MappingRun::Kind::RightOnly)],
                 origin->blocks[int(MappingRun::Kind::Same)]);
        QVERIFY(origin->blocks[int(MappingRun::Kind::Same)] > 0);
        QCOMPARE(origin->blocks[int(MappingRun::Kind::Different)] +
                     origin->blocks[int(MappingRun::Kind::LeftOnly)] +
                     origin->blocks[int(MappingRun::Kind::RightOnly)],
                 std::uint64_t(0));
        QVERIFY2(!d01->metadataCounts.empty(), "sharing the origin's tree changed no count");
        QVERIFY(d01->dataCounts.empty()); // a snapshot takes no data block
        MetadataDiffModel diffModel;
        QAbstractItemModelTester t2(&diffModel,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        diffModel.setDiff(*d01);
        QCOMPARE(diffModel.rowCount(), int(devices0 + 1));
        const int snapRow = diffModel.rowCount() - 1; // id order: 100 is last
        QCOMPARE(diffModel.index(snapRow, MetadataDiffModel::PresenceColumn).data().toString(),
                 QStringLiteral("right_only"));
        QCOMPARE(diffModel.index(snapRow, MetadataDiffModel::RightOnlyColumn).data().toULongLong(),
                 qulonglong(snap->blocks[int(MappingRun::Kind::RightOnly)]));
        QVERIFY(diffModel.summary().startsWith(
            QStringLiteral("%1 blocks changed").arg(d01->changedBlocks.size())));

        // Diff 1 -> 2 with the written blocks as candidates: device 2 is left-only, the snapshot
        // gained one right-only mapping, one data block more is in use.
        auto d12 = MetadataDiffer::compare(*st1, *st2, s.history().blocksBetween(1, 2));
        QVERIFY(d12);
        QCOMPARE(int(deltaOf(*d12, 2)->presence), int(DeviceDelta::Presence::LeftOnly));
        QCOMPARE(deltaOf(*d12, 100)->blocks[int(MappingRun::Kind::RightOnly)], std::uint64_t(1));
        auto full = MetadataDiffer::compare(*st1, *st2);
        QVERIFY(full);
        QCOMPARE(full->changedBlocks, d12->changedBlocks);
        // Reference counts: exactly the blocks whose count differs, with both counts.
        for (const auto& [l, r, d] :
             {std::tuple(*st0, *st1, &*d01), std::tuple(*st1, *st2, &*d12)}) {
            QVERIFY2(sameDeltas(d->metadataCounts, bruteCountDeltas(l, r, true)),
                     "metadata count deltas differ from a block-by-block comparison");
            QVERIFY2(sameDeltas(d->dataCounts, bruteCountDeltas(l, r, false)),
                     "data count deltas differ from a block-by-block comparison");
        }
        QVERIFY(!d12->dataCounts.empty()); // the new data block, device 2's released ones

        // Save and reopen: the reopened history rebuilds the same states.
        const QString file = test::tempDir() + QStringLiteral("/history.dmshist");
        QVERIFY(s.history().save(file));
        auto loaded = TransactionHistory::load(file);
        QVERIFY2(loaded, loaded ? "" : loaded.error().message.c_str());
        QCOMPARE(loaded->size(), 2);
        QCOMPARE(loaded->at(1).commands, s.history().at(1).commands);
        auto again = loaded->stateAt(0, s.committedSource());
        QVERIFY(again);
        QVERIFY2(bytesOf(**again) == bytesOf(**demo),
                 "the reopened history rebuilds another state");

        // A damaged history file is refused with a message, not a crash.
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(f.size() / 2));
        f.close();
        auto broken = TransactionHistory::load(file);
        QVERIFY(!broken);
        QVERIFY(!broken.error().message.empty());
    }

    void eachTransactionListsTheFreeCountsItLeft() {
        auto demo = DemoPool::load();
        QVERIFY(demo);
        auto made = EditSession::editCopyOf(**demo, QStringLiteral("demo pool"));
        QVERIFY(made);
        EditSession& s = **made;
        TransactionHistoryModel model;
        QAbstractItemModelTester t(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSession(&s);
        QVERIFY(s.add(EditOperation::createSnapshot(100, 1)));
        QVERIFY(s.commit());
        QVERIFY(s.add(EditOperation::provision(100, 4000)));
        QVERIFY(s.add(EditOperation::createThin(101)));
        QVERIFY(s.commit());
        QCOMPARE(model.columnCount(), int(TransactionHistoryModel::ColumnCount));
        for (int k = 1; k <= 2; ++k) {
            // Counted from the state's bitmaps, not read from its superblock.
            auto state = s.stateAt(k);
            QVERIFY(state);
            auto md = ThinMetadata::open(*state);
            QVERIFY(md);
            const ThinSuperblock& sb = (*md)->superblock();
            auto meta =
                SpaceMapReader::open((*md)->reader(), sb.metadataSpaceMap, SpaceMapKind::Metadata);
            auto data = SpaceMapReader::open((*md)->reader(), sb.dataSpaceMap, SpaceMapKind::Data);
            QVERIFY(meta && data);
            auto metaUsed = meta->countAllocated(), dataUsed = data->countAllocated();
            QVERIFY(metaUsed && dataUsed);
            QCOMPARE(model.index(k - 1, TransactionHistoryModel::MetadataFreeColumn)
                         .data()
                         .toULongLong(),
                     qulonglong(sb.metadataSpaceMap.nrBlocks - *metaUsed));
            QCOMPARE(
                model.index(k - 1, TransactionHistoryModel::DataFreeColumn).data().toULongLong(),
                qulonglong(sb.dataSpaceMap.nrBlocks - *dataUsed));
        }
        // The provision took one data block.
        QCOMPARE(model.index(0, TransactionHistoryModel::DataFreeColumn).data().toULongLong() -
                     model.index(1, TransactionHistoryModel::DataFreeColumn).data().toULongLong(),
                 qulonglong(1));
    }

    void anEarlierHistoryIsAdoptedOnlyWhereItEnds() {
        auto demo = DemoPool::load();
        QVERIFY(demo);
        auto first = EditSession::editCopyOf(**demo, QStringLiteral("demo pool"));
        QVERIFY(first);
        QVERIFY((*first)->add(EditOperation::createSnapshot(100, 1)));
        QVERIFY((*first)->commit());
        const TransactionHistory saved = (*first)->history();
        QVERIFY(*saved.endsAt(*(*first)->committedSource()));
        QVERIFY(!*saved.endsAt(**demo));
        // A session over the result takes the history in front of its own transactions.
        auto second = EditSession::editCopyOf(*(*first)->committedSource(), QStringLiteral("next"));
        QVERIFY(second);
        QVERIFY((*second)->add(EditOperation::deleteDevice(2)));
        QVERIFY((*second)->commit());
        QSignalSpy committed(second->get(), &EditSession::committed);
        QVERIFY((*second)->adoptEarlierHistory(saved));
        QCOMPARE(committed.count(), 1);
        QCOMPARE((*second)->history().size(), 2);
        QCOMPARE((*second)->history().at(0).operations, saved.at(0).operations);
        auto opened = (*second)->stateAt(0);
        QVERIFY(opened);
        QVERIFY2(bytesOf(**opened) == bytesOf(**demo), "state 0 is not the demo pool");
        // Not where it ends: refused, nothing changes.
        auto third = EditSession::editCopyOf(**demo, QStringLiteral("demo again"));
        QVERIFY(third);
        const Status refused = (*third)->adoptEarlierHistory(saved);
        QVERIFY(!refused);
        QVERIFY(refused.error().message.find("does not end") != std::string::npos);
        QCOMPARE((*third)->history().size(), 0);
    }

    void mappingDeltasAgreeWithThinDelta() {
        if (!test::haveThinTools()) QFAIL("thin_delta is not installed");
        auto demo = DemoPool::load();
        QVERIFY(demo);
        const QString image = test::writeTempFile(QStringLiteral("demo.img"), (*demo)->bytes());
        auto md = ThinMetadata::open(*demo);
        QVERIFY(md);
        const std::pair<std::uint64_t, std::uint64_t> pairs[] = {
            {3, 4}, {1, 7}, {2, 3}, {7, 1}, {4, 5}};
        for (auto [l, r] : pairs) {
            const std::string ours = ourDelta(**md, l, r), tool = toolDelta(image, l, r);
            QVERIFY2(
                ours == tool,
                qPrintable(QStringLiteral("devices %1/%2:\nours:\n%3\nthin_delta:\n%4")
                               .arg(l)
                               .arg(r)
                               .arg(QString::fromStdString(ours), QString::fromStdString(tool))));
        }
    }
};

QTEST_GUILESS_MAIN(TestEditHistory)
#include "tst_edithistory.moc"
