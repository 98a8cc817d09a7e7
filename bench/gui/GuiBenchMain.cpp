// dmscope-bench-gui: the block map's frame times, offscreen. Cases (each its own process when run
// as "blockmap all", so peak RSS is per case):
//   large        the large bench pool's metadata (BlockClassifier time, then the sweep)
//   large-data   the large bench pool's data space map, from its bitmaps
//   metadata16g  a synthetic BlockMap of a 16 GiB metadata device (4 161 600 blocks)
//   data1g       a synthetic data space map of 2^30 blocks
// `screenshots DIR` renders the block map screenshots: the demo pool (blockmap-demo.png, -demo-
// zoomed, -data, -owner) and a synthetic 16 GiB metadata device in a dark palette (-16g-dark,
// and blockmap-zoomed.png: 8 px a block around an unreadable block, selected).

#include "bench/BenchPool.h"
#include "bench/gui/BlockMapSweep.h"
#include "bench/gui/SyntheticBitmaps.h"
#include "core/thin/BlockClassifier.h"
#include "core/thin/SyntheticBlockMap.h"
#include "models/BlockMapTileRenderer.h"
#include "models/BlockSelection.h"
#include "models/DataSpaceClassSource.h"
#include "models/MetadataClassSource.h"
#include "models/ThinPoolDocument.h"
#include "resources/ResourceInit.h"
#include "views/blockmap/BlockMapView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QThread>
#include <QWindow>
#include <cstdio>
#include <fstream>
#include <sys/resource.h>

using namespace dms;

namespace {

double mib(double bytes) {
    return bytes / (1024.0 * 1024.0);
}

long rssKiB(const char* field) {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
    return 0;
}

bool waitReady(BlockMapCanvas& c) {
    while (!c.isReady()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (!c.source()) return false;
        QThread::usleep(500);
    }
    return true;
}

// Paints until every visible tile is in (tiles come from worker threads).
void settle(BlockMapCanvas& c) {
    c.viewport()->repaint();
    while (c.hasPendingTiles()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents);
        QThread::usleep(500);
    }
    QCoreApplication::processEvents();
}

