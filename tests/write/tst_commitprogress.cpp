// The commit's progress callback reports the real phases of the crash-safe order, as they
// happen: the blocks (first, every 64th, last), flush, the superblock, flush, done. Checked
// against a device that records what reached it at each report: nothing of the superblock before
// its phase, every other block before the first flush.

#include "core/MemoryBlockSource.h"
#include "core/thin/ThinPoolEditor.h"
#include "tests/support/Fixtures.h"

#include <QTest>

using namespace dms;
using namespace dms::test;

namespace {

const QString kDemo = QStringLiteral("kernel/pool-b/metadata-msnap.img.zst");

// Counts writes and flushes on the way to a memory device.
class CountingDevice final : public BlockSource {
public:
    explicit CountingDevice(std::vector<std::uint8_t> bytes)
        : mem_(std::move(bytes), true, "counted") {}
    std::uint64_t blockCount() const override { return mem_.blockCount(); }
    std::uint64_t byteSize() const override { return mem_.byteSize(); }
    Status read(std::uint64_t b, std::uint8_t* out) const override { return mem_.read(b, out); }
    bool writable() const override { return true; }
    Status write(std::uint64_t b, const std::uint8_t* in) override {
        ++writes;
        if (b == 0) superblockWrites = writes;
        return mem_.write(b, in);
    }
    Status flush() override {
        ++flushes;
        return Status::success();
    }
    std::string name() const override { return "counted"; }

    std::uint64_t writes = 0;
    std::uint64_t flushes = 0;
    std::uint64_t superblockWrites = 0; // `writes` when block 0 was last written

private:
    MemoryBlockSource mem_;
};

struct Seen {
    CommitProgressReport report;
    std::uint64_t writes, flushes, superblockWrites;
};

class Recorder final : public CommitProgressObserver {
public:
    explicit Recorder(const CountingDevice& d) : device_(d) {}
    void onCommitProgress(const CommitProgressReport& r) override {
        seen.push_back({r, device_.writes, device_.flushes, device_.superblockWrites});
    }
    std::vector<Seen> seen;

private:
    const CountingDevice& device_;
};

} // namespace

class TestCommitProgress : public QObject {
    Q_OBJECT
private slots:
    void theCallbackReportsEachPhaseInOrderAsTheDeviceSeesIt() {
        auto device = std::make_shared<CountingDevice>(fixtureBytes(kDemo));
        auto ed = ThinPoolEditor::open(device);
        QVERIFY(ed);
        QVERIFY((*ed)->createSnapshot(100, 1));
        QVERIFY((*ed)->deleteDevice(2));
        Recorder rec(*device);
        (*ed)->transactionManager().setCommitProgress(&rec);
        QVERIFY((*ed)->commit());

        std::vector<CommitPhase> phases;
        for (const Seen& s : rec.seen)
            if (phases.empty() || phases.back() != s.report.phase) phases.push_back(s.report.phase);
        const std::vector<CommitPhase> order = {
            CommitPhase::WritingBlocks, CommitPhase::FlushingBlocks, CommitPhase::WritingSuperblock,
            CommitPhase::FlushingSuperblock, CommitPhase::Done};
        QVERIFY2(phases == order, "the phases came in another order");

        const std::uint64_t n = rec.seen.front().report.total;
        QVERIFY2(n > 0, "no block to write");
        for (const Seen& s : rec.seen) {
            switch (s.report.phase) {
            case CommitPhase::WritingBlocks:
                QCOMPARE(s.writes, s.report.done); // reported right after that many writes
                QCOMPARE(s.flushes, 0u);
                QCOMPARE(s.superblockWrites, 0u);
                break;
            case CommitPhase::FlushingBlocks:
                QCOMPARE(s.writes, n);
                QCOMPARE(s.flushes, 0u); // reported before it flushes
                break;
            case CommitPhase::WritingSuperblock:
                QCOMPARE(s.flushes, 1u);
                QCOMPARE(s.superblockWrites, 0u);
                QCOMPARE(s.report.superblock, 0u);
                break;
            case CommitPhase::FlushingSuperblock:
                QCOMPARE(s.superblockWrites, n + 1);
                QCOMPARE(s.flushes, 1u);
                break;
            case CommitPhase::Done:
                QCOMPARE(s.flushes, 2u);
                break;
            }
        }
        QCOMPARE(rec.seen.back().report.done, n);
    }

    void aLargeCommitReportsEverySixtyFourthBlock() {
        auto device = std::make_shared<CountingDevice>(fixtureBytes(kDemo));
        auto ed = ThinPoolEditor::open(device);
        QVERIFY(ed);
        QVERIFY((*ed)->createThin(50));
        // 20000 mappings: over 150 new leaves.
        for (std::uint64_t k = 0; k < 5; ++k)
            QVERIFY((*ed)->map(50, k * 4000, 0, 4000));
        Recorder rec(*device);
        (*ed)->transactionManager().setCommitProgress(&rec);
        QVERIFY((*ed)->commit());
        std::vector<std::uint64_t> done;
        for (const Seen& s : rec.seen)
            if (s.report.phase == CommitPhase::WritingBlocks) done.push_back(s.report.done);
        const std::uint64_t n = rec.seen.front().report.total;
        QVERIFY2(n > 128, qPrintable(QStringLiteral("only %1 blocks written").arg(n)));
        std::vector<std::uint64_t> expected = {0, 1};
        for (std::uint64_t k = 64; k < n; k += 64)
            expected.push_back(k);
        expected.push_back(n);
        QCOMPARE(done, expected);
    }
};

QTEST_GUILESS_MAIN(TestCommitProgress)
#include "tst_commitprogress.moc"
