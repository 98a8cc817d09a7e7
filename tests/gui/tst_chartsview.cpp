// The charts tool (views/charts/ChartsView) on the demo pool, offscreen: the figures are computed
// on a worker thread (setDocument returns at once), the chart shown is the one built from them,
// a selected device (set directly, or as the owner of a selected mapping-tree block) narrows the
// mapping-time chart to that device, and Export writes the chart shown.

#include "core/thin/BlockClassifier.h"
#include "models/BlockSelection.h"
#include "models/ThinPoolDocument.h"
#include "models/charts/ChartBuilder.h"
#include "tests/support/Fixtures.h"
#include "views/charts/ChartsView.h"

#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTest>

using namespace dms;

namespace {

std::shared_ptr<ThinPoolDocument> openDemo() {
    auto doc = ThinPoolDocument::openDemo();
    if (!doc) qFatal("demo: %s", doc.error().describe().c_str());
    return *doc;
}

double sumOf(const ChartData& d, int series) {
    double s = 0;
    for (double v : d.series.value(series).values)
        s += v;
    return s;
}

bool waitForChart(ChartsView& view, QSignalSpy& spy) {
    for (int i = 0; i < 200 && (view.isComputing() || spy.isEmpty()); ++i)
        spy.wait(50);
    return !view.isComputing() && !spy.isEmpty();
}

} // namespace

class TestChartsView : public QObject {
    Q_OBJECT

private slots:
    void figuresArriveFromAWorkerThread() {
        auto doc = openDemo();
        ChartsView view;
        view.resize(900, 600);
        QSignalSpy updated(&view, &ChartsView::chartUpdated);
        QElapsedTimer t;
        t.start();
        view.setDocument(doc);
        QVERIFY2(t.elapsed() < 50, qPrintable(QString::number(t.elapsed()) + " ms"));
        QVERIFY(waitForChart(view, updated));
        const ChartInputs in =
            ChartInputs::compute(doc->metadata(), doc->superblock(), doc->displayName());
        for (ChartKind k : allChartKinds()) {
            view.setKind(k);
            QCOMPARE(view.chartData().kind, k);
            QCOMPARE(view.chartData().toCsv(), buildChart(k, in).toCsv());
        }
        view.setLogScale(true);
        view.setKind(ChartKind::Refcounts);
        QVERIFY(view.chartData().logScale);
        view.setDocument(nullptr);
        QVERIFY(view.chartData().isEmpty());
    }

    void selectedDeviceNarrowsTheMappingTimeChart() {
        auto doc = openDemo();
        const MetadataStats stats = MetadataStats::compute(doc->metadata(), doc->superblock());
        QVERIFY(stats.devices.size() >= 2);
        ChartsView view;
        QSignalSpy updated(&view, &ChartsView::chartUpdated);
        view.setKind(ChartKind::MappingTime);
        view.setDocument(doc);
        QVERIFY(waitForChart(view, updated));
        std::uint64_t all = 0;
        for (const auto& d : stats.devices)
            all += d.mappings;
        QCOMPARE(sumOf(view.chartData(), 0), double(all));
        for (const auto& d : stats.devices) {
            updated.clear();
            view.setSelectedDevice(d.id);
            QVERIFY(waitForChart(view, updated));
            QVERIFY2(view.chartData().title.endsWith(QStringLiteral("device %1").arg(d.id)),
                     qPrintable(view.chartData().title));
            QVERIFY2(sumOf(view.chartData(), 0) == double(d.mappings),
                     qPrintable(QStringLiteral("dev %1").arg(d.id)));
        }
        updated.clear();
        view.setSelectedDevice(std::nullopt);
        QVERIFY(view.chartData().title == QStringLiteral("Mapping times"));
    }

    void selectingADevicesTreeBlockFollowsThatDevice() {
        auto doc = openDemo();
        auto map = BlockClassifier(doc->metadata()).classify();
        QVERIFY(map.ok());
        const MetadataStats stats = MetadataStats::compute(doc->metadata(), doc->superblock());
        BlockSelection selection;
        ChartsView view;
        QSignalSpy updated(&view, &ChartsView::chartUpdated);
        view.setKind(ChartKind::MappingTime);
        view.setSelection(&selection);
        view.setDocument(doc);
        auto blockMap = std::make_shared<const BlockMap>(std::move(*map));
        view.setBlockMap(blockMap);
        QVERIFY(waitForChart(view, updated));
        // A device whose tree root no other device shares (not a fresh snapshot).
        for (const auto& d : stats.devices) {
            const BlockOwner owner = blockMap->owner(d.tree.root);
            if (owner.kind != BlockOwner::Kind::Device) continue;
            QCOMPARE(owner.device, d.id);
            updated.clear();
            selection.select(BlockRef::metadata(d.tree.root));
            QVERIFY(waitForChart(view, updated));
            QVERIFY2(view.chartData().title.endsWith(QStringLiteral("device %1").arg(d.id)),
                     qPrintable(QStringLiteral("root %1 of dev %2: %3")
                                    .arg(d.tree.root)
                                    .arg(d.id)
                                    .arg(view.chartData().title)));
            return;
        }
        QFAIL("no device of the demo pool owns its tree root alone");
    }

    void exportWritesTheChartShown() {
        auto doc = openDemo();
        ChartsView view;
        view.resize(1000, 650);
        QSignalSpy updated(&view, &ChartsView::chartUpdated);
        view.setKind(ChartKind::Devices);
        view.setDocument(doc);
        QVERIFY(waitForChart(view, updated));
        const QString csv = test::tempDir() + QStringLiteral("/devices.csv");
        QCOMPARE(view.exportTo(csv), QString());
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(f.readAll()), view.chartData().toCsv());
        const QString png = test::tempDir() + QStringLiteral("/devices.png");
        QCOMPARE(view.exportTo(png), QString());
        QImage img(png);
        QCOMPARE(img.size(), QSize(900 * 192 / 96, 560 * 192 / 96)); // the default 192 dpi
        QVERIFY(!view.exportTo(test::tempDir() + QStringLiteral("/devices.gif")).isEmpty());
        // What the window shows, for a look.
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QString shot = qEnvironmentVariable("DMSCOPE_CHARTSVIEW_SHOT");
        if (!shot.isEmpty()) view.grab().save(shot);
    }
};

QTEST_MAIN(TestChartsView)
#include "tst_chartsview.moc"
