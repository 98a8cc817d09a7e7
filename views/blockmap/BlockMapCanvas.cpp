#include "views/blockmap/BlockMapCanvas.h"

#include "views/blockmap/BlockMapOverlay.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QLocale>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

namespace dms {
namespace {

constexpr int kTile = BlockMapTileRenderer::kTileSize;

} // namespace

BlockMapCanvas::BlockMapCanvas(QWidget* parent)
    : QAbstractScrollArea(parent), job_(new BlockMapPyramidJob(this)),
      tiles_(new BlockMapTileCache(this)) {
    connect(tiles_, &BlockMapTileCache::tileReady, viewport(), [this] { viewport()->update(); });
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    horizontalScrollBar()->setSingleStep(32);
    verticalScrollBar()->setSingleStep(32);
    connect(job_, &BlockMapPyramidJob::progressed, viewport(), [this] { viewport()->update(); });
    connect(job_, &BlockMapPyramidJob::finished, this,
            [this](std::shared_ptr<const BlockMapPyramid> built) {
                if (!source_ || built->classCount() != source_->classCount()) return;
                pyramid_ = std::move(built);
                clearTiles();
                viewport()->update();
                emit ready();
            });
    applyPaletteColours();
}

BlockMapCanvas::~BlockMapCanvas() = default;

void BlockMapCanvas::showMessage(const QString& message) {
    job_->cancel();
    source_.reset();
    pyramid_.reset();
    message_ = message;
    clearTiles();
    updateScrollBars();
    viewport()->update();
}

void BlockMapCanvas::setSource(std::shared_ptr<const BlockClassSource> source,
                               BlockMapScheme scheme, BlockMapLayout::Kind layout) {
    if (!source) {
        showMessage(QString());
        return;
    }
    // Another colouring of the same blocks keeps the place the user is looking at.
    const bool samePlace =
        source_ && source_->blockCount() == source->blockCount() && layout_.kind() == layout;
    const QPoint scroll(horizontalScrollBar()->value(), verticalScrollBar()->value());
    source_ = std::move(source);
    scheme_ = std::move(scheme);
    message_.clear();
    applyPaletteColours();
    layout_ = BlockMapLayout(layout, source_->blockCount());
    pyramid_.reset();
    clearTiles();
    if (!samePlace) {
        zoom_ = fitZoom();
        autoFit_ = true;
    }
    updateScrollBars();
    job_->start(source_, layout_);
    if (samePlace) {
        horizontalScrollBar()->setValue(scroll.x());
        verticalScrollBar()->setValue(scroll.y());
    } else if (highlight_ && *highlight_ < layout_.blocks()) {
        centreOn(*highlight_);
    }
    viewport()->update();
    emit zoomChanged(zoom_);
}

void BlockMapCanvas::setLayoutKind(BlockMapLayout::Kind kind) {
    if (!source_ || kind == layout_.kind()) return;
    setSource(source_, scheme_, kind);
}

void BlockMapCanvas::clearTiles() {
    tiles_->reset({source_, pyramid_, scheme_, layout_, colours_});
    pending_ = false;
}

void BlockMapCanvas::applyPaletteColours() {
    colours_ = blockmap::tileColours(palette());
    if (scheme_.classCount() > 0) scheme_.setEmptyColour(blockmap::emptyColour(palette()));
}

int BlockMapCanvas::fitZoom() const {
    const QSize view = viewport()->size() * dpr();
    int z = kMaxZoom;
    while (z > minZoom() && (layout_.pixelWidth(z) > std::uint64_t(std::max(1, view.width())) ||
                             layout_.pixelHeight(z) > std::uint64_t(std::max(1, view.height()))))
        --z;
    return z;
}

QSize BlockMapCanvas::mapDeviceSize() const {
    if (!source_) return {0, 0};
    return {static_cast<int>(layout_.pixelWidth(zoom_)),
            static_cast<int>(layout_.pixelHeight(zoom_))};
}

QPoint BlockMapCanvas::mapOrigin() const {
    const QSize map = mapDeviceSize();
    const QSize view = viewport()->size() * dpr();
    const int x = map.width() < view.width() ? (view.width() - map.width()) / 2
                                             : -horizontalScrollBar()->value();
    const int y = map.height() < view.height() ? (view.height() - map.height()) / 2
                                               : -verticalScrollBar()->value();
    return {x, y};
}

void BlockMapCanvas::updateScrollBars() {
    const QSize map = mapDeviceSize();
    const QSize view = viewport()->size() * dpr();
    horizontalScrollBar()->setRange(0, std::max(0, map.width() - view.width()));
    verticalScrollBar()->setRange(0, std::max(0, map.height() - view.height()));
    horizontalScrollBar()->setPageStep(view.width());
    verticalScrollBar()->setPageStep(view.height());
}

void BlockMapCanvas::zoomToFit() {
    setZoom(fitZoom());
    autoFit_ = true;
}

void BlockMapCanvas::setZoom(int zoom, std::optional<QPoint> anchor) {
    if (!source_) return;
    autoFit_ = false;
    zoom = std::clamp(zoom, minZoom(), kMaxZoom);
    if (zoom == zoom_) return;
    const QPointF a = (anchor ? QPointF(*anchor) : QRectF(viewport()->rect()).center()) * dpr();
    // The anchor's position in level-0 cells stays under the anchor.
    const QPoint origin = mapOrigin();
    const double scaleOld = std::ldexp(1.0, zoom_);
    const double cx = (a.x() - origin.x()) / scaleOld;
    const double cy = (a.y() - origin.y()) / scaleOld;
    zoom_ = zoom;
    updateScrollBars();
    const double scale = std::ldexp(1.0, zoom_);
    horizontalScrollBar()->setValue(static_cast<int>(std::lround(cx * scale - a.x())));
    verticalScrollBar()->setValue(static_cast<int>(std::lround(cy * scale - a.y())));
    pending_ = false;
    viewport()->update();
    emit zoomChanged(zoom_);
}

void BlockMapCanvas::setHighlight(std::optional<std::uint64_t> b, bool centre) {
    highlight_ = b;
    // Hidden, the viewport has no size yet to centre in: done when it gets one.
    centreWhenSized_ = b && centre && !isVisible();
    if (b && centre && source_ && *b < layout_.blocks()) centreOn(*b);
    viewport()->update();
}

void BlockMapCanvas::centreOn(std::uint64_t b) {
    if (!source_ || b >= layout_.blocks()) return;
    const GridCell c = layout_.cellOf(b);
    const double scale = std::ldexp(1.0, zoom_);
    const QSize view = viewport()->size() * dpr();
    horizontalScrollBar()->setValue(
        static_cast<int>(std::lround((c.x + 0.5) * scale - view.width() / 2.0)));
    verticalScrollBar()->setValue(
        static_cast<int>(std::lround((c.y + 0.5) * scale - view.height() / 2.0)));
    viewport()->update();
}

QPoint BlockMapCanvas::viewportPointOf(std::uint64_t b) const {
    const GridCell c = layout_.cellOf(b);
    const double scale = std::ldexp(1.0, zoom_);
    const QPoint origin = mapOrigin();
    return QPointF((origin.x() + (c.x + 0.5) * scale) / dpr(),
                   (origin.y() + (c.y + 0.5) * scale) / dpr())
        .toPoint();
}

std::optional<BlockMapCanvas::Hit> BlockMapCanvas::hitAt(QPoint viewportPos) const {
    if (!source_) return std::nullopt;
    const QPoint origin = mapOrigin();
    const double dx = viewportPos.x() * dpr() - origin.x();
    const double dy = viewportPos.y() * dpr() - origin.y();
    if (dx < 0 || dy < 0) return std::nullopt;
    Hit hit;
    hit.level = zoom_ >= 0 ? 0 : static_cast<unsigned>(-zoom_);
    const double cellPx = zoom_ >= 0 ? std::ldexp(1.0, zoom_) : 1.0;
    hit.cell = {static_cast<std::uint32_t>(dx / cellPx), static_cast<std::uint32_t>(dy / cellPx)};
    if (hit.cell.x >= layout_.levelWidth(hit.level) || hit.cell.y >= layout_.levelHeight(hit.level))
        return std::nullopt;
    bool any = false;
    layout_.forEachRun(hit.level, hit.cell, [&](std::uint64_t first, std::uint64_t n) {
        if (!any) hit.first = first;
        any = true;
        hit.blocks += n;
    });
    if (!any) return std::nullopt;
    return hit;
}

QString BlockMapCanvas::toolTipAt(QPoint viewportPos) const {
    const auto hit = hitAt(viewportPos);
    return hit && describer_ ? describer_(*hit) : QString();
}

void BlockMapCanvas::paintEvent(QPaintEvent*) {
    QElapsedTimer clock;
    clock.start();
    const double cpuStart = blockmap::threadCpuMs();
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), QColor::fromRgb(colours_.background));
    if (!source_) {
        blockmap::paintMessage(p, viewport()->rect(), message_, palette());
        return;
    }
    // Until the pyramid is built, zoomed-out levels are previewed from samples.
    const bool preview =
        !BlockMapTileRenderer(*source_, layout_, pyramid_.get(), scheme_).canRender(zoom_);
    const qreal ratio = dpr();
    p.save();
    p.scale(1.0 / ratio, 1.0 / ratio);
    const QPoint origin = mapOrigin();
    const QSize map = mapDeviceSize();
    const QSize view = viewport()->size() * ratio;
    const int x0 = std::max(0, -origin.x()), y0 = std::max(0, -origin.y());
    const int x1 = std::min(map.width(), view.width() - origin.x());
    const int y1 = std::min(map.height(), view.height() - origin.y());
    pending_ = false;
    tiles_->setLiveZoom(zoom_);
    for (int ty = y0 / kTile; ty * kTile < y1; ++ty)
        for (int tx = x0 / kTile; tx * kTile < x1; ++tx) {
            const QPoint at(origin.x() + tx * kTile, origin.y() + ty * kTile);
            if (const QImage* img = tiles_->find(zoom_, tx, ty)) {
                p.drawImage(at, *img);
                continue;
            }
            pending_ = true;
            tiles_->request(zoom_, tx, ty);
            // Meanwhile the coarser level's tile scaled up (zooming in) or the finer level's
            // four scaled down (zooming out), if cached.
            if (const QImage* coarse = tiles_->find(zoom_ - 1, tx / 2, ty / 2)) {
                p.drawImage(
                    QRect(at, QSize(kTile, kTile)), *coarse,
                    QRect((tx % 2) * kTile / 2, (ty % 2) * kTile / 2, kTile / 2, kTile / 2));
                continue;
            }
            for (int q = 0; q < 4; ++q)
                if (const QImage* fine = tiles_->find(zoom_ + 1, 2 * tx + q % 2, 2 * ty + q / 2))
                    p.drawImage(
                        QRect(at + QPoint(q % 2, q / 2) * (kTile / 2), QSize(kTile / 2, kTile / 2)),
                        *fine);
        }
    // Cells past the map's edge inside the last tiles are background, not another colour.
    p.fillRect(QRect(origin.x() + map.width(), 0, view.width(), view.height()),
               QColor::fromRgb(colours_.background));
    p.fillRect(QRect(0, origin.y() + map.height(), view.width(), view.height()),
               QColor::fromRgb(colours_.background));
    blockmap::paintMarks(p, marks_, layout_, zoom_, origin, view, ratio,
                         palette().color(QPalette::Base));
    paintHighlight(p);
    p.restore();
    if (preview)
        blockmap::paintBadge(p,
                             tr("Summarising %1 blocks... %2% (a preview from samples until then)")
                                 .arg(QLocale().toString(quint64(layout_.blocks())))
                                 .arg(job_->progress() / 10.0, 0, 'f', 1),
                             palette());
    if (frameObserver_)
        frameObserver_(double(clock.nsecsElapsed()) / 1e6, blockmap::threadCpuMs() - cpuStart);
}

