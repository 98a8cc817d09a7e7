// The tool-written cache and era fixtures (tests/fixtures/tools/, made by cache_restore and
// era_restore 0.9.0): kinds detected by magic, dumps byte-identical to the recorded cache_dump
// and era_dump output (in process and through dmscope-cli), the format-2 dirty bits read from
// the bitset on request, checks passing with the known cache_v1 leak named as a warning, array
// lookups agreeing with the walk, and restores of the fixtures' XML dumping the same again.

#include "core/MetadataKind.h"
#include "core/bitset/BitsetReader.h"
#include "core/cache/CacheChecker.h"
#include "core/cache/CacheDumper.h"
#include "core/cache/CacheRestorer.h"
#include "core/era/EraChecker.h"
#include "core/era/EraDumper.h"
#include "core/era/EraRestorer.h"
#include "tests/support/Fixtures.h"
#include "tests/support/Require.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <sstream>

using namespace dms;
using namespace dms::test;

namespace {

std::string fixtureText(const QString& name) {
    const auto b = fixtureBytes(name);
    return std::string(b.begin(), b.end());
}

template <class DumpFn> std::string dumpToString(DumpFn&& fn) {
    std::string out;
    OutputBuffer buf([&](const char* p, std::size_t n) {
        out.append(p, n);
        return Status::success();
    });
    Status s = fn(buf);
    if (!s) return "error: " + s.error().describe();
    if (Status f = buf.flush(); !f) return "error: " + f.error().describe();
    return out;
}

std::string cacheDump(const BlockReader& r, bool fromBitset = false) {
    auto sb = CacheSuperblock::read(r);
    if (!sb) return "error: " + sb.error().describe();
    CacheDumpOptions o;
    o.dirtyFromBitset = fromBitset;
    return dumpToString([&](OutputBuffer& b) { return dumpCacheMetadata(r, *sb, o, b); });
}

std::string eraDump(const BlockReader& r) {
    auto sb = EraSuperblock::read(r);
    if (!sb) return "error: " + sb.error().describe();
    return dumpToString([&](OutputBuffer& b) { return dumpEraMetadata(r, *sb, b); });
}

} // namespace

class CacheEraFixtures : public QObject {
    Q_OBJECT

private slots:
    void kindIsDetectedByMagic() {
        const std::pair<const char*, MetadataKind> cases[] = {
            {"tools/cache_v1.bin.zst", MetadataKind::Cache},
            {"tools/cache_v2.bin.zst", MetadataKind::Cache},
            {"tools/era.bin.zst", MetadataKind::Era},
            {"tools/thin_small.bin.zst", MetadataKind::Thin},
            {"kernel/pool-a/metadata.img.zst", MetadataKind::Thin}};
        for (const auto& [name, kind] : cases) {
            auto k = detectMetadataKind(*fixtureSource(name));
            REQUIRE_OK(k);
            QVERIFY2(*k == kind, name);
        }
        auto zero = detectMetadataKind(MemoryBlockSource::zeroed(4));
        REQUIRE_OK(zero);
        QCOMPARE(*zero, MetadataKind::Unknown);
    }

    void dumpsEqualTheRecordedToolDumps() {
        for (const char* v : {"cache_v1", "cache_v2"}) {
            BlockReader r(fixtureSource(QStringLiteral("tools/%1.bin.zst").arg(v)));
            QCOMPARE(cacheDump(r), fixtureText(QStringLiteral("tools/%1.dump.xml").arg(v)));
        }
        BlockReader era(fixtureSource("tools/era.bin.zst"));
        QCOMPARE(eraDump(era), fixtureText("tools/era.dump.xml"));
    }

    void cliDumpsEqualTheRecordedToolDumps() {
        for (const char* v : {"cache_v1", "cache_v2", "era"}) {
            const QString img =
                writeTempFile(QStringLiteral("%1.bin").arg(v),
                              fixtureBytes(QStringLiteral("tools/%1.bin.zst").arg(v)));
            const auto r = runCli({"dump", img});
            QCOMPARE(r.exitCode, 0);
            QCOMPARE(r.out.toStdString(), fixtureText(QStringLiteral("tools/%1.dump.xml").arg(v)));
        }
    }

    // stdout stays cache_dump's; stderr tells how many dirty blocks it shows clean.
    void defaultDumpNotesHiddenDirtyBlocks() {
        const QString v2 = writeTempFile("v2note.bin", fixtureBytes("tools/cache_v2.bin.zst"));
        const auto r2 = runCli({"dump", v2});
        QCOMPARE(r2.exitCode, 0);
        QVERIFY2(r2.err.contains("note: 3 mapped cache blocks are dirty"), r2.err.constData());
        const auto truth = runCli({"dump", "--dirty-from-bitset", v2});
        QVERIFY(truth.err.isEmpty());
        QCOMPARE(truth.out.toStdString(), fixtureText("tools/cache.xml"));
        const QString v1 = writeTempFile("v1note.bin", fixtureBytes("tools/cache_v1.bin.zst"));
        const auto r1 = runCli({"dump", v1});
        QVERIFY(r1.err.isEmpty());
    }

