#include "views/common/CellGrid.h"

#include <QMouseEvent>
#include <QPainter>

namespace dms {
namespace {
constexpr int kMargin = 2;
constexpr int kMaxCell = 14;
constexpr int kMinCell = 2;
} // namespace

CellGrid::CellGrid(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void CellGrid::setCells(std::vector<std::uint8_t> classes, QVector<QColor> palette) {
    classes_ = std::move(classes);
    palette_ = std::move(palette);
    relayout();
}

void CellGrid::setAggregate(Aggregate a) {
    aggregate_ = a;
    relayout();
}

void CellGrid::setPaletteColors(QVector<QColor> palette) {
    palette_ = std::move(palette);
    relayout();
}

void CellGrid::clear() {
    classes_.clear();
    current_.reset();
    relayout();
}

void CellGrid::setCurrentItem(std::optional<quint64> item) {
    current_ = item;
    update();
}

void CellGrid::resizeEvent(QResizeEvent*) {
    relayout();
}

// Picks the largest square size at which every item has its own square; when even the smallest
// is too big, squares hold several items.
void CellGrid::relayout() {
    const quint64 n = classes_.size();
    const int w = std::max(1, width() - 2 * kMargin);
    const int h = std::max(1, height() - 2 * kMargin);
    cell_ = kMinCell;
    perCell_ = 1;
    for (int s = kMaxCell; s >= kMinCell; --s) {
        if (quint64(w / s) * quint64(h / s) >= n) {
            cell_ = s;
            break;
        }
    }
    cols_ = std::max(1, w / cell_);
    const quint64 fit = quint64(cols_) * quint64(std::max(1, h / cell_));
    if (n > fit) perCell_ = (n + fit - 1) / fit;
    const quint64 cells = (n + perCell_ - 1) / perCell_;
    cellClasses_.assign(cells, 0);
    for (quint64 i = 0; i < n; ++i) {
        std::uint8_t& c = cellClasses_[i / perCell_];
        c = std::max(c, classes_[i]);
    }
    const int rows = int((cells + quint64(cols_) - 1) / quint64(cols_));
    image_ = QImage(cols_, std::max(1, rows), QImage::Format_ARGB32_Premultiplied);
    image_.fill(Qt::transparent);
    auto colourOf = [this](int c) {
        return c < palette_.size() ? palette_[c].rgba() : QColor(Qt::magenta).rgba();
    };
    if (aggregate_ == Aggregate::Blend && perCell_ > 1) {
        for (quint64 cell = 0; cell < cells; ++cell) {
            const quint64 first = cell * perCell_;
            const quint64 last = std::min<quint64>(n, first + perCell_);
            quint64 r = 0, g = 0, b = 0;
            for (quint64 i = first; i < last; ++i) {
                const QRgb c = colourOf(classes_[i]);
                r += qRed(c);
                g += qGreen(c);
                b += qBlue(c);
            }
            const quint64 k = last - first;
            image_.setPixel(int(cell % quint64(cols_)), int(cell / quint64(cols_)),
                            qRgb(int(r / k), int(g / k), int(b / k)));
        }
    } else {
        for (quint64 i = 0; i < cells; ++i)
            image_.setPixel(int(i % quint64(cols_)), int(i / quint64(cols_)),
                            colourOf(cellClasses_[i]));
    }
    update();
}

std::optional<quint64> CellGrid::itemAt(const QPoint& pos) const {
    if (classes_.empty() || pos.x() < kMargin || pos.y() < kMargin) return std::nullopt;
    const int col = (pos.x() - kMargin) / cell_;
    const int row = (pos.y() - kMargin) / cell_;
    if (col >= cols_) return std::nullopt;
    const quint64 cellIndex = quint64(row) * quint64(cols_) + quint64(col);
    const quint64 item = cellIndex * perCell_;
    if (item >= classes_.size()) return std::nullopt;
    return item;
}

QRect CellGrid::cellRect(quint64 item) const {
    const quint64 cellIndex = item / perCell_;
    const int col = int(cellIndex % quint64(cols_));
    const int row = int(cellIndex / quint64(cols_));
    return {kMargin + col * cell_, kMargin + row * cell_, cell_, cell_};
}

int CellGrid::shownClass(quint64 item) const {
    const quint64 i = item / perCell_;
    return i < cellClasses_.size() ? cellClasses_[i] : -1;
}

void CellGrid::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (classes_.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Nothing to show"));
        return;
    }
    const QRect target(kMargin, kMargin, image_.width() * cell_, image_.height() * cell_);
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    p.drawImage(target, image_);
    if (cell_ >= 6) {
        // Gaps between squares, in the background color, so single blocks read as blocks.
        p.setPen(QPen(palette().color(QPalette::Base), 1));
        for (int c = 0; c <= image_.width(); ++c)
            p.drawLine(kMargin + c * cell_, kMargin, kMargin + c * cell_, target.bottom());
        for (int r = 0; r <= image_.height(); ++r)
            p.drawLine(kMargin, kMargin + r * cell_, target.right(), kMargin + r * cell_);
    }
    if (current_ && *current_ < classes_.size()) {
        p.setPen(QPen(palette().color(QPalette::Highlight), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(cellRect(*current_).adjusted(-1, -1, 1, 1));
    }
}

void CellGrid::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    if (auto item = itemAt(event->position().toPoint())) {
        current_ = *item;
        update();
        emit itemClicked(*item);
    }
}

void CellGrid::mouseMoveEvent(QMouseEvent* event) {
    const auto item = itemAt(event->position().toPoint());
    emit itemHovered(item ? qint64(*item) : -1);
}

void CellGrid::leaveEvent(QEvent*) {
    emit itemHovered(-1);
}

} // namespace dms