void BlockMapCanvas::paintHighlight(QPainter& p) {
    if (!highlight_ || *highlight_ >= layout_.blocks()) return;
    const GridCell c = layout_.cellOf(*highlight_);
    const QPoint origin = mapOrigin();
    const double scale = std::ldexp(1.0, zoom_);
    const double size = std::max(scale, 1.0);
    blockmap::paintSelection(p,
                             QRectF(origin.x() + c.x * scale, origin.y() + c.y * scale, size, size),
                             palette(), dpr());
}

void BlockMapCanvas::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    if (autoFit_ && source_ && fitZoom() != zoom_) zoomToFit();
    updateScrollBars();
    if (centreWhenSized_ && highlight_ && isVisible()) {
        centreWhenSized_ = false;
        centreOn(*highlight_);
    }
}

void BlockMapCanvas::scrollContentsBy(int, int) {
    viewport()->update();
}

bool BlockMapCanvas::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos());
        if (!text.isEmpty())
            QToolTip::showText(help->globalPos(), text, viewport());
        else
            QToolTip::hideText();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void BlockMapCanvas::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return QAbstractScrollArea::mousePressEvent(event);
    pressPos_ = lastDragPos_ = event->position().toPoint();
    dragging_ = false;
}

void BlockMapCanvas::mouseMoveEvent(QMouseEvent* event) {
    if (!(event->buttons() & Qt::LeftButton)) return;
    const QPoint pos = event->position().toPoint();
    if (!dragging_ && (pos - pressPos_).manhattanLength() >= QApplication::startDragDistance()) {
        dragging_ = true;
        viewport()->setCursor(Qt::ClosedHandCursor);
    }
    if (!dragging_) return;
    const QPointF delta = QPointF(pos - lastDragPos_) * dpr();
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() - int(delta.x()));
    verticalScrollBar()->setValue(verticalScrollBar()->value() - int(delta.y()));
    lastDragPos_ = pos;
}

