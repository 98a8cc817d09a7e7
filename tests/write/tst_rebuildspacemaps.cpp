// rebuild-space-maps recomputes both space maps from the trees: after counts are damaged in every
// way (leaked and missing metadata references, data counts too high and too low, wrong hints), the
// rebuilt image passes thin_check and the in-process audit and dumps exactly as before; damage to
// the space maps' own blocks is refused with a message naming the block.

#include "core/thin/SpaceMapRebuilder.h"
#include "core/thin/ThinMetadata.h"
#include "tests/support/Fixtures.h"
#include "tests/support/ImageChecks.h"
#include "tests/support/PoolAudit.h"

#include <QFile>
#include <QTest>

using namespace dms;
using namespace dms::test;

namespace {

struct Damage {
    const char* name;
    bool metadata;
    std::uint64_t block;
    std::uint32_t count;
};

std::vector<std::uint8_t> readFile(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray b = f.readAll();
    return std::vector<std::uint8_t>(b.begin(), b.end());
}

std::string dumpOf(const QString& path) {
    const RunResult r = runProgram(QStringLiteral("thin_dump"), {path});
    return r.out.toStdString();
}

} // namespace

class TestRebuildSpaceMaps : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(haveThinTools(), "thin-provisioning-tools not installed"); }

    void rebuildRepairsDamagedCounts_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<bool>("metadata");
        QTest::addColumn<quint64>("block");
        QTest::addColumn<quint32>("count");
        // Blocks chosen from the fixtures' documented layout (FORMAT.md §3, §5, tools/README.md).
        QTest::newRow("thin_small leaked data")
            << "tools/thin_small.bin.zst" << false << quint64(3000) << 1u;
        QTest::newRow("thin_small data too high")
            << "tools/thin_small.bin.zst" << false << quint64(110) << 7u;
        QTest::newRow("thin_small data too low")
            << "tools/thin_small.bin.zst" << false << quint64(100) << 0u;
        QTest::newRow("thin_small leaked metadata")
            << "tools/thin_small.bin.zst" << true << quint64(900) << 2u;
        QTest::newRow("thin_large data in refcount tree")
            << "tools/thin_large.bin.zst" << false << quint64(5) << 1u;
        QTest::newRow("pool-a shared leaf too low")
            << "kernel/pool-a/metadata-msnap.img.zst" << true << quint64(254) << 1u;
        QTest::newRow("pool-a held copy freed")
            << "kernel/pool-a/metadata-msnap.img.zst" << true << quint64(353) << 0u;
        QTest::newRow("pool-a data held by snapshot")
            << "kernel/pool-a/metadata-msnap.img.zst" << false << quint64(3) << 2u;
        QTest::newRow("pool-b leaked metadata")
            << "kernel/pool-b/metadata.img.zst" << true << quint64(1500) << 1u;
    }
    void rebuildRepairsDamagedCounts() {
        QFETCH(QString, fixture);
        QFETCH(bool, metadata);
        QFETCH(quint64, block);
        QFETCH(quint32, count);
        const QString path = writeScratchImage("rebuild.img", fixtureBytes(fixture));
        const std::string before = dumpOf(path);
        QVERIFY(!before.empty());
        const RunResult held = runProgram(QStringLiteral("thin_dump"), {"-m", path});
        const std::string heldBefore = held.exitCode == 0 ? held.out.toStdString() : std::string();
        {
            auto src = std::make_shared<MemoryBlockSource>(fixtureBytes(fixture));
            auto ed = ThinPoolEditor::open(src);
            QVERIFY2(ed.ok(), ed.ok() ? "" : ed.error().describe().c_str());
            SpaceMap& sm = metadata ? (*ed)->metadataSpaceMap() : (*ed)->dataSpaceMap();
            QVERIFY(sm.setCount(block, count).ok());
            QVERIFY((*ed)->commit().ok());
            writeScratchImage("rebuild.img", src->bytes());
        }
        // thin_check 0.9.0 does not compare data counts: the audit does (PoolAudit.h).
        {
            auto damaged = std::make_shared<MemoryBlockSource>(readFile(path), false);
            const bool toolSees = runProgram("thin_check", {"-q", path}).exitCode != 0;
            QVERIFY2(toolSees || !auditPool(damaged).empty(),
                     "neither thin_check nor the audit sees the damage: the case proves nothing");
        }
        auto src = std::make_shared<MemoryBlockSource>(readFile(path));
        auto ed = ThinPoolEditor::open(src);
        QVERIFY(ed.ok());
        auto r = SpaceMapRebuilder(**ed).run();
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QVERIFY(r->metadataBlocksChanged + r->dataBlocksChanged >= 1);
        QVERIFY((*ed)->commit().ok());
        writeScratchImage("rebuild.img", src->bytes());
        const RunResult check = runProgram("thin_check", {path});
        QVERIFY2(check.exitCode == 0, check.err.constData());
        QCOMPARE(dumpOf(path), before);
        // Every checker, the audit, and both dumps (live and held) as before the damage.
        const std::string failures = verifyImages(
            {{path, QString("rebuilt ") + QTest::currentDataTag(), before, heldBefore}});
        QVERIFY2(failures.empty(), failures.c_str());
    }

    void damagedSpaceMapBlockIsRefusedByName() {
        auto src = std::make_shared<MemoryBlockSource>(fixtureBytes("tools/thin_small.bin.zst"));
        auto md = ThinMetadata::open(src);
        QVERIFY(md.ok());
        // Tools place the metadata refcount root at block 2 (FORMAT.md §5). Its count is changed in
        // the bitmap at block 3, so the node itself stays where it is, now with a wrong count.
        const std::uint64_t metaBitmap = 2;
        auto ed = ThinPoolEditor::open(src);
        QVERIFY(ed.ok());
        QVERIFY((*ed)->metadataSpaceMap().setCount(metaBitmap, 2).ok());
        QVERIFY((*ed)->commit().ok());
        auto again = ThinPoolEditor::open(src);
        QVERIFY(again.ok());
        auto r = SpaceMapRebuilder(**again).run();
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("refcount") != std::string::npos,
                 r.error().describe().c_str());
        QCOMPARE(r.error().block, std::optional<std::uint64_t>(metaBitmap));
    }
};

QTEST_GUILESS_MAIN(TestRebuildSpaceMaps)
#include "tst_rebuildspacemaps.moc"
