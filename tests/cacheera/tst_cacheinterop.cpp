// Interoperability with cache_restore / cache_dump / cache_check 0.9.0 on seeded random cache
// metadata (format 1 and 2, one pool per run large enough for a two-level array spine):
// dmscope-cli dump prints exactly what cache_dump prints, --dirty-from-bitset prints the dirty
// flags the XML asked for, check agrees with cache_check, and images written by dmscope-cli
// restore are accepted by cache_check and dump like cache_restore's. One pool in three is also
// damaged (a bit flipped, resealed or not, or a block zeroed) and the check verdicts compared.
// DMSCOPE_INTEROP_SEED repeats a run; DMSCOPE_CACHE_POOLS sets the number of pools (100).

#include "tests/cacheera/BlockDamage.h"
#include "tests/cacheera/CachePoolGenerator.h"
#include "tests/cacheera/RunSettings.h"
#include "tests/cacheera/SanitizerCheck.h"
#include "tests/cacheera/ScratchFiles.h"
#include "tests/cacheera/ToolOracle.h"
#include "tests/support/Fixtures.h"

#include <QTest>

using namespace dms;
using namespace dms::test;

class CacheInterop : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(toolsInstalled({"cache_restore", "cache_dump", "cache_check"}),
                 "cache tools (thin-provisioning-tools) are not installed");
    }

    void randomPoolsDumpAndCheckLikeCacheTools() {
        const std::uint64_t seed = runSeed();
        const int pools = poolCount("DMSCOPE_CACHE_POOLS", 100);
        qInfo("cache interop: seed %llu, %d pools", (unsigned long long)seed, pools);
        std::mt19937_64 rng(seed);
        int passed = 0, damaged = 0, mappings = 0, restored = 0;
        const QString dir = scratchDir();
        const ToolOracle oracle(QStringLiteral("cache"));
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

            QByteArray toolDump;
            oracle.compareDump(img, where, toolDump);
            if (QTest::currentTestFailed()) return;
            // What cache_dump prints: the XML's mappings, all clean in format 2.
            const QByteArray expected = spec.xml(true, spec.version == 2).toUtf8();
            QVERIFY2(toolDump == expected,
                     qPrintable(where + ": generator and cache_dump disagree, " +
                                firstDifference(expected, toolDump)));
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
                oracle.compareOwnRestore(
                    xml, dir + QStringLiteral("/cache%1-ours.bin").arg(i), spec.imageBlocks(),
                    {"--metadata-version", QString::number(spec.version)}, toolDump, where);
                if (QTest::currentTestFailed()) return;
                ++restored;
            }

            if (i % 3 == 1) {
                bool wasDamaged = false;
                oracle.compareDamagedCheck(img, dir + QStringLiteral("/cache%1-bad.bin").arg(i),
                                           rng, where, wasDamaged);
                if (QTest::currentTestFailed()) return;
                damaged += wasDamaged;
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
