// dmscope-cli edit on dm-era metadata: archive, checkpoint, digest and digest-before, done
// offline as dm-era does them online. After every step era_check 0.9.0 and our check pass (no
// finding: every reference count of the shadowed, new and freed blocks is exact) and era_dump
// prints exactly what this test computes from the dump before the step: a checkpoint archives
// the live writeset under the current era and starts the next one; a digest writes each
// marked block's newest digested era into the era array and removes those writesets. Seeded
// random pools made by era_restore (DMSCOPE_INTEROP_SEED, DMSCOPE_ERA_EDIT_POOLS, 24), the
// fixture, and one era array with a two-level spine; --dry-run and bad edits write nothing, and
// --trace prints the space-map machinery.

#include "core/BlockType.h"
#include "core/FileBlockSource.h"
#include "core/MemoryBlockSource.h"
#include "core/era/EraChecker.h"
#include "core/era/EraDumper.h"
#include "core/era/EraEditor.h"
#include "core/era/EraRestorer.h"
#include "tests/cacheera/BlockDamage.h"
#include "tests/cacheera/EraDumpParser.h"
#include "tests/cacheera/EraPoolGenerator.h"
#include "tests/cacheera/ParallelRuns.h"
#include "tests/cacheera/RunSettings.h"
#include "tests/cacheera/SanitizerCheck.h"
#include "tests/cacheera/ScratchFiles.h"
#include "tests/support/Fixtures.h"
#include "tests/support/Require.h"

#include <QRegularExpression>
#include <QTest>
#include <sstream>

using namespace dms;
using namespace dms::test;

namespace {

// One edit step and what it must do to the dump (the live writeset is tracked here: era_dump
// does not print it).
struct Step {
    enum Kind { Checkpoint, Archive, DigestBefore, Digest } kind;
    std::uint32_t before = 0;
    QStringList words() const {
        switch (kind) {
        case Checkpoint:
            return {"checkpoint"};
        case Archive:
            return {"archive"};
        case DigestBefore:
            return {"digest-before", QString::number(before)};
        case Digest:
            return {"digest"};
        }
        return {};
    }
};

struct ExpectedEra {
    EraPoolSpec spec;
    bool live = false; // a live writeset of nrBlocks bits, none set (nothing writes to it here)
};

void archiveLive(ExpectedEra& x) {
    if (!x.live) return;
    EraWritesetSpec w{x.spec.currentEra, x.spec.nrBlocks,
                      std::vector<bool>(x.spec.nrBlocks, false)};
    auto& ws = x.spec.writesets;
    auto at = std::find_if(ws.begin(), ws.end(), [&](const auto& o) { return o.era >= w.era; });
    if (at != ws.end() && at->era == w.era)
        *at = w;
    else
        ws.insert(at, w);
    x.live = false;
}

void apply(ExpectedEra& x, const Step& s) {
    switch (s.kind) {
    case Step::Archive:
        archiveLive(x);
        break;
    case Step::Checkpoint:
        archiveLive(x);
        x.live = true;
        ++x.spec.currentEra;
        break;
    case Step::DigestBefore:
    case Step::Digest: {
        auto& ws = x.spec.writesets;
        for (const EraWritesetSpec& w : ws) { // ascending era: the newest marking wins
            if (s.kind == Step::DigestBefore && w.era >= s.before) continue;
            for (std::uint32_t b = 0; b < std::min(w.nrBits, x.spec.nrBlocks); ++b)
                if (w.bits[b]) x.spec.eras[b] = w.era;
        }
        ws.erase(std::remove_if(ws.begin(), ws.end(),
                                [&](const EraWritesetSpec& w) {
                                    return s.kind == Step::Digest || w.era < s.before;
                                }),
                 ws.end());
        break;
    }
    }
}

Status applyInProcess(EraEditor& ed, const Step& s) {
    switch (s.kind) {
    case Step::Archive: {
        auto a = ed.archive();
        return a ? Status::success() : Status(a.error());
    }
    case Step::Checkpoint:
        return ed.checkpoint();
    case Step::DigestBefore:
    case Step::Digest: {
        auto n = ed.digest(s.kind == Step::Digest ? std::nullopt
                                                  : std::optional<std::uint32_t>(s.before));
        return n ? Status::success() : Status(n.error());
    }
    }
    return Status::success();
}

std::string firstFinding(const CheckReport& r) {
    return r.findings().empty() ? std::string() : r.findings()[0].describe();
}

QByteArray dumpInProcess(const std::shared_ptr<BlockSource>& dev) {
    BlockReader reader(dev);
    auto sb = EraSuperblock::read(reader);
    if (!sb) return QByteArray::fromStdString(sb.error().describe());
    std::string text;
    OutputBuffer out([&](const char* d, std::size_t n) {
        text.append(d, n);
        return Status::success();
    });
    Status s = dumpEraMetadata(reader, *sb, out);
    (void)out.flush();
    if (!s) return QByteArray::fromStdString(s.error().describe());
    return QByteArray::fromStdString(text);
}

} // namespace

