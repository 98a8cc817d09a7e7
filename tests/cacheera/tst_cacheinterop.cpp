// Interoperability with cache_restore / cache_dump / cache_check 0.9.0 on seeded random cache
// metadata (format 1 and 2, one pool per run large enough for a two-level array spine):
// dmscope-cli dump prints exactly what cache_dump prints, --dirty-from-bitset prints the dirty
// flags the XML asked for, check agrees with cache_check, and images written by dmscope-cli
// restore are accepted by cache_check and dump like cache_restore's. One pool in three is also
// damaged (a bit flipped, resealed or not, or a block zeroed) and the check verdicts compared.
// DMSCOPE_INTEROP_SEED repeats a run; DMSCOPE_CACHE_POOLS sets the number of pools (100).

#include "tests/cacheera/BlockDamage.h"
#include "tests/cacheera/CachePoolGenerator.h"
#include "tests/cacheera/SanitizerCheck.h"
#include "tests/cacheera/ScratchFiles.h"
#include "tests/support/Fixtures.h"

#include <QStandardPaths>
#include <QTest>

using namespace dms;
using namespace dms::test;

class CacheInterop : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        for (const char* tool : {"cache_restore", "cache_dump", "cache_check"})
            QVERIFY2(!QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty(),
                     "cache tools (thin-provisioning-tools) are not installed");
    }

    void randomPoolsDumpAndCheckLikeCacheTools() {
        const std::uint64_t seed = runSeed();
        const int pools = qEnvironmentVariableIntValue("DMSCOPE_CACHE_POOLS") > 0
                              ? qEnvironmentVariableIntValue("DMSCOPE_CACHE_POOLS")
                              : 100;
        qInfo("cache interop: seed %llu, %d pools", (unsigned long long)seed, pools);
        std::mt19937_64 rng(seed);
        int passed = 0, damaged = 0, mappings = 0, restored = 0;
        const QString dir = scratchDir();
        const bool ownRestore = runCli({"help", "restore"}).out.contains("cache");
        for (int i = 0; i < pools; ++i) {
            const QString where = QStringLiteral("seed=%1 pool=%2").arg(seed).arg(i);
            const CachePoolSpec spec = randomCachePool(rng, i == 0);
            mappings += int(spec.mappings.size());
            const QString xml = dir + QStringLiteral("/cache%1.xml").arg(i);
            const QString img = dir + QStringLiteral("/cache%1.bin").arg(i);
            QVERIFY(writeText(xml, spec.xml(false)));
            QVERIFY(makeImage(img, spec.imageBlocks()));
            const auto restore =
                runProgram("cache_restore", {"-i", xml, "-o", img, "--metadata-version",
                                             QString::number(spec.version)});
            QVERIFY2(restore.exitCode == 0,
                     qPrintable(where + ": cache_restore failed: " + restore.err));

            const auto toolDump = runProgram("cache_dump", {img});
            QCOMPARE(toolDump.exitCode, 0);
            const auto ours = runCli({"dump", img});
            QVERIFY2(ours.exitCode == 0 && !ours.crashed && !hasSanitizerReport(ours),
                     qPrintable(where + ": " + ours.err));
            QVERIFY2(ours.out == toolDump.out,
                     qPrintable(where + ": dump differs from cache_dump, " +
                                firstDifference(toolDump.out, ours.out)));
            // What cache_dump prints: the XML's mappings, all clean in format 2.
            const QByteArray expected = spec.xml(true, spec.version == 2).toUtf8();
            QVERIFY2(toolDump.out == expected,
                     qPrintable(where + ": generator and cache_dump disagree, " +
                                firstDifference(expected, toolDump.out)));
            if (spec.version == 2) { // format 1: the plain dump already shows the flags
                const auto truth = runCli({"dump", "--dirty-from-bitset", img});
                const QByteArray asked = spec.xml(true).toUtf8();
                QVERIFY2(truth.out == asked, qPrintable(where + ": --dirty-from-bitset, " +
                                                        firstDifference(asked, truth.out)));
            }

            // The tool passes its own images (checked on the damaged copies below).
            const auto ourCheck = runCli({"check", "--quiet", img});
            QVERIFY2(ourCheck.exitCode == 0,
                     qPrintable(where + ": check of a restored image failed"));

            if (ownRestore) {
                const QString img2 = dir + QStringLiteral("/cache%1-ours.bin").arg(i);
                QVERIFY(makeImage(img2, spec.imageBlocks()));
                const auto r = runCli({"restore", "-i", xml, "-o", img2, "--metadata-version",
                                       QString::number(spec.version)});
                QVERIFY2(r.exitCode == 0 && !hasSanitizerReport(r),
                         qPrintable(where + ": restore: " + r.err));
                const auto c = runProgram("cache_check", {img2});
                QVERIFY2(c.exitCode == 0,
                         qPrintable(where + ": cache_check rejects our image: " + c.err));
                const auto d = runProgram("cache_dump", {img2});
                QVERIFY2(d.out == toolDump.out,
                         qPrintable(where + ": our image dumps differently, " +
                                    firstDifference(toolDump.out, d.out)));
                ++restored;
            }

            if (i % 3 == 1) {
                std::vector<std::uint8_t> image = readBytes(img);
                const auto used = usedBlocks(image);
                const auto kind = DamageKind(rng() % 4);
                const auto what = damageBlock(image, used[rng() % used.size()], kind, rng);
                if (what) {
                    const QString bad = dir + QStringLiteral("/cache%1-bad.bin").arg(i);
                    QVERIFY(writeBytes(bad, image));
                    const auto t = runProgram("cache_check", {"-q", bad});
                    const auto o = runCli({"check", bad});
                    QVERIFY2(!o.crashed && !o.timedOut && !hasSanitizerReport(o) &&
                                 (o.exitCode == 0 || o.exitCode == 1),
                             qPrintable(where + ": " + *what + ": check crashed"));
                    // A tool that aborts (era_check 0.9.0 does on some damage) fails the check.
                    const int toolVerdict = (t.crashed || t.exitCode != 0) ? 1 : 0;
                    QVERIFY2(toolVerdict == o.exitCode,
                             qPrintable(where + ": " + *what +
                                        QStringLiteral(": cache_check exit %1, ours %2: ")
                                            .arg(t.crashed ? QStringLiteral("crash")
                                                           : QString::number(t.exitCode))
                                            .arg(o.exitCode) +
                                        o.out));
                    ++damaged;
                }
            }
            ++passed;
        }
        qInfo("cache interop: %d pools (%d mappings) equal to cache_dump/cache_check, %d "
              "restored by dmscope-cli, %d damaged copies with equal verdicts",
              passed, mappings, restored, damaged);
    }
};

QTEST_GUILESS_MAIN(CacheInterop)
#include "tst_cacheinterop.moc"