void BlockMapCanvas::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    if (dragging_) {
        dragging_ = false;
        viewport()->unsetCursor();
        return;
    }
    if (const auto hit = hitAt(event->position().toPoint())) emit blockClicked(hit->first);
}

void BlockMapCanvas::wheelEvent(QWheelEvent* event) {
    if (!source_) return;
    wheelAccumulator_ += event->angleDelta().y();
    const int steps = wheelAccumulator_ / 120;
    wheelAccumulator_ -= steps * 120;
    if (steps) setZoom(zoom_ + steps, event->position().toPoint());
    event->accept();
}

void BlockMapCanvas::keyPressEvent(QKeyEvent* event) {
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    const int step =
        (event->modifiers() & Qt::ShiftModifier) ? viewport()->width() * dpr() / 2 : 64 * dpr();
    QScrollBar* h = horizontalScrollBar();
    QScrollBar* v = verticalScrollBar();
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        if (ctrl || event->key() == Qt::Key_Plus) return zoomIn();
        break;
    case Qt::Key_Minus:
        return zoomOut();
    case Qt::Key_0:
        if (ctrl) return zoomToFit();
        break;
    case Qt::Key_Left:
        return h->setValue(h->value() - step);
    case Qt::Key_Right:
        return h->setValue(h->value() + step);
    case Qt::Key_Up:
        return v->setValue(v->value() - step);
    case Qt::Key_Down:
        return v->setValue(v->value() + step);
    default:
        break;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

void BlockMapCanvas::changeEvent(QEvent* event) {
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        applyPaletteColours();
        clearTiles();
        viewport()->update();
    }
}

} // namespace dms
