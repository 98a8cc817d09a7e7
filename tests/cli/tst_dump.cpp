// dmscope-cli dump against thin_dump 0.9.0: the stored dumps of every fixture, the live tool on
// the same images (both formats, -m, --dev-id, --skip-mappings), the -m quirks of FORMAT.md
// §11.9, thin_dump's run merging, and damaged images.

#include "core/thin/ThinDumpWriter.h"
#include "tests/cli/ThinToolOracle.h"

#include <QFile>

using namespace dms;
using namespace dms::test;

namespace {

QString kernelImage() {
    return fixtureFile(QStringLiteral("kernel/pool-a/metadata.img.zst"));
}
QString kernelMsnapImage() {
    return fixtureFile(QStringLiteral("kernel/pool-a/metadata-msnap.img.zst"));
}

QByteArray dumpOf(const QStringList& args) {
    const RunResult r = runCli(QStringList{QStringLiteral("dump")} + args);
    if (r.exitCode != 0) qWarning("dump %s failed: %s", qPrintable(args.join(' ')), r.err.data());
    return r.out;
}

// Mappings fed to ThinMappingRuns, as the text it writes.
QByteArray runsText(const std::vector<std::array<std::uint64_t, 3>>& mappings,
                    ThinDumpFormat format) {
    QByteArray text;
    OutputBuffer out([&](const char* p, std::size_t n) {
        text.append(p, static_cast<qsizetype>(n));
        return Status::success();
    });
    ThinDumpWriter writer(out, format);
    ThinMappingRuns runs(writer);
    for (const auto& m : mappings)
        runs.add(m[0], m[1], static_cast<std::uint32_t>(m[2]));
    runs.finish();
    out.flush();
    return text;
}

// thin_large with one node of device 0's mapping tree changed by `damage`.
QString damagedThinLarge(const QString& name,
                         const std::function<void(std::vector<std::uint8_t>&, std::uint64_t root,
                                                  std::uint64_t leaf)>& damage) {
    auto image = fixtureBytes(QStringLiteral("tools/thin_large.bin.zst"));
    const std::uint64_t top = readU64(image, 0, 320);
    const std::uint32_t topMax = readU32(image, top, 20);
    const std::uint64_t root = readU64(image, top, 32 + 8 * topMax); // device 0
    const std::uint32_t rootMax = readU32(image, root, 20);
    const std::uint64_t leaf = readU64(image, root, 32 + 8 * rootMax + 8 * 2);
    damage(image, root, leaf);
    return writeTempFile(name, image);
}

} // namespace

class TestDump : public QObject {
    Q_OBJECT
private slots:
    void dumpEqualsStoredToolDump_data() {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("expected");
        const QStringList none;
        const QString kernel = QStringLiteral("kernel/pool-a/");
        QTest::newRow("thin_small")
            << "tools/thin_small.bin.zst" << none << "tools/thin_small.dump.xml";
        QTest::newRow("thin_large")
            << "tools/thin_large.bin.zst" << none << "tools/thin_large.dump.xml";
        QTest::newRow("thin_needs_check")
            << "tools/thin_needs_check.bin.zst" << none << "tools/thin_needs_check.dump.xml";
        QTest::newRow("kernel") << kernel + "metadata.img.zst" << none << kernel + "thin_dump.xml";
        QTest::newRow("kernel msnap, plain")
            << kernel + "metadata-msnap.img.zst" << none << kernel + "thin_dump-msnap.xml";
        for (const QString& m :
             {QStringLiteral("-m"), QStringLiteral("-m353"), QStringLiteral("--metadata-snap"),
              QStringLiteral("--metadata-snap=353")})
            QTest::newRow(qPrintable("kernel msnap " + m))
                << kernel + "metadata-msnap.img.zst" << QStringList{m}
                << kernel + "thin_dump-msnap-heldroot.xml";
        QTest::newRow("lvm") << "lvm/pool/metadata.img.zst" << none << "lvm/pool/thin_dump.xml";
        QTest::newRow("lvm live -m")
            << "lvm/pool/metadata-live-msnap.img.zst" << QStringList{QStringLiteral("-m")}
            << "lvm/pool/thin_dump-live-m.xml";
    }
    void dumpEqualsStoredToolDump() {
        QFETCH(QString, image);
        QFETCH(QStringList, options);
        QFETCH(QString, expected);
        const QByteArray ours = dumpOf(options + QStringList{fixtureFile(image)});
        const QByteArray stored = storedText(expected);
        QVERIFY2(ours == stored, firstDifference(ours, stored).constData());
    }

