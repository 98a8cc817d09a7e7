// dmscope-cli era-invalidate against era_invalidate 0.9.0: byte-identical output (and exit
// status) on the era fixture and on seeded random era metadata restored by era_restore, for the
// edge thresholds (era 0, the eras of the writesets, the current era, beyond it, the largest
// era), writesets with no bit set and writesets longer than the era array; and both equal to the
// report computed here from the generator's spec. DMSCOPE_INTEROP_SEED repeats a run;
// DMSCOPE_ERA_INVALIDATE_POOLS sets the number of pools (100).

#include "core/BlockType.h"
#include "core/FileBlockSource.h"
#include "core/era/EraInvalidator.h"
#include "core/era/EraSuperblock.h"
#include "tests/cacheera/BlockDamage.h"
#include "tests/cacheera/EraPoolGenerator.h"
#include "tests/cacheera/ParallelRuns.h"
#include "tests/cacheera/RunSettings.h"
#include "tests/cacheera/SanitizerCheck.h"
#include "tests/cacheera/ScratchFiles.h"
#include "tests/support/Fixtures.h"

#include <QTest>
#include <set>

using namespace dms;
using namespace dms::test;

namespace {

// era_invalidate's report computed from the spec: era-array entries >= since, and bits of the
// writesets of eras >= since, as runs.
QByteArray expectedReport(const EraPoolSpec& p, std::uint32_t since) {
    std::set<std::uint32_t> blocks;
    for (std::uint32_t b = 0; b < p.nrBlocks; ++b)
        if (p.eras[b] >= since) blocks.insert(b);
    for (const EraWritesetSpec& w : p.writesets)
        if (w.era >= since)
            for (std::uint32_t b = 0; b < w.nrBits; ++b)
                if (w.bits[b]) blocks.insert(b);
    QByteArray out = "<blocks>\n";
    for (auto it = blocks.begin(); it != blocks.end();) {
        const std::uint32_t begin = *it;
        std::uint32_t end = begin + 1;
        for (++it; it != blocks.end() && *it == end; ++it)
            ++end;
        if (end - begin == 1)
            out += "  <block block=\"" + QByteArray::number(begin) + "\"/>\n";
        else
            out += "  <range begin=\"" + QByteArray::number(begin) + "\" end = \"" +
                   QByteArray::number(end) + "\"/>\n";
    }
    return out + "</blocks>\n";
}

// Edge cases the generator draws rarely: a writeset with no bit set, one longer than the era
// array (era_invalidate reports its bits beyond nr_blocks too).
void addEdgeCases(EraPoolSpec& p, std::mt19937_64& rng, int pool) {
    if (pool % 4 == 0 && !p.writesets.empty())
        std::fill(p.writesets.front().bits.begin(), p.writesets.front().bits.end(), false);
    if (pool % 5 == 1 && !p.writesets.empty()) {
        EraWritesetSpec& w = p.writesets.back();
        w.nrBits = p.nrBlocks + 1 + std::uint32_t(rng() % 300);
        w.bits.resize(w.nrBits);
        for (std::uint32_t b = p.nrBlocks; b < w.nrBits; ++b)
            w.bits[b] = rng() % 3 == 0;
    }
}

std::vector<std::uint32_t> thresholds(const EraPoolSpec& p, std::mt19937_64& rng, int pool) {
    std::vector<std::uint32_t> edge = {0, p.currentEra, p.currentEra + 1, 0xFFFFFFFFu,
                                       p.currentEra + 1000};
    for (const EraWritesetSpec& w : p.writesets) {
        edge.push_back(w.era);
        edge.push_back(w.era + 1);
    }
    return {edge[std::size_t(pool) % edge.size()], edge[rng() % edge.size()],
            std::uint32_t(rng() % (std::uint64_t(p.currentEra) + 2))};
}

// The report through the core, in this process (dmscope-cli's start-up, loading its shared
// libraries, costs more than the report itself).
RunResult reportInProcess(const QString& img, std::uint32_t since) {
    RunResult r;
    auto src = FileBlockSource::open(img.toStdString(), OpenMode::ReadOnly);
    if (!src) {
        r.exitCode = 1;
        r.err = QByteArray::fromStdString(src.error().describe());
        return r;
    }
    BlockReader reader(std::shared_ptr<const BlockSource>(std::move(*src)));
    auto sb = EraSuperblock::read(reader);
    auto blocks =
        sb ? eraBlocksWrittenSince(reader, *sb, since) : Expected<EraWrittenBlocks>(sb.error());
    if (!blocks) {
        r.exitCode = 1;
        r.err = QByteArray::fromStdString(blocks.error().describe());
        return r;
    }
    std::string text;
    OutputBuffer out([&](const char* d, std::size_t n) {
        text.append(d, n);
        return Status::success();
    });
    writeEraInvalidateXml(*blocks, out);
    (void)out.flush();
    r.exitCode = 0;
    r.out = QByteArray::fromStdString(text);
    return r;
}

QStringList toolArgs(std::uint32_t since, const QString& img) {
    return {"--written-since", QString::number(since), img};
}

} // namespace

