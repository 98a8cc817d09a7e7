// findDataBlockOwners against a brute-force scan of every device's mappings: the same (device,
// virtual block, time) triples for every data block of the kernel-written pools (with snapshots
// sharing subtrees) and the tools' large pool, each shared subtree read once, and a damaged leaf
// reported while the rest is still searched.

#include "core/thin/DataBlockOwners.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"

#include <QTest>
#include <map>
#include <set>
#include <tuple>

using namespace dms;

namespace {

using Triple = std::tuple<std::uint64_t, std::uint64_t, std::uint32_t>;

// data block -> every (device, vblock, time) mapping it, from forEachMapping.
std::map<std::uint64_t, std::set<Triple>> bruteForce(const ThinMetadata& md) {
    std::map<std::uint64_t, std::set<Triple>> all;
    auto devices = md.devices(md.superblock());
    if (!devices) return all;
    for (const ThinDevice& d : *devices)
        (void)md.forEachMapping(d.mappingRoot, [&](std::uint64_t v, BlockTime bt) {
            all[bt.dataBlock].insert({d.id, v, bt.time});
        });
    return all;
}

} // namespace

class TestDataBlockOwners : public QObject {
    Q_OBJECT
private slots:
    void matchesEveryMappingOfEveryDevice_data() {
        QTest::addColumn<QString>("fixture");
        QTest::newRow("kernel pool-a") << QStringLiteral("kernel/pool-a/metadata-msnap.img.zst");
        QTest::newRow("kernel pool-b") << QStringLiteral("kernel/pool-b/metadata-msnap.img.zst");
        QTest::newRow("thin_large") << QStringLiteral("tools/thin_large.bin.zst");
    }
    void matchesEveryMappingOfEveryDevice() {
        QFETCH(QString, fixture);
        auto md = ThinMetadata::open(test::fixtureSource(fixture));
        QVERIFY(md.ok());
        const auto expected = bruteForce(**md);
        QVERIFY(expected.size() > 10);
        bool sawShared = false;
        std::uint64_t checked = 0;
        for (const auto& [dataBlock, triples] : expected) {
            // Every block of the small pools; a stride through the large one.
            if (expected.size() > 2000 && dataBlock % 97 != 0) continue;
            auto owners = findDataBlockOwners(**md, (*md)->superblock(), dataBlock);
            QVERIFY(owners.ok());
            QVERIFY(owners->errors.empty());
            std::set<Triple> got;
            for (const DataBlockUse& u : owners->uses)
                got.insert({u.device, u.virtualBlock, u.time});
            QVERIFY2(got == triples, qPrintable(QStringLiteral("data block %1").arg(dataBlock)));
            QCOMPARE(owners->uses.size(), triples.size());
            sawShared = sawShared || triples.size() > 1;
            ++checked;
        }
        QVERIFY(checked > 10);
        if (fixture.startsWith(QLatin1String("kernel/pool-a"))) QVERIFY(sawShared);
        // A block nothing maps has no owners.
        auto none = findDataBlockOwners(**md, (*md)->superblock(), ~std::uint64_t(0) >> 24);
        QVERIFY(none.ok() && none->uses.empty());
    }

    void aDamagedLeafIsReportedAndTheRestSearched() {
        test::Corruptor c(test::fixtureBytes(QStringLiteral("tools/thin_large.bin.zst")));
        const test::ImageLayout l = c.layout();
        c.flipBit(l.bottomLeaf, 100, 3); // checksum now wrong
        auto md = ThinMetadata::open(std::make_shared<MemoryBlockSource>(c.bytes(), false));
        QVERIFY(md.ok());
        const auto expected = bruteForce(**md); // forEachMapping stops at the damage
        auto owners = findDataBlockOwners(**md, (*md)->superblock(), expected.begin()->first);
        QVERIFY(owners.ok());
        QVERIFY(!owners->errors.empty());
        QVERIFY2(QString::fromStdString(owners->errors.front())
                     .contains(QStringLiteral("block %1").arg(l.bottomLeaf)),
                 owners->errors.front().c_str());
    }

    void aSetFlagCancels() {
        auto md =
            ThinMetadata::open(test::fixtureSource(QStringLiteral("tools/thin_large.bin.zst")));
        QVERIFY(md.ok());
        std::atomic<bool> cancel{true};
        auto owners = findDataBlockOwners(**md, (*md)->superblock(), 0, &cancel);
        QVERIFY(!owners.ok());
        QVERIFY(owners.error().message.find("cancelled") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestDataBlockOwners)
#include "tst_datablockowners.moc"
