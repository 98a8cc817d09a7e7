// `dmscope-cli stats --json` against figures derived independently: from the XML the tool images
// were restored from, from thin_dump's XML of the kernel images, and from the core's reference
// space-map reader (SpaceMapReader::forEachCount).

#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinMetadata.h"
#include "tests/support/Fixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QXmlStreamReader>

#include <bit>
#include <map>

using namespace dms;

namespace {

struct XmlPool {
    std::uint32_t time = 0;
    std::uint64_t nrDataBlocks = 0;
    struct Mapping {
        std::uint64_t dataBlock;
        std::uint32_t time;
    };
    std::map<std::uint64_t, std::vector<Mapping>> devices;
};

// Reads a thin_dump / thin_restore XML file.
XmlPool readXml(const QString& relative) {
    QFile f(test::fixturePath(relative));
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(relative));
    QXmlStreamReader x(&f);
    XmlPool p;
    std::vector<XmlPool::Mapping>* dev = nullptr;
    while (!x.atEnd()) {
        if (x.readNext() != QXmlStreamReader::StartElement) continue;
        const auto a = x.attributes();
        auto u = [&](const char* n) { return a.value(QLatin1String(n)).toULongLong(); };
        if (x.name() == QLatin1String("superblock")) {
            p.time = std::uint32_t(u("time"));
            p.nrDataBlocks = u("nr_data_blocks");
        } else if (x.name() == QLatin1String("device")) {
            dev = &p.devices[u("dev_id")];
        } else if (x.name() == QLatin1String("range_mapping")) {
            for (std::uint64_t i = 0; i < u("length"); ++i)
                dev->push_back({u("data_begin") + i, std::uint32_t(u("time"))});
        } else if (x.name() == QLatin1String("single_mapping")) {
            dev->push_back({u("data_block"), std::uint32_t(u("time"))});
        }
    }
    if (x.hasError()) qFatal("bad XML %s", qPrintable(relative));
    return p;
}

QJsonObject statsJson(const char* fixture, const QStringList& extra = {}) {
    const QString path = test::writeTempFile("s.img", test::fixtureBytes(fixture));
    const auto r = test::runCli(QStringList{"stats", path, "--json"} + extra);
    if (r.exitCode != 0) qFatal("stats failed on %s: %s", fixture, r.err.constData());
    return QJsonDocument::fromJson(r.out).object();
}

std::map<std::uint64_t, std::uint64_t> pairs(const QJsonArray& a, const char* k, const char* v) {
    std::map<std::uint64_t, std::uint64_t> m;
    for (const auto& e : a)
        m[e.toObject()[k].toInteger()] = e.toObject()[v].toInteger();
    return m;
}

struct RunFigures {
    std::uint64_t runs = 0, freeBlocks = 0, largest = 0, largestFirst = 0;
    std::map<std::uint64_t, std::uint64_t> bucketRuns; // bucket min -> runs
};

RunFigures runFigures(const std::vector<std::uint32_t>& counts) {
    RunFigures f;
    std::uint64_t b = 0;
    while (b < counts.size()) {
        if (counts[b] != 0) {
            ++b;
            continue;
        }
        const std::uint64_t first = b;
        while (b < counts.size() && counts[b] == 0)
            ++b;
        const std::uint64_t len = b - first;
        ++f.runs;
        f.freeBlocks += len;
        ++f.bucketRuns[std::bit_floor(len)];
        if (len > f.largest) {
            f.largest = len;
            f.largestFirst = first;
        }
    }
    return f;
}

void compareSpaceMap(const QJsonObject& sm, const std::vector<std::uint32_t>& counts,
                     const std::string& what) {
    std::map<std::uint64_t, std::uint64_t> hist;
    for (auto c : counts)
        ++hist[c];
    QVERIFY2(pairs(sm["refcounts"].toArray(), "count", "blocks") == hist, what.c_str());
    const RunFigures want = runFigures(counts);
    const QJsonObject fr = sm["free_runs"].toObject();
    QVERIFY2(std::uint64_t(fr["runs"].toInteger()) == want.runs, what.c_str());
    QVERIFY2(std::uint64_t(fr["free_blocks"].toInteger()) == want.freeBlocks, what.c_str());
    QVERIFY2(std::uint64_t(fr["largest"].toInteger()) == want.largest, what.c_str());
    QVERIFY2(std::uint64_t(fr["largest_first"].toInteger()) == want.largestFirst, what.c_str());
    auto got = pairs(fr["buckets"].toArray(), "min", "runs");
    std::erase_if(got, [](const auto& kv) { return kv.second == 0; });
    QVERIFY2(got == want.bucketRuns, what.c_str());
}

