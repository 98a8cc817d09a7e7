// Interoperability with era_restore / era_dump / era_check 0.9.0 on seeded random era metadata:
// dmscope-cli dump prints exactly what era_dump prints, check agrees with era_check, and images
// written by dmscope-cli restore are accepted by era_check and dump like era_restore's. One pool
// in three is also damaged (a bit flipped, resealed or not, or a block zeroed) and the check
// verdicts compared. DMSCOPE_INTEROP_SEED repeats a run; DMSCOPE_ERA_POOLS sets the number of
// pools (100).

#include "tests/cacheera/BlockDamage.h"
#include "tests/cacheera/EraPoolGenerator.h"
#include "tests/cacheera/RunSettings.h"
#include "tests/cacheera/SanitizerCheck.h"
#include "tests/cacheera/ScratchFiles.h"
#include "tests/cacheera/ToolOracle.h"
#include "tests/support/Fixtures.h"

#include <QTest>

using namespace dms;
using namespace dms::test;

class EraInterop : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(toolsInstalled({"era_restore", "era_dump", "era_check"}),
                 "era tools (thin-provisioning-tools) are not installed");
    }

    void randomPoolsDumpAndCheckLikeEraTools() {
        const std::uint64_t seed = runSeed();
        const int pools = poolCount("DMSCOPE_ERA_POOLS", 100);
        qInfo("era interop: seed %llu, %d pools", (unsigned long long)seed, pools);
        std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ull);
        int passed = 0, damaged = 0, writesets = 0, restored = 0;
        const QString dir = scratchDir();
        const ToolOracle oracle(QStringLiteral("era"));
        const bool ownRestore = runCli({"help", "restore"}).out.contains("era");
        for (int i = 0; i < pools; ++i) {
            const QString where = QStringLiteral("seed=%1 pool=%2").arg(seed).arg(i);
            const EraPoolSpec spec = randomEraPool(rng);
            writesets += int(spec.writesets.size());
            const QString xml = dir + QStringLiteral("/era%1.xml").arg(i);
            const QString img = dir + QStringLiteral("/era%1.bin").arg(i);
            QVERIFY(writeText(xml, spec.xml(false)));
            QVERIFY(makeImage(img, 1024));
            const auto restore = runProgram("era_restore", {"-i", xml, "-o", img});
            QVERIFY2(restore.exitCode == 0,
                     qPrintable(where + ": era_restore failed: " + restore.err));

            QByteArray toolDump;
            oracle.compareDump(img, where, toolDump);
            if (QTest::currentTestFailed()) return;
            const QByteArray expected = spec.xml(true).toUtf8();
            QVERIFY2(toolDump == expected,
                     qPrintable(where + ": generator and era_dump disagree, " +
                                firstDifference(expected, toolDump)));

            // The tool passes its own images (checked on the damaged copies below).
            const auto ourCheck = runCli({"check", "--quiet", img});
            QVERIFY2(ourCheck.exitCode == 0,
                     qPrintable(where + ": check of a restored image failed"));

            if (ownRestore) {
                oracle.compareOwnRestore(xml, dir + QStringLiteral("/era%1-ours.bin").arg(i), 1024,
                                         {}, toolDump, where);
                if (QTest::currentTestFailed()) return;
                ++restored;
            }

            if (i % 3 == 1) {
                bool wasDamaged = false;
                oracle.compareDamagedCheck(img, dir + QStringLiteral("/era%1-bad.bin").arg(i), rng,
                                           where, wasDamaged);
                if (QTest::currentTestFailed()) return;
                damaged += wasDamaged;
            }
            ++passed;
        }
        qInfo("era interop: %d pools (%d writesets) equal to era_dump/era_check, %d restored by "
              "dmscope-cli, %d damaged copies with equal verdicts",
              passed, writesets, restored, damaged);
    }
};

QTEST_GUILESS_MAIN(EraInterop)
#include "tst_erainterop.moc"
