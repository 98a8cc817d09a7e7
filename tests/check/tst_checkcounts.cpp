// Reference counts: a metadata count raised on disk is a non-fatal leak, a lowered one is
// fatal, exactly as thin_check 0.9.0 judges them; data counts and mapped_blocks, which
// thin_check 0.9.0 does not compare, are warnings (leak and bad count still told apart).
// Every case is compared with thin_check on the same file.

#include "core/check/ThinChecker.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"

#include <QTest>

using namespace dms;
using namespace dms::test;

namespace {

CheckReport checkBytes(const std::vector<std::uint8_t>& bytes, CheckOptions options = {}) {
    return ThinChecker(std::make_shared<MemoryBlockSource>(bytes, false, "image"), options).run();
}

const Finding* findingAbout(const CheckReport& r, FindingCategory c, std::uint64_t block) {
    for (const Finding& f : r.findings())
        if (f.category == c && f.block == block) return &f;
    return nullptr;
}

std::string listOf(const CheckReport& r) {
    std::string s;
    for (const Finding& f : r.findings())
        s += f.describe() + "\n";
    return s;
}

// The verdict of the core, the CLI and thin_check on the same bytes must agree.
void expectSameVerdictAsThinCheck(const Corruptor& c, const char* name, const char* expected) {
    const QString path = writeTempFile(QString(name) + ".img", c.bytes());
    const VerdictPair tool = thinCheckVerdict(path);
    QCOMPARE(tool.name(), QString(expected));
    QCOMPARE(checkerVerdict(c.bytes()).name(), tool.name());
    CheckOptions exact;
    exact.exactOnly = true;
    QCOMPARE(checkerVerdict(c.bytes(), exact).name(), tool.name());
    QCOMPARE(cliVerdict(path).name(), tool.name());
}

} // namespace

