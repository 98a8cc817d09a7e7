#pragma once
// The block map's tiles: rendered on worker threads (never on the UI thread, so a frame only
// draws what is cached, whatever a tile costs), kept in a cache bounded in bytes, and dropped
// when what they show changes (source, colours, layout, pyramid, palette). Requests for a zoom
// the user has left are skipped before they start.

#include "models/BlockMapTileRenderer.h"

#include <QCache>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QThreadPool>
#include <atomic>
#include <memory>

namespace dms {

class BlockMapTileCache : public QObject {
    Q_OBJECT
public:
    // What tiles are rendered from; shared with the workers.
    struct Inputs {
        std::shared_ptr<const BlockClassSource> source;
        std::shared_ptr<const BlockMapPyramid> pyramid;
        BlockMapScheme scheme;
        BlockMapLayout layout;
        BlockMapTileRenderer::Colours colours;
    };

    static constexpr int kMaxKiB = 24 * 1024; // 96 tiles: a 2560x1600 screen twice over

    explicit BlockMapTileCache(QObject* parent = nullptr);
    ~BlockMapTileCache() override;

    // Drops every tile and forgets requests in flight.
    void reset(Inputs inputs);
    const QImage* find(int zoom, int tx, int ty) { return tiles_.object(key(zoom, tx, ty)); }
    // Starts rendering the tile unless it is cached or already under way.
    void request(int zoom, int tx, int ty);
    // The zoom being shown: queued tiles of other zooms are not rendered.
    void setLiveZoom(int zoom) { liveZoom_->store(zoom); }

    int count() const { return tiles_.count(); }
    int inFlight() const { return static_cast<int>(inFlight_.size()); }

signals:
    void tileReady();

private:
    static quint64 key(int zoom, int tx, int ty) {
        return (quint64(zoom + 64) << 48) | (quint64(tx) << 24) | quint64(ty);
    }

    std::shared_ptr<const Inputs> inputs_;
    QCache<quint64, QImage> tiles_;
    QSet<quint64> inFlight_;
    QThreadPool pool_;
    std::shared_ptr<std::atomic<int>> liveZoom_;
    quint64 generation_ = 0;
};

} // namespace dms
