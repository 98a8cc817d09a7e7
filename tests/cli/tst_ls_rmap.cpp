// dmscope-cli ls and rmap against thin_ls / thin_rmap 0.9.0: stored outputs, the live tools on
// every fixture and on generated pools (every field, headers, -m, several regions), thin_ls's
// exclusive/shared rule and thin_rmap's handling of shared subtrees, errors.

#include "tests/cli/ThinToolOracle.h"

using namespace dms;
using namespace dms::test;

namespace {

const QStringList kAllFields = {"DEV",
                                "MAPPED_BLOCKS",
                                "EXCLUSIVE_BLOCKS",
                                "SHARED_BLOCKS",
                                "MAPPED_SECTORS",
                                "EXCLUSIVE_SECTORS",
                                "SHARED_SECTORS",
                                "MAPPED_BYTES",
                                "EXCLUSIVE_BYTES",
                                "SHARED_BYTES",
                                "MAPPED",
                                "EXCLUSIVE",
                                "SHARED",
                                "TRANSACTION",
                                "CREATE_TIME",
                                "SNAP_TIME"};

// The field list the recorded thin_ls.txt files were made with.
const QString kRecordedFields =
    "DEV,MAPPED_BLOCKS,EXCLUSIVE_BLOCKS,SHARED_BLOCKS,TRANSACTION,CREATE_TIME,SNAP_TIME";

QList<QStringList> lsVariants(bool heldSnapshot) {
    QList<QStringList> v = {
        {},
        {"--no-headers"},
        {"-o", kAllFields.join(',')},
        {"-o", kRecordedFields, "--no-headers"},
        {"-o", "SHARED,DEV,EXCLUSIVE,MAPPED"},
        {"--format=DEV,"},
        {"-o", ""},
    };
    for (const QString& f : kAllFields)
        v.append({"-o", f});
    if (heldSnapshot) {
        v.append({"-m"});
        v.append({"-m", "-o", kAllFields.join(',')});
    }
    return v;
}

const QList<QStringList> kRegionSets = {
    {"--region", "0..100000000"},
    {"--region", "0..5"},
    {"--region", "3..40", "--region", "100..116"},
    {"--region", "10..20", "--region", "5..12"},
    {"--region", "4..5", "--region", "5..6"},
    {"--region", "300..301", "--region", "16300..16400", "--region", "30000..32000"},
    {"--region=38..700"},
    {"--region", "1000000..2000000"},
};

QByteArray lsOf(const QStringList& args) {
    return runCli(QStringList{"ls"} + args).out;
}

} // namespace

class TestLsRmap : public QObject {
    Q_OBJECT
private slots:
    void lsEqualsStoredThinLs_data() {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("expected");
        const QStringList fields = {"-o", kRecordedFields};
        QTest::newRow("kernel") << "kernel/pool-a/metadata.img.zst" << fields
                                << "kernel/pool-a/thin_ls.txt";
        QTest::newRow("kernel msnap") << "kernel/pool-a/metadata-msnap.img.zst" << fields
                                      << "kernel/pool-a/thin_ls-msnap.txt";
        QTest::newRow("lvm") << "lvm/pool/metadata.img.zst" << fields << "lvm/pool/thin_ls.txt";
    }
    void lsEqualsStoredThinLs() {
        QFETCH(QString, image);
        QFETCH(QStringList, options);
        QFETCH(QString, expected);
        const QByteArray ours = lsOf(options + QStringList{fixtureFile(image)});
        QVERIFY2(ours == storedText(expected),
                 firstDifference(ours, storedText(expected)).constData());
    }

    void lsEqualsLiveThinLs_data() {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QStringList>("options");
        for (const ThinImage& img : thinImages())
            for (const QStringList& v : lsVariants(img.heldSnapshot))
                QTest::newRow(qPrintable(QString::fromLatin1(img.name) + ' ' + v.join(' ')))
                    << QString::fromLatin1(img.fixture) << v;
    }
    void lsEqualsLiveThinLs() {
        QFETCH(QString, image);
        QFETCH(QStringList, options);
        const QString path = fixtureFile(image);
        expectSameAsTool("thin_ls", options + QStringList{path},
                         QStringList{"ls"} + options + QStringList{path});
    }

    void exclusiveCountsMappingsNotSpaceMapReferences() {
        // In the kernel image with a held snapshot, device 0's blocks 0-2 have data count 2
        // (the snapshot still references the old blocks), yet thin_ls calls them exclusive;
        // read from the snapshot, the held copy's own device 0 shares them instead.
        const QString img = fixtureFile("kernel/pool-a/metadata-msnap.img.zst");
        const QStringList opts = {"--no-headers", "-o", "DEV,EXCLUSIVE_BLOCKS,SHARED_BLOCKS"};
        const QByteArray live = lsOf(opts + QStringList{img}).split('\n').first();
        const QByteArray held =
            lsOf(QStringList{"-m"} + opts + QStringList{img}).split('\n').first();
        QCOMPARE(live.simplified(), QByteArray("0 6 12"));
        QCOMPARE(held.simplified(), QByteArray("0 5 13"));
    }