// Shows source on a 1600x1000 canvas, times the pyramid and the sweep, prints the figures.
int sweepCase(const char* name, std::shared_ptr<const BlockClassSource> source,
              BlockMapScheme scheme, long baselineKiB, double prepMs, const char* prepWhat,
              double inputMiB = 0) {
    long anonAlive = 0; // with the canvas, its pyramid and its tiles still there
    for (auto kind : {BlockMapLayout::Kind::Hilbert, BlockMapLayout::Kind::Linear}) {
        BlockMapCanvas canvas;
        canvas.resize(1600, 1000);
        canvas.show();
        while (!canvas.windowHandle() || !canvas.windowHandle()->isExposed())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QElapsedTimer t;
        t.start();
        canvas.setSource(source, scheme, kind);
        // The first whole picture: the preview from samples, or the exact map if it is quicker.
        canvas.viewport()->repaint();
        while (canvas.hasPendingTiles() && !canvas.isReady()) {
            QCoreApplication::processEvents(QEventLoop::AllEvents);
            QThread::usleep(200);
        }
        const double firstMs = double(t.nsecsElapsed()) / 1e6;
        if (const QByteArray png = qgetenv("DMSCOPE_BENCH_PREVIEW_PNG"); !png.isEmpty())
            canvas.viewport()->grab().save(QString::fromLocal8Bit(png));
        if (!waitReady(canvas)) return 1;
        const double pyramidMs = double(t.nsecsElapsed()) / 1e6;
        if (qEnvironmentVariableIsSet("DMSCOPE_BENCH_TILES")) {
            BlockMapTileRenderer renderer(*source, canvas.layout(), canvas.pyramid(), scheme);
            for (int z = canvas.minZoom(); z <= BlockMapCanvas::kMaxZoom; ++z) {
                QElapsedTimer tt;
                tt.start();
                const int side = z >= 0 ? int(canvas.layout().width() << z) / 256
                                        : int(canvas.layout().levelWidth(-z)) / 256;
                for (int i = 0; i < 4; ++i)
                    renderer.renderTile(z, side / 2 + i % 2, side / 2 + i / 2, {});
                std::printf("  zoom %d: %.2f ms a tile\n", z, double(tt.nsecsElapsed()) / 4e6);
            }
        }
        const bench::SweepResult r = bench::sweepBlockMap(canvas);
        anonAlive = std::max(anonAlive, rssKiB("RssAnon:"));
        using R = bench::SweepResult;
        std::printf("%-12s %-7s blocks %llu: %s %.0f ms, first picture %.0f ms, pyramid %.0f ms "
                    "(%.1f MiB); %u steps, "
                    "%zu frames: median %.2f ms, p95 %.2f ms, max %.2f ms (CPU: p95 %.2f ms, max "
                    "%.2f ms); all tiles in after median %.0f ms, p95 %.0f ms, max %.0f ms\n",
                    name, kind == BlockMapLayout::Kind::Hilbert ? "hilbert" : "linear",
                    static_cast<unsigned long long>(source->blockCount()), prepWhat, prepMs,
                    firstMs, pyramidMs, mib(double(canvas.pyramid()->memoryBytes())), r.steps,
                    r.frameMs.size(), R::percentile(r.frameMs, 0.5), R::percentile(r.frameMs, 0.95),
                    R::percentile(r.frameMs, 1.0), R::percentile(r.frameCpuMs, 0.95),
                    R::percentile(r.frameCpuMs, 1.0), R::percentile(r.completeMs, 0.5),
                    R::percentile(r.completeMs, 0.95), R::percentile(r.completeMs, 1.0));
        std::fflush(stdout);
    }
    // File-backed pages of a memory-mapped image count in RSS but are the page cache's: the
    // view's own memory is the anonymous part.
    const long peak = rssKiB("VmHWM:");
    const long anon = anonAlive;
    const double budget = 64.0 + mib(double(source->blockCount()));
    std::printf(
        "%-12s peak RSS %.1f MiB; anonymous RSS at the end of a sweep %.1f MiB (%.1f MiB over "
        "the %.1f MiB before the map, of which %.1f MiB the BlockMap given to the view, "
        "%d MiB at most the tile cache); budget 64 MiB + 1 byte a block = %.1f MiB\n",
        name, peak / 1024.0, anon / 1024.0, (anon - baselineKiB) / 1024.0, baselineKiB / 1024.0,
        inputMiB, BlockMapTileCache::kMaxKiB / 1024, budget);
    std::fflush(stdout);
    return 0;
}

std::string benchDir() {
    if (const char* d = std::getenv("DMSCOPE_BENCH_DIR")) return d;
    if (const char* h = std::getenv("HOME")) return std::string(h) + "/.cache/dmscope-bench";
    return ".";
}

std::shared_ptr<ThinPoolDocument> openLargePool() {
    auto spec = bench::PoolSpec::named("large");
    const std::string image = bench::ensurePool(*spec, benchDir(), false);
    if (image.empty()) return nullptr;
    auto doc = ThinPoolDocument::openPath(QString::fromStdString(image));
    if (!doc) {
        std::fprintf(stderr, "%s\n", doc.error().describe().c_str());
        return nullptr;
    }
    return *doc;
}

int runCase(const QString& name) {
    const long baseline = rssKiB("RssAnon:");
    QElapsedTimer t;
    t.start();
    if (name == QLatin1String("large")) {
        auto doc = openLargePool();
        if (!doc) return 1;
        auto map = BlockClassifier(doc->metadata()).classify();
        if (!map) return 1;
        const double ms = double(t.nsecsElapsed()) / 1e6;
        auto shared = std::make_shared<const BlockMap>(std::move(*map));
        return sweepCase("large",
                         std::make_shared<MetadataClassSource>(shared, BlockMapColouring::Type),
                         BlockMapScheme::forType(), baseline, ms, "BlockClassifier",
                         mib(5.0 * double(shared->size())));
    }
    if (name == QLatin1String("large-data")) {
        auto doc = openLargePool();
        if (!doc) return 1;
        auto source = DataSpaceClassSource::open(doc);
        if (!source) return 1;
        return sweepCase("large-data", *source, BlockMapScheme::forDataSpace(), baseline,
                         double(t.nsecsElapsed()) / 1e6, "open");
    }
    if (name == QLatin1String("metadata16g")) {
        auto map = std::make_shared<const BlockMap>(SyntheticBlockMap::make(4161600));
        const double ms = double(t.nsecsElapsed()) / 1e6;
        return sweepCase(
            "metadata16g", std::make_shared<MetadataClassSource>(map, BlockMapColouring::Type),
            BlockMapScheme::forType(), baseline, ms, "synthesis", mib(5.0 * double(map->size())));
    }
    if (name == QLatin1String("data1g")) {
        auto source = std::make_shared<bench::SyntheticBitmaps>(std::uint64_t(1) << 30);
        return sweepCase("data1g", source, BlockMapScheme::forDataSpace(), baseline,
                         double(t.nsecsElapsed()) / 1e6, "synthesis");
    }
    std::fprintf(stderr, "unknown case\n");
    return 2;
}