class TestCheckCounts : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(haveThinTools(), "thin_check 0.9.0 (thin-provisioning-tools) is the oracle");
    }

    void unreferencedBlockCountedOnDiskIsANonFatalLeak() {
        Corruptor c(fixtureBytes("tools/thin_small.bin.zst"));
        const ImageLayout l = c.layout();
        const std::uint64_t unused = c.blockCount() - 1;
        QCOMPARE(c.bitmapEntry(l.metadataBitmap, unused), 0u);
        c.setBitmapEntry(l.metadataBitmap, unused, 1);
        const auto r = checkBytes(c.bytes());
        QCOMPARE(r.verdict(), CheckVerdict::NonFatal);
        const Finding* f = findingAbout(r, FindingCategory::MetadataLeak, unused);
        QVERIFY2(f, listOf(r).c_str());
        QCOMPARE(f->severity, Severity::NonFatal);
        QCOMPARE(f->field, std::string("count"));
        QCOMPARE(r.count(Severity::Fatal), std::uint64_t(0));
        expectSameVerdictAsThinCheck(c, "leak_unused", "non-fatal");
    }

    void referencedBlockCountedTwiceIsALeakToo() {
        Corruptor c(fixtureBytes("tools/thin_small.bin.zst"));
        const ImageLayout l = c.layout();
        c.setBitmapEntry(l.metadataBitmap, l.topLeaf, 2);
        const auto r = checkBytes(c.bytes());
        QCOMPARE(r.verdict(), CheckVerdict::NonFatal);
        QVERIFY2(findingAbout(r, FindingCategory::MetadataLeak, l.topLeaf), listOf(r).c_str());
        expectSameVerdictAsThinCheck(c, "leak_referenced", "non-fatal");
    }

    void referencedBlockCountedTooLowIsFatal() {
        Corruptor c(fixtureBytes("tools/thin_large.bin.zst"));
        const ImageLayout l = c.layout();
        QVERIFY(l.bottomLeaf != 0);
        c.setBitmapEntry(l.metadataBitmap, l.bottomLeaf, 0);
        const auto r = checkBytes(c.bytes());
        QCOMPARE(r.verdict(), CheckVerdict::Fatal);
        const Finding* f = findingAbout(r, FindingCategory::MetadataBadCount, l.bottomLeaf);
        QVERIFY2(f, listOf(r).c_str());
        QCOMPARE(f->severity, Severity::Fatal);
        QVERIFY2(f->message.find("counts 0, but 1 reference") != std::string::npos,
                 f->message.c_str());
        expectSameVerdictAsThinCheck(c, "bad_count", "fatal");
    }

    void superblockCountedZeroIsFatal() {
        Corruptor c(fixtureBytes("tools/thin_small.bin.zst"));
        c.setBitmapEntry(c.layout().metadataBitmap, 0, 0);
        const auto r = checkBytes(c.bytes());
        QVERIFY2(findingAbout(r, FindingCategory::MetadataBadCount, 0), listOf(r).c_str());
        expectSameVerdictAsThinCheck(c, "bad_count_sb", "fatal");
    }

    void countOfThreeWithoutRefcountEntryIsFatal() {
        Corruptor c(fixtureBytes("tools/thin_small.bin.zst"));
        const ImageLayout l = c.layout();
        c.setBitmapEntry(l.metadataBitmap, l.topLeaf, 3);
        const auto r = checkBytes(c.bytes());
        QCOMPARE(r.verdict(), CheckVerdict::Fatal);
        QCOMPARE(r.count(FindingCategory::SpaceMap), std::uint64_t(1));
        QCOMPARE(r.findings()[0].block.value_or(0), l.metadataRefRoot);
        expectSameVerdictAsThinCheck(c, "three_no_entry", "fatal");
    }

    // Kernel state A: leaf 254 is shared by device 5 (live and held) and device 7, count 3 in
    // the metadata refcount tree.
    void sharedLeafCountedOncePerParent() {
        Corruptor c(fixtureBytes("kernel/pool-a/metadata-msnap.img.zst"));
        const ImageLayout l = c.layout();
        QCOMPARE(c.nrEntries(l.metadataRefRoot), 1u);
        QCOMPARE(c.key(l.metadataRefRoot, 0), std::uint64_t(254));
        QCOMPARE(c.u32(l.metadataRefRoot, 32 + 8 * 336), 3u);
        const auto healthy = checkBytes(c.bytes());
        QCOMPARE(healthy.verdict(), CheckVerdict::Pass);
        // One reference fewer on disk than the three parents: fatal; one more: a leak.
        Corruptor low = c;
        low.setU32(l.metadataRefRoot, 32 + 8 * 336, 2);
        low.reseal(l.metadataRefRoot, BlockType::BtreeNode);
        const auto r = checkBytes(low.bytes());
        QVERIFY2(findingAbout(r, FindingCategory::MetadataBadCount, 254), listOf(r).c_str());
        expectSameVerdictAsThinCheck(low, "shared_low", "fatal");
        Corruptor high = c;
        high.setU32(l.metadataRefRoot, 32 + 8 * 336, 4);
        high.reseal(l.metadataRefRoot, BlockType::BtreeNode);
        const auto h = checkBytes(high.bytes());
        QVERIFY2(findingAbout(h, FindingCategory::MetadataLeak, 254), listOf(h).c_str());
        expectSameVerdictAsThinCheck(high, "shared_high", "non-fatal");
    }

    // Without held_root the snapshot's copy and the nodes only it used are no longer
    // referenced: each is a leak, and shared nodes are counted once less.
    void droppingTheSnapshotLeaksItsBlocks() {
        Corruptor c(fixtureBytes("kernel/pool-a/metadata-msnap.img.zst"));
        const std::uint64_t held = c.layout().heldRoot;
        QCOMPARE(held, std::uint64_t(353));
        const std::uint64_t heldTop = c.u64(held, 320);
        const std::uint64_t heldDetails = c.u64(held, 328);
        c.setU64(0, 56, 0);
        c.reseal(0, BlockType::ThinSuperblock);
        const auto r = checkBytes(c.bytes());
        QCOMPARE(r.verdict(), CheckVerdict::NonFatal);
        for (std::uint64_t b : {held, heldTop, heldDetails})
            QVERIFY2(findingAbout(r, FindingCategory::MetadataLeak, b),
                     (std::to_string(b) + "\n" + listOf(r)).c_str());
        expectSameVerdictAsThinCheck(c, "no_snapshot", "non-fatal");
    }

    void dataCountsAreComparedAsWarnings() {
        Corruptor c(fixtureBytes("tools/thin_small.bin.zst"));
        const ImageLayout l = c.layout();
        // thin_small maps data blocks 100.. (dev 1); block 0 is free, block 100 has count 2.
        QCOMPARE(c.bitmapEntry(l.dataBitmap, 0), 0u);
        QCOMPARE(c.bitmapEntry(l.dataBitmap, 100), 2u);
        c.setBitmapEntry(l.dataBitmap, 0, 1);
        c.setBitmapEntry(l.dataBitmap, 100, 1);
        const auto r = checkBytes(c.bytes());
        QCOMPARE(r.verdict(), CheckVerdict::Pass);
        QCOMPARE(r.count(FindingCategory::DataLeak), std::uint64_t(1));
        QCOMPARE(r.count(FindingCategory::DataBadCount), std::uint64_t(1));
        for (const Finding& f : r.findings()) {
            QCOMPARE(f.severity, Severity::Warning);
            QCOMPARE(f.block.value_or(0), l.dataBitmap);
        }
        expectSameVerdictAsThinCheck(c, "data_counts", "pass");
    }

    void mappedBlocksDisagreeingWithTheTreeIsAWarning() {
        Corruptor c(fixtureBytes("tools/thin_large.bin.zst"));
        const std::uint64_t details = c.layout().detailsRoot;
        const std::size_t values = 32 + 8 * std::size_t(c.u32(details, 20));
        QCOMPARE(c.key(details, 1), std::uint64_t(1));
        QCOMPARE(c.u64(details, values + 24), std::uint64_t(900)); // device 1 mapped_blocks
        c.setU64(details, values + 24, 901);
        c.reseal(details, BlockType::BtreeNode);
        const auto r = checkBytes(c.bytes());
        QCOMPARE(r.verdict(), CheckVerdict::Pass);
        QCOMPARE(r.count(Severity::Warning), std::uint64_t(1));
        const Finding& f = r.findings()[0];
        QCOMPARE(f.category, FindingCategory::Device);
        QCOMPARE(f.block.value_or(0), details);
        QCOMPARE(f.field, std::string("mapped_blocks"));
        QVERIFY2(f.message.find("device 1 records mapped_blocks 901 but its mapping tree holds "
                                "900") != std::string::npos,
                 f.message.c_str());
        expectSameVerdictAsThinCheck(c, "mapped_blocks", "pass");
    }

    void kernelSnapshotMappedBlocksAreCountedThroughSharedSubtrees() {
        // Devices of state A share subtrees with each other and with the snapshot: every
        // mapped_blocks still equals its tree's mappings, so there is nothing to report.
        const auto r = checkBytes(fixtureBytes("kernel/pool-a/metadata-msnap.img.zst"));
        QCOMPARE(r.count(FindingCategory::Device), std::uint64_t(0));
        QCOMPARE(r.stats.devices, std::uint64_t(6));
    }

    void detailsAndMappingTreesListingDifferentDevicesIsAWarning() {
        Corruptor c(fixtureBytes("tools/thin_small.bin.zst"));
        const std::uint64_t details = c.layout().detailsRoot;
        QCOMPARE(c.key(details, 2), std::uint64_t(7));
        c.setKey(details, 2, 8);
        const auto r = checkBytes(c.bytes());
        QCOMPARE(r.verdict(), CheckVerdict::Pass);
        QCOMPARE(r.count(FindingCategory::Device), std::uint64_t(2));
        expectSameVerdictAsThinCheck(c, "details_mismatch", "pass");
    }
};

QTEST_GUILESS_MAIN(TestCheckCounts)
#include "tst_checkcounts.moc"
