// The main window, offscreen: it opens the demo pool and every fixture image read-only, and on bad
// input (corrupt, empty, truncated, a directory, a missing file, cache/era metadata) it shows what
// is wrong, naming block and field as the core does, and stays up.

#include "app/gui/GuiCommandLine.h"
#include "app/gui/MainWindow.h"
#include "core/FileBlockSource.h"
#include "core/MetadataKind.h"
#include "core/thin/ThinMetadata.h"
#include "models/DemoPool.h"
#include "models/DeviceListModel.h"
#include "models/ModelRoles.h"
#include "models/PoolScan.h"
#include "models/SuperblockModel.h"
#include "models/ThinPoolDocument.h"
#include "resources/ResourceInit.h"
#include "tests/support/Fixtures.h"

#include <QAction>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QIcon>
#include <QImage>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>

using namespace dms;

namespace {

const char* const kDemoFixture = "kernel/pool-b/metadata-msnap.img.zst";

std::uint64_t shownValue(const MainWindow& w, const char* field) {
    const SuperblockModel* m = w.superblockModel();
    const int row = m->rowOf(QLatin1String(field));
    if (row < 0) return ~std::uint64_t(0);
    return m->index(row, SuperblockModel::ValueColumn).data(RawValueRole).value<quint64>();
}

// What the core says about the file at path: the metadata, or the error the window must show.
Expected<std::shared_ptr<ThinMetadata>> openWithCore(const QString& path, bool damaged = false) {
    auto src = FileBlockSource::open(path.toStdString());
    if (!src) return src.takeError();
    std::shared_ptr<const BlockSource> shared(std::move(*src));
    return damaged ? ThinMetadata::openDamaged(shared) : ThinMetadata::open(shared);
}

QString coreMessage(const Error& e) {
    return QString::fromStdString(e.describe());
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void demoPoolIsTheKernelFixtureStateA() {
        auto demo = DemoPool::load();
        QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().describe().c_str());
        QVERIFY(!(*demo)->writable());
        QVERIFY2((*demo)->bytes() == test::fixtureBytes(kDemoFixture),
                 "the demo resource differs from tests/fixtures/kernel/pool-b state A");
    }

    void demoOpensReadOnlyWithTitleStatusAndDevices() {
        MainWindow w;
        w.show();
        QVERIFY(w.openDemo());
        QVERIFY2(w.windowTitle().contains(QStringLiteral("demo pool (read-only)")),
                 qPrintable(w.windowTitle()));
        QVERIFY2(w.statusText().contains(QStringLiteral("read-only")), qPrintable(w.statusText()));
        QVERIFY(!w.showsError());
        QVERIFY(w.document()->isDemo());

        auto md = ThinMetadata::open(test::fixtureSource(kDemoFixture));
        QVERIFY(md.ok());
        const ThinSuperblock& sb = (*md)->superblock();
        QCOMPARE(shownValue(w, "trans_id"), sb.transactionId);
        QCOMPARE(shownValue(w, "held_root"), sb.heldRoot);
        QCOMPARE(shownValue(w, "data_mapping_root"), sb.dataMappingRoot);
        auto devices = (*md)->devices(sb);
        QVERIFY(devices.ok());
        QCOMPARE(w.deviceModel()->rowCount(), int(devices->size()));
        QVERIFY2(w.statusText().contains(
                     QStringLiteral("metadata snapshot held at block %1").arg(sb.heldRoot)),
                 qPrintable(w.statusText()));
        QVERIFY(w.metadataSnapshotAction()->isEnabled());
    }

