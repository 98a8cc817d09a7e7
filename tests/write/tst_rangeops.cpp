// Range operations: under the mainline policy an increment of a run of blocks requested while the
// metadata space map is recursing is queued as one ring-buffer entry covering the run, and counts
// include it; under the reference policy (whose kernel had no range ops) it is one entry a block.

#include "core/MemoryBlockSource.h"
#include "core/spacemap/MetadataSpaceMap.h"
#include "core/tx/TransactionManager.h"

#include <QTest>

using namespace dms;

namespace {

struct Rig {
    std::shared_ptr<MemoryBlockSource> device =
        std::make_shared<MemoryBlockSource>(MemoryBlockSource::zeroed(4096));
    TransactionManager tm{device};
    std::unique_ptr<MetadataSpaceMap> sm;
    explicit Rig(AllocationPolicyKind policy) {
        auto created = MetadataSpaceMap::create(tm, 4096, 0, policy);
        if (created) sm = std::move(*created);
    }
};

} // namespace

class TestRangeOps : public QObject {
    Q_OBJECT
private slots:
    void mainlineQueuesARunAsOneEntry() {
        Rig rig(AllocationPolicyKind::Mainline);
        QVERIFY(rig.sm);
        rig.sm->in();
        QVERIFY(rig.sm->incRange(100, 110).ok());
        QCOMPARE(rig.sm->ring().size(), 1u);
        const BlockOp& op = rig.sm->ring().slot(rig.sm->ring().begin());
        QCOMPARE(op.begin, std::uint64_t(100));
        QCOMPARE(op.end, std::uint64_t(110));
        QCOMPARE(*rig.sm->count(105), 1u); // the queued range counts
        QCOMPARE(*rig.sm->count(110), 0u);
        QVERIFY(rig.sm->out().ok()); // applied at depth 1
        QVERIFY(rig.sm->ring().empty());
        for (std::uint64_t b = 100; b < 110; ++b)
            QCOMPARE(*rig.sm->count(b), 1u);
    }
    void referenceQueuesOneEntryPerBlock() {
        Rig rig(AllocationPolicyKind::Reference);
        QVERIFY(rig.sm);
        rig.sm->in();
        QVERIFY(rig.sm->incRange(100, 110).ok());
        QCOMPARE(rig.sm->ring().size(), 10u);
        QVERIFY(rig.sm->out().ok());
        for (std::uint64_t b = 100; b < 110; ++b)
            QCOMPARE(*rig.sm->count(b), 1u);
    }
    void aRangeAtDepthZeroIsAppliedAtOnce() {
        Rig rig(AllocationPolicyKind::Mainline);
        QVERIFY(rig.sm);
        QVERIFY(rig.sm->incRange(200, 203).ok());
        QVERIFY(rig.sm->ring().empty());
        QCOMPARE(rig.sm->recursionDepth(), 0u);
        for (std::uint64_t b = 200; b < 203; ++b)
            QCOMPARE(*rig.sm->count(b), 1u);
    }
};

QTEST_GUILESS_MAIN(TestRangeOps)
#include "tst_rangeops.moc"
