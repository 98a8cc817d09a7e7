// dmscope-bench-window: how the main window behaves on big metadata, offscreen.
//
//   dmscope-bench-window IMAGE... [--no-thin-check]
//
// For each image: the time to open it and to the window's first paint, the background scan's
// phases (classify every block, check, usage) until the scan ends, the event loop's worst and
// 99th-percentile latency while the scan runs (a 1 ms timer's lateness: the UI thread must never
// be blocked for more than 50 ms), the peak RSS, and thin_check's time on the same image for
// scale. A benchmark, not a test: ctest never runs it.

#include "app/gui/MainWindow.h"
#include "models/PoolScan.h"
#include "resources/ResourceInit.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QProcess>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

// Counts paint events reaching any widget of the window.
class PaintWatch : public QObject {
public:
    qint64 firstPaintMs = -1;
    QElapsedTimer clock;
    bool eventFilter(QObject*, QEvent* e) override {
        if (e->type() == QEvent::Paint && firstPaintMs < 0) firstPaintMs = clock.elapsed();
        return false;
    }
};

// A /proc/self/status figure in KiB (RssAnon: anonymous memory now, i.e. not the mapped image).
long statusKiB(const char* key) {
    std::ifstream status("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(key) + ":";
    while (std::getline(status, line))
        if (line.rfind(prefix, 0) == 0) return std::stol(line.substr(prefix.size()));
    return -1;
}

double thinCheckSeconds(const QString& image) {
    QElapsedTimer t;
    t.start();
    QProcess p;
    p.start(QStringLiteral("thin_check"), {QStringLiteral("-q"), image});
    if (!p.waitForFinished(600000)) return -1;
    return t.elapsed() / 1000.0;
}

void measure(const QString& image, bool withThinCheck) {
    auto* watch = new PaintWatch;
    dms::MainWindow w;
    w.resize(1400, 900);
    qApp->installEventFilter(watch);
    QElapsedTimer total;
    total.start();
    watch->clock.start();
    if (!w.openPath(image)) {
        std::printf("%s: cannot open: %s\n", qPrintable(image), qPrintable(w.bannerText()));
        return;
    }
    const qint64 openMs = total.elapsed();
    w.show();

    // Event-loop latency: a 1 ms timer; each tick's lateness past its due time.
    std::vector<double> lateness;
    QElapsedTimer tick;
    tick.start();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    long peakAnonKiB = statusKiB("RssAnon");
    QObject::connect(&probe, &QTimer::timeout, [&] {
        lateness.push_back(std::max(0.0, tick.nsecsElapsed() / 1e6 - 1.0));
        tick.restart();
        if (lateness.size() % 16 == 0) peakAnonKiB = std::max(peakAnonKiB, statusKiB("RssAnon"));
    });
    probe.start();

    bool scanned = false;
    QObject::connect(&w, &dms::MainWindow::scanFinished, [&] { scanned = true; });
    while (!scanned && total.elapsed() < 900000)
        QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    probe.stop();
    const double scanS = total.elapsed() / 1000.0;
    qApp->removeEventFilter(watch);

    std::sort(lateness.begin(), lateness.end());
    const double worst = lateness.empty() ? 0 : lateness.back();
    const double p99 = lateness.empty() ? 0 : lateness[lateness.size() * 99 / 100];
    const dms::PoolScanResult* r = w.scanResult();
    std::printf("%s (%llu blocks)\n", qPrintable(image),
                static_cast<unsigned long long>(r && r->blockMap ? r->blockMap->size() : 0));
    std::printf("  open %lld ms, first paint %lld ms after open began\n",
                static_cast<long long>(openMs), static_cast<long long>(watch->firstPaintMs));
    if (r)
        std::printf("  scan done at %.2f s: classify %.2f s, check %.2f s, usage %.2f s\n", scanS,
                    r->classifySeconds, r->checkSeconds, r->usageSeconds);
    std::printf("  event loop during the scan: %zu ticks, worst %.1f ms, p99 %.1f ms late\n",
                lateness.size(), worst, p99);
    peakAnonKiB = std::max(peakAnonKiB, statusKiB("RssAnon"));
    std::printf("  anonymous memory: peak %.1f MiB (sampled; the mapped image is not counted), "
                "RSS high-water mark %.1f MiB with the image's cached pages\n",
                peakAnonKiB / 1024.0, statusKiB("VmHWM") / 1024.0);
    if (withThinCheck) {
        const double tc = thinCheckSeconds(image);
        if (tc >= 0 && r)
            std::printf("  thin_check -q %.2f s: the whole scan is %.1fx faster\n", tc, tc / scanS);
    }
    std::fflush(stdout);
    delete watch;
}

} // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    dms::initResources();
    QStringList images;
    bool withThinCheck = true;
    for (const QString& a : app.arguments().mid(1)) {
        if (a == QLatin1String("--no-thin-check"))
            withThinCheck = false;
        else
            images << a;
    }
    if (images.isEmpty()) {
        std::fprintf(stderr, "usage: dmscope-bench-window IMAGE... [--no-thin-check]\n");
        return 2;
    }
    for (const QString& image : images)
        measure(image, withThinCheck);
    return 0;
}
