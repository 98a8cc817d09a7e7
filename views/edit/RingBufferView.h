#pragma once
// The metadata space map's block-op ring buffer drawn as a ring of its 1025 slots: queued ops
// (INC green, DEC red) between the begin and end cursors, the cursors marked outside the ring, the
// fill level and the queued ops listed in the middle, and a magnified strip of the slots around
// the begin cursor, each labelled with its op; hovering a slot of the ring names its op.

#include <QWidget>

class QPainter;

namespace dms {

class RingBufferModel;

class RingBufferView : public QWidget {
    Q_OBJECT
public:
    explicit RingBufferView(QWidget* parent = nullptr);

    void setModel(RingBufferModel* model);
    // The slot under a point of the widget, or -1.
    int slotAt(const QPointF& p) const;
    // Where the ring is drawn (its outer bounds).
    QRectF ringRect() const;
    QSize sizeHint() const override { return {380, 440}; }
    // Below this the labels inside the ring no longer fit.
    QSize minimumSizeHint() const override { return {300, 330}; }

protected:
    void paintEvent(QPaintEvent*) override;
    bool event(QEvent* e) override;

private:
    static constexpr double kStrip = 64; // the magnified slots under the ring
    void paintStrip(QPainter& p);
    static double slotAngle(double slot); // degrees, Qt convention (0 = 3 o'clock, ccw)

    RingBufferModel* model_ = nullptr;
};

} // namespace dms