bool saveView(BlockMapView& view, const QString& file) {
    settle(*view.canvas());
    const QImage img = view.grab().toImage();
    return !img.isNull() && img.save(file, "PNG");
}

int screenshots(const QString& dir) {
    initResources();
    auto doc = ThinPoolDocument::openDemo();
    if (!doc) return 1;
    auto map = BlockClassifier((*doc)->metadata()).classify();
    if (!map) return 1;
    auto shared = std::make_shared<const BlockMap>(std::move(*map));
    BlockSelection selection;
    BlockMapView view;
    view.resize(1000, 620);
    view.setDocument(*doc);
    view.setSelection(&selection);
    view.setBlockMap(shared);
    view.show();
    if (!waitReady(*view.canvas())) return 1;
    QCoreApplication::processEvents();
    bool ok = saveView(view, dir + QStringLiteral("/blockmap-demo.png"));
    // Zoomed in on the details leaf, selected: the space maps' and the trees' blocks around it.
    std::uint64_t leaf = 0;
    while (leaf < shared->size() && shared->role(leaf) != BlockRole::DetailsLeaf)
        ++leaf;
    view.canvas()->setZoom(4);
    selection.select(BlockRef::metadata(leaf), nullptr);
    QCoreApplication::processEvents();
    ok = saveView(view, dir + QStringLiteral("/blockmap-demo-zoomed.png")) && ok;
    view.setColouring(BlockMapColouring::DataSpace);
    if (!waitReady(*view.canvas())) return 1;
    QCoreApplication::processEvents();
    ok = saveView(view, dir + QStringLiteral("/blockmap-data.png")) && ok;
    view.canvas()->setZoom(5);
    view.canvas()->centreOn(0);
    ok = saveView(view, dir + QStringLiteral("/blockmap-data-zoomed.png")) && ok;
    view.setColouring(BlockMapColouring::Owner);
    if (!waitReady(*view.canvas())) return 1;
    QCoreApplication::processEvents();
    ok = saveView(view, dir + QStringLiteral("/blockmap-owner.png")) && ok;

    // A synthetic 16 GiB metadata device, whole (4^6 blocks a pixel), in a dark palette.
    BlockMapView big;
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    big.setPalette(dark);
    big.resize(1000, 620);
    auto synthetic = std::make_shared<const BlockMap>(SyntheticBlockMap::make(4161600));
    big.setBlockMap(synthetic);
    big.show();
    if (!waitReady(*big.canvas())) return 1;
    ok = saveView(big, dir + QStringLiteral("/blockmap-16g-dark.png")) && ok;
    std::uint64_t bad = 0;
    while (bad < synthetic->size() && synthetic->role(bad) != BlockRole::Unreadable)
        ++bad;
    big.canvas()->setZoom(3);
    big.canvas()->setHighlight(bad, true);
    ok = saveView(big, dir + QStringLiteral("/blockmap-zoomed.png")) && ok;
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 3 && args[1] == QLatin1String("screenshots")) return screenshots(args[2]);
    if (args.size() == 3 && args[1] == QLatin1String("blockmap")) {
        if (args[2] != QLatin1String("all")) return runCase(args[2]);
        int status = 0;
        for (const char* c : {"large", "large-data", "metadata16g", "data1g"}) {
            QProcess p;
            p.setProcessChannelMode(QProcess::ForwardedChannels);
            p.start(app.applicationFilePath(), {QStringLiteral("blockmap"), QLatin1String(c)});
            p.waitForFinished(-1);
            status |= p.exitCode();
        }
        return status;
    }
    std::fprintf(stderr,
                 "usage: dmscope-bench-gui blockmap large|large-data|metadata16g|data1g|all\n"
                 "       dmscope-bench-gui screenshots DIR\n");
    return 2;
}
