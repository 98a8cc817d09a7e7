// The metadata space map behaves as the kernel's (../shared/reference/dm-space-map-metadata.c):
// the edge-triggered threshold on the real allocator, the 1024-op ring behind recursion, in()/out()
// depth tracking, counts that add the queued ops, count_is_more_than_one's caution at bitmap
// value 3, set_count refused while recursing, new blocks searched in the committed map from the
// cursor, commit (cursor reset under the reference policy, kept under mainline, which also wants
// a block free in both maps and wraps), and the 32 meaningful bytes of copy_root.

#include "core/MemoryBlockSource.h"
#include "core/spacemap/MetadataSpaceMap.h"
#include "core/spacemap/SpaceMapReader.h"
#include "tests/support/Require.h"
#include "tests/support/TraceRecorder.h"

#include <QTest>

#include <algorithm>

using namespace dms;
using namespace dms::test;

namespace {

// A metadata space map alone on an in-memory device, committed with a bare superblock image.
struct SmRig {
    std::shared_ptr<MemoryBlockSource> device;
    TransactionManager tm;
    TraceRecorder trace;
    std::unique_ptr<MetadataSpaceMap> sm;
    std::string error;

    explicit SmRig(std::uint64_t blocks,
                   AllocationPolicyKind policy = AllocationPolicyKind::Reference)
        : device(std::make_shared<MemoryBlockSource>(
              std::vector<std::uint8_t>(blocks * kBlockSize, 0))),
          tm(device) {
        auto r = MetadataSpaceMap::create(tm, blocks, 0, policy, &trace);
        if (r)
            sm = std::move(*r);
        else
            error = r.error().describe();
        if (sm && !commit()) error = "first commit failed";
    }
    bool commit() {
        if (!sm->commit()) return false;
        std::uint8_t sb[kBlockSize] = {};
        return tm.commit(sb, BlockType::ThinSuperblock, 0).ok();
    }
    // Counts as the last commit left them on the device.
    std::vector<std::uint32_t> committedCounts() const {
        std::vector<std::uint32_t> out;
        BlockReader reader(device);
        auto r = SpaceMapReader::open(reader, sm->root(), SpaceMapKind::Metadata);
        if (r) (void)r->forEachCount([&](std::uint64_t, std::uint32_t c) { out.push_back(c); });
        return out;
    }
    std::uint64_t newBlock() {
        auto b = sm->newBlock();
        return b ? *b : ~0ull;
    }
    std::uint32_t count(std::uint64_t b) {
        auto c = sm->count(b);
        return c ? *c : ~0u;
    }
};

#define REQUIRE_RIG(rig) QVERIFY2((rig).error.empty(), (rig).error.c_str())

bool contains(const Error& e, const char* text) {
    return e.message.find(text) != std::string::npos;
}

} // namespace