    // cache_dump 0.9.0 prints every format-2 mapping clean; the bitset holds what cache.xml asked.
    void formatTwoDirtyBitsComeFromTheBitsetOnRequest() {
        BlockReader v2(fixtureSource("tools/cache_v2.bin.zst"));
        QCOMPARE(cacheDump(v2, true), fixtureText("tools/cache.xml"));
        BlockReader v1(fixtureSource("tools/cache_v1.bin.zst"));
        QCOMPARE(cacheDump(v1, true), fixtureText("tools/cache.xml"));
        auto sb = CacheSuperblock::read(v2);
        REQUIRE_OK(sb);
        BitsetReader dirty(v2, sb->dirtyRoot, sb->cacheBlocks, "dirty bitset");
        for (std::uint64_t bit : {0, 2, 1500}) {
            auto b = dirty.test(bit);
            REQUIRE_OK(b);
            QVERIFY2(*b, qPrintable(QStringLiteral("dirty bit %1").arg(bit)));
        }
        auto clean = dirty.test(1);
        REQUIRE_OK(clean);
        QVERIFY(!*clean);
    }

    void hintWidthComesFromTheArrayWhenTheFieldIsZero() {
        BlockReader r(fixtureSource("tools/cache_v1.bin.zst"));
        auto sb = CacheSuperblock::read(r);
        REQUIRE_OK(sb);
        QCOMPARE(sb->policyHintSize, 0u);
        QCOMPARE(sb->hintWidth(), 4u);
        auto vs = ArrayReader::firstBlockValueSize(r, sb->hintRoot);
        REQUIRE_OK(vs);
        QCOMPARE(vs->value_or(0), 4u);
        const QString img = writeTempFile("v1info.bin", fixtureBytes("tools/cache_v1.bin.zst"));
        const auto info = runCli({"info", "--json", img});
        QCOMPARE(info.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(info.out).object();
        QCOMPARE(o["kind"].toString(), QStringLiteral("cache"));
        QCOMPARE(o["valid_mappings"].toInt(), 5);
        QCOMPARE(o["dirty_mappings"].toInt(), 3);
        QCOMPARE(o["hint_array_value_size"].toInt(), 4);
        QCOMPARE(o["policy_name"].toString(), QStringLiteral("smq"));
    }

    void lookupsAgreeWithTheWalk() {
        BlockReader r(fixtureSource("tools/era.bin.zst"));
        auto sb = EraSuperblock::read(r);
        REQUIRE_OK(sb);
        ArrayReader eras(r, sb->eraArrayRoot, sb->nrBlocks, 4, "era array");
        std::vector<std::uint32_t> walked;
        REQUIRE_OK(eras.forEachValue(
            [&](std::uint64_t, const std::uint8_t* p) { walked.push_back(loadLe32(p)); }));
        QCOMPARE(walked.size(), std::size_t(256));
        for (std::uint64_t i = 0; i < walked.size(); ++i) {
            auto v = eras.get(i);
            REQUIRE_OK(v);
            QCOMPARE(loadLe32(v->data()), walked[i]);
        }
        QCOMPARE(walked[100], 4u);
        QVERIFY(!eras.get(256).ok());
    }

    void checksPassAndNameTheCacheV1Leak() {
        const CheckReport v1 = CacheChecker(fixtureSource("tools/cache_v1.bin.zst")).run();
        QCOMPARE(v1.verdict(), CheckVerdict::Pass);
        QCOMPARE(v1.count(FindingCategory::MetadataLeak), 1u);
        QCOMPARE(v1.findings().at(0).block.value_or(0), 6u);
        const CheckReport v2 = CacheChecker(fixtureSource("tools/cache_v2.bin.zst")).run();
        QCOMPARE(v2.verdict(), CheckVerdict::Pass);
        QCOMPARE(v2.findings().size(), std::size_t(0));
        const CheckReport era = EraChecker(fixtureSource("tools/era.bin.zst")).run();
        QCOMPARE(era.verdict(), CheckVerdict::Pass);
        QCOMPARE(era.findings().size(), std::size_t(0));
    }

    void restoredFixturesDumpTheSame() {
        for (unsigned version : {1u, 2u}) {
            auto dev = std::make_shared<MemoryBlockSource>(MemoryBlockSource::zeroed(1024));
            std::istringstream xml(fixtureText("tools/cache.xml"));
            CacheRestoreOptions o;
            o.version = version;
            REQUIRE_OK(restoreCacheXml(xml, dev, o));
            BlockReader r(dev);
            QCOMPARE(cacheDump(r),
                     fixtureText(QStringLiteral("tools/cache_v%1.dump.xml").arg(version)));
            QCOMPARE(CacheChecker(dev).run().findings().size(), std::size_t(0));
        }
        auto dev = std::make_shared<MemoryBlockSource>(MemoryBlockSource::zeroed(1024));
        std::istringstream xml(fixtureText("tools/era.xml"));
        REQUIRE_OK(restoreEraXml(xml, dev));
        BlockReader r(dev);
        QCOMPARE(eraDump(r), fixtureText("tools/era.dump.xml"));
        QCOMPARE(EraChecker(dev).run().findings().size(), std::size_t(0));
    }

    // The scope options, on a fixture whose mapping (cache) or era array (era) block is zeroed.
    void scopesMatchTheTools() {
        struct Row {
            const char* fixture;
            const char* tool;
            std::uint64_t block; // the first array block of the mapping / era array
            QStringList options;
        };
        const Row rows[] = {{"cache_v1", "cache_check", 0, {}},
                            {"cache_v1", "cache_check", 0, {"--super-block-only"}},
                            {"cache_v1", "cache_check", 0, {"--skip-mappings"}},
                            {"cache_v1", "cache_check", 0, {"--skip-hints"}},
                            {"cache_v1", "cache_check", 0, {"--skip-discards"}},
                            {"cache_v2", "cache_check", 0, {"--skip-mappings", "--skip-hints"}},
                            {"era", "era_check", 0, {}},
                            {"era", "era_check", 0, {"--super-block-only"}}};
        for (const Row& row : rows) {
            auto bytes = fixtureBytes(QStringLiteral("tools/%1.bin.zst").arg(row.fixture));
            BlockReader r(std::make_shared<MemoryBlockSource>(bytes, false));
            std::uint64_t victim = 0;
            if (QByteArray(row.fixture).startsWith("cache")) {
                auto sb = CacheSuperblock::read(r);
                REQUIRE_OK(sb);
                victim = sb->mappingRoot;
            } else {
                auto sb = EraSuperblock::read(r);
                REQUIRE_OK(sb);
                victim = sb->eraArrayRoot;
            }
            // The spine is a single leaf: zero its first array block.
            victim = loadLe64(bytes.data() + victim * kBlockSize + 32 + 8 * 252);
            std::fill_n(bytes.begin() + std::ptrdiff_t(victim * kBlockSize), kBlockSize, 0);
            const QString img = writeTempFile("scoped.bin", bytes);
            const auto tool = runProgram(row.tool, QStringList(row.options) << "-q" << img);
            const auto ours = runCli(QStringList{"check", "-q"} << row.options << img);
            // era_check 0.9.0 aborts on some damage: a crash is a failed check.
            const int toolVerdict = (tool.crashed || tool.exitCode != 0) ? 1 : 0;
            QVERIFY2(toolVerdict == ours.exitCode,
                     qPrintable(QStringLiteral("%1 %2 (block %3 zeroed): %4 %5, ours %6")
                                    .arg(row.fixture, row.options.join(' '))
                                    .arg(victim)
                                    .arg(row.tool)
                                    .arg(tool.crashed ? QStringLiteral("crash")
                                                      : QString::number(tool.exitCode))
                                    .arg(ours.exitCode)));
        }
    }

    // cache_check / era_check 0.9.0 reject every empty array (0 cache blocks, an era of 0 bits):
    // the verdict follows them, with a message saying why; dump still works.
    void emptyArraysFailAsInTheTools() {
        const std::pair<const char*, const char*> rows[] = {
            {"<superblock uuid=\"\" block_size=\"128\" nr_cache_blocks=\"0\" policy=\"smq\" "
             "hint_width=\"4\">\n</superblock>\n",
             "cache_check"},
            {"<superblock uuid=\"\" block_size=\"128\" nr_blocks=\"0\" current_era=\"1\">\n"
             "</superblock>\n",
             "era_check"}};
        for (const auto& [text, tool] : rows) {
            auto dev = std::make_shared<MemoryBlockSource>(MemoryBlockSource::zeroed(64));
            std::istringstream xml(text);
            const bool cache = std::string(tool) == "cache_check";
            REQUIRE_OK(cache ? restoreCacheXml(xml, dev, {}) : restoreEraXml(xml, dev));
            std::vector<std::uint8_t> bytes(64 * kBlockSize);
            for (std::uint64_t b = 0; b < 64; ++b)
                REQUIRE_OK(dev->read(b, bytes.data() + b * kBlockSize));
            const QString img = writeTempFile("empty.bin", bytes);
            const auto t = runProgram(tool, {"-q", img});
            const auto ours = runCli({"check", img});
            QCOMPARE(t.exitCode, 1);
            QCOMPARE(ours.exitCode, 1);
            QVERIFY2(ours.out.contains("is empty: the 0.9.0 tools reject"), ours.out.constData());
            QCOMPARE(runCli({"dump", img}).exitCode, 0);
        }
    }

    void badXmlIsRefusedWithItsLine() {
        auto dev = std::make_shared<MemoryBlockSource>(MemoryBlockSource::zeroed(64));
        std::istringstream xml("<superblock uuid=\"\" block_size=\"128\" nr_cache_blocks=\"4\" "
                               "policy=\"smq\" hint_width=\"4\">\n  <mappings>\n"
                               "    <mapping cache_block=\"9\" origin_block=\"1\" "
                               "dirty=\"true\"/>\n");
        Status s = restoreCacheXml(xml, dev, {});
        QVERIFY(!s.ok());
        QVERIFY2(s.error().message.find("line 3") != std::string::npos, s.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(CacheEraFixtures)
#include "tst_cacheerafixtures.moc"
