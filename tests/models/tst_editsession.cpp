// EditSession over a copy of the demo pool: operations are pending until commit, undo and abort
// restore the previous state exactly, commit writes a consistent image and records a
// transaction, and the pending-operations model passes QAbstractItemModelTester.

#include "models/DemoPool.h"
#include "models/edit/EditSession.h"
#include "models/edit/PendingOpsModel.h"
#include "tests/support/Fixtures.h"

#include "core/MemoryBlockSource.h"
#include "core/thin/ThinMetadata.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <cstring>

using namespace dms;

namespace {

std::vector<std::uint8_t> bytesOf(const BlockSource& s) {
    std::vector<std::uint8_t> out(s.blockCount() * kBlockSize);
    for (std::uint64_t b = 0; b < s.blockCount(); ++b)
        if (!s.read(b, out.data() + b * kBlockSize)) return {};
    return out;
}

// Device ids of the metadata in `source`; empty (and a failure message) when it cannot be read.
std::vector<std::uint64_t> deviceIds(std::shared_ptr<const BlockSource> source) {
    std::vector<std::uint64_t> ids;
    auto md = ThinMetadata::open(std::move(source));
    if (!md) return ids;
    auto devs = (*md)->devices((*md)->superblock());
    if (!devs) return ids;
    for (const ThinDevice& d : *devs)
        ids.push_back(d.id);
    return ids;
}

std::unique_ptr<EditSession> demoSession(bool inMemory = true) {
    auto demo = DemoPool::load();
    if (!demo) return nullptr;
    auto s = EditSession::editCopyOf(**demo, QStringLiteral("demo pool"), inMemory);
    return s ? std::move(*s) : nullptr;
}

} // namespace

class TestEditSession : public QObject {
    Q_OBJECT
private slots:
    void pendingOperationsChangeNothingUntilCommit() {
        auto s = demoSession();
        QVERIFY(s);
        const auto before = bytesOf(*s->committedSource());
        QVERIFY(s->add(EditOperation::createSnapshot(100, 1)));
        QCOMPARE(s->operations().size(), std::size_t(1));
        QVERIFY2(!s->operations()[0].events.empty(), "create-snap recorded no trace events");
        QVERIFY(!s->dirtyBlocks().empty());
        const TransactionBlocks touched = s->transactionBlocks();
        QVERIFY(!touched.shadowed.empty());
        QVERIFY(!touched.allocated.empty());
        const auto dirty = s->dirtyBlocks();
        for (std::uint64_t b : touched.allocated)
            QVERIFY2(
                std::binary_search(dirty.begin(), dirty.end(), b) ||
                    std::binary_search(touched.freed.begin(), touched.freed.end(), b),
                qPrintable(
                    QStringLiteral("block %1 allocated but neither written nor freed").arg(b)));
        QVERIFY2(bytesOf(*s->committedSource()) == before, "a pending operation wrote the copy");
        auto preview = s->previewSource();
        QVERIFY(preview);
        const auto ids = deviceIds(*preview);
        QVERIFY2(std::count(ids.begin(), ids.end(), 100u) == 1, "snapshot 100 not in the preview");
        QCOMPARE(deviceIds(s->committedSource()).size() + 1, ids.size());
        QVERIFY(!s->commitEvents().empty());
    }

    void aFailingOperationIsNotListedAndChangesNothing() {
        auto s = demoSession();
        QVERIFY(s);
        QVERIFY(s->add(EditOperation::createThin(50)));
        const auto events = s->operations()[0].events.size();
        auto r = s->add(EditOperation::createSnapshot(51, 999)); // no origin 999
        QVERIFY(!r);
        QVERIFY2(QString::fromStdString(r.error().message).contains(QStringLiteral("999")),
                 r.error().message.c_str());
        QCOMPARE(s->operations().size(), std::size_t(1));
        QCOMPARE(s->operations()[0].events.size(), events);
    }

    void undoRestoresThePreviousStateExactly() {
        auto one = demoSession();
        auto two = demoSession();
        QVERIFY(one && two);
        QVERIFY(one->add(EditOperation::createSnapshot(100, 1)));
        QVERIFY(two->add(EditOperation::createSnapshot(100, 1)));
        QVERIFY(two->add(EditOperation::deleteDevice(2)));
        QVERIFY(two->undoLast());
        QCOMPARE(two->operations().size(), std::size_t(1));
        QCOMPARE(two->operations()[0].events.size(), one->operations()[0].events.size());
        QCOMPARE(two->dirtyBlocks(), one->dirtyBlocks());
        auto a = one->previewSource();
        auto b = two->previewSource();
        QVERIFY(a && b);
        QVERIFY2(bytesOf(**a) == bytesOf(**b), "undo left a different transaction behind");
    }

