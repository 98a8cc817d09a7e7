// The bootstrap allocator, as the kernel uses it: creating a pool hands out the blocks after the
// superblock in order and a fresh pool holds exactly 9 metadata blocks; extending the metadata
// switches to bootstrap mode, allocates the new bitmaps from the new area, then increments and
// commits round after round until a round allocates nothing; the size is capped at 255 bitmaps.
// Also: the same edits under the reference and mainline policies place blocks differently and
// both pass thin_check.

#include "core/FileBlockSource.h"
#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinMetadata.h"
#include "core/thin/ThinPoolEditor.h"
#include "tests/support/Fixtures.h"
#include "tests/support/ImageChecks.h"
#include "tests/support/Require.h"
#include "tests/support/ThinModel.h"
#include "tests/support/TraceRecorder.h"

#include <QFile>
#include <QTest>

using namespace dms;
using namespace dms::test;

namespace {

// A sparse file of `blocks` blocks (only what is written takes room).
QString sparseFile(const QString& name, std::uint64_t blocks) {
    const QString path = scratchPath(name);
    QFile::remove(path);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || !f.resize(qint64(blocks * kBlockSize))) return {};
    return path;
}

std::shared_ptr<BlockSource> openForEdit(const QString& path) {
    auto src = FileBlockSource::open(path.toStdString(), OpenMode::ReadWriteExclusive);
    return src ? std::shared_ptr<BlockSource>(std::move(*src)) : nullptr;
}

// Metadata counts and the superblock, read back from the device.
struct Readback {
    ThinSuperblock sb;
    std::vector<std::uint32_t> metaCounts;
    std::vector<IndexEntry> metaIndex;
    std::vector<IndexEntry> dataIndex;
    std::string error;
};

Readback readBack(const QString& path) {
    Readback r;
    auto src = FileBlockSource::open(path.toStdString());
    if (!src) return {{}, {}, {}, {}, src.error().describe()};
    auto md = ThinMetadata::open(std::shared_ptr<const BlockSource>(std::move(*src)));
    if (!md) return {{}, {}, {}, {}, md.error().describe()};
    r.sb = (*md)->superblock();
    auto meta =
        SpaceMapReader::open((*md)->reader(), r.sb.metadataSpaceMap, SpaceMapKind::Metadata);
    auto data = SpaceMapReader::open((*md)->reader(), r.sb.dataSpaceMap, SpaceMapKind::Data);
    if (!meta || !data) return {{}, {}, {}, {}, "space maps do not open"};
    r.metaIndex = meta->indexEntries();
    r.dataIndex = data->indexEntries();
    Status s =
        meta->forEachCount([&](std::uint64_t, std::uint32_t c) { r.metaCounts.push_back(c); });
    if (!s) r.error = s.error().describe();
    return r;
}

std::uint64_t allocated(const std::vector<std::uint32_t>& counts) {
    std::uint64_t n = 0;
    for (std::uint32_t c : counts)
        n += c != 0;
    return n;
}

} // namespace

