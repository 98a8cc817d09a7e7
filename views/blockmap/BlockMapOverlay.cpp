#include "views/blockmap/BlockMapOverlay.h"

#include <QPainter>
#include <ctime>

namespace dms::blockmap {
namespace {

QRgb blend(const QColor& a, const QColor& b, double t) {
    return qRgb(int(a.red() + (b.red() - a.red()) * t),
                int(a.green() + (b.green() - a.green()) * t),
                int(a.blue() + (b.blue() - a.blue()) * t));
}

} // namespace

BlockMapTileRenderer::Colours tileColours(const QPalette& palette) {
    BlockMapTileRenderer::Colours c;
    c.background = palette.color(QPalette::Window).rgb();
    c.grid = blend(palette.color(QPalette::Base), palette.color(QPalette::Text), 0.35);
    return c;
}

QRgb emptyColour(const QPalette& palette) {
    return blend(palette.color(QPalette::Base), palette.color(QPalette::Text), 0.12);
}

void paintSelection(QPainter& p, const QRectF& cell, const QPalette& palette, qreal dpr) {
    const double half = std::max(cell.width() / 2 + 2, 6.0 * dpr);
    const QPointF centre = cell.center();
    const QRectF box(centre.x() - half, centre.y() - half, 2 * half, 2 * half);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(palette.color(QPalette::Base), 4 * dpr));
    p.drawRect(box);
    p.setPen(QPen(palette.color(QPalette::Highlight), 2 * dpr));
    p.drawRect(box);
}

void paintMessage(QPainter& p, const QRect& area, const QString& text, const QPalette& palette) {
    p.setPen(palette.color(QPalette::PlaceholderText));
    p.drawText(area.adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, text);
}

void paintBadge(QPainter& p, const QString& text, const QPalette& palette) {
    const QRect box = p.fontMetrics()
                          .boundingRect(text)
                          .adjusted(-6, -3, 6, 3)
                          .translated(8 - p.fontMetrics().boundingRect(text).left() + 6,
                                      8 + p.fontMetrics().ascent() + 3);
    p.setPen(palette.color(QPalette::Mid));
    p.setBrush(palette.color(QPalette::ToolTipBase));
    p.drawRect(box);
    p.setPen(palette.color(QPalette::ToolTipText));
    p.drawText(box, Qt::AlignCenter, text);
}

double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

} // namespace dms::blockmap