    void dumpEqualsLiveThinDump_data() {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QStringList>("options");
        const QString human = QStringLiteral("--format=human_readable");
        for (const ThinImage& img : thinImages()) {
            QList<QStringList> variants = {
                {},
                {QStringLiteral("-f"), QStringLiteral("human_readable")},
                {QStringLiteral("--skip-mappings")},
                {QStringLiteral("--skip-mappings"), human},
                {QStringLiteral("--dev-id"), QStringLiteral("1")},
                {QStringLiteral("--dev-id"), QStringLiteral("2"), QStringLiteral("--dev-id"),
                 QStringLiteral("7"), human},
                {QStringLiteral("--dev-id"), QStringLiteral("999")},
            };
            if (img.heldSnapshot) {
                variants.append({QStringLiteral("-m")});
                variants.append({QStringLiteral("-m"), human});
                variants.append(
                    {QStringLiteral("-m"), QStringLiteral("--dev-id"), QStringLiteral("5")});
            }
            for (const QStringList& v : variants)
                QTest::newRow(
                    qPrintable(QString::fromLatin1(img.name) + QLatin1Char(' ') + v.join(' ')))
                    << QString::fromLatin1(img.fixture) << v;
        }
    }
    void dumpEqualsLiveThinDump() {
        QFETCH(QString, image);
        QFETCH(QStringList, options);
        const QString path = fixtureFile(image);
        expectSameAsTool("thin_dump", options + QStringList{path},
                         QStringList{QStringLiteral("dump")} + options + QStringList{path});
    }

    void restoredPoolsDumpLikeThinDump() {
        for (unsigned seed : {1u, 2u, 3u}) {
            const QString img = restoredPool(QStringLiteral("dump_pool%1").arg(seed), seed);
            QVERIFY2(!img.isEmpty(), "thin_restore could not build the generated pool");
            expectSameAsTool("thin_dump", {img}, {QStringLiteral("dump"), img});
            expectSameAsTool("thin_dump", {QStringLiteral("-fhuman_readable"), img},
                             {QStringLiteral("dump"), QStringLiteral("-fhuman_readable"), img});
        }
    }

    void metadataSnapHeaderComesFromTheHeldCopy() {
        const QByteArray live = dumpOf({kernelMsnapImage()}).split('\n').first();
        const QByteArray held =
            dumpOf({QStringLiteral("-m"), kernelMsnapImage()}).split('\n').first();
        QVERIFY2(live.contains("transaction=\"2\"") && live.contains("nr_data_blocks=\"4096\""),
                 live.constData());
        QVERIFY2(held.contains("transaction=\"1\"") && held.contains("nr_data_blocks=\"0\""),
                 held.constData());
    }

    void plainDumpIgnoresHeldRoot() {
        const QByteArray withSnap = dumpOf({kernelMsnapImage()});
        QCOMPARE(withSnap, dumpOf({kernelImage()}));
        QVERIFY(withSnap != dumpOf({QStringLiteral("-m"), kernelMsnapImage()}));
    }

