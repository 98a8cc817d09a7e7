// BlockClassifier and `dmscope-cli blocks`: every block's class against the space maps and the
// facts FORMAT.md states for the fixtures, damage handling, progress and cancellation.

#include "core/BlockType.h"
#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/BlockClassifier.h"
#include "tests/support/Fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace dms;

namespace {

const char* const kThinFixtures[] = {
    "tools/thin_small.bin.zst",       "tools/thin_large.bin.zst",
    "tools/thin_needs_check.bin.zst", "kernel/pool-a/metadata-msnap.img.zst",
    "kernel/pool-a/metadata.img.zst", "lvm/pool/metadata-live-msnap.img.zst",
    "lvm/pool/metadata.img.zst",
};

std::shared_ptr<ThinMetadata> open(std::shared_ptr<const BlockSource> src) {
    auto md = ThinMetadata::open(std::move(src));
    if (!md) qFatal("cannot open fixture: %s", md.error().describe().c_str());
    return *md;
}

BlockMap classify(const ThinMetadata& md) {
    auto map = BlockClassifier(md).classify();
    if (!map) qFatal("classify failed: %s", map.error().describe().c_str());
    return std::move(*map);
}

std::string where(std::uint64_t b, const BlockMap& m) {
    return "block " + std::to_string(b) + " (" + blockRoleName(m.role(b)) + ")";
}

bool isReferencedRole(BlockRole r) {
    return r != BlockRole::Free && r != BlockRole::Leaked && r != BlockRole::UnknownCount &&
           r != BlockRole::BeyondSpaceMap;
}

// Rewrites one btree value in place and reseals the node.
void pokeNodeValueU64(std::vector<std::uint8_t>& img, std::uint64_t block, std::uint32_t index,
                      std::uint64_t value) {
    std::uint8_t* p = img.data() + block * kBlockSize;
    const std::uint32_t maxEntries = loadLe32(p + 20);
    std::uint8_t* v = p + 32 + 8ull * maxEntries + 8ull * index;
    for (int i = 0; i < 8; ++i)
        v[i] = static_cast<std::uint8_t>(value >> (8 * i));
    sealBlock(p, block, BlockType::BtreeNode);
}

} // namespace

class TestBlocks : public QObject {
    Q_OBJECT
private slots:
    // On an undamaged image every block < nr_blocks is either referenced (a tree or space-map
    // role) with on-disk count == pointers found, or unreferenced with count 0 (free) or > 0
    // (leaked). So: space-map allocated (counted here from the bitmaps by SpaceMapReader) ==
    // blocks in all classes except free / unknown_count / beyond_space_map, and no mismatch.
    void totalsAgreeWithTheSpaceMapOnEveryThinFixture() {
        for (const char* f : kThinFixtures) {
            auto md = open(test::fixtureSource(f));
            const BlockMap m = classify(*md);
            auto sm = SpaceMapReader::open(md->reader(), md->superblock().metadataSpaceMap,
                                           SpaceMapKind::Metadata);
            QVERIFY2(sm.ok(), f);
            const std::uint64_t allocated = *sm->countAllocated();
            std::uint64_t nonFree = 0;
            for (unsigned i = 0; i < kBlockRoleCount; ++i) {
                const auto r = static_cast<BlockRole>(i);
                if (r != BlockRole::Free && r != BlockRole::UnknownCount &&
                    r != BlockRole::BeyondSpaceMap)
                    nonFree += m.total(r);
            }
            QVERIFY2(nonFree == allocated,
                     (std::string(f) + ": non-free " + std::to_string(nonFree) + " vs allocated " +
                      std::to_string(allocated))
                         .c_str());
            QCOMPARE(m.allocated(), allocated);
            QCOMPARE(m.total(BlockRole::Unreadable), 0u);
            QCOMPARE(m.total(BlockRole::Leaked), 0u);
            QVERIFY2(m.problems().empty(), m.problems().empty() ? "" : m.problems()[0].c_str());
            for (std::uint64_t b = 0; b < m.size(); ++b) {
                const auto c = m.diskCount(b);
                QVERIFY2(c.has_value(), (std::string(f) + ": " + where(b, m)).c_str());
                if (isReferencedRole(m.role(b)))
                    QVERIFY2(*c == m.references(b),
                             (std::string(f) + ": " + where(b, m) + " count " + std::to_string(*c) +
                              " but " + std::to_string(m.references(b)) + " pointers")
                                 .c_str());
                else
                    QVERIFY2(*c == 0 && m.role(b) == BlockRole::Free,
                             (std::string(f) + ": " + where(b, m)).c_str());
            }
            QCOMPARE(m.countMismatches(), 0u);
        }
    }

