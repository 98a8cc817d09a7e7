#include "views/blockmap/BlockMapTileCache.h"

#include <QFutureWatcher>
#include <QPromise>

namespace dms {

BlockMapTileCache::BlockMapTileCache(QObject* parent)
    : QObject(parent), liveZoom_(std::make_shared<std::atomic<int>>(0)) {
    tiles_.setMaxCost(kMaxKiB);
    // One core is left to the UI thread, so painting never waits for a tile being rendered.
    pool_.setMaxThreadCount(std::max(1, QThread::idealThreadCount() - 1));
}

BlockMapTileCache::~BlockMapTileCache() {
    pool_.clear(); // queued tiles are not wanted any more; running ones finish
    pool_.waitForDone();
}

void BlockMapTileCache::reset(Inputs inputs) {
    pool_.clear();
    tiles_.clear();
    inFlight_.clear();
    ++generation_;
    inputs_ = std::make_shared<const Inputs>(std::move(inputs));
}

void BlockMapTileCache::request(int zoom, int tx, int ty) {
    const quint64 k = key(zoom, tx, ty);
    if (!inputs_ || !inputs_->source || inFlight_.contains(k) || tiles_.contains(k)) return;
    if (!BlockMapTileRenderer(*inputs_->source, inputs_->layout, inputs_->pyramid.get(),
                              inputs_->scheme)
             .canPreview(zoom))
        return;
    inFlight_.insert(k);
    auto promise = std::make_shared<QPromise<QImage>>();
    auto* watcher = new QFutureWatcher<QImage>(this);
    const quint64 generation = generation_;
    connect(watcher, &QFutureWatcher<QImage>::finished, this, [this, watcher, k, generation] {
        watcher->deleteLater();
        if (generation != generation_) return;
        inFlight_.remove(k);
        if (watcher->future().resultCount() == 0 || watcher->result().isNull()) return;
        const int kib = int(watcher->result().sizeInBytes() / 1024);
        tiles_.insert(k, new QImage(watcher->result()), kib);
        emit tileReady();
    });
    watcher->setFuture(promise->future());
    promise->start();
    pool_.start([promise, inputs = inputs_, live = liveZoom_, zoom, tx, ty] {
        if (live->load() == zoom)
            promise->addResult(BlockMapTileRenderer(*inputs->source, inputs->layout,
                                                    inputs->pyramid.get(), inputs->scheme)
                                   .renderTile(zoom, tx, ty, inputs->colours));
        promise->finish();
    });
}

} // namespace dms