    void abortLeavesTheCommittedBytesUnchanged() {
        auto s = demoSession();
        QVERIFY(s);
        const auto before = bytesOf(*s->committedSource());
        QVERIFY(s->add(EditOperation::createSnapshot(100, 1)));
        // The demo holds a metadata snapshot: release it, then reserve one again, which commits
        // part-way (into the staging view only).
        QVERIFY(s->add(EditOperation::releaseMetadataSnapshot()));
        QVERIFY(s->add(EditOperation::reserveMetadataSnapshot()));
        QVERIFY(s->add(EditOperation::extendData(64)));
        QVERIFY(s->abort());
        QVERIFY(!s->hasPendingOperations());
        QVERIFY2(bytesOf(*s->committedSource()) == before, "abort changed the committed copy");
        QCOMPARE(s->history().size(), 0);
    }

    void commitWritesAConsistentImageAndRecordsTheTransaction() {
        auto s = demoSession(false);
        QVERIFY(s);
        QVERIFY(!s->copyPath().isEmpty());
        QSignalSpy spy(s.get(), &EditSession::committed);
        QVERIFY(s->add(EditOperation::createSnapshot(100, 1)));
        QVERIFY(s->add(EditOperation::provision(100, 5000)));
        QVERIFY(s->add(EditOperation::setTransactionId(8)));
        auto preview = s->previewSource();
        QVERIFY(preview);
        const auto expected = bytesOf(**preview);
        QVERIFY(s->commit());
        QCOMPARE(spy.count(), 1);
        QVERIFY(!s->hasPendingOperations());
        QCOMPARE(s->history().size(), 1);
        QCOMPARE(s->history().at(0).operations.size(), 3);
        QVERIFY(!s->history().at(0).blocks.empty());
        QVERIFY2(bytesOf(*s->committedSource()) == expected,
                 "the commit wrote something else than the preview showed");
        const auto ids = deviceIds(s->committedSource());
        QVERIFY(std::count(ids.begin(), ids.end(), 100u) == 1);
        if (!test::haveThinTools()) QFAIL("thin_check is not installed");
        auto r = test::runProgram(QStringLiteral("thin_check"), {s->copyPath()});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        // The state before the transaction is the demo pool, byte for byte.
        auto demo = DemoPool::load();
        QVERIFY(demo);
        auto old = s->stateAt(0);
        QVERIFY(old);
        QVERIFY2(bytesOf(**old) == bytesOf(**demo), "state 0 differs from the original");
    }

    void aFileIsEditedAsACopyAndNeverWritten() {
        auto demo = DemoPool::load();
        QVERIFY(demo);
        const QString original =
            test::writeTempFile(QStringLiteral("original.img"), (*demo)->bytes());
        auto s = EditSession::editCopyOfFile(original, AllocationPolicyKind::Mainline);
        QVERIFY2(s, s ? "" : s.error().message.c_str());
        QVERIFY((*s)->copyPath() != original);
        QVERIFY((*s)->add(EditOperation::createSnapshot(100, 7)));
        QVERIFY((*s)->add(EditOperation::map(100, 0, 4000, 8)));
        QVERIFY((*s)->commit());
        QFile f(original);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray now = f.readAll();
        QVERIFY2(now.size() == qsizetype((*demo)->bytes().size()) &&
                     std::memcmp(now.constData(), (*demo)->bytes().data(), now.size()) == 0,
                 "the original file was written");
        auto r = test::runProgram(QStringLiteral("thin_check"), {(*s)->copyPath()});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
    }

    void pendingOpsModelPassesTheModelTester() {
        auto s = demoSession();
        QVERIFY(s);
        PendingOpsModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setSession(s.get());
        QCOMPARE(m.rowCount(), 0);
        QVERIFY(s->add(EditOperation::createThin(60)));
        QVERIFY(s->add(EditOperation::map(60, 0, 10, 4)));
        QCOMPARE(m.rowCount(), 2);
        QCOMPARE(m.index(1, PendingOpsModel::OperationColumn).data().toString(),
                 QStringLiteral("Map device 60 blocks 0..3 to data blocks 10..13"));
        QVERIFY(m.index(1, PendingOpsModel::EventsColumn).data().toInt() > 0);
        QVERIFY(s->undoLast());
        QCOMPARE(m.rowCount(), 1);
        QVERIFY(s->commit());
        QCOMPARE(m.rowCount(), 0);
        m.setSession(nullptr);
        QCOMPARE(m.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEditSession)
#include "tst_editsession.moc"