    // FORMAT.md §3/§5: state A holds the copy at 353, the metadata refcount leaf at 367 with
    // 254 -> 3, the bottom roots of devices 1, 2, 4, 7 (185, 206, 224, 252) at count 2, leaf 254
    // shared by devices 5 and 7, and the space-map blocks at 359, 363, 364, 370, 371.
    void kernelStateAHeldCopyAndSharedNodes() {
        const BlockMap m =
            classify(*open(test::fixtureSource("kernel/pool-a/metadata-msnap.img.zst")));
        QCOMPARE(m.role(0), BlockRole::Superblock);
        QCOMPARE(m.role(353), BlockRole::MetadataSnapshot);
        QCOMPARE(m.total(BlockRole::MetadataSnapshot), 1u);
        QCOMPARE(m.role(367), BlockRole::MetadataRefcountNode);
        QCOMPARE(m.role(254), BlockRole::MappingBottomLeaf);
        QCOMPARE(*m.diskCount(254), 3u);
        QCOMPARE(m.references(254), 3u);
        QVERIFY(m.owner(254).kind == BlockOwner::Kind::Shared);
        for (std::uint64_t b : {185, 206, 224, 252}) {
            QVERIFY2(*m.diskCount(b) == 2 && m.references(b) == 2, where(b, m).c_str());
            QVERIFY2(m.owner(b).kind == BlockOwner::Kind::Device, where(b, m).c_str());
        }
        QCOMPARE(m.owner(185).device, 1u);
        QCOMPARE(m.owner(252).device, 7u);
        QCOMPARE(m.role(350), BlockRole::MappingTopLeaf); // the copy's roots
        QCOMPARE(m.role(348), BlockRole::DetailsLeaf);
        QCOMPARE(m.role(365), BlockRole::MappingTopLeaf); // the live ones
        QCOMPARE(m.role(369), BlockRole::DetailsLeaf);
        QCOMPARE(m.role(359), BlockRole::DataRefcountNode);
        QCOMPARE(m.role(363), BlockRole::DataBitmap);
        QCOMPARE(m.role(364), BlockRole::MetadataBitmap);
        QCOMPARE(m.role(370), BlockRole::DataSmIndexNode);
        QCOMPARE(m.role(371), BlockRole::MetadataSmIndex);
        QCOMPARE(m.allocated(), 25u);
        for (std::uint64_t b = 1; b <= 163; ++b)
            QVERIFY2(m.role(b) == BlockRole::Free, where(b, m).c_str());
    }

    // State B (after release): 20 allocated, 254 back to 2, no copy, space-map blocks at 1..6.
    void kernelStateBAfterRelease() {
        const BlockMap m = classify(*open(test::fixtureSource("kernel/pool-a/metadata.img.zst")));
        QCOMPARE(m.allocated(), 20u);
        QCOMPARE(m.total(BlockRole::MetadataSnapshot), 0u);
        QCOMPARE(*m.diskCount(254), 2u);
        QCOMPARE(m.role(353), BlockRole::Free);
        const BlockRole spaceMapRoles[] = {
            BlockRole::DataBitmap,       BlockRole::MetadataBitmap,
            BlockRole::DataRefcountNode, BlockRole::MetadataRefcountNode,
            BlockRole::DataSmIndexNode,  BlockRole::MetadataSmIndex};
        for (std::uint64_t b = 1; b <= 6; ++b)
            QVERIFY2(m.role(b) == spaceMapRoles[b - 1], where(b, m).c_str());
    }

    // FORMAT.md §11.8 and tools/README.md: thin_restore's fixed placement (index 1, metadata
    // refcount root 2, bitmap 3) and the orphaned empty leaf (8 in thin_small, 9 in thin_large)
    // whose bitmap entry is 0: free, not leaked.
    void toolImagesPlacementAndOrphanLeafIsFree() {
        const BlockMap s = classify(*open(test::fixtureSource("tools/thin_small.bin.zst")));
        QCOMPARE(s.role(1), BlockRole::MetadataSmIndex);
        QCOMPARE(s.role(2), BlockRole::MetadataRefcountNode);
        QCOMPARE(s.role(3), BlockRole::MetadataBitmap);
        QCOMPARE(s.role(8), BlockRole::Free);
        QCOMPARE(*s.diskCount(8), 0u);
        QCOMPARE(s.allocated(), 12u); // "12 metadata blocks referenced"
        QCOMPARE(s.total(BlockRole::MappingBottomLeaf), 3u);

        const BlockMap l = classify(*open(test::fixtureSource("tools/thin_large.bin.zst")));
        QCOMPARE(l.role(9), BlockRole::Free);
        QCOMPARE(l.total(BlockRole::MetadataBitmap), 2u); // 20000 blocks
        QCOMPARE(l.total(BlockRole::DataBitmap), 3u);     // 40000 data blocks
        // dev 0: 1 internal + 9 leaves; dev 5: internal + 40 leaves.
        std::map<std::uint64_t, std::pair<int, int>> perDevice;
        for (std::uint64_t b = 0; b < l.size(); ++b) {
            if (!blockRoleHasOwner(l.role(b))) continue;
            QVERIFY2(l.owner(b).kind == BlockOwner::Kind::Device, where(b, l).c_str());
            auto& [internal, leaves] = perDevice[l.owner(b).device];
            (l.role(b) == BlockRole::MappingBottomLeaf ? leaves : internal)++;
        }
        QCOMPARE(perDevice[0], std::make_pair(1, 9));
        QCOMPARE(perDevice[5], std::make_pair(1, 40));
    }