class TestMetadataSpaceMap : public QObject {
    Q_OBJECT
private slots:
    void thresholdFiresOnceOnTheWayDownAndAgainAfterRearming() {
        SmRig rig(2048);
        REQUIRE_RIG(rig);
        std::vector<std::uint64_t> mine{rig.newBlock()}; // shadows the bitmap: later ones cost 1
        const std::uint64_t start = *rig.sm->nrFree();
        const std::uint64_t threshold = start - 3;
        int fired = 0;
        rig.sm->setThreshold(threshold, [&] { ++fired; });
        for (int i = 1; i <= 8; ++i) {
            mine.push_back(rig.newBlock());
            QCOMPARE(*rig.sm->nrFree(), start - i);
            QCOMPARE(fired, i < 3 ? 0 : 1); // at the allocation that reaches the threshold
        }
        // The trace agrees: one fire, right after the first check at or below the threshold.
        const auto checks = rig.trace.select([](const TraceEvent& e) {
            return e.kind == TraceKind::ThresholdChecked || e.kind == TraceKind::ThresholdFired;
        });
        int fires = 0;
        for (std::size_t i = 0; i < checks.size(); ++i) {
            if (checks[i].kind != TraceKind::ThresholdFired) continue;
            ++fires;
            QVERIFY(i > 0 && checks[i - 1].kind == TraceKind::ThresholdChecked);
            QCOMPARE(checks[i - 1].newValue, threshold);
        }
        QCOMPARE(fires, 1);

        // Frees alone do not re-arm it: the free count is the committed one minus this
        // transaction's allocations.
        for (std::uint64_t b : mine)
            REQUIRE_OK(rig.sm->dec(b));
        QCOMPARE(*rig.sm->nrFree(), start - 8);
        rig.newBlock();
        QVERIFY(!rig.sm->threshold().armed());
        QCOMPARE(fired, 1);

        // After the commit the count is above the threshold again: re-armed, and it fires once
        // more on the way down, again exactly when the count reaches the threshold.
        QVERIFY(rig.commit());
        rig.newBlock();
        QVERIFY(rig.sm->threshold().armed());
        QVERIFY(*rig.sm->nrFree() > threshold);
        while (*rig.sm->nrFree() > threshold) {
            QCOMPARE(fired, 1);
            rig.newBlock();
        }
        QCOMPARE(*rig.sm->nrFree(), threshold);
        QCOMPARE(fired, 2);
        rig.newBlock();
        QCOMPARE(fired, 2);
        QCOMPARE(rig.sm->threshold().fireCount(), 2u);
    }

    void the1025thQueuedOpIsRefused() {
        SmRig rig(2048);
        REQUIRE_RIG(rig);
        // Shadow the bitmap now, so that applying the queue later allocates nothing.
        REQUIRE_OK(rig.sm->inc(99));
        rig.trace.clear();
        rig.sm->in();
        for (std::uint64_t i = 0; i < BlockOpRing::kMaxOps; ++i)
            REQUIRE_OK(rig.sm->inc(100 + i));
        QCOMPARE(rig.sm->ring().size(), 1024u);
        Status s = rig.sm->inc(1500);
        QVERIFY(!s.ok());
        QVERIFY2(contains(s.error(), "too many recursive allocations"),
                 s.error().describe().c_str());
        QCOMPARE(rig.sm->ring().size(), 1024u);
        // Queued, not applied: the counts already include them, the bitmaps do not.
        QCOMPARE(rig.count(100), 1u);
        QCOMPARE(rig.count(1123), 1u);
        QVERIFY(rig.trace.of(TraceKind::BitmapEntryChanged, TraceSource::MetadataSpaceMap).empty());
        REQUIRE_OK(rig.sm->out());
        QVERIFY(rig.sm->ring().empty());
        QCOMPARE(rig.trace.of(TraceKind::BopApplied, TraceSource::MetadataSpaceMap).size(),
                 std::size_t(1024));
        for (std::uint64_t b = 100; b < 100 + BlockOpRing::kMaxOps; ++b)
            QVERIFY2(rig.count(b) == 1, qPrintable(QString("block %1").arg(b)));
        QCOMPARE(rig.count(1500), 0u);
        QVERIFY(rig.commit());
        QCOMPARE(rig.committedCounts()[1123], 1u);
    }

    // As in the kernel, a full ring cannot drain when applying its first op must shadow the
    // bitmap: that queues two more ops (the copy's inc, the original's dec) into one free slot.
    void aFullRingThatMustShadowCannotDrain() {
        SmRig rig(2048);
        REQUIRE_RIG(rig);
        rig.sm->in();
        for (std::uint64_t i = 0; i < BlockOpRing::kMaxOps; ++i)
            REQUIRE_OK(rig.sm->inc(100 + i));
        Status s = rig.sm->out();
        QVERIFY(!s.ok());
        QVERIFY2(contains(s.error(), "too many recursive allocations"),
                 s.error().describe().c_str());
    }