class EraInvalidate : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(toolsInstalled({"era_restore", "era_invalidate"}),
                 "era tools (thin-provisioning-tools) are not installed");
    }

    void fixtureReportsEqualEraInvalidate() {
        const QString img = scratchDir() + "/era-fixture.bin";
        QVERIFY(writeBytes(img, fixtureBytes("tools/era.bin.zst")));
        const auto before = readBytes(img);
        // current_era is 5 in the fixture: every era up to beyond it, and the largest.
        std::vector<ProgramRun> runs;
        std::vector<std::uint32_t> eras = {0, 1, 2, 3, 4, 5, 6, 7, 100, 0xFFFFFFFFu};
        for (std::uint32_t e : eras) {
            runs.push_back({"era_invalidate", toolArgs(e, img)});
            runs.push_back({cliPath(), QStringList{"era-invalidate"} + toolArgs(e, img)});
        }
        const auto r = runAll(runs);
        for (std::size_t i = 0; i < eras.size(); ++i) {
            const RunResult& tool = r[2 * i];
            const RunResult& ours = r[2 * i + 1];
            const QString where =
                QStringLiteral("fixture era.bin, --written-since %1").arg(eras[i]);
            QVERIFY2(!hasSanitizerReport(ours), ours.err.constData());
            QVERIFY2(tool.exitCode == 0 && ours.exitCode == 0,
                     qPrintable(where + ": " + tool.err + ours.err));
            QVERIFY2(tool.out == ours.out,
                     qPrintable(where + ": " + firstDifference(tool.out, ours.out)));
        }
        QVERIFY2(r[0].out.contains("<range begin=\"0\" end = \"256\"/>"), r[0].out.constData());
        QCOMPARE(r[2 * 7].out, QByteArray("<blocks>\n</blocks>\n")); // era 7 > current 5

        // -o FILE writes the same bytes as era_invalidate's -o.
        const QString toolFile = scratchDir() + "/inv-tool.xml",
                      ourFile = scratchDir() + "/inv.xml";
        QCOMPARE(
            runProgram("era_invalidate", {"--written-since", "3", "-o", toolFile, img}).exitCode,
            0);
        QCOMPARE(runCli({"era-invalidate", "--written-since", "3", "-o", ourFile, img}).exitCode,
                 0);
        QVERIFY(readBytes(toolFile) == readBytes(ourFile));
        QVERIFY(!readBytes(ourFile).empty());
        QVERIFY(readBytes(img) == before); // read-only
    }

    void metadataSnapshotOptionAsEraInvalidate() {
        const QString img = scratchDir() + "/era-nosnap.bin";
        QVERIFY(writeBytes(img, fixtureBytes("tools/era.bin.zst")));
        // No snapshot: both fail and print nothing.
        const auto tool =
            runProgram("era_invalidate", {"--written-since", "3", "--metadata-snapshot", img});
        const auto ours =
            runCli({"era-invalidate", "--written-since", "3", "--metadata-snapshot", img});
        QCOMPARE(tool.exitCode, 1);
        QCOMPARE(ours.exitCode, 1);
        QVERIFY(tool.out.isEmpty() && ours.out.isEmpty());
        QVERIFY2(ours.err.contains("metadata_snap"), ours.err.constData());

        // A superblock naming a snapshot (here an unused block): 0.9.0 still reports the live
        // metadata, and so do we.
        auto bytes = fixtureBytes("tools/era.bin.zst");
        storeLe64(bytes.data() + 216, 1000);
        sealBlock(bytes.data(), 0, BlockType::EraSuperblock);
        const QString snap = scratchDir() + "/era-snap.bin";
        QVERIFY(writeBytes(snap, bytes));
        const auto r = runAll(
            {{"era_invalidate", {"--written-since", "3", "--metadata-snapshot", snap}},
             {cliPath(), {"era-invalidate", "--written-since", "3", "--metadata-snapshot", snap}},
             {cliPath(), {"era-invalidate", "--written-since", "3", img}}});
        QVERIFY2(r[0].exitCode == 0 && r[1].exitCode == 0, r[0].err + r[1].err);
        QCOMPARE(r[1].out, r[0].out);
        QCOMPARE(r[1].out, r[2].out);
        QVERIFY2(r[1].err.contains("snapshot at block 1000"), r[1].err.constData());
    }

    void damagedWritesetFailsLikeEraInvalidate() {
        // A writeset of 0 bits: era_restore writes it, the 0.9.0 tools call it damaged (their
        // array end arithmetic wraps), and era_invalidate reports nothing.
        EraPoolSpec p;
        p.nrBlocks = 10;
        p.currentEra = 7;
        p.eras.assign(10, 1);
        p.writesets.push_back({2, 0, {}});
        const QString xml = scratchDir() + "/era-empty-ws.xml",
                      img = scratchDir() + "/era-empty-ws.bin";
        QVERIFY(writeText(xml, p.xml(true)));
        QVERIFY(makeImage(img, 64));
        QCOMPARE(runProgram("era_restore", {"-i", xml, "-o", img}).exitCode, 0);
        for (const char* since : {"0", "5"}) {
            const auto r = runAll({{"era_invalidate", {"--written-since", since, img}},
                                   {cliPath(), {"era-invalidate", "--written-since", since, img}}});
            QCOMPARE(r[0].exitCode, 1);
            QCOMPARE(r[1].exitCode, 1);
            QVERIFY(r[0].out.isEmpty() && r[1].out.isEmpty());
            QVERIFY2(r[1].err.contains("writeset of era 2"), r[1].err.constData());
        }
    }

    void randomPoolsReportLikeEraInvalidate() {
        const std::uint64_t seed = runSeed();
        const int pools = poolCount("DMSCOPE_ERA_INVALIDATE_POOLS", 100);
        qInfo("era invalidate: seed %llu, %d pools", (unsigned long long)seed, pools);
        std::mt19937_64 rng(seed ^ 0x5851f42d4c957f2dull);
        const QString dir = scratchDir();
        std::vector<EraPoolSpec> specs;
        std::vector<ProgramRun> restores;
        for (int i = 0; i < pools; ++i) {
            EraPoolSpec spec = randomEraPool(rng);
            addEdgeCases(spec, rng, i);
            const QString xml = dir + QStringLiteral("/inv%1.xml").arg(i);
            const QString img = dir + QStringLiteral("/inv%1.bin").arg(i);
            QVERIFY(writeText(xml, spec.xml(false)));
            QVERIFY(makeImage(img, 128));
            restores.push_back({"era_restore", {"-i", xml, "-o", img}});
            specs.push_back(std::move(spec));
        }
        const auto restored = runAll(restores);
        struct Case {
            int pool;
            std::uint32_t since;
            int cliRun; // index of the dmscope-cli run in `runs`, -1: in this process
        };
        std::vector<Case> cases;
        std::vector<ProgramRun> runs;
        for (int i = 0; i < pools; ++i) {
            QVERIFY2(restored[std::size_t(i)].exitCode == 0,
                     qPrintable(
                         QStringLiteral("seed=%1 pool=%2: era_restore failed: ").arg(seed).arg(i) +
                         restored[std::size_t(i)].err));
            const QString img = dir + QStringLiteral("/inv%1.bin").arg(i);
            // The first threshold of a pool goes through dmscope-cli, the others through the
            // same core code in this process.
            bool viaCli = true;
            for (std::uint32_t since : thresholds(specs[std::size_t(i)], rng, i)) {
                cases.push_back({i, since, viaCli ? int(runs.size()) + 1 : -1});
                runs.push_back({"era_invalidate", toolArgs(since, img)});
                if (viaCli)
                    runs.push_back(
                        {cliPath(), QStringList{"era-invalidate"} + toolArgs(since, img)});
                viaCli = false;
            }
        }
        std::vector<RunResult> r = runAll(runs);
        int nonEmpty = 0, beyond = 0, cli = 0;
        for (std::size_t c = 0, next = 0; c < cases.size(); ++c) {
            const RunResult& tool = r[next++];
            RunResult ours;
            if (cases[c].cliRun >= 0) {
                ours = r[next++];
                ++cli;
            } else {
                ours = reportInProcess(dir + QStringLiteral("/inv%1.bin").arg(cases[c].pool),
                                       cases[c].since);
            }
            const QString where = QStringLiteral("seed=%1 pool=%2 --written-since %3")
                                      .arg(seed)
                                      .arg(cases[c].pool)
                                      .arg(cases[c].since);
            QVERIFY2(!hasSanitizerReport(ours), qPrintable(where + ": " + ours.err));
            QVERIFY2(tool.exitCode == 0, qPrintable(where + ": era_invalidate: " + tool.err));
            QVERIFY2(ours.exitCode == 0, qPrintable(where + ": " + ours.err));
            const QByteArray expected =
                expectedReport(specs[std::size_t(cases[c].pool)], cases[c].since);
            QVERIFY2(tool.out == expected,
                     qPrintable(where + ": era_invalidate and the spec disagree, " +
                                firstDifference(expected, tool.out)));
            QVERIFY2(ours.out == tool.out,
                     qPrintable(where + ": " + firstDifference(tool.out, ours.out)));
            nonEmpty += tool.out != "<blocks>\n</blocks>\n";
            const EraPoolSpec& p = specs[std::size_t(cases[c].pool)];
            for (const EraWritesetSpec& w : p.writesets)
                if (w.nrBits > p.nrBlocks && w.era >= cases[c].since) {
                    ++beyond;
                    break;
                }
        }
        qInfo("era invalidate: %d pools, %d reports byte-identical to era_invalidate (%d by "
              "dmscope-cli, %d non-empty, %d with writeset bits beyond nr_blocks)",
              pools, int(cases.size()), cli, nonEmpty, beyond);
    }
};

QTEST_GUILESS_MAIN(EraInvalidate)
#include "tst_erainvalidate.moc"