class TestMetadataBootstrap : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(haveThinTools(), "thin_check and thin_dump are needed"); }

    void createHandsOutBlocksInOrderAndUsesNine() {
        for (auto policy : {AllocationPolicyKind::Reference, AllocationPolicyKind::Mainline}) {
            const QString path = sparseFile("bootstrap-create.img", 1024);
            QVERIFY(!path.isEmpty());
            TraceRecorder trace;
            {
                auto ed = ThinPoolEditor::create(openForEdit(path), 5000, 128, {policy, &trace});
                REQUIRE_OK(ed);
            }
            // While bootstrapping, the allocator hands out 1, 2, 3: index, refcount root, bitmap.
            std::vector<std::uint64_t> handedOut;
            bool seenNormal = false;
            for (const TraceEvent& e : trace.events) {
                if (e.source != TraceSource::MetadataSpaceMap) continue;
                if (e.kind == TraceKind::ModeChanged && e.op == "normal") seenNormal = true;
                if (e.kind == TraceKind::BlockAllocated && !seenNormal) {
                    QVERIFY(e.state.bootstrap);
                    handedOut.push_back(e.block);
                }
            }
            QVERIFY(seenNormal);
            QCOMPARE(handedOut, (std::vector<std::uint64_t>{1, 2, 3}));
            // Then the replay gives each block from the superblock on its count of 1, in order.
            std::vector<std::uint64_t> replayed;
            for (const TraceEvent& e :
                 trace.of(TraceKind::BitmapEntryChanged, TraceSource::MetadataSpaceMap))
                if (e.oldValue == 0 && e.newValue == 1 && replayed.size() < 4)
                    replayed.push_back(e.block);
            QCOMPARE(replayed, (std::vector<std::uint64_t>{0, 1, 2, 3}));

            const Readback r = readBack(path);
            REQUIRE_EMPTY(r.error);
            QCOMPARE(allocated(r.metaCounts), 9u);
            QCOMPARE(r.sb.metadataSpaceMap.nrAllocated, 9u);
            for (std::uint64_t b = 0; b < 9; ++b)
                QVERIFY2(r.metaCounts[b] == 1, qPrintable(QString("block %1").arg(b)));
            QCOMPARE(r.sb.metadataSpaceMap.bitmapRoot, 1u);   // metadata index
            QCOMPARE(r.sb.metadataSpaceMap.refCountRoot, 2u); // metadata refcount root
            QCOMPARE(r.metaIndex.at(0).blocknr, 3u);          // metadata bitmap
            // As the kernel formats a pool: a data space map of 0 blocks and the two empty trees,
            // then the data device's size (its first bitmap).
            QCOMPARE(r.sb.dataSpaceMap.bitmapRoot, 4u);   // data index root
            QCOMPARE(r.sb.dataSpaceMap.refCountRoot, 5u); // data refcount root
            QCOMPARE(r.sb.dataMappingRoot, 6u);
            QCOMPARE(r.sb.deviceDetailsRoot, 7u);
            QCOMPARE(r.dataIndex.at(0).blocknr, 8u); // data bitmap
            QCOMPARE(r.sb.metadataNrBlocks, 1024u);
            ThinModel model(5000, 1024);
            REQUIRE_EMPTY(verifyImages({{path, "fresh pool", model.committed().render(), {}}}));
        }
    }

    void extendLoopsUntilACommitAllocatesNothingNew() {
        const std::uint64_t oldSize = 1024, extra = 50000; // 4 bitmaps: 3 new ones
        const QString path = sparseFile("bootstrap-extend.img", oldSize);
        QVERIFY(!path.isEmpty());
        ThinModel model(5000, oldSize);
        {
            auto ed = ThinPoolEditor::create(openForEdit(path), 5000, 128);
            REQUIRE_OK(ed);
            REQUIRE_OK((*ed)->createThin(1));
            REQUIRE_OK((*ed)->map(1, 0, 0, 400));
            REQUIRE_OK((*ed)->commit());
            model.createThin(1);
            model.map(1, 0, 0, 400);
            model.commit();
        }
        QVERIFY(QFile::resize(path, qint64((oldSize + extra) * kBlockSize)));
        TraceRecorder trace;
        {
            auto ed =
                ThinPoolEditor::open(openForEdit(path), {AllocationPolicyKind::Reference, &trace});
            REQUIRE_OK(ed);
            REQUIRE_OK((*ed)->extendMetadata(extra));
        }
        auto meta = [&](TraceKind k) { return trace.of(k, TraceSource::MetadataSpaceMap); };
        // Bootstrap mode for the duration, then back to normal.
        const auto modes = meta(TraceKind::ModeChanged);
        QCOMPARE(modes.size(), std::size_t(2));
        QCOMPARE(modes[0].op, std::string("bootstrap"));
        QCOMPARE(modes[1].op, std::string("normal"));
        // The new bitmaps come first from the new area, in order; all bootstrap allocations do.
        std::vector<std::uint64_t> handedOut;
        for (const TraceEvent& e : meta(TraceKind::BlockAllocated))
            if (e.state.bootstrap) handedOut.push_back(e.block);
        QVERIFY(handedOut.size() > 3);
        for (std::size_t i = 0; i < handedOut.size(); ++i)
            QCOMPARE(handedOut[i], oldSize + i);
        std::vector<std::uint64_t> bitmaps;
        for (const TraceEvent& e : meta(TraceKind::IndexEntryChanged))
            if (e.oldValue == 0) bitmaps.push_back(e.newValue);
        QCOMPARE(bitmaps, (std::vector<std::uint64_t>{oldSize, oldSize + 1, oldSize + 2}));
        // Decrements of shadowed originals were queued while bootstrapping.
        bool queuedDec = false;
        for (const TraceEvent& e : meta(TraceKind::BopPushed))
            queuedDec = queuedDec || (e.op == "dec" && e.state.bootstrap);
        QVERIFY(queuedDec);
        // The rounds: each starts where the previous one's commit left the cursor; all but the
        // last allocated something; the last allocated nothing.
        std::vector<TraceEvent> rounds;
        for (const TraceEvent& e : meta(TraceKind::Committed))
            if (e.op == "extend") rounds.push_back(e);
        QVERIFY2(rounds.size() >= 2, qPrintable(QString("%1 rounds").arg(rounds.size())));
        for (std::size_t i = 0; i + 1 < rounds.size(); ++i) {
            QVERIFY(rounds[i].oldValue < rounds[i].newValue);
            QCOMPARE(rounds[i + 1].oldValue, rounds[i].newValue);
        }
        QCOMPARE(rounds.back().oldValue, rounds.back().newValue);
        QCOMPARE(rounds.back().newValue, oldSize + handedOut.size());

        const Readback r = readBack(path);
        REQUIRE_EMPTY(r.error);
        // As the kernel: metadata_nr_blocks keeps the size the pool was formatted with.
        QCOMPARE(r.sb.metadataNrBlocks, oldSize);
        QCOMPARE(r.sb.metadataSpaceMap.nrBlocks, oldSize + extra);
        QCOMPARE(r.metaIndex.size(), std::size_t(4));
        for (std::size_t i = 1; i < 4; ++i)
            QCOMPARE(r.metaIndex[i].blocknr, oldSize + i - 1);
        model.extendMetadata(extra, oldSize + extra);
        REQUIRE_EMPTY(verifyImages({{path, "extended", model.committed().render(), {}}}));
    }

    void createCapsTheSizeAt255Bitmaps() {
        const std::uint64_t cap = 255ull * 16320;
        QCOMPARE(MetadataSpaceMap::kMaxBlocks, cap);
        const QString path = sparseFile("bootstrap-cap.img", cap + 5000);
        QVERIFY(!path.isEmpty());
        const RunResult r = runCli({"create", path, "--data-blocks", "1000"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const Readback back = readBack(path);
        REQUIRE_EMPTY(back.error);
        QCOMPARE(back.sb.metadataNrBlocks, cap);
        QCOMPARE(back.sb.metadataSpaceMap.nrBlocks, cap);
        QCOMPARE(back.metaIndex.size(), std::size_t(255));
        QCOMPARE(back.metaCounts.size(), std::size_t(cap));
        ThinModel model(1000, cap);
        REQUIRE_EMPTY(verifyImages({{path, "capped", model.committed().render(), {}}}));
        // There is room on the device, but the map cannot grow.
        const RunResult more = runCli({"edit", path, "extend-metadata", "1"});
        QVERIFY(more.exitCode != 0);
        QVERIFY2(more.err.contains("at most 4161600"), more.err.constData());
        QVERIFY2(more.err.contains("nothing was written"), more.err.constData());
        QFile::remove(path);
    }

    void sameEditsUnderBothPoliciesPlaceBlocksDifferently() {
        const QString base = sparseFile("policy-base.img", 2048);
        QVERIFY(!base.isEmpty());
        QCOMPARE(runCli({"create", base, "--data-blocks", "10000"}).exitCode, 0);
        const QStringList ops = {"create-thin", "1",           "map",   "1", "0",   "0",   "700",
                                 "commit",      "create-snap", "2",     "1", "map", "1",   "3",
                                 "5000",        "commit",      "unmap", "1", "100", "300", "commit",
                                 "provision",   "2",           "9"};
        ThinModel model(10000, 2048);
        model.createThin(1);
        model.map(1, 0, 0, 700);
        model.commit();
        model.createSnapshot(2, 1);
        model.map(1, 3, 5000, 1);
        model.commit();
        model.unmap(1, 100, 300);
        model.commit();
        model.provision(2, 9, *model.nextProvisionedBlock(2));
        model.commit();

        std::vector<std::vector<std::uint32_t>> placements;
        std::vector<ImageExpectation> checks;
        for (const char* policy : {"reference", "mainline"}) {
            const QString path = scratchPath(QStringLiteral("policy-%1.img").arg(policy));
            QFile::remove(path);
            QVERIFY(QFile::copy(base, path));
            const RunResult r = runCli(QStringList{"edit", path, "--policy", policy} + ops);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const Readback back = readBack(path);
            REQUIRE_EMPTY(back.error);
            placements.push_back(back.metaCounts);
            checks.push_back({path, policy, model.committed().render(), {}});
        }
        QVERIFY2(placements[0] != placements[1], "both policies placed every block alike");
        // The same content in different places; both consistent.
        REQUIRE_EMPTY(verifyImages(checks));
    }
};

QTEST_GUILESS_MAIN(TestMetadataBootstrap)
#include "tst_metadatabootstrap.moc"