    void everyFixtureImageOpensOrShowsTheCoreError_data() {
        QTest::addColumn<QString>("fixture");
        QDirIterator it(test::fixturePath(QString()), {QStringLiteral("*.zst")}, QDir::Files,
                        QDirIterator::Subdirectories);
        QStringList all;
        while (it.hasNext())
            all << QDir(test::fixturePath(QString())).relativeFilePath(it.next());
        all.sort();
        QVERIFY(all.size() >= 5);
        for (const QString& f : all)
            QTest::newRow(qPrintable(f)) << f;
    }
    void everyFixtureImageOpensOrShowsTheCoreError() {
        QFETCH(QString, fixture);
        const QString name = QString(fixture).replace(QLatin1Char('/'), QLatin1Char('_'));
        const QString path = test::writeTempFile(name, test::fixtureBytes(fixture));
        MainWindow w;
        w.show();
        const auto source = test::fixtureSource(fixture);
        const auto kind = detectMetadataKind(*source);
        if (kind && (*kind == MetadataKind::Cache || *kind == MetadataKind::Era)) {
            // dm-cache / dm-era: opened with their own superblock shown (tst_cacheeraviews).
            QVERIFY2(w.openPath(path), qPrintable(w.bannerText()));
            QVERIFY2(!w.showsError(), qPrintable(w.bannerText()));
            QCOMPARE(w.document()->kind(), *kind);
            QCOMPARE(shownValue(w, "magic"),
                     *kind == MetadataKind::Cache ? kCacheSuperblockMagic : kEraSuperblockMagic);
            return;
        }
        auto expected = openWithCore(path, true);
        const bool opened = w.openPath(path);
        QVERIFY(w.isVisible());
        QCOMPARE(opened, expected.ok());
        if (expected.ok() && (*expected)->superblockDamage()) {
            // Damaged but thin: shown as stored, with the damage named.
            QVERIFY(w.showsError());
            QVERIFY2(w.bannerText().contains(coreMessage(*(*expected)->superblockDamage())),
                     qPrintable(w.bannerText()));
            QCOMPARE(shownValue(w, "trans_id"), (*expected)->superblock().transactionId);
        } else if (expected.ok()) {
            QVERIFY2(!w.showsError(), qPrintable(w.bannerText()));
            QVERIFY2(w.windowTitle().contains(path + QStringLiteral(" (read-only)")),
                     qPrintable(w.windowTitle()));
            QCOMPARE(shownValue(w, "trans_id"), (*expected)->superblock().transactionId);
            auto devices = (*expected)->devices((*expected)->superblock());
            QVERIFY(devices.ok());
            QCOMPARE(w.deviceModel()->rowCount(), int(devices->size()));
        } else {
            QVERIFY(w.showsError());
            QVERIFY2(w.bannerText().contains(coreMessage(expected.error())),
                     qPrintable(w.bannerText()));
            QVERIFY(w.document() == nullptr);
            QVERIFY(w.superblockModel()->isEmpty());
        }
    }

    void cacheAndEraImagesOpenWithTheirKindNamed() {
        for (const char* f : {"tools/cache_v2.bin.zst", "tools/era.bin.zst"}) {
            const QString path = test::writeTempFile(QStringLiteral("named.img"),
                                                     test::fixtureBytes(QLatin1String(f)));
            MainWindow w;
            QVERIFY2(w.openPath(path), qPrintable(w.bannerText()));
            const QString kind = QLatin1String(f).contains(QStringLiteral("cache"))
                                     ? QStringLiteral("dm-cache")
                                     : QStringLiteral("dm-era");
            QVERIFY2(w.statusText().startsWith(kind), qPrintable(w.statusText()));
            QVERIFY2(w.windowTitle().contains(path + QStringLiteral(" (read-only)")),
                     qPrintable(w.windowTitle()));
            QVERIFY(w.superblockModel()->rowOf(QStringLiteral("metadata_space_map_root")) >= 0);
        }
    }

    void corruptSuperblockIsShownAsStoredWithTheDamageNamedAndListed() {
        auto bytes = test::fixtureBytes(QStringLiteral("tools/thin_small.bin.zst"));
        bytes[48] ^= 0x01; // trans_id: the checksum no longer matches
        const QString path = test::writeTempFile(QStringLiteral("corrupt.img"), bytes);
        auto expected = openWithCore(path);
        QVERIFY(!expected.ok());
        QCOMPARE(expected.error().kind, ErrorKind::Checksum);

        MainWindow w;
        w.show();
        QSignalSpy scanned(&w, &MainWindow::scanFinished);
        QVERIFY(w.openPath(path));
        QVERIFY(w.isVisible());
        QVERIFY(w.showsError());
        QVERIFY2(w.bannerText().contains(QStringLiteral("block 0, field csum")),
                 qPrintable(w.bannerText()));
        QVERIFY2(w.bannerText().contains(coreMessage(expected.error())),
                 qPrintable(w.bannerText()));
        QVERIFY2(w.bannerText().contains(QStringLiteral("shown as stored")),
                 qPrintable(w.bannerText()));
        // The field as stored (bit 0 flipped), not a cleaned-up value.
        auto good =
            ThinMetadata::open(test::fixtureSource(QStringLiteral("tools/thin_small.bin.zst")));
        QVERIFY(good.ok());
        QCOMPARE(shownValue(w, "trans_id"), (*good)->superblock().transactionId ^ 1);
        // The checker's verdict on it arrives with the scan: a fatal superblock finding.
        QVERIFY(scanned.wait(10000));
        const CheckReport& report = *w.scanResult()->checkReport;
        QCOMPARE(report.verdict(), CheckVerdict::Fatal);
        QVERIFY(
            std::any_of(report.findings().begin(), report.findings().end(), [](const Finding& f) {
                return f.category == FindingCategory::Superblock && f.block == std::uint64_t(0);
            }));

        // A file that is not thin metadata at all is refused, and the damaged pool stays open.
        const QString empty = test::writeTempFile(QStringLiteral("empty2.img"), {});
        QVERIFY(!w.openPath(empty));
        QVERIFY(w.document() && !w.document()->isDemo());
        QVERIFY(w.windowTitle().contains(path));
    }

