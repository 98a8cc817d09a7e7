// ReferrerSearch: the pointers it finds are the ones the block classifier counts (for every block
// of every fixture, referrers == BlockMap::references()), each one is really in its parent's
// bytes, a search can be cancelled, and damage does not stop it.

#include "core/btree/BtreeNode.h"
#include "core/spacemap/IndexEntry.h"
#include "core/thin/BlockClassifier.h"
#include "core/thin/ReferrerSearch.h"
#include "models/DemoPool.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"
#include "tests/support/Require.h"

#include <QTest>
#include <map>

using namespace dms;

namespace {

const QStringList kThinFixtures = {QStringLiteral("tools/thin_small.bin.zst"),
                                   QStringLiteral("tools/thin_large.bin.zst"),
                                   QStringLiteral("tools/thin_needs_check.bin.zst"),
                                   QStringLiteral("kernel/pool-a/metadata-msnap.img.zst"),
                                   QStringLiteral("kernel/pool-a/metadata.img.zst"),
                                   QStringLiteral("kernel/pool-b/metadata-msnap.img.zst"),
                                   QStringLiteral("kernel/pool-b/metadata.img.zst"),
                                   QStringLiteral("lvm/pool/metadata.img.zst"),
                                   QStringLiteral("lvm/pool/metadata-live-msnap.img.zst")};

std::vector<std::uint64_t> allBlocks(const ThinMetadata& md) {
    std::vector<std::uint64_t> v(md.reader().blockCount());
    for (std::uint64_t b = 0; b < v.size(); ++b)
        v[b] = b;
    return v;
}

// The pointer a referrer names, read back from its parent's bytes.
std::uint64_t pointerInParent(const ThinMetadata& md, const Referrer& r) {
    auto block = md.reader().raw(r.parent);
    if (!block) return UINT64_MAX;
    switch (r.kind) {
    case Referrer::Kind::IndexEntry:
        return IndexEntry::decode(block->data() + 16 + r.slot * IndexEntry::kSize).blocknr;
    case Referrer::Kind::ChildPointer:
    case Referrer::Kind::MappingTopValue:
    case Referrer::Kind::DataSmIndexValue: {
        auto node = BtreeNode::fromBlock(*block, 0);
        if (!node || r.slot >= node->nrEntries()) return UINT64_MAX;
        return node->valueU64(r.slot);
    }
    case Referrer::Kind::SuperblockField: {
        const ThinSuperblock sb = ThinSuperblock::decode(*block);
        const std::map<std::string, std::uint64_t> fields = {
            {"metadata_space_map_root.ref_count_root", sb.metadataSpaceMap.refCountRoot},
            {"metadata_space_map_root.bitmap_root", sb.metadataSpaceMap.bitmapRoot},
            {"data_space_map_root.ref_count_root", sb.dataSpaceMap.refCountRoot},
            {"data_space_map_root.bitmap_root", sb.dataSpaceMap.bitmapRoot},
            {"device_details_root", sb.deviceDetailsRoot},
            {"data_mapping_root", sb.dataMappingRoot},
            {"held_root", sb.heldRoot}};
        auto it = fields.find(r.field);
        return it == fields.end() ? UINT64_MAX : it->second;
    }
    }
    return UINT64_MAX;
}

} // namespace

class TestReferrerSearch : public QObject {
    Q_OBJECT
private:
    void compareWithClassifier(const QString& name, std::shared_ptr<const BlockSource> source) {
        auto md = ThinMetadata::open(std::move(source));
        REQUIRE_OK(md);
        auto map = BlockClassifier(**md).classify();
        REQUIRE_OK(map);
        ReferrerSearch search(**md);
        auto found = search.find(allBlocks(**md));
        REQUIRE_OK(found);
        std::vector<std::uint32_t> counted(map->size(), 0);
        for (const Referrer& r : *found) {
            ++counted[r.target];
            QVERIFY2(pointerInParent(**md, r) == r.target,
                     qPrintable(QStringLiteral("%1: block %2 does not hold a pointer to block %3 "
                                               "in %4 (%5)")
                                    .arg(name)
                                    .arg(r.parent)
                                    .arg(r.target)
                                    .arg(QString::fromStdString(r.field))
                                    .arg(QString::fromStdString(r.path))));
            QVERIFY2(!r.path.empty(), qPrintable(name));
        }
        std::uint64_t withReferrers = 0;
        for (std::uint64_t b = 0; b < map->size(); ++b) {
            // Block 0 is counted once by the classifier for being the superblock; nothing
            // points at it.
            const std::uint32_t expected = map->references(b) - (b == 0 ? 1 : 0);
            QVERIFY2(counted[b] == expected,
                     qPrintable(QStringLiteral("%1: block %2 (%3) has %4 referrers, the classifier "
                                               "counted %5 references")
                                    .arg(name)
                                    .arg(b)
                                    .arg(QString::fromLatin1(blockRoleName(map->role(b))))
                                    .arg(counted[b])
                                    .arg(expected)));
            withReferrers += counted[b] != 0;
        }
        QVERIFY2(withReferrers > 3, qPrintable(name));
    }

private slots:
    void referrersAreTheClassifiersReferencesOnEveryFixture() {
        for (const QString& f : kThinFixtures)
            compareWithClassifier(f, test::fixtureSource(f));
        auto demo = DemoPool::load();
        REQUIRE_OK(demo);
        compareWithClassifier(QStringLiteral("demo pool"), *demo);
    }

