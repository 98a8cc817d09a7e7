#pragma once
// The block map's drawing surface: every block of one device as a cell on a BlockMapLayout,
// coloured by a BlockMapScheme, zoomable (Ctrl +/-/0, the wheel) and pannable (drag, scroll bars,
// arrow keys). Painted from cached 256x256 device-pixel tiles per zoom level, only where visible;
// zoomed out, a pixel is a pyramid cell (see BlockMapPyramid), built on a worker thread when the
// source is set. Tiles are rendered on worker threads (BlockMapTileCache); until one arrives its
// place shows the next coarser cached tile scaled up, so a frame only draws and stays short
// whatever the size of the map.
//
// Zoom z: a block is 2^z device pixels (z >= 0), or a device pixel holds 4^-z blocks (z < 0).

#include "models/BlockMapPyramid.h"
#include "models/BlockMapScheme.h"
#include "models/BlockMapTileRenderer.h"
#include "views/blockmap/BlockMapMarks.h"
#include "views/blockmap/BlockMapPyramidJob.h"
#include "views/blockmap/BlockMapTileCache.h"

#include <QAbstractScrollArea>
#include <QImage>
#include <functional>
#include <memory>

namespace dms {

class BlockMapCanvas : public QAbstractScrollArea {
    Q_OBJECT
public:
    static constexpr int kMaxZoom = 5;

    // A place on the map: the level-k cell under a point and the blocks it holds.
    struct Hit {
        unsigned level = 0;
        GridCell cell;
        std::uint64_t first = 0; // the first block of the cell's first run
        std::uint64_t blocks = 0;
    };

    explicit BlockMapCanvas(QWidget* parent = nullptr);
    ~BlockMapCanvas() override;

    // Shows source's blocks; the pyramid is built in the background (isReady() after ready()).
    // A null source shows `message` instead.
    void setSource(std::shared_ptr<const BlockClassSource> source, BlockMapScheme scheme,
                   BlockMapLayout::Kind layout);
    void showMessage(const QString& message);
    void setLayoutKind(BlockMapLayout::Kind kind);
    const BlockClassSource* source() const { return source_.get(); }
    const BlockMapScheme& scheme() const { return scheme_; }
    const BlockMapLayout& layout() const { return layout_; }
    const BlockMapPyramid* pyramid() const { return pyramid_.get(); }
    bool isReady() const { return source_ && pyramid_; }
    // Permille of the pyramid built so far.
    int buildProgress() const { return job_->progress(); }

    int zoom() const { return zoom_; }
    int minZoom() const { return -static_cast<int>(layout_.topLevel()); }
    // The zoom at which the whole map fits the viewport.
    int fitZoom() const;
    // anchor: viewport point kept in place (logical pixels); default the centre.
    void setZoom(int zoom, std::optional<QPoint> anchor = std::nullopt);
    void zoomIn() { setZoom(zoom_ + 1); }
    void zoomOut() { setZoom(zoom_ - 1); }
    void zoomToFit();

    // Outlines block b (nullopt: none) and, with centre, scrolls it to the middle.
    void setHighlight(std::optional<std::uint64_t> b, bool centre);
    std::optional<std::uint64_t> highlight() const { return highlight_; }
    // Marks drawn over the tiles (see BlockMapMarks); empty: none.
    void setMarks(BlockMapMarks marks) {
        marks_ = std::move(marks);
        viewport()->update();
    }
    const BlockMapMarks& marks() const { return marks_; }
    void centreOn(std::uint64_t b);
    // The viewport point (logical pixels) at the centre of block b's cell at the current zoom.
    QPoint viewportPointOf(std::uint64_t b) const;
    std::optional<Hit> hitAt(QPoint viewportPos) const;

    // Text for the tooltip of a hit; set by the owner, which knows what the classes mean.
    void setDescriber(std::function<QString(const Hit&)> describer) {
        describer_ = std::move(describer);
    }
    // The tooltip at a viewport point (logical pixels); empty where no block is.
    QString toolTipAt(QPoint viewportPos) const;

    // Whether the last paint lacked tiles, or tiles are being rendered.
    bool hasPendingTiles() const { return pending_ || tiles_->inFlight() > 0; }
    int cachedTileCount() const { return tiles_->count(); }
    // Called after each paint with its wall-clock and UI-thread CPU time (benchmarks).
    void setFrameObserver(std::function<void(double wallMs, double cpuMs)> observer) {
        frameObserver_ = std::move(observer);
    }

signals:
    void blockClicked(std::uint64_t block);
    void zoomChanged(int zoom);
    void ready();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    qreal dpr() const { return viewport()->devicePixelRatioF(); }
    QSize mapDeviceSize() const;
    QPoint mapOrigin() const; // device position of the map's top-left in the viewport
    void updateScrollBars();
    void clearTiles();
    void applyPaletteColours();
    void paintHighlight(QPainter& p);

    std::shared_ptr<const BlockClassSource> source_;
    BlockMapScheme scheme_;
    BlockMapLayout layout_;
    std::shared_ptr<const BlockMapPyramid> pyramid_;
    BlockMapPyramidJob* job_;
    QString message_;
    BlockMapTileRenderer::Colours colours_;
    BlockMapTileCache* tiles_;
    std::function<void(double, double)> frameObserver_;
    int zoom_ = 0;
    bool autoFit_ = true; // until the user zooms, resizing refits the whole map
    std::optional<std::uint64_t> highlight_;
    BlockMapMarks marks_;
    bool centreWhenSized_ = false;
    std::function<QString(const Hit&)> describer_;
    QPoint pressPos_;
    QPoint lastDragPos_;
    bool dragging_ = false;
    int wheelAccumulator_ = 0;
    bool pending_ = false;
};

} // namespace dms