    void metadataSnapWithoutHeldRootFails() {
        const RunResult r = runCli({QStringLiteral("dump"), QStringLiteral("-m"), kernelImage()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("no current metadata snap"), r.err.constData());
    }

    void metadataSnapBlockMustBeHeldRoot_data() {
        QTest::addColumn<QString>("option");
        QTest::newRow("-m352") << "-m352";
        QTest::newRow("-m0") << "-m0";
        QTest::newRow("--metadata-snap=1") << "--metadata-snap=1";
    }
    void metadataSnapBlockMustBeHeldRoot() {
        QFETCH(QString, option);
        const RunResult r = runCli({QStringLiteral("dump"), option, kernelMsnapImage()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("metadata snapshot does not match that in superblock"),
                 r.err.constData());
    }

    void metadataSnapBlockAfterEqualsSignIsAUsageError() {
        const RunResult r =
            runCli({QStringLiteral("dump"), QStringLiteral("-m=353"), kernelMsnapImage()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
    }

    void outputFileHoldsTheDump() {
        const QString target = tempDir() + QStringLiteral("/kernel-dump.xml");
        const RunResult r =
            runCli({QStringLiteral("dump"), QStringLiteral("-o"), target, kernelImage()});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.isEmpty());
        QFile f(target);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), storedText(QStringLiteral("kernel/pool-a/thin_dump.xml")));
    }

    void unknownFormatIsAUsageError() {
        const RunResult r = runCli({QStringLiteral("dump"), QStringLiteral("--format"),
                                    QStringLiteral("yaml"), kernelImage()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("unknown format 'yaml'"), r.err.constData());
    }

    void runsNeedConsecutiveBlocksAndEqualTime() {
        const QByteArray text = runsText({{0, 100, 1},
                                          {1, 101, 1},
                                          {2, 102, 1},  // run of 3
                                          {3, 103, 2},  // new time
                                          {4, 105, 2},  // data gap
                                          {6, 106, 2}}, // virtual gap
                                         ThinDumpFormat::Xml);
        QCOMPARE(
            text,
            QByteArray("    <range_mapping origin_begin=\"0\" data_begin=\"100\" length=\"3\" "
                       "time=\"1\"/>\n"
                       "    <single_mapping origin_block=\"3\" data_block=\"103\" time=\"2\"/>\n"
                       "    <single_mapping origin_block=\"4\" data_block=\"105\" time=\"2\"/>\n"
                       "    <single_mapping origin_block=\"6\" data_block=\"106\" time=\"2\"/>\n"));
    }

    void humanReadableRunsShowInclusiveEnds() {
        const QByteArray text = runsText({{10, 110, 2}, {11, 111, 2}, {12, 112, 2}, {20, 5, 0}},
                                         ThinDumpFormat::HumanReadable);
        QCOMPARE(text, QByteArray("    (10..12) -> (110..112), 2\n    20 -> 5, 0\n"));
    }

    void runsContinueAcrossLeafBoundaries() {
        // thin_large device 5 maps 5000 consecutive blocks over 40 leaves (tools/README.md).
        const QByteArray text = dumpOf({fixtureFile(QStringLiteral("tools/thin_large.bin.zst"))});
        QVERIFY(text.contains("<range_mapping origin_begin=\"100000\" data_begin=\"30000\" "
                              "length=\"5000\" time=\"3\"/>"));
    }

    void damagedMappingTreeFailsWithOneLineError_data() {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QByteArray>("mentions");
        using Image = std::vector<std::uint8_t>;
        QTest::newRow("leaf checksum") << damagedThinLarge("bad_csum.bin", [](Image& i, auto,
                                                                              auto leaf) {
            i[leaf * kBlockSize + 100] ^= 0xFF;
        }) << QByteArray("checksum");
        QTest::newRow("cycle") << damagedThinLarge("bad_cycle.bin", [](Image& i, auto root, auto) {
            patchU64(i, root, 32 + 8 * readU32(i, root, 20) + 16, root, BlockType::BtreeNode);
        }) << QByteArray("ancestor");
        QTest::newRow("beyond end") << damagedThinLarge("bad_range.bin", [](Image& i, auto root,
                                                                            auto) {
            patchU64(i, root, 32 + 8 * readU32(i, root, 20) + 16, 1u << 30, BlockType::BtreeNode);
        }) << QByteArray("beyond the end");
        QTest::newRow("key order") << damagedThinLarge("bad_order.bin", [](Image& i, auto,
                                                                           auto leaf) {
            patchU64(i, leaf, 40, readU64(i, leaf, 32), BlockType::BtreeNode);
        }) << QByteArray("out of order");
        QTest::newRow("truncated")
            << damagedThinLarge("bad_trunc.bin",
                                [](Image& i, auto, auto leaf) { i.resize(leaf * kBlockSize); })
            << QByteArray("beyond the end");
    }
    void damagedMappingTreeFailsWithOneLineError() {
        QFETCH(QString, image);
        QFETCH(QByteArray, mentions);
        for (const QString& format : {QStringLiteral("xml"), QStringLiteral("human_readable")}) {
            const RunResult r =
                runCli({QStringLiteral("dump"), QStringLiteral("-f"), format, image});
            QVERIFY(!r.crashed && !r.timedOut);
            QCOMPARE(r.exitCode, 1);
            QCOMPARE(r.err.count('\n'), 1);
            QVERIFY2(r.err.contains("block ") && r.err.contains(mentions), r.err.constData());
            QVERIFY(!r.out.endsWith("</superblock>\n") && !r.out.endsWith("end superblock\n"));
        }
    }

    void damagedDetailsTreeWritesNothing() {
        auto image = fixtureBytes(QStringLiteral("tools/thin_small.bin.zst"));
        const std::uint64_t details = readU64(image, 0, 328);
        image[details * kBlockSize + 64] ^= 0x01;
        const QString path = writeTempFile(QStringLiteral("bad_details.bin"), image);
        const RunResult r = runCli({QStringLiteral("dump"), path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("block " + QByteArray::number(quint64(details))),
                 r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestDump)
#include "tst_dump.moc"