// Mapping times and exclusive/shared per device as the XML implies them (a mapping is exclusive
// when no other mapping in the dump points at its data block), and for tool images, which share
// no tree nodes, the data space map too: a data block's count is the number of mappings to it.
void compareWithXml(const QJsonObject& o, const XmlPool& x, bool compareDataMap) {
    std::vector<std::uint32_t> counts(x.nrDataBlocks, 0);
    std::map<std::uint64_t, std::uint64_t> times;
    for (const auto& [id, maps] : x.devices)
        for (const auto& m : maps) {
            // thin_dump -m prints nr_data_blocks="0" (FORMAT.md 11.9).
            if (m.dataBlock >= counts.size()) counts.resize(m.dataBlock + 1, 0);
            ++counts[m.dataBlock];
            ++times[m.time];
        }
    if (compareDataMap) compareSpaceMap(o["data_space_map"].toObject(), counts, "data space map");
    QCOMPARE(pairs(o["mapping_times"].toArray(), "time", "mappings"), times);
    const QJsonArray devs = o["devices"].toArray();
    QCOMPARE(std::size_t(devs.size()), x.devices.size());
    for (const auto& d : devs) {
        const QJsonObject dev = d.toObject();
        const auto& maps = x.devices.at(std::uint64_t(dev["id"].toInteger()));
        std::uint64_t exclusive = 0;
        for (const auto& m : maps)
            exclusive += counts[m.dataBlock] == 1;
        const std::string name = "dev " + std::to_string(dev["id"].toInteger());
        QVERIFY2(std::uint64_t(dev["mappings"].toInteger()) == maps.size(), name.c_str());
        QVERIFY2(std::uint64_t(dev["exclusive"].toInteger()) == exclusive, name.c_str());
        QVERIFY2(std::uint64_t(dev["shared"].toInteger()) == maps.size() - exclusive, name.c_str());
    }
}

std::vector<std::uint32_t> referenceCounts(const ThinMetadata& md, const SpaceMapRoot& root,
                                           SpaceMapKind kind) {
    auto sm = SpaceMapReader::open(md.reader(), root, kind);
    if (!sm) qFatal("%s", sm.error().describe().c_str());
    std::vector<std::uint32_t> counts;
    auto s = sm->forEachCount([&](std::uint64_t, std::uint32_t c) { counts.push_back(c); });
    if (!s) qFatal("%s", s.error().describe().c_str());
    return counts;
}

QJsonObject tree(const QJsonObject& o, const QString& name) {
    for (const auto& t : o["trees"].toArray())
        if (t.toObject()["name"].toString() == name) return t.toObject();
    return {};
}

QJsonObject device(const QJsonObject& o, qint64 id) {
    for (const auto& d : o["devices"].toArray())
        if (d.toObject()["id"].toInteger() == id) return d.toObject();
    return {};
}

} // namespace

class TestStats : public QObject {
    Q_OBJECT
private slots:
    // thin_small.xml: data blocks 110..112 are mapped by all three devices (count 3), 100..109,
    // 113..115 and 300 by two, 200, 201, 400, 4000 by one; the rest of the 4096 are free.
    void thinSmallHistogramsTimesAndDevicesMatchItsXml() {
        const QJsonObject o = statsJson("tools/thin_small.bin.zst");
        const XmlPool x = readXml("tools/thin_small.xml");
        compareWithXml(o, x, true);
        const auto hist =
            pairs(o["data_space_map"].toObject()["refcounts"].toArray(), "count", "blocks");
        const std::map<std::uint64_t, std::uint64_t> want = {{0, 4075}, {1, 4}, {2, 14}, {3, 3}};
        QCOMPARE(hist, want);
        QCOMPARE(o["time"].toInteger(), 2);
        // README: 12 metadata blocks referenced, each once; the orphan leaf 8 is free.
        const auto meta =
            pairs(o["metadata_space_map"].toObject()["refcounts"].toArray(), "count", "blocks");
        const std::map<std::uint64_t, std::uint64_t> wantMeta = {{0, 1024 - 12}, {1, 12}};
        QCOMPARE(meta, wantMeta);
        QCOMPARE(o["metadata_space_map"].toObject()["free_runs"].toObject()["runs"].toInteger(), 2);
    }

    // thin_large.xml: three data bitmaps, 100 blocks at count 3, two-level trees (dev 0: one
    // internal node over 9 leaves, dev 5: one over 40).
    void thinLargeMatchesItsXmlAndTreeShape() {
        const QJsonObject o = statsJson("tools/thin_large.bin.zst");
        const XmlPool x = readXml("tools/thin_large.xml");
        compareWithXml(o, x, true);
        const QJsonObject d0 = device(o, 0);
        QCOMPARE(d0["levels"].toInteger(), 2);
        QCOMPARE(d0["nodes_per_level"].toArray(), (QJsonArray{1, 9}));
        // All leaves have max_entries 252, so the mean fill is the entries over the capacity.
        const double fill0 = 100.0 * double(x.devices.at(0).size()) / (9 * 252);
        QCOMPARE(d0["leaf_fill"].toObject()["avg"].toDouble(), std::round(fill0 * 100) / 100);
        const QJsonObject d5 = device(o, 5);
        QCOMPARE(d5["nodes_per_level"].toArray(), (QJsonArray{1, 40}));
        const QJsonObject bottom = tree(o, "mapping_bottom");
        qint64 leaves = 0;
        for (const auto& d : o["devices"].toArray())
            leaves += d.toObject()["leaf_fill"].toObject()["nodes"].toInteger();
        QCOMPARE(bottom["leaf_fill"].toObject()["nodes"].toInteger(), leaves);
        QCOMPARE(bottom["entries"].toInteger(), qint64(1200 + 900 + 5100));
    }

