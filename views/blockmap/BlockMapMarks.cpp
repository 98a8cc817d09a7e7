#include "views/blockmap/BlockMapMarks.h"

#include <QPainter>
#include <cmath>
#include <unordered_set>

namespace dms::blockmap {
namespace {

// A mark never shrinks below this many logical pixels, so one changed block among millions
// can still be seen zoomed far out.
constexpr double kMinMarkPx = 7.0;

void paintOne(QPainter& p, BlockMapMarks::Kind kind, const QRectF& box, double width) {
    const QColor c = markColour(kind);
    switch (kind) {
    case BlockMapMarks::Freed: {
        QBrush hatch(c, Qt::BDiagPattern);
        p.setPen(QPen(c, width));
        p.setBrush(hatch);
        p.drawRect(box);
        break;
    }
    case BlockMapMarks::Shadowed: {
        QPen pen(c, width, Qt::DashLine);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawRect(box);
        break;
    }
    default:
        p.setPen(QPen(c, width));
        p.setBrush(Qt::NoBrush);
        p.drawRect(box);
        break;
    }
}

} // namespace

const char* markName(BlockMapMarks::Kind kind) {
    switch (kind) {
    case BlockMapMarks::Shadowed:
        return "shadowed";
    case BlockMapMarks::Allocated:
        return "allocated";
    default:
        return "freed";
    }
}

QColor markColour(BlockMapMarks::Kind kind) {
    // Saturated colours that none of the schemes uses for whole classes, readable on light and
    // dark palettes alike.
    switch (kind) {
    case BlockMapMarks::Shadowed:
        return QColor(0xff, 0x8f, 0x00);
    case BlockMapMarks::Allocated:
        return QColor(0x00, 0xc8, 0x53);
    default:
        return QColor(0xe5, 0x39, 0x35);
    }
}

QPixmap markSwatch(BlockMapMarks::Kind kind, const QColor& cellColour, qreal dpr) {
    const int side = 12;
    QPixmap pm(QSize(side, side) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(cellColour);
    QPainter p(&pm);
    paintOne(p, kind, QRectF(1, 1, side - 2, side - 2), 1.5);
    return pm;
}

void paintMarks(QPainter& p, const BlockMapMarks& marks, const BlockMapLayout& layout, int zoom,
                QPoint origin, QSize view, qreal dpr) {
    if (marks.empty()) return;
    const unsigned level = zoom >= 0 ? 0 : static_cast<unsigned>(-zoom);
    const double cellPx = zoom >= 0 ? std::ldexp(1.0, zoom) : 1.0;
    const double side = std::max(cellPx, kMinMarkPx * dpr);
    const double width = std::max(1.0, std::min(2.0 * dpr, cellPx / 4));
    const QRectF visible(-side, -side, view.width() + 2 * side, view.height() + 2 * side);
    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    for (int k : {BlockMapMarks::Freed, BlockMapMarks::Allocated, BlockMapMarks::Shadowed}) {
        const auto kind = static_cast<BlockMapMarks::Kind>(k);
        // Zoomed out, many marks share a cell: each cell is drawn once.
        std::unordered_set<std::uint64_t> drawn;
        for (std::uint64_t b : marks.blocks[k]) {
            if (b >= layout.blocks()) break;
            const GridCell c = layout.cellOf(b);
            const std::uint32_t x = c.x >> level, y = c.y >> level;
            if (level > 0 && !drawn.insert((std::uint64_t(y) << 32) | x).second) continue;
            const QPointF centre(origin.x() + (x + 0.5) * cellPx, origin.y() + (y + 0.5) * cellPx);
            if (!visible.contains(centre)) continue;
            const QRectF box(centre.x() - side / 2, centre.y() - side / 2, side, side);
            paintOne(p, kind, box.adjusted(width / 2, width / 2, -width / 2, -width / 2), width);
        }
    }
    p.restore();
}

} // namespace dms::blockmap
