#include "bench/gui/BlockMapSweep.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QThread>
#include <algorithm>

namespace dms::bench {

double SweepResult::percentile(const std::vector<double>& values, double p) {
    if (values.empty()) return 0;
    std::vector<double> v = values;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * double(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

namespace {

// One step of the sweep: its frame, then the frames painted as its tiles arrive.
void frames(BlockMapCanvas& canvas, SweepResult& r) {
    QElapsedTimer t;
    t.start();
    canvas.viewport()->repaint();
    while (canvas.hasPendingTiles() && t.elapsed() < 20000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents);
        if (canvas.hasPendingTiles()) QThread::usleep(200);
    }
    r.completeMs.push_back(double(t.nsecsElapsed()) / 1e6);
    ++r.steps;
}

} // namespace

SweepResult sweepBlockMap(BlockMapCanvas& canvas) {
    SweepResult r;
    canvas.setFrameObserver([&r](double ms, double cpuMs) {
        r.frameMs.push_back(ms);
        r.frameCpuMs.push_back(cpuMs);
    });
    canvas.zoomToFit();
    frames(canvas, r);
    const int fit = canvas.fitZoom();
    QScrollBar* h = canvas.horizontalScrollBar();
    QScrollBar* v = canvas.verticalScrollBar();
    for (int z = fit + 1; z <= BlockMapCanvas::kMaxZoom; ++z) {
        canvas.setZoom(z);
        frames(canvas, r);
        for (int i = 0; i < 8; ++i) {
            h->setValue(h->value() + h->pageStep() / 3);
            frames(canvas, r);
        }
        for (int i = 0; i < 4; ++i) {
            v->setValue(v->value() + v->pageStep() / 3);
            frames(canvas, r);
        }
    }
    for (int z = BlockMapCanvas::kMaxZoom - 1; z >= fit; --z) {
        canvas.setZoom(z);
        frames(canvas, r);
    }
    // Jumps: what following a selection made elsewhere does, at a middle zoom.
    canvas.setZoom((fit + BlockMapCanvas::kMaxZoom) / 2);
    const std::uint64_t blocks = canvas.layout().blocks();
    for (std::uint64_t i = 1; i <= 10; ++i) {
        canvas.centreOn(blocks / 11 * i + i * 7919 % 1000);
        frames(canvas, r);
    }
    canvas.setFrameObserver({});
    return r;
}

} // namespace dms::bench
