#include "views/edit/RingBufferView.h"

#include "models/edit/RingBufferModel.h"

#include "core/spacemap/BlockOpRing.h"

#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QtMath>

namespace dms {
namespace {

constexpr double kSlots = BlockOpRing::kSlots;
const QColor kInc(0x3c, 0xa0, 0x50);
const QColor kDec(0xd0, 0x50, 0x48);

} // namespace

RingBufferView::RingBufferView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
}

void RingBufferView::setModel(RingBufferModel* model) {
    if (model_) disconnect(model_, nullptr, this, nullptr);
    model_ = model;
    if (model_) connect(model_, &RingBufferModel::ringChanged, this, qOverload<>(&QWidget::update));
    update();
}

QRectF RingBufferView::ringRect() const {
    const double h = height() - kStrip;
    const double side = std::max(40.0, std::min<double>(width(), h) - 70.0);
    return {(width() - side) / 2.0, (h - side) / 2.0, side, side};
}

void RingBufferView::paintStrip(QPainter& p) {
    // The slots around the begin cursor, magnified: each with its number and op.
    const double box = 58, gap = 2;
    const int n = std::max(1, int((width() - 8) / (box + gap)));
    const std::uint32_t begin = model_->beginCursor(), end = model_->endCursor();
    const int first = (int(begin) - 2 + int(kSlots)) % int(kSlots);
    const double top = height() - kStrip + 8;
    const double left = (width() - n * (box + gap) + gap) / 2;
    const QPalette pal = palette();
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p.setFont(small);
    for (int k = 0; k < n; ++k) {
        const int s = (first + k) % int(kSlots);
        const QRectF r(left + k * (box + gap), top, box, 30);
        const QModelIndex i = model_->index(s);
        const bool queued = i.data(RingBufferModel::QueuedRole).toBool();
        QColor fill = pal.color(QPalette::Base);
        if (queued) fill = i.data(RingBufferModel::IsDecRole).toBool() ? kDec : kInc;
        p.setPen(pal.color(QPalette::Mid));
        p.setBrush(fill);
        p.drawRect(r);
        QColor faint = pal.color(QPalette::WindowText);
        faint.setAlphaF(0.55f);
        p.setPen(queued ? QColor(Qt::white) : faint);
        p.drawText(r, Qt::AlignCenter, queued ? model_->slotLabel(s) : QString::number(s));
        p.setPen(pal.color(QPalette::WindowText));
        QString mark;
        if (std::uint32_t(s) == begin) mark = tr("begin");
        if (std::uint32_t(s) == end) mark += mark.isEmpty() ? tr("end") : tr("=end");
        if (!mark.isEmpty()) {
            const QRectF below(r.left() - 6, r.bottom() + 2, r.width() + 12, 16);
            p.drawText(below, Qt::AlignHCenter | Qt::AlignTop, QStringLiteral("▲ ") + mark);
        } else if (queued) {
            p.drawText(QRectF(r.left(), r.bottom() + 2, r.width(), 16),
                       Qt::AlignHCenter | Qt::AlignTop, QString::number(s));
        }
    }
    p.setFont(font());
}

double RingBufferView::slotAngle(double slot) {
    // Slot 0 at 12 o'clock, clockwise.
    return 90.0 - slot * 360.0 / kSlots;
}

int RingBufferView::slotAt(const QPointF& p) const {
    const QRectF r = ringRect();
    const QPointF d = p - r.center();
    const double dist = std::hypot(d.x(), d.y());
    if (dist < r.width() / 2 * 0.70 || dist > r.width() / 2 + 12) return -1;
    double deg = qRadiansToDegrees(std::atan2(-d.y(), d.x())); // ccw from 3 o'clock
    double fromTop = 90.0 - deg;                               // clockwise from 12 o'clock
    while (fromTop < 0)
        fromTop += 360.0;
    while (fromTop >= 360.0)
        fromTop -= 360.0;
    return std::min(int(fromTop / 360.0 * kSlots), int(kSlots) - 1);
}