class EraEdit : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(toolsInstalled({"era_restore", "era_dump", "era_check"}),
                 "era tools (thin-provisioning-tools) are not installed");
    }

    void stepsChangeTheDumpExactlyAndPassTheCheckers() {
        const std::uint64_t seed = runSeed();
        const int pools = poolCount("DMSCOPE_ERA_EDIT_POOLS", 24);
        qInfo("era edit: seed %llu, %d pools and the fixture", (unsigned long long)seed, pools);
        std::mt19937_64 rng(seed ^ 0x2545f4914f6cdd1dull);
        const QString dir = scratchDir();
        // Pool 0 is the fixture; the others are restored by era_restore.
        std::vector<QString> imgs;
        std::vector<ProgramRun> restores;
        for (int i = 0; i <= pools; ++i) {
            const QString img = dir + QStringLiteral("/edit%1.bin").arg(i);
            imgs.push_back(img);
            if (i == 0) {
                QVERIFY(writeBytes(img, fixtureBytes("tools/era.bin.zst")));
                continue;
            }
            const QString xml = dir + QStringLiteral("/edit%1.xml").arg(i);
            QVERIFY(writeText(xml, randomEraPool(rng).xml(false)));
            QVERIFY(makeImage(img, 256));
            restores.push_back({"era_restore", {"-i", xml, "-o", img}});
        }
        for (const RunResult& r : runAll(restores))
            QVERIFY2(r.exitCode == 0, r.err.constData());
        std::vector<ExpectedEra> expected(imgs.size());
        std::vector<ProgramRun> dumps;
        for (const QString& img : imgs)
            dumps.push_back({"era_dump", {img}});
        const auto first = runAll(dumps);
        for (std::size_t i = 0; i < imgs.size(); ++i) {
            auto spec = parseEraDump(first[i].out);
            QVERIFY2(spec, first[i].out.left(200).constData());
            expected[i].spec = *spec;
        }

        int cliSteps = 0, digested = 0;
        for (int round = 0; round < 5; ++round) {
            std::vector<Step> steps(imgs.size());
            for (std::size_t i = 0; i < imgs.size(); ++i) {
                const EraPoolSpec& p = expected[i].spec;
                const Step::Kind kinds[] = {Step::Checkpoint, Step::Checkpoint, Step::DigestBefore,
                                            Step::Archive, Step::Digest};
                steps[i].kind = kinds[round];
                // Half the time an era of a writeset (so it and the newer ones stay).
                steps[i].before = !p.writesets.empty() && rng() % 2
                                      ? p.writesets[rng() % p.writesets.size()].era
                                      : std::uint32_t(rng() % (std::uint64_t(p.currentEra) + 2));
                for (const EraWritesetSpec& w : p.writesets)
                    digested += steps[i].kind == Step::Digest ||
                                (steps[i].kind == Step::DigestBefore && w.era < steps[i].before);
                apply(expected[i], steps[i]);
            }
            // Names a pool's step in failure messages.
            const auto placeOf = [&](std::size_t i) {
                return QStringLiteral("seed=%1 pool=%2 round=%3 %4")
                    .arg(seed)
                    .arg(i)
                    .arg(round)
                    .arg(steps[i].words().join(' '));
            };
            // A third of the pools through dmscope-cli (words, or --era-op), the rest in process.
            std::vector<ProgramRun> cli;
            for (std::size_t i = 0; i < imgs.size(); ++i) {
                const QString where = placeOf(i);
                if (i % 3 == 0) {
                    QStringList args = {"edit", imgs[i]};
                    if (i % 2)
                        args += steps[i].words();
                    else
                        args += {"--era-op", steps[i].words().join('=')};
                    cli.push_back({cliPath(), args});
                    continue;
                }
                auto src =
                    FileBlockSource::open(imgs[i].toStdString(), OpenMode::ReadWriteExclusive);
                REQUIRE_OK(src);
                auto ed = EraEditor::open(std::shared_ptr<BlockSource>(std::move(*src)));
                REQUIRE_OK(ed);
                Status s = applyInProcess(**ed, steps[i]);
                if (s) s = (*ed)->commit();
                if (!s) // (QVERIFY2 would build its message from error() on success too)
                    QFAIL(qPrintable(where + ": " + QString::fromStdString(s.error().describe())));
            }
            for (const RunResult& r : runAll(cli)) {
                QVERIFY2(!hasSanitizerReport(r), r.err.constData());
                QVERIFY2(r.exitCode == 0, r.err.constData());
                QVERIFY2(r.out.isEmpty(), r.out.constData());
                ++cliSteps;
            }
            std::vector<ProgramRun> tools;
            for (const QString& img : imgs) {
                tools.push_back({"era_check", {img}});
                tools.push_back({"era_dump", {img}});
            }
            const auto r = runAll(tools);
            for (std::size_t i = 0; i < imgs.size(); ++i) {
                const QString where = placeOf(i);
                QVERIFY2(r[2 * i].exitCode == 0,
                         qPrintable(where + ": era_check fails: " + r[2 * i].out + r[2 * i].err));
                const QByteArray want = expected[i].spec.xml(true).toUtf8();
                QVERIFY2(r[2 * i + 1].out == want,
                         qPrintable(where + ": " + firstDifference(want, r[2 * i + 1].out)));
                auto src = FileBlockSource::open(imgs[i].toStdString(), OpenMode::ReadOnly);
                REQUIRE_OK(src);
                std::shared_ptr<const BlockSource> ro(std::move(*src));
                const CheckReport report = EraChecker(ro).run();
                QVERIFY2(report.findings().empty(),
                         qPrintable(where + ": " + QString::fromStdString(firstFinding(report))));
                BlockReader reader(ro);
                auto sb = EraSuperblock::read(reader);
                REQUIRE_OK(sb);
                QCOMPARE(sb->currentWritesetRoot != 0, expected[i].live);
                if (expected[i].live) QCOMPARE(sb->currentWritesetNrBits, sb->nrBlocks);
            }
        }
        qInfo("era edit: %d pools x 5 steps equal to the expected era_dump and passing era_check "
              "(%d steps by dmscope-cli, %d writesets digested)",
              int(imgs.size()), cliSteps, digested);
    }

    // 260000 blocks: the era array has 256 array blocks under a two-level spine, and each
    // writeset 8. A digest writes array blocks under both spine levels.
    void digestAcrossATwoLevelSpine() {
        EraPoolSpec p;
        p.nrBlocks = 260000;
        p.currentEra = 40;
        p.eras.assign(p.nrBlocks, 0);
        for (std::uint32_t b = 0; b < p.nrBlocks; b += 997)
            p.eras[b] = b % 30;
        for (std::uint32_t era : {31u, 35u}) {
            EraWritesetSpec w{era, p.nrBlocks, std::vector<bool>(p.nrBlocks, false)};
            for (std::uint32_t b = era; b < p.nrBlocks; b += 1013 + era)
                w.bits[b] = true;
            w.bits[p.nrBlocks - 1] = true;
            p.writesets.push_back(std::move(w));
        }
        auto dev = std::make_shared<MemoryBlockSource>(MemoryBlockSource::zeroed(1024));
        std::istringstream in(p.xml(false).toStdString());
        REQUIRE_OK(restoreEraXml(in, dev));
        ExpectedEra x{p, false};
        for (Step s : {Step{Step::Checkpoint}, Step{Step::DigestBefore, 35}, Step{Step::Checkpoint},
                       Step{Step::Digest}}) {
            auto ed = EraEditor::open(dev);
            REQUIRE_OK(ed);
            REQUIRE_OK(applyInProcess(**ed, s));
            REQUIRE_OK((*ed)->commit());
            apply(x, s);
            const CheckReport r = EraChecker(dev).run();
            QVERIFY2(r.findings().empty(), firstFinding(r).c_str());
            const QByteArray want = x.spec.xml(true).toUtf8();
            const QByteArray got = dumpInProcess(dev);
            QVERIFY2(got == want,
                     qPrintable(s.words().join(' ') + ": " + firstDifference(want, got)));
        }
        QVERIFY(x.spec.writesets.empty());
        // Marked by both writesets: era 35, the newest; the archived empty writeset of era 41
        // marked nothing.
        QCOMPARE(x.spec.eras[p.nrBlocks - 1], 35u);
        const QString img = scratchDir() + "/era-two-level.bin";
        QVERIFY(writeBytes(img, dev->bytes()));
        const auto tool = runProgram("era_check", {img});
        QVERIFY2(tool.exitCode == 0, tool.err.constData());
    }

    void dryRunTraceAndBadEditsWriteNothing() {
        const QString img = scratchDir() + "/era-bad.bin";
        const auto original = fixtureBytes("tools/era.bin.zst");
        QVERIFY(writeBytes(img, original));
        const auto dry = runCli({"edit", "--dry-run", img, "checkpoint", "checkpoint", "digest"});
        QVERIFY2(dry.exitCode == 0, dry.err.constData());
        const QString out = QString::fromUtf8(dry.out);
        for (const char* line : {"# checkpoint\n", "# digest\n", "# 3 writesets digested\n"})
            QVERIFY2(out.contains(QLatin1String(line)), qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression("^[0-9]+ tm shadowed block=[0-9]+ copy=[0-9]+$",
                                                 QRegularExpression::MultilineOption)),
                 qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression("^[0-9]+ meta-sm freed dec block=[0-9]+ ",
                                                 QRegularExpression::MultilineOption)),
                 qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression("^# dry run: [1-9][0-9]* blocks would be written",
                                                 QRegularExpression::MultilineOption)),
                 qPrintable(out));
        QVERIFY(readBytes(img) == original);

        for (const QStringList& bad :
             {QStringList{"edit", img, "digest-before"}, QStringList{"edit", img, "frobnicate"},
              QStringList{"edit", img, "digest-before", "4294967296"},
              QStringList{"edit", img, "checkpoint", "set-needs-check"},
              QStringList{"edit", img, "--era-op", "digest-before=x"}}) {
            const auto r = runCli(bad);
            QVERIFY2(r.exitCode == 2, qPrintable(bad.join(' ') + ": " + r.err));
            QVERIFY(readBytes(img) == original);
        }
        // --era-op on other metadata is a usage error.
        const QString cache = scratchDir() + "/era-op-cache.bin";
        QVERIFY(writeBytes(cache, fixtureBytes("tools/cache_v1.bin.zst")));
        QCOMPARE(runCli({"edit", cache, "--era-op", "checkpoint"}).exitCode, 2);

        // The last era cannot be followed: nothing is written.
        auto last = original;
        storeLe32(last.data() + 184, 0xFFFFFFFFu);
        sealBlock(last.data(), 0, BlockType::EraSuperblock);
        const QString lastImg = scratchDir() + "/era-last.bin";
        QVERIFY(writeBytes(lastImg, last));
        const auto wrap = runCli({"edit", lastImg, "archive", "checkpoint"});
        QCOMPARE(wrap.exitCode, 2);
        QVERIFY2(wrap.err.contains("nothing was written"), wrap.err.constData());
        QVERIFY(readBytes(lastImg) == last);
    }
};

QTEST_GUILESS_MAIN(EraEdit)
#include "tst_eraedit.moc"