    void restoredPoolsListAndMapLikeTheTools() {
        for (unsigned seed : {11u, 12u, 13u}) {
            const QString img = restoredPool(QStringLiteral("lsrmap_pool%1").arg(seed), seed);
            QVERIFY2(!img.isEmpty(), "thin_restore could not build the generated pool");
            const QStringList all = {"-o", kAllFields.join(',')};
            expectSameAsTool("thin_ls", all + QStringList{img},
                             QStringList{"ls"} + all + QStringList{img});
            // The pool must exercise both sides of the exclusive/shared rule.
            for (const char* field : {"SHARED_BLOCKS", "EXCLUSIVE_BLOCKS"}) {
                quint64 total = 0;
                for (const QByteArray& n :
                     lsOf(QStringList{"--no-headers", "-o", field, img}).simplified().split(' '))
                    total += n.toULongLong();
                QVERIFY2(total > 0, field);
            }
            for (const QStringList& regions : kRegionSets)
                expectSameAsTool("thin_rmap", regions + QStringList{img},
                                 QStringList{"rmap"} + regions + QStringList{img});
        }
    }

    void lsMetadataSnapWithoutHeldRootFails() {
        const RunResult r = runCli({"ls", "-m", fixtureFile("kernel/pool-a/metadata.img.zst")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("no current metadata snap"), r.err.constData());
    }

    void lsUnknownFieldIsAUsageError() {
        const RunResult r =
            runCli({"ls", "-o", "DEV,,MAPPED", fixtureFile("tools/thin_small.bin.zst")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
    }

    void rmapEqualsLiveThinRmap_data() {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QStringList>("regions");
        for (const ThinImage& img : thinImages())
            for (const QStringList& r : kRegionSets)
                QTest::newRow(qPrintable(QString::fromLatin1(img.name) + ' ' + r.join(' ')))
                    << QString::fromLatin1(img.fixture) << r;
    }
    void rmapEqualsLiveThinRmap() {
        QFETCH(QString, image);
        QFETCH(QStringList, regions);
        const QString path = fixtureFile(image);
        expectSameAsTool("thin_rmap", regions + QStringList{path},
                         QStringList{"rmap"} + regions + QStringList{path});
    }

    void rmapReportsASharedLeafForItsFirstDeviceOnly() {
        // Devices 5 and 7 of the kernel image share leaf 254 (data 128..400 of device 5, virtual
        // 3188..3373 of device 7): thin_rmap visits it once, under device 5.
        const QByteArray out =
            runCli({"rmap", "--region", "215..401", fixtureFile("kernel/pool-a/metadata.img.zst")})
                .out;
        QVERIFY2(out.contains("-> thin(5)") && !out.contains("-> thin(7)"), out.constData());
    }

    void rmapRegionSyntaxErrors_data() {
        QTest::addColumn<QString>("region");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("no dots") << "5 ..10" << QByteArray("no dots");
        QTest::newRow("three dots") << "5...10" << QByteArray("couldn't parse numbers");
        QTest::newRow("no end") << "5.." << QByteArray("couldn't parse numbers");
        QTest::newRow("empty") << "5..5" << QByteArray("end <= begin");
        QTest::newRow("reversed") << "10..5" << QByteArray("end <= begin");
        QTest::newRow("overflow") << "0..18446744073709551616"
                                  << QByteArray("couldn't parse numbers");
    }
    void rmapRegionSyntaxErrors() {
        QFETCH(QString, region);
        QFETCH(QByteArray, message);
        const QString img = fixtureFile("tools/thin_small.bin.zst");
        const RunResult r = runCli({"rmap", "--region", region, img});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), r.err.constData());
        // thin_rmap rejects the same text.
        QVERIFY(haveThinTools());
        QCOMPARE(runProgram(toolPath("thin_rmap"), {"--region", region, img}).exitCode, 1);
    }

    void rmapWithoutRegionsIsAUsageError() {
        const RunResult r = runCli({"rmap", fixtureFile("tools/thin_small.bin.zst")});
        QCOMPARE(r.exitCode, 2);
    }

    void damagedTreeFailsLsAndRmapWithoutOutput() {
        auto image = fixtureBytes("tools/thin_small.bin.zst");
        const std::uint64_t top = readU64(image, 0, 320);
        const std::uint64_t dev2 = readU64(image, top, 32 + 8 * readU32(image, top, 20) + 8);
        image[dev2 * kBlockSize + 200] ^= 0x10;
        const QString path = writeTempFile("ls_bad_leaf.bin", image);
        for (const QStringList& args : {QStringList{"ls", "-o", "DEV,EXCLUSIVE", path},
                                        QStringList{"rmap", "--region", "0..100000", path}}) {
            const RunResult r = runCli(args);
            QVERIFY(!r.crashed);
            QCOMPARE(r.exitCode, 1);
            QVERIFY(r.out.isEmpty());
            QVERIFY2(r.err.contains("block " + QByteArray::number(quint64(dev2))),
                     r.err.constData());
        }
        // Without exclusive fields thin_ls reads no mapping tree, and neither do we.
        QCOMPARE(runCli({"ls", path}).exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestLsRmap)
#include "tst_ls_rmap.moc"