    void needsCheckIsAWarning() {
        const QString path = test::writeTempFile(
            QStringLiteral("needs-check.img"),
            test::fixtureBytes(QStringLiteral("tools/thin_needs_check.bin.zst")));
        MainWindow w;
        w.show();
        QVERIFY(w.openPath(path));
        QVERIFY(!w.showsError());
        QVERIFY2(w.bannerText().contains(QStringLiteral("NEEDS_CHECK is set")),
                 qPrintable(w.bannerText()));
        QVERIFY(w.statusText().contains(QStringLiteral("NEEDS_CHECK set")));
    }

    void emptyFileIsTooSmall() {
        const QString path = test::writeTempFile(QStringLiteral("empty.img"), {});
        MainWindow w;
        w.show();
        QVERIFY(!w.openPath(path));
        QVERIFY(w.isVisible());
        QVERIFY2(w.bannerText().contains(QStringLiteral("Cannot open ") + path),
                 qPrintable(w.bannerText()));
        QVERIFY2(
            w.bannerText().contains(QStringLiteral("too small to hold a superblock (0 bytes)")),
            qPrintable(w.bannerText()));
    }

    void directoryIsNamedAsADirectory() {
        const QString dir = test::tempDir() + QStringLiteral("/a-directory");
        QVERIFY(QDir().mkpath(dir));
        MainWindow w;
        w.show();
        QVERIFY(!w.openPath(dir));
        QVERIFY(w.isVisible());
        QVERIFY2(w.bannerText().contains(dir + QStringLiteral(" is a directory")),
                 qPrintable(w.bannerText()));
    }

    void missingFileSaysSo() {
        const QString path = test::tempDir() + QStringLiteral("/no-such-image");
        MainWindow w;
        QVERIFY(!w.openPath(path));
        QVERIFY2(w.bannerText().contains(QStringLiteral("No such file or directory")),
                 qPrintable(w.bannerText()));
    }

    void truncatedImageIsReportedAsTruncated() {
        auto bytes = test::fixtureBytes(QStringLiteral("tools/thin_large.bin.zst"));
        auto full = ThinMetadata::open(std::make_shared<MemoryBlockSource>(bytes, false));
        QVERIFY(full.ok());
        const ThinSuperblock& sb = (*full)->superblock();
        // Keep every block the superblock points at, cut the rest.
        const std::uint64_t keep =
            std::max({sb.dataMappingRoot, sb.deviceDetailsRoot, sb.dataSpaceMap.bitmapRoot,
                      sb.dataSpaceMap.refCountRoot, sb.metadataSpaceMap.bitmapRoot,
                      sb.metadataSpaceMap.refCountRoot}) +
            1;
        QVERIFY(keep < sb.metadataNrBlocks);
        bytes.resize(keep * kBlockSize);
        const QString path = test::writeTempFile(QStringLiteral("truncated.img"), bytes);

        MainWindow w;
        w.show();
        QVERIFY(w.openPath(path));
        QVERIFY(w.isVisible());
        QVERIFY2(w.bannerText().contains(QStringLiteral("holds %1 blocks but the superblock's "
                                                        "metadata_nr_blocks is %2")
                                             .arg(keep)
                                             .arg(sb.metadataNrBlocks)),
                 qPrintable(w.bannerText()));
    }