    void opsWhileRecursingAreQueuedAndAppliedAtDepthOne() {
        SmRig rig(2048);
        REQUIRE_RIG(rig);
        rig.trace.clear();
        rig.sm->in();
        REQUIRE_OK(rig.sm->inc(200));
        REQUIRE_OK(rig.sm->inc(201));
        REQUIRE_OK(rig.sm->dec(200));
        const std::uint64_t fresh = rig.newBlock();
        QVERIFY(fresh != ~0ull);
        QCOMPARE(rig.sm->allocatedThisTransaction(), 1u);
        QCOMPARE(rig.sm->ring().size(), 4u);
        QCOMPARE(rig.count(200), 0u); // +1 -1 queued
        QCOMPARE(rig.count(201), 1u);
        QCOMPARE(rig.count(fresh), 1u);
        rig.sm->in();
        REQUIRE_OK(rig.sm->inc(202));
        REQUIRE_OK(rig.sm->out()); // back to depth 1: nothing applied yet
        QCOMPARE(rig.sm->recursionDepth(), 1u);
        QCOMPARE(rig.sm->ring().size(), 5u);
        QVERIFY(rig.trace.of(TraceKind::BopPopped, TraceSource::MetadataSpaceMap).empty());
        QVERIFY(rig.trace.of(TraceKind::BitmapEntryChanged, TraceSource::MetadataSpaceMap).empty());

        REQUIRE_OK(rig.sm->out()); // depth 1 -> 0: applied in FIFO order
        QCOMPARE(rig.sm->recursionDepth(), 0u);
        QVERIFY(rig.sm->ring().empty());
        const auto popped = rig.trace.of(TraceKind::BopPopped, TraceSource::MetadataSpaceMap);
        QVERIFY(popped.size() >= 5); // + the shadowing of the bitmap, queued while applying
        const std::vector<std::pair<std::string, std::uint64_t>> expect = {
            {"inc", 200}, {"inc", 201}, {"dec", 200}, {"inc", fresh}, {"inc", 202}};
        for (std::size_t i = 0; i < expect.size(); ++i) {
            QCOMPARE(popped[i].op, expect[i].first);
            QCOMPARE(popped[i].block, expect[i].second);
        }
        const auto depths = rig.trace.of(TraceKind::RecursionDepth, TraceSource::MetadataSpaceMap);
        QVERIFY(depths.size() >= 4);
        QCOMPARE(depths.back().newValue, 0u);
        QCOMPARE(rig.count(200), 0u);
        QCOMPARE(rig.count(201), 1u);
        QCOMPARE(rig.count(202), 1u);
        QCOMPARE(rig.count(fresh), 1u);

        Status lost = rig.sm->out();
        QVERIFY(!lost.ok());
        QVERIFY2(contains(lost.error(), "lost track of recursion depth"),
                 lost.error().describe().c_str());
        QCOMPARE(rig.sm->recursionDepth(), 0u);
    }

    void countIsMoreThanOneErrsOnTheSideOfCaution() {
        SmRig rig(2048);
        REQUIRE_RIG(rig);
        REQUIRE_OK(rig.sm->setCount(300, 3)); // bitmap value 3, count in the refcount tree
        REQUIRE_OK(rig.sm->setCount(301, 1));
        REQUIRE_OK(rig.sm->setCount(302, 2));
        QVERIFY(rig.commit());
        rig.sm->in();
        REQUIRE_OK(rig.sm->dec(300));
        REQUIRE_OK(rig.sm->dec(300));
        REQUIRE_OK(rig.sm->inc(301));
        REQUIRE_OK(rig.sm->dec(302));
        REQUIRE_OK(rig.sm->inc(303));
        REQUIRE_OK(rig.sm->inc(303));
        QCOMPARE(rig.count(300), 1u);
        QCOMPARE(*rig.sm->countIsMoreThanOne(300), true);  // bitmap says 3: assume shared
        QCOMPARE(*rig.sm->countIsMoreThanOne(301), true);  // 1 + 1 queued
        QCOMPARE(*rig.sm->countIsMoreThanOne(302), false); // 2 - 1 queued
        QCOMPARE(*rig.sm->countIsMoreThanOne(303), true);  // 0 + 2 queued
        REQUIRE_OK(rig.sm->out());
        QCOMPARE(rig.count(300), 1u);
        QCOMPARE(*rig.sm->countIsMoreThanOne(300), false);
    }

