#include "views/edit/AllocationStrip.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace dms {
namespace {

const QColor kAllocated(0x3a, 0x7b, 0xd5);
const QColor kUnique(0x9b, 0x3d, 0xd8);
const QColor kFreed(0xe0, 0x8a, 0x1e);
constexpr int kMargin = 2;

} // namespace

AllocationStrip::AllocationStrip(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void AllocationStrip::setBlocks(std::uint64_t deviceBlocks, std::vector<std::uint64_t> allocated,
                                std::vector<std::uint64_t> freed,
                                std::vector<std::uint64_t> unique) {
    blocks_ = deviceBlocks;
    allocated_ = std::move(allocated);
    freed_ = std::move(freed);
    unique_ = std::move(unique);
    std::sort(unique_.begin(), unique_.end());
    update();
}

QSize AllocationStrip::sizeHint() const {
    return {360, 26 + fontMetrics().height() + 2};
}

QRectF AllocationStrip::barRect() const {
    return {double(kMargin), double(kMargin), double(width() - 2 * kMargin), 24.0};
}

double AllocationStrip::xOf(std::uint64_t b) const {
    const double w = width() - 2 * kMargin;
    return kMargin + (blocks_ ? w * (double(b) + 0.5) / double(blocks_) : 0);
}

std::int64_t AllocationStrip::blockAt(int x) const {
    const double w = width() - 2 * kMargin;
    if (blocks_ == 0 || w <= 0 || x < kMargin || x >= width() - kMargin) return -1;
    return std::min<std::int64_t>(std::int64_t(blocks_) - 1,
                                  std::int64_t((x - kMargin) * double(blocks_) / w));
}

void AllocationStrip::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QPalette pal = palette();
    const QRectF bar = barRect();
    p.fillRect(bar, pal.color(QPalette::Base));
    p.setPen(pal.color(QPalette::Mid));
    p.drawRect(bar.adjusted(-0.5, -0.5, 0.5, 0.5));
    if (blocks_ == 0) return;
    // The ends of the device under the bar.
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p.setFont(small);
    p.setPen(pal.color(QPalette::WindowText));
    const QRectF under(bar.left(), bar.bottom() + 1, bar.width(), height() - bar.bottom() - 1);
    p.drawText(under, Qt::AlignLeft | Qt::AlignTop, QStringLiteral("0"));
    p.drawText(under, Qt::AlignRight | Qt::AlignTop, QString::number(blocks_ - 1));
    p.drawText(under, Qt::AlignHCenter | Qt::AlignTop, tr("metadata blocks"));
    // Ticks at least two pixels wide, so single blocks show on a large device.
    const double tick = std::max(2.0, bar.width() / double(blocks_));
    const double half = bar.height() / 2;
    for (std::uint64_t b : freed_)
        p.fillRect(QRectF(xOf(b) - tick / 2, bar.top() + half, tick, half), kFreed);
    for (std::uint64_t b : allocated_) {
        const bool unique = std::binary_search(unique_.begin(), unique_.end(), b);
        p.fillRect(QRectF(xOf(b) - tick / 2, bar.top(), tick, unique ? bar.height() : half),
                   unique ? kUnique : kAllocated);
    }
}

bool AllocationStrip::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const std::int64_t b = blockAt(help->pos().x());
        if (b < 0) {
            QToolTip::hideText();
            return true;
        }
        const auto ub = std::uint64_t(b);
        QString what;
        if (std::find(allocated_.begin(), allocated_.end(), ub) != allocated_.end())
            what = std::binary_search(unique_.begin(), unique_.end(), ub)
                       ? tr(": allocated (only under this policy)")
                       : tr(": allocated");
        else if (std::find(freed_.begin(), freed_.end(), ub) != freed_.end())
            what = tr(": freed");
        QToolTip::showText(help->globalPos(), tr("block %1%2").arg(b).arg(what), this);
        return true;
    }
    return QWidget::event(e);
}

void AllocationStrip::mousePressEvent(QMouseEvent* e) {
    // The nearest marked block within a few pixels (a pixel spans many blocks), those only this
    // policy chose first; else the block under the pointer.
    const double x = e->position().x();
    std::int64_t best = blockAt(int(x));
    for (const auto* list : {&unique_, &allocated_, &freed_}) {
        double bestDistance = 5;
        bool found = false;
        for (std::uint64_t b : *list)
            if (const double d = std::abs(xOf(b) - x); d < bestDistance) {
                bestDistance = d;
                best = std::int64_t(b);
                found = true;
            }
        if (found) break;
    }
    if (best >= 0) emit blockClicked(std::uint64_t(best));
}

} // namespace dms