    // Kernel state A: per-device mappings and times equal thin_dump's view of the live trees and
    // (with --metadata-snap) of the held copy's; the data refcount tree holds 19 blocks (§5).
    void kernelImageMatchesThinDumpLiveAndHeld() {
        const char* img = "kernel/pool-a/metadata-msnap.img.zst";
        const QJsonObject live = statsJson(img);
        compareWithXml(live, readXml("kernel/pool-a/thin_dump-msnap.xml"), false);
        const QJsonObject held = statsJson(img, {"--metadata-snap"});
        QCOMPARE(held["source"].toString(), QStringLiteral("metadata_snapshot"));
        compareWithXml(held, readXml("kernel/pool-a/thin_dump-msnap-heldroot.xml"), false);
        qint64 threeOrMore = 0;
        for (const auto& [count, blocks] :
             pairs(live["data_space_map"].toObject()["refcounts"].toArray(), "count", "blocks"))
            if (count >= 3) threeOrMore += qint64(blocks);
        QCOMPARE(threeOrMore, 19);
        QCOMPARE(tree(live, "data_refcount")["entries"].toInteger(), 19);
        QCOMPARE(tree(live, "metadata_refcount")["entries"].toInteger(), 1); // 254 -> 3
    }

    // Histograms and free runs of both space maps equal a plain recount with the core's
    // reference reader, on every thin fixture.
    void spaceMapFiguresEqualAReferenceRecount() {
        for (const char* f :
             {"tools/thin_small.bin.zst", "tools/thin_large.bin.zst",
              "kernel/pool-a/metadata-msnap.img.zst", "kernel/pool-a/metadata.img.zst",
              "lvm/pool/metadata.img.zst", "lvm/pool/metadata-live-msnap.img.zst"}) {
            auto md = ThinMetadata::open(test::fixtureSource(f));
            QVERIFY(md.ok());
            const ThinSuperblock& sb = (*md)->superblock();
            const QJsonObject o = statsJson(f);
            compareSpaceMap(o["metadata_space_map"].toObject(),
                            referenceCounts(**md, sb.metadataSpaceMap, SpaceMapKind::Metadata),
                            std::string(f) + " metadata");
            compareSpaceMap(o["data_space_map"].toObject(),
                            referenceCounts(**md, sb.dataSpaceMap, SpaceMapKind::Data),
                            std::string(f) + " data");
        }
    }

    // The real thin_ls is the oracle for the per-device figures, live and from the held copy.
    void devicesAgreeWithThinLs() {
        QVERIFY2(test::haveThinTools(), "thin-provisioning-tools are needed for this test");
        for (const char* f : {"kernel/pool-a/metadata-msnap.img.zst",
                              "lvm/pool/metadata-live-msnap.img.zst", "tools/thin_large.bin.zst"}) {
            const QString path = test::writeTempFile("ls.img", test::fixtureBytes(f));
            for (const QStringList& snap : {QStringList{}, QStringList{"-m"}}) {
                if (!snap.isEmpty() &&
                    !(*ThinMetadata::open(test::fixtureSource(f)))->hasMetadataSnapshot())
                    continue;
                const auto ls = test::runProgram(
                    "thin_ls", QStringList{"--no-headers", "-o",
                                           "DEV,MAPPED_BLOCKS,EXCLUSIVE_BLOCKS,SHARED_BLOCKS"} +
                                   snap + QStringList{path});
                QCOMPARE(ls.exitCode, 0);
                const auto r = test::runCli(QStringList{"stats", "--json", path} + snap);
                QCOMPARE(r.exitCode, 0);
                QString mine;
                for (const auto& d : QJsonDocument::fromJson(r.out).object()["devices"].toArray()) {
                    const QJsonObject o = d.toObject();
                    mine += QString("%1 %2 %3 %4\n")
                                .arg(o["id"].toInteger())
                                .arg(o["mappings"].toInteger())
                                .arg(o["exclusive"].toInteger())
                                .arg(o["shared"].toInteger());
                }
                QString theirs;
                for (const auto& line : QString::fromUtf8(ls.out).split('\n', Qt::SkipEmptyParts))
                    theirs += line.simplified() + '\n';
                QVERIFY2(mine == theirs,
                         qPrintable(QString(f) + "\nours:\n" + mine + "thin_ls:\n" + theirs));
            }
        }
    }

    void damagedTreeIsReportedWithItsBlock() {
        auto img = test::fixtureBytes("tools/thin_small.bin.zst");
        img[11 * kBlockSize + 200] ^= 0x01; // dev 2's leaf
        const QString path = test::writeTempFile("bad.img", img);
        const auto r = test::runCli({"stats", path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("block 11"), r.err.constData());
        QVERIFY2(r.out.contains("problem: block 11"), r.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestStats)
#include "tst_stats.moc"