    void setCountIsRefusedWhileRecursing() {
        SmRig rig(2048);
        REQUIRE_RIG(rig);
        rig.sm->in();
        Status s = rig.sm->setCount(400, 1);
        QVERIFY(!s.ok());
        QVERIFY2(contains(s.error(), "cannot recurse set_count"), s.error().describe().c_str());
        QVERIFY(rig.sm->ring().empty());
        REQUIRE_OK(rig.sm->out());
        REQUIRE_OK(rig.sm->setCount(400, 1));
        QCOMPARE(rig.count(400), 1u);
    }

    void newBlockSearchesTheCommittedMapFromTheCursor() {
        SmRig rig(2048);
        REQUIRE_RIG(rig);
        const std::uint64_t kept = rig.newBlock();
        QVERIFY(rig.commit());
        const std::vector<std::uint32_t> committed = rig.committedCounts();
        QCOMPARE(committed[kept], 1u);
        const std::uint64_t committedFree = *rig.sm->nrFree();
        QCOMPARE(rig.sm->cursor(), 0u); // reference: back to 0 at commit

        const std::uint64_t before = *rig.sm->nrFree();
        REQUIRE_OK(rig.sm->dec(kept)); // free now, but not in the committed map
        QCOMPARE(rig.count(kept), 0u);
        QVERIFY(*rig.sm->nrFree() <= before); // a free does not raise the free count
        QCOMPARE(*rig.sm->nrFree(), committedFree - rig.sm->allocatedThisTransaction());
        std::uint64_t expected = rig.sm->cursor();
        for (int i = 0; i < 20; ++i) {
            while (committed[expected] != 0)
                ++expected;
            const std::uint64_t b = rig.newBlock();
            QVERIFY2(b != kept, "a block freed in this transaction was handed out before commit");
            QCOMPARE(b, expected); // the first block free in the committed map from the cursor
            QCOMPARE(rig.sm->cursor(), b + 1);
            ++expected;
            QCOMPARE(*rig.sm->nrFree(), committedFree - rig.sm->allocatedThisTransaction());
        }
        QVERIFY(expected > kept); // the search went past the freed block
        QVERIFY(rig.commit());
        QCOMPARE(rig.sm->allocatedThisTransaction(), 0u);
        QCOMPARE(rig.committedCounts()[kept], 0u);
        // Now it is free in the committed map, and the search from 0 finds it.
        bool reused = false;
        for (int i = 0; i < 20 && !reused; ++i)
            reused = rig.newBlock() == kept;
        QVERIFY(reused);
    }

    void commitResetsTheCursorUnderTheReferencePolicyOnly() {
        for (auto policy : {AllocationPolicyKind::Reference, AllocationPolicyKind::Mainline}) {
            SmRig rig(2048, policy);
            REQUIRE_RIG(rig);
            const std::uint64_t b = rig.newBlock();
            QCOMPARE(rig.sm->cursor(), b + 1 + 1); // + the bitmap's shadow
            QVERIFY(rig.sm->allocatedThisTransaction() > 0);
            QVERIFY(rig.commit());
            QCOMPARE(rig.sm->allocatedThisTransaction(), 0u);
            if (policy == AllocationPolicyKind::Reference)
                QCOMPARE(rig.sm->cursor(), 0u);
            else
                QVERIFY(rig.sm->cursor() >= b + 2); // the commit's own shadows moved it on
        }
    }