    void metadataSnapshotShowsTheHeldCopyAndBack() {
        auto md = ThinMetadata::open(test::fixtureSource(kDemoFixture));
        QVERIFY(md.ok());
        auto held = (*md)->metadataSnapshot();
        QVERIFY(held.ok());
        auto heldDevices = (*md)->devices(*held);
        QVERIFY(heldDevices.ok());

        MainWindow w;
        w.show();
        QVERIFY(w.openDemo());
        QVERIFY(w.setShowMetadataSnapshot(true));
        QCOMPARE(w.superblockModel()->location(), (*md)->superblock().heldRoot);
        QCOMPARE(shownValue(w, "trans_id"), held->transactionId);
        QCOMPARE(shownValue(w, "data_mapping_root"), held->dataMappingRoot);
        QCOMPARE(w.deviceModel()->rowCount(), int(heldDevices->size()));
        QVERIFY(w.metadataSnapshotAction()->isChecked());
        QVERIFY(w.windowTitle().contains(QStringLiteral("metadata snapshot")));

        w.metadataSnapshotAction()->trigger(); // the menu path back to the live superblock
        QCOMPARE(w.superblockModel()->location(), std::uint64_t(0));
        QCOMPARE(shownValue(w, "trans_id"), (*md)->superblock().transactionId);
        QVERIFY(!w.metadataSnapshotAction()->isChecked());
    }

    void metadataSnapshotOfAnImageWithoutOneIsAnError() {
        const QString path =
            test::writeTempFile(QStringLiteral("nosnap.img"),
                                test::fixtureBytes(QStringLiteral("tools/thin_small.bin.zst")));
        MainWindow w;
        w.show();
        QVERIFY(w.openPath(path));
        QVERIFY(!w.metadataSnapshotAction()->isEnabled());
        QVERIFY(!w.setShowMetadataSnapshot(true));
        QVERIFY(w.showsError());
        QVERIFY2(w.bannerText().contains(QStringLiteral("held_root is 0")),
                 qPrintable(w.bannerText()));
        QCOMPARE(w.superblockModel()->location(), std::uint64_t(0));
        QVERIFY(!w.metadataSnapshotAction()->isChecked());
    }

    void commandLineTakesOnePathAndTheSnapshotFlag() {
        auto o = parseGuiCommandLine(
            {QStringLiteral("dmscope"), QStringLiteral("--metadata-snap"), QStringLiteral("/x")});
        QVERIFY(o.ok());
        QCOMPARE(o->path, QStringLiteral("/x"));
        QVERIFY(o->metadataSnap);
        QVERIFY(!o->demo);
        auto s = parseGuiCommandLine({QStringLiteral("dmscope"), QStringLiteral("-m"),
                                      QStringLiteral("--screenshot"), QStringLiteral("/tmp/s.png"),
                                      QStringLiteral("--demo")});
        QVERIFY(s.ok());
        QVERIFY(s->demo && s->metadataSnap);
        QCOMPARE(s->screenshot, QStringLiteral("/tmp/s.png"));
    }

    void commandLineRejectsWhatItCannotDo() {
        const QList<QStringList> bad = {
            {QStringLiteral("dmscope"), QStringLiteral("a"), QStringLiteral("b")},
            {QStringLiteral("dmscope"), QStringLiteral("--demo"), QStringLiteral("a")},
            {QStringLiteral("dmscope"), QStringLiteral("--edits"), QStringLiteral("a")},
        };
        for (const QStringList& args : bad) {
            auto o = parseGuiCommandLine(args);
            QVERIFY2(!o.ok(), qPrintable(args.join(QLatin1Char(' '))));
            QCOMPARE(o.error().kind, ErrorKind::Usage);
        }
    }

    void applicationIconRendersFromItsSvgResource() {
        initResources();
        const QIcon icon(QStringLiteral(":/icons/dmscope.svg"));
        const QImage image = icon.pixmap(64, 64).toImage();
        QVERIFY2(!image.isNull(), "the SVG icon did not render: is the Qt SVG plugin installed?");
        // The tile's background colour: a real pixmap was drawn, not an empty one.
        QCOMPARE(image.pixelColor(image.width() / 2, 4).name(), QStringLiteral("#1f3b57"));
    }

    void screenshotIsAPngOfTheWholeWindow() {
        MainWindow w;
        w.resize(900, 600);
        w.show();
        QVERIFY(w.openDemo());
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QString file = test::tempDir() + QStringLiteral("/shot.png");
        QVERIFY(w.saveScreenshot(file));
        QImage image(file);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), w.size() * w.devicePixelRatio());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
