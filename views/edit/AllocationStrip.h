#pragma once
// The metadata device as one horizontal strip with a tick at each block an edit handed out
// (allocated, blue; those the other policy did not choose are drawn full height in a stronger
// colour) and at each block it freed (orange). Hover names the block; a click emits the nearest
// marked block, those only this policy chose first (or the one under the pointer).

#include <QWidget>
#include <cstdint>
#include <vector>

namespace dms {

class AllocationStrip : public QWidget {
    Q_OBJECT
public:
    explicit AllocationStrip(QWidget* parent = nullptr);

    // `unique`: allocated blocks to stand out (chosen only under this policy).
    void setBlocks(std::uint64_t deviceBlocks, std::vector<std::uint64_t> allocated,
                   std::vector<std::uint64_t> freed, std::vector<std::uint64_t> unique);
    // The block under x (widget coordinates), or -1.
    std::int64_t blockAt(int x) const;
    // Where block b is drawn (widget x).
    int xOfBlock(std::uint64_t b) const { return int(xOf(b)); }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return {120, sizeHint().height()}; }

signals:
    void blockClicked(std::uint64_t block);

protected:
    void paintEvent(QPaintEvent*) override;
    bool event(QEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;

private:
    double xOf(std::uint64_t b) const;
    QRectF barRect() const;

    std::uint64_t blocks_ = 0;
    std::vector<std::uint64_t> allocated_, freed_, unique_;
};

} // namespace dms