    void mainlineWantsABlockFreeInBothMapsAndWraps() {
        for (auto policy : {AllocationPolicyKind::Reference, AllocationPolicyKind::Mainline}) {
            const bool mainline = policy == AllocationPolicyKind::Mainline;
            SmRig rig(64, policy);
            REQUIRE_RIG(rig);
            rig.newBlock(); // shadows the bitmap: the inc below changes it in place
            // Take the block the allocator would hand out next, behind its back.
            const std::vector<std::uint32_t> committed = rig.committedCounts();
            std::uint64_t next = rig.sm->cursor();
            while (committed[next] != 0)
                ++next;
            REQUIRE_OK(rig.sm->inc(next));
            const std::uint64_t b = rig.newBlock();
            if (mainline)
                QVERIFY2(b != next, "mainline handed out a block taken in this transaction");
            else
                QCOMPARE(b, next); // the reference policy only asks the committed map
            QVERIFY(rig.commit());

            // Free three blocks low in the device, then allocate to the end.
            std::vector<std::uint64_t> got;
            for (int i = 0; i < 10; ++i)
                got.push_back(rig.newBlock());
            QVERIFY(rig.commit());
            for (int i = 0; i < 3; ++i)
                REQUIRE_OK(rig.sm->dec(got[i]));
            QVERIFY(rig.commit());
            const std::uint64_t cursorBefore = rig.sm->cursor();
            std::vector<std::uint64_t> seq;
            for (std::uint64_t x = rig.newBlock(); x != ~0ull && seq.size() < 64;
                 x = rig.newBlock())
                seq.push_back(x);
            QVERIFY(seq.size() >= 3);
            if (mainline) {
                // The cursor survived the commits; the search went on to the end, then wrapped
                // to the freed blocks.
                QVERIFY(cursorBefore > got[2]);
                QVERIFY(seq.front() >= cursorBefore);
                auto drop = std::adjacent_find(seq.begin(), seq.end(),
                                               [](auto a, auto b) { return b < a; });
                QVERIFY2(drop != seq.end(), "the mainline search did not wrap");
                QVERIFY(*(drop + 1) <= got[2]);
            } else {
                // Back to 0 at commit; within a transaction the search only moves forward.
                QCOMPARE(cursorBefore, 0u);
                QVERIFY(seq.front() <= got[0]);
                QVERIFY(std::is_sorted(seq.begin(), seq.end()));
            }
        }
    }

    void copyRootWrites32MeaningfulLittleEndianBytes() {
        SmRig rig(2048);
        REQUIRE_RIG(rig);
        rig.newBlock();
        QVERIFY(rig.commit());
        QCOMPARE(SpaceMapRoot::kSize, std::size_t(128)); // root_size
        const SpaceMapRoot root = rig.sm->root();
        std::uint8_t blob[SpaceMapRoot::kSize];
        std::fill(std::begin(blob), std::end(blob), std::uint8_t(0xAB));
        root.encode(blob);
        const std::uint64_t fields[4] = {root.nrBlocks, root.nrAllocated, root.bitmapRoot,
                                         root.refCountRoot};
        for (int f = 0; f < 4; ++f)
            for (int i = 0; i < 8; ++i)
                QCOMPARE(blob[f * 8 + i], std::uint8_t(fields[f] >> (8 * i)));
        for (std::size_t i = 32; i < SpaceMapRoot::kSize; ++i)
            QCOMPARE(blob[i], std::uint8_t(0));
        QCOMPARE(root.nrBlocks, 2048u);
        std::uint64_t allocated = 0;
        for (std::uint32_t c : rig.committedCounts())
            allocated += c != 0;
        QCOMPARE(root.nrAllocated, allocated);
        BlockReader reader(rig.device);
        QVERIFY(reader.read(root.bitmapRoot, BlockType::MetadataIndex).ok());
        QVERIFY(reader.read(root.refCountRoot, BlockType::BtreeNode).ok());
    }
};

QTEST_GUILESS_MAIN(TestMetadataSpaceMap)
#include "tst_metadataspacemap.moc"
