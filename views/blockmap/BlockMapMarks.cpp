#include "views/blockmap/BlockMapMarks.h"

#include <QPainter>
#include <cmath>

namespace dms::blockmap {
namespace {

// A mark never shrinks below this many logical pixels, so one changed block among millions
// can still be seen zoomed far out.
constexpr double kMinMarkPx = 7.0;
// More boxes than this in one frame are drawn plain.
constexpr std::size_t kMaxStyledBoxes = 1500;

// Outline kinds draw on the cell's edge, freed blocks are hatched inside it, so a block that was
// shadowed and then freed shows both.
void paintOutline(QPainter& p, BlockMapMarks::Kind kind, const QRectF& box, double width) {
    QPen pen(markColour(kind), width,
             kind == BlockMapMarks::Shadowed ? Qt::DashLine : Qt::SolidLine);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawRect(box);
}

void paintHatch(QPainter& p, const QRectF& box, double width) {
    const QColor c = markColour(BlockMapMarks::Freed);
    p.setPen(QPen(c, std::max(1.0, width / 2)));
    p.setBrush(QBrush(c, Qt::BDiagPattern));
    p.drawRect(box);
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
        return QColor(0xd5, 0x00, 0xf9);
    case BlockMapMarks::Allocated:
        return QColor(0x00, 0xc8, 0x53);
    default:
        return QColor(0xff, 0x17, 0x44);
    }
}

QPixmap markSwatch(BlockMapMarks::Kind kind, const QColor& cellColour, qreal dpr) {
    const int side = 12;
    QPixmap pm(QSize(side, side) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(cellColour);
    QPainter p(&pm);
    if (kind == BlockMapMarks::Freed)
        paintHatch(p, QRectF(2.5, 2.5, side - 5, side - 5), 1.2);
    else
        paintOutline(p, kind, QRectF(1, 1, side - 2, side - 2), 1.5);
    return pm;
}

void paintMarks(QPainter& p, const BlockMapMarks& marks, const BlockMapLayout& layout, int zoom,
                QPoint origin, QSize view, qreal dpr, const QColor& halo) {
    if (marks.empty()) return;
    if (!marks.placed || marks.placed->layout != layout.kind() ||
        marks.placed->layoutBlocks != layout.blocks()) {
        auto placed = std::make_shared<BlockMapMarks::Placed>();
        placed->layout = layout.kind();
        placed->layoutBlocks = layout.blocks();
        for (int k = 0; k < BlockMapMarks::KindCount; ++k)
            for (std::uint64_t b : marks.blocks[k])
                if (b < layout.blocks()) placed->cells[k].push_back(layout.cellOf(b));
        marks.placed = std::move(placed);
    }
    const unsigned level = zoom >= 0 ? 0 : static_cast<unsigned>(-zoom);
    const double cellPx = zoom >= 0 ? std::ldexp(1.0, zoom) : 1.0;
    const double side = std::max(cellPx, kMinMarkPx * dpr);
    const double width = std::max(1.0, std::min(2.0 * dpr, cellPx / 6));
    // One box per screen square of a mark's size: zoomed out, marks that would overlap are
    // drawn once, so a frame draws at most as many boxes as fit the viewport.
    const int gridW = int(view.width() / side) + 3, gridH = int(view.height() / side) + 3;
    std::vector<QRectF> boxes[BlockMapMarks::KindCount];
    std::size_t total = 0;
    for (int k = 0; k < BlockMapMarks::KindCount; ++k) {
        std::vector<bool> taken(std::size_t(gridW) * std::size_t(gridH), false);
        for (const GridCell& c : marks.placed->cells[k]) {
            const double cx = origin.x() + ((c.x >> level) + 0.5) * cellPx;
            const double cy = origin.y() + ((c.y >> level) + 0.5) * cellPx;
            const int gx = int(std::floor(cx / side)) + 1, gy = int(std::floor(cy / side)) + 1;
            if (gx < 0 || gy < 0 || gx >= gridW || gy >= gridH) continue;
            const std::size_t slot = std::size_t(gy) * std::size_t(gridW) + std::size_t(gx);
            if (taken[slot]) continue;
            taken[slot] = true;
            const double h = side / 2 - width / 2;
            boxes[k].emplace_back(cx - h, cy - h, 2 * h, 2 * h);
        }
        total += boxes[k].size();
    }
    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    if (total > kMaxStyledBoxes) {
        // Thousands of marks: plain squares in the kinds' colours (styled outlines and hatches
        // would cost tens of milliseconds a frame).
        for (int k : {BlockMapMarks::Freed, BlockMapMarks::Allocated, BlockMapMarks::Shadowed})
            for (const QRectF& box : boxes[k])
                p.fillRect(box, markColour(static_cast<BlockMapMarks::Kind>(k)));
        p.restore();
        return;
    }
    p.setPen(QPen(halo, width * 2.5));
    p.setBrush(Qt::NoBrush);
    for (int k : {BlockMapMarks::Shadowed, BlockMapMarks::Allocated})
        for (const QRectF& box : boxes[k])
            p.drawRect(box);
    const double inset = 1.5 * width;
    for (const QRectF& box : boxes[BlockMapMarks::Freed])
        paintHatch(p, box.adjusted(inset, inset, -inset, -inset), width);
    for (int k : {BlockMapMarks::Allocated, BlockMapMarks::Shadowed})
        for (const QRectF& box : boxes[k])
            paintOutline(p, static_cast<BlockMapMarks::Kind>(k), box, width);
    p.restore();
}

} // namespace dms::blockmap
