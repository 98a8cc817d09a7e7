#include "views/blockmap/BlockMapCanvas.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QPainter>
#include <QPromise>
#include <QScrollBar>
#include <QThreadPool>
#include <QTimer>
#include <QToolTip>

namespace dms {
namespace {

constexpr int kTile = BlockMapTileRenderer::kTileSize;
constexpr int kTileCacheKiB = 40 * 1024; // 160 tiles: two 4K screens' worth

quint64 tileKey(int zoom, int tx, int ty) {
    return (quint64(zoom + 64) << 48) | (quint64(tx) << 24) | quint64(ty);
}

QRgb blend(const QColor& a, const QColor& b, double t) {
    return qRgb(int(a.red() + (b.red() - a.red()) * t),
                int(a.green() + (b.green() - a.green()) * t),
                int(a.blue() + (b.blue() - a.blue()) * t));
}

} // namespace

BlockMapCanvas::BlockMapCanvas(QWidget* parent)
    : QAbstractScrollArea(parent), cancel_(std::make_shared<std::atomic<bool>>(false)),
      progress_(std::make_shared<std::atomic<int>>(0)), progressTimer_(new QTimer(this)) {
    tiles_.setMaxCost(kTileCacheKiB);
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    horizontalScrollBar()->setSingleStep(32);
    verticalScrollBar()->setSingleStep(32);
    progressTimer_->setInterval(100);
    connect(progressTimer_, &QTimer::timeout, viewport(), [this] { viewport()->update(); });
    connect(&watcher_, &QFutureWatcher<std::shared_ptr<BlockMapPyramid>>::finished, this, [this] {
        if (!watcher_.isFinished() || watcher_.future().resultCount() == 0) return;
        auto built = watcher_.result();
        progressTimer_->stop();
        if (!built || built->classCount() != (source_ ? source_->classCount() : 0)) return;
        pyramid_ = std::move(built);
        clearTiles();
        viewport()->update();
        emit ready();
    });
    applyPaletteColours();
}

BlockMapCanvas::~BlockMapCanvas() {
    cancel_->store(true);
}

qreal BlockMapCanvas::dpr() const {
    return viewport()->devicePixelRatioF();
}

void BlockMapCanvas::showMessage(const QString& message) {
    cancel_->store(true);
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
    cancel_->store(true);
    source_ = std::move(source);
    scheme_ = std::move(scheme);
    message_.clear();
    applyPaletteColours();
    layout_ = BlockMapLayout(layout, source_->blockCount());
    pyramid_.reset();
    clearTiles();
    zoom_ = fitZoom();
    updateScrollBars();
    startPyramidBuild();
    if (highlight_ && *highlight_ < layout_.blocks()) centreOn(*highlight_);
    viewport()->update();
    emit zoomChanged(zoom_);
}

void BlockMapCanvas::setLayoutKind(BlockMapLayout::Kind kind) {
    if (!source_ || kind == layout_.kind()) return;
    setSource(source_, scheme_, kind);
}

void BlockMapCanvas::startPyramidBuild() {
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    progress_ = std::make_shared<std::atomic<int>>(0);
    auto promise = std::make_shared<QPromise<std::shared_ptr<BlockMapPyramid>>>();
    watcher_.setFuture(promise->future());
    promise->start();
    QThreadPool::globalInstance()->start(
        [promise, source = source_, layout = layout_, cancel = cancel_, progress = progress_] {
            auto built = BlockMapPyramid::build(
                *source, layout, BlockMapPyramid::baseLevelFor(layout.blocks()),
                [&](std::uint64_t done, std::uint64_t total) {
                    progress->store(total ? static_cast<int>(done * 1000 / total) : 1000);
                    return !cancel->load();
                });
            promise->addResult(built && !cancel->load()
                                   ? std::make_shared<BlockMapPyramid>(std::move(*built))
                                   : nullptr);
            promise->finish();
        });
    progressTimer_->start();
}

void BlockMapCanvas::clearTiles() {
    tiles_.clear();
    pending_ = false;
}

void BlockMapCanvas::applyPaletteColours() {
    const QPalette& pal = palette();
    colours_.background = pal.color(QPalette::Window).rgb();
    colours_.grid = blend(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.35);
    if (scheme_.classCount() > 0)
        scheme_.setEmptyColour(blend(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.12));
}

int BlockMapCanvas::fitZoom() const {
    const QSize view = viewport()->size() * dpr();
    int z = kMaxZoom;
    while (z > minZoom()) {
        const std::uint64_t w = z >= 0 ? std::uint64_t(layout_.width()) << z
                                       : layout_.levelWidth(static_cast<unsigned>(-z));
        const std::uint64_t h = z >= 0 ? std::uint64_t(layout_.height()) << z
                                       : layout_.levelHeight(static_cast<unsigned>(-z));
        if (w <= std::uint64_t(std::max(1, view.width())) &&
            h <= std::uint64_t(std::max(1, view.height())))
            break;
        --z;
    }
    return z;
}

QSize BlockMapCanvas::mapDeviceSize() const {
    if (!source_) return {0, 0};
    if (zoom_ >= 0)
        return {static_cast<int>(layout_.width()) << zoom_, static_cast<int>(layout_.height())
                                                                << zoom_};
    const auto k = static_cast<unsigned>(-zoom_);
    return {static_cast<int>(layout_.levelWidth(k)), static_cast<int>(layout_.levelHeight(k))};
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

void BlockMapCanvas::setZoom(int zoom, std::optional<QPoint> anchor) {
    if (!source_) return;
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

const QImage* BlockMapCanvas::tile(int zoom, int tx, int ty, bool mayRender) {
    const quint64 key = tileKey(zoom, tx, ty);
    if (const QImage* img = tiles_.object(key)) return img;
    if (!mayRender) return nullptr;
    BlockMapTileRenderer renderer(*source_, layout_, pyramid_.get(), scheme_);
    if (!renderer.canRender(zoom)) return nullptr;
    auto* img = new QImage(renderer.renderTile(zoom, tx, ty, colours_));
    tiles_.insert(key, img, kTile * kTile * 4 / 1024);
    return tiles_.object(key);
}

void BlockMapCanvas::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), QColor::fromRgb(colours_.background));
    if (!source_) {
        paintMessage(p, message_);
        return;
    }
    {
        BlockMapTileRenderer renderer(*source_, layout_, pyramid_.get(), scheme_);
        if (!renderer.canRender(zoom_)) {
            paintMessage(p, tr("Summarising %1 blocks... %2%")
                                .arg(layout_.blocks())
                                .arg(progress_->load() / 10.0, 0, 'f', 1));
            return;
        }
    }
    QElapsedTimer clock;
    clock.start();
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
    bool renderedOne = false;
    for (int ty = y0 / kTile; ty * kTile < y1; ++ty)
        for (int tx = x0 / kTile; tx * kTile < x1; ++tx) {
            const QPoint at(origin.x() + tx * kTile, origin.y() + ty * kTile);
            // At least one new tile a frame, more while the budget lasts.
            const bool mayRender = !renderedOne || clock.elapsed() < budgetMs_;
            const bool cached = tiles_.contains(tileKey(zoom_, tx, ty));
            if (const QImage* img = tile(zoom_, tx, ty, mayRender)) {
                renderedOne = renderedOne || !cached;
                p.drawImage(at, *img);
                continue;
            }
            pending_ = true;
            // Meanwhile the coarser level's tile, scaled up, if it is cached.
            if (const QImage* coarse = tile(zoom_ - 1, tx / 2, ty / 2, false))
                p.drawImage(
                    QRect(at, QSize(kTile, kTile)), *coarse,
                    QRect((tx % 2) * kTile / 2, (ty % 2) * kTile / 2, kTile / 2, kTile / 2));
        }
    // Cells past the map's edge inside the last tiles are background, not another colour.
    p.fillRect(QRect(origin.x() + map.width(), 0, view.width(), view.height()),
               QColor::fromRgb(colours_.background));
    p.fillRect(QRect(0, origin.y() + map.height(), view.width(), view.height()),
               QColor::fromRgb(colours_.background));
    paintHighlight(p);
    p.restore();
    if (pending_) QTimer::singleShot(0, viewport(), [this] { viewport()->update(); });
}

void BlockMapCanvas::paintHighlight(QPainter& p) {
    if (!highlight_ || *highlight_ >= layout_.blocks()) return;
    const GridCell c = layout_.cellOf(*highlight_);
    const QPoint origin = mapOrigin();
    const double scale = std::ldexp(1.0, zoom_);
    const double size = std::max(scale, 1.0);
    const QPointF centre(origin.x() + c.x * scale + size / 2, origin.y() + c.y * scale + size / 2);
    // Never smaller than 12 device pixels, so the selection can be found when zoomed out.
    const double half = std::max(size / 2 + 2, 6.0 * dpr());
    const QRectF box(centre.x() - half, centre.y() - half, 2 * half, 2 * half);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(palette().color(QPalette::Base), 4 * dpr()));
    p.drawRect(box);
    p.setPen(QPen(palette().color(QPalette::Highlight), 2 * dpr()));
    p.drawRect(box);
}

void BlockMapCanvas::paintMessage(QPainter& p, const QString& text) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(viewport()->rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
               text);
}

void BlockMapCanvas::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
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