bool RingBufferView::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip && model_) {
        auto* h = static_cast<QHelpEvent*>(e);
        const int slot = slotAt(h->pos());
        if (slot >= 0)
            QToolTip::showText(h->globalPos(), model_->index(slot).data(Qt::ToolTipRole).toString(),
                               this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(e);
}

void RingBufferView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Window));
    const QRectF outer = ringRect();
    const double thick = outer.width() * 0.12;
    const QRectF mid = outer.adjusted(thick / 2, thick / 2, -thick / 2, -thick / 2);

    // The empty ring.
    QColor track = pal.color(QPalette::Mid);
    track.setAlpha(110);
    p.setPen(QPen(track, thick, Qt::SolidLine, Qt::FlatCap));
    p.drawArc(mid, 0, 360 * 16);

    if (!model_) return;
    const std::uint32_t begin = model_->beginCursor(), end = model_->endCursor();
    // Queued slots: at least 1.2 degrees wide so that one op is visible on a 1025-slot ring.
    const double span = std::max(360.0 / kSlots, 2.5);
    QStringList queued;
    for (int s = 0; s < int(kSlots); ++s) {
        const QModelIndex i = model_->index(s);
        if (!i.data(RingBufferModel::QueuedRole).toBool()) continue;
        const bool dec = i.data(RingBufferModel::IsDecRole).toBool();
        p.setPen(QPen(dec ? kDec : kInc, thick * 1.25, Qt::SolidLine, Qt::FlatCap));
        p.drawArc(mid, int((slotAngle(s) - span) * 16), int(span * 16));
        queued << QStringLiteral("%1: %2").arg(s).arg(model_->slotLabel(s));
    }

    // Cursors, outside the ring.
    auto marker = [&](std::uint32_t slot, const QString& label, const QColor& c, double out,
                      double shift) {
        const double a = qDegreesToRadians(slotAngle(slot));
        const QPointF center = outer.center();
        const double r0 = outer.width() / 2 - thick, r1 = outer.width() / 2 + out;
        const QPointF from(center.x() + r0 * std::cos(a), center.y() - r0 * std::sin(a));
        const QPointF to(center.x() + r1 * std::cos(a), center.y() - r1 * std::sin(a));
        p.setPen(QPen(c, 2));
        p.drawLine(from, to);
        const QPointF text(center.x() + (r1 + 4) * std::cos(a),
                           center.y() - (r1 + 4) * std::sin(a));
        const QRectF box(text.x() - 40, text.y() - 9, 80, 18);
        p.drawText(box.translated(std::cos(a) * 30 + shift, -std::sin(a) * 8), Qt::AlignCenter,
                   label);
    };
    const QColor text = pal.color(QPalette::WindowText);
    QColor accent = pal.color(QPalette::Highlight);
    if (begin == end) {
        marker(begin, tr("begin = end %1").arg(begin), text, 14, 0);
    } else {
        // Close cursors: labels pushed apart sideways.
        const bool close = (end + BlockOpRing::kSlots - begin) % BlockOpRing::kSlots < 40;
        marker(begin, tr("begin %1").arg(begin), text, 10, close ? -34 : 0);
        marker(end, tr("end %1").arg(end), accent, 10, close ? 34 : 0);
    }

    // Fill level and the queued ops in the middle.
    p.setPen(text);
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    const QRectF inner = outer.adjusted(thick * 1.6, thick * 1.6, -thick * 1.6, -thick * 1.6);
    p.setFont(big);
    const QRectF head(inner.left(), inner.top() + inner.height() * 0.12, inner.width(), 28);
    p.drawText(head, Qt::AlignCenter,
               tr("%1 / %2 queued").arg(model_->fill()).arg(BlockOpRing::kMaxOps));
    p.setFont(font());
    const int shown = std::min<int>(int(queued.size()), 8);
    QStringList lines = queued.mid(0, shown);
    if (queued.size() > shown) lines << tr("… %1 more").arg(queued.size() - shown);
    if (queued.isEmpty()) lines << tr("ring empty");
    p.drawText(
        QRectF(inner.left(), head.bottom() + 4, inner.width(), inner.bottom() - head.bottom()),
        Qt::AlignHCenter | Qt::AlignTop, lines.join(QLatin1Char('\n')));
    paintStrip(p);
}

} // namespace dms
