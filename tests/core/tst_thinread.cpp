// Reading the fixtures: superblock fields, space-map counts and devices as FORMAT.md states them.

#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinMetadata.h"
#include "tests/support/Fixtures.h"

#include <QTest>

using namespace dms;

class TestThinRead : public QObject {
    Q_OBJECT
private slots:
    void thinSmallSuperblockMatchesItsXml() {
        auto md = ThinMetadata::open(test::fixtureSource("tools/thin_small.bin.zst"));
        QVERIFY2(md.ok(), md.ok() ? "" : md.error().describe().c_str());
        const auto& sb = (*md)->superblock();
        QCOMPARE(sb.time, 2u);
        QCOMPARE(sb.transactionId, 7u);
        QCOMPARE(sb.dataBlockSize, 128u);
        QCOMPARE(sb.dataSpaceMap.nrBlocks, 4096u);
        QCOMPARE(sb.version, 2u);
        QCOMPARE(sb.csum, 0x1867C902u);
        QVERIFY(!sb.needsCheck());
    }
    void needsCheckFlagIsRead() {
        auto md = ThinMetadata::open(test::fixtureSource("tools/thin_needs_check.bin.zst"));
        QVERIFY(md.ok());
        QVERIFY((*md)->superblock().needsCheck());
    }
    void dataBlocksSharedByThreeDevicesHaveCountThree() {
        auto md = ThinMetadata::open(test::fixtureSource("tools/thin_small.bin.zst"));
        QVERIFY(md.ok());
        auto sm = SpaceMapReader::open((*md)->reader(), (*md)->superblock().dataSpaceMap,
                                       SpaceMapKind::Data);
        QVERIFY2(sm.ok(), sm.ok() ? "" : sm.error().describe().c_str());
        for (std::uint64_t b : {110, 111, 112})
            QCOMPARE(*sm->count(b), 3u);
        QCOMPARE(*sm->count(100), 2u);
        QCOMPARE(*sm->count(0), 0u);
        QCOMPARE(*sm->countAllocated(), 21u);
    }
    void kernelImageHeldSnapshotIsReadable() {
        auto md = ThinMetadata::open(test::fixtureSource("kernel/pool-a/metadata-msnap.img.zst"));
        QVERIFY(md.ok());
        QCOMPARE((*md)->superblock().heldRoot, 353u);
        auto held = (*md)->metadataSnapshot();
        QVERIFY2(held.ok(), held.ok() ? "" : held.error().describe().c_str());
        QCOMPARE(held->transactionId, 1u);
        QCOMPARE(held->dataMappingRoot, 350u);
        QCOMPARE(held->deviceDetailsRoot, 348u);
        auto meta = SpaceMapReader::open((*md)->reader(), (*md)->superblock().metadataSpaceMap,
                                         SpaceMapKind::Metadata);
        QVERIFY(meta.ok());
        QCOMPARE(*meta->count(254), 3u);
        QCOMPARE(*meta->countAllocated(), 25u);
        auto devs = (*md)->devices((*md)->superblock());
        QVERIFY(devs.ok());
        QCOMPARE(devs->size(), std::size_t(6));
    }
    void multiBitmapImageCountsEveryBitmap() {
        auto md = ThinMetadata::open(test::fixtureSource("tools/thin_large.bin.zst"));
        QVERIFY(md.ok());
        auto data = SpaceMapReader::open((*md)->reader(), (*md)->superblock().dataSpaceMap,
                                         SpaceMapKind::Data);
        QVERIFY(data.ok());
        QCOMPARE(data->indexEntries().size(), std::size_t(3));
        auto meta = SpaceMapReader::open((*md)->reader(), (*md)->superblock().metadataSpaceMap,
                                         SpaceMapKind::Metadata);
        QVERIFY(meta.ok());
        QCOMPARE(meta->indexEntries().size(), std::size_t(2));
    }
    void cacheImageIsNamedAsCache() {
        auto md = ThinMetadata::open(test::fixtureSource("tools/cache_v1.bin.zst"));
        QVERIFY(!md.ok());
        QVERIFY(md.error().describe().find("dm-cache") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestThinRead)
#include "tst_thinread.moc"
