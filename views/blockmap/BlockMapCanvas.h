#pragma once
// The block map's drawing surface: every block of one device as a cell on a BlockMapLayout,
// coloured by a BlockMapScheme, zoomable (Ctrl +/-/0, the wheel) and pannable (drag, scroll bars,
// arrow keys). Painted from cached 256x256 device-pixel tiles per zoom level, only where visible;
// zoomed out, a pixel is a pyramid cell (see BlockMapPyramid), built on a worker thread when the
// source is set. Tiles missing at the end of a frame's budget are painted from the next coarser
// cached tile and finished on the following frames, so a frame stays short whatever the size.
//
// Zoom z: a block is 2^z device pixels (z >= 0), or a device pixel holds 4^-z blocks (z < 0).

#include "models/BlockMapPyramid.h"
#include "models/BlockMapScheme.h"
#include "models/BlockMapTileRenderer.h"

#include <QAbstractScrollArea>
#include <QCache>
#include <QFutureWatcher>
#include <QImage>
#include <atomic>
#include <functional>
#include <memory>

class QTimer;

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
    int buildProgress() const { return progress_->load(); }

    int zoom() const { return zoom_; }
    int minZoom() const { return -static_cast<int>(layout_.topLevel()); }
    // The zoom at which the whole map fits the viewport.
    int fitZoom() const;
    // anchor: viewport point kept in place (logical pixels); default the centre.
    void setZoom(int zoom, std::optional<QPoint> anchor = std::nullopt);
    void zoomIn() { setZoom(zoom_ + 1); }
    void zoomOut() { setZoom(zoom_ - 1); }
    void zoomToFit() { setZoom(fitZoom()); }

    // Outlines block b (nullopt: none) and, with centre, scrolls it to the middle.
    void setHighlight(std::optional<std::uint64_t> b, bool centre);
    std::optional<std::uint64_t> highlight() const { return highlight_; }
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

    // Paint time budget per frame for tiles not yet cached (the rest follow next frames).
    void setFrameBudgetMs(int ms) { budgetMs_ = ms; }
    // Whether the last paint left tiles to finish.
    bool hasPendingTiles() const { return pending_; }
    int cachedTileCount() const { return tiles_.count(); }

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
    qreal dpr() const;
    QSize mapDeviceSize() const;
    QPoint mapOrigin() const; // device position of the map's top-left in the viewport
    void updateScrollBars();
    void startPyramidBuild();
    void clearTiles();
    void applyPaletteColours();
    const QImage* tile(int zoom, int tx, int ty, bool mayRender);
    void paintMessage(QPainter& p, const QString& text);
    void paintHighlight(QPainter& p);

    std::shared_ptr<const BlockClassSource> source_;
    BlockMapScheme scheme_;
    BlockMapLayout layout_;
    std::shared_ptr<const BlockMapPyramid> pyramid_;
    QFutureWatcher<std::shared_ptr<BlockMapPyramid>> watcher_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::shared_ptr<std::atomic<int>> progress_;
    QTimer* progressTimer_;
    QString message_;
    BlockMapTileRenderer::Colours colours_;
    QCache<quint64, QImage> tiles_;
    int zoom_ = 0;
    std::optional<std::uint64_t> highlight_;
    std::function<QString(const Hit&)> describer_;
    QPoint pressPos_;
    QPoint lastDragPos_;
    bool dragging_ = false;
    int wheelAccumulator_ = 0;
    int budgetMs_ = 8;
    bool pending_ = false;
};

} // namespace dms