    void damagedLeafIsUnreadableWithTheReason() {
        auto img = test::fixtureBytes("tools/thin_small.bin.zst");
        img[10 * kBlockSize + 100] ^= 0xFF; // dev 1's leaf: checksum no longer matches
        const BlockMap m = classify(*open(std::make_shared<MemoryBlockSource>(img, false)));
        QCOMPARE(m.role(10), BlockRole::Unreadable);
        QVERIFY(m.reason(10) != nullptr);
        QVERIFY2(m.reason(10)->find("block 10") != std::string::npos, m.reason(10)->c_str());
        QVERIFY2(m.reason(10)->find("checksum") != std::string::npos, m.reason(10)->c_str());
        QCOMPARE(m.role(11), BlockRole::MappingBottomLeaf);

        const QString path = test::writeTempFile("damaged.img", img);
        const auto r = test::runCli({"blocks", path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("\n10 unreadable (dev 1): block 10, field csum"),
                 r.out.constData());
    }

    // Dev 2's top-level entry pointed at dev 1's leaf: the leaf gets 2 pointers but count 1 and
    // becomes shared; dev 2's own leaf keeps count 1 with no pointer: leaked.
    void redirectedRootGivesSharedLeafAndLeakedBlock() {
        auto img = test::fixtureBytes("tools/thin_small.bin.zst");
        pokeNodeValueU64(img, 7, 1, 10); // top-level leaf 7, entry 1 = dev 2
        const BlockMap m = classify(*open(std::make_shared<MemoryBlockSource>(img, false)));
        QCOMPARE(m.role(11), BlockRole::Leaked);
        QCOMPARE(*m.diskCount(11), 1u);
        QCOMPARE(m.references(10), 2u);
        QVERIFY(m.owner(10).kind == BlockOwner::Kind::Shared);
        QCOMPARE(m.countMismatches(), 2u);
    }

    void pointerBeyondTheDeviceIsAProblemNotACrash() {
        auto img = test::fixtureBytes("tools/thin_small.bin.zst");
        pokeNodeValueU64(img, 7, 0, 1u << 30);
        const BlockMap m = classify(*open(std::make_shared<MemoryBlockSource>(img, false)));
        QVERIFY(m.problemCount() >= 1);
        QCOMPARE(m.role(10), BlockRole::Leaked);
    }

    void progressIsReportedAndCancelStops() {
        auto md = open(test::fixtureSource("tools/thin_large.bin.zst"));
        std::uint64_t calls = 0;
        std::uint64_t lastDone = 0;
        auto ok = BlockClassifier(*md).classify([&](std::uint64_t done, std::uint64_t) {
            ++calls;
            lastDone = done;
            return true;
        });
        QVERIFY(ok.ok());
        QVERIFY(calls >= 1);
        QCOMPARE(lastDone, 71u); // every allocated block was visited once
        // Progress comes every 64 blocks: thin_large's 71 give one chance to cancel.
        std::uint64_t seen = 0;
        auto cancelled = BlockClassifier(*md).classify([&](std::uint64_t done, std::uint64_t) {
            seen = done;
            return false;
        });
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().message, std::string("cancelled"));
        QCOMPARE(seen, 64u);
    }

    void jsonTotalsMatchTheCoreAndCacheEraAreRefused() {
        const QString path = test::writeTempFile(
            "a.img", test::fixtureBytes("kernel/pool-a/metadata-msnap.img.zst"));
        const auto r = test::runCli({"blocks", path, "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const BlockMap m =
            classify(*open(test::fixtureSource("kernel/pool-a/metadata-msnap.img.zst")));
        const QJsonObject totals = o["totals"].toObject();
        QCOMPARE(totals.size(), int(kBlockRoleCount));
        for (unsigned i = 0; i < kBlockRoleCount; ++i) {
            const auto role = static_cast<BlockRole>(i);
            QCOMPARE(totals[blockRoleKey(role)].toInteger(), qint64(m.total(role)));
        }
        QCOMPARE(o["allocated"].toInteger(), 25);
        QCOMPARE(o["non_free"].toInteger(), 25);
        qint64 covered = 0;
        for (const auto& run : o["runs"].toArray())
            covered += run.toObject()["last"].toInteger() - run.toObject()["first"].toInteger() + 1;
        QCOMPARE(covered, qint64(m.size()));

        for (const char* f :
             {"tools/cache_v1.bin.zst", "tools/cache_v2.bin.zst", "tools/era.bin.zst"}) {
            const QString p = test::writeTempFile("other.img", test::fixtureBytes(f));
            for (const char* cmd : {"blocks", "stats"}) {
                const auto e = test::runCli({cmd, p});
                QVERIFY2(e.exitCode == 1, f);
                QVERIFY2(e.out.isEmpty(), f);
                QVERIFY2(e.err.contains("not the thin-pool magic"), e.err.constData());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestBlocks)
#include "tst_blocks.moc"