    // A single-block search finds what the all-blocks search found for that block.
    void oneBlockSearchMatchesTheFullSearch() {
        auto md = ThinMetadata::open(test::fixtureSource(kThinFixtures[5]));
        REQUIRE_OK(md);
        ReferrerSearch search(**md);
        auto all = search.find(allBlocks(**md));
        REQUIRE_OK(all);
        const std::uint64_t target = (*md)->superblock().dataMappingRoot;
        auto one = search.find(target);
        REQUIRE_OK(one);
        std::size_t expected = 0;
        for (const Referrer& r : *all)
            expected += r.target == target;
        QCOMPARE(one->size(), expected);
        QVERIFY(!one->empty());
        for (const Referrer& r : *one)
            QCOMPARE(r.target, target);
    }

    void searchIsCancelledByItsProgressCallback() {
        auto md =
            ThinMetadata::open(test::fixtureSource(QStringLiteral("tools/thin_large.bin.zst")));
        REQUIRE_OK(md);
        ReferrerSearch search(**md);
        REQUIRE_OK(search.find(1));
        QVERIFY2(search.nodesVisited() > 16, "the fixture is too small to call progress");
        int calls = 0;
        auto cancelled = search.find(1, [&](std::uint64_t, std::uint64_t) { return ++calls < 1; });
        QVERIFY(!cancelled.ok());
        QCOMPARE(calls, 1);
        QVERIFY2(cancelled.error().message.find("cancel") != std::string::npos,
                 cancelled.error().describe().c_str());
    }

    void blockBeyondTheDeviceIsAnError() {
        auto md = ThinMetadata::open(test::fixtureSource(kThinFixtures[0]));
        REQUIRE_OK(md);
        auto r = ReferrerSearch(**md).find((*md)->reader().blockCount());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::OutOfRange);
    }

    // A zeroed bottom-level internal node is still found as referenced by its parent, and its
    // children are no longer reached through it; the rest of the pool is searched.
    void damagedNodeKeepsItsReferrersAndTheSearchGoesOn() {
        test::Corruptor c(test::fixtureBytes(kThinFixtures[5]));
        const test::ImageLayout layout = c.layout();
        QVERIFY(layout.bottomInternal != 0);
        c.zeroBlock(layout.bottomInternal);
        auto md = ThinMetadata::open(std::make_shared<MemoryBlockSource>(c.bytes(), false));
        REQUIRE_OK(md);
        ReferrerSearch search(**md);
        auto r = search.find({layout.bottomInternal, layout.detailsRoot});
        REQUIRE_OK(r);
        bool damaged = false, details = false;
        for (const Referrer& x : *r) {
            damaged |= x.target == layout.bottomInternal;
            details |= x.target == layout.detailsRoot;
        }
        QVERIFY2(damaged, "the zeroed node lost its referrer");
        QVERIFY(details);
    }

    void dataBlockUsersAreEveryDeviceMappingThatBlock() {
        auto md = ThinMetadata::open(test::fixtureSource(kThinFixtures[5]));
        REQUIRE_OK(md);
        auto devices = (*md)->devices((*md)->superblock());
        REQUIRE_OK(devices);
        QVERIFY(!devices->empty());
        // The first mapping of the first device with any.
        std::optional<std::pair<std::uint64_t, BlockTime>> first;
        for (const ThinDevice& d : *devices) {
            REQUIRE_OK((*md)->forEachMapping(d.mappingRoot, [&](std::uint64_t v, BlockTime bt) {
                if (!first) first = std::make_pair(v, bt);
            }));
            if (first) {
                // Every device mapping that data block, snapshots sharing the subtree included.
                std::size_t mappers = 0;
                for (const ThinDevice& e : *devices)
                    REQUIRE_OK(
                        (*md)->forEachMapping(e.mappingRoot, [&](std::uint64_t, BlockTime bt) {
                            mappers += bt.dataBlock == first->second.dataBlock;
                        }));
                auto users = findDataBlockUsers(**md, first->second.dataBlock);
                REQUIRE_OK(users);
                QCOMPARE(users->size(), mappers);
                QCOMPARE(users->front().thinDev, std::uint32_t(d.id));
                QCOMPARE(users->front().thinBegin, first->first);
                QCOMPARE(users->front().dataEnd - users->front().dataBegin, std::uint64_t(1));
                break;
            }
        }
        QVERIFY(first.has_value());
    }
};

QTEST_GUILESS_MAIN(TestReferrerSearch)
#include "tst_referrersearch.moc"
