#pragma once
// A grid of small squares, one per item (cache block, discard block, origin region, era block),
// colored by a class byte per item through a palette. When there are more items than fit, each
// square stands for k consecutive items and shows the highest class among them (the palettes
// order classes so that the one worth seeing wins: a later era over an older, damage over the
// rest), or the blend of their colours.
// Rendered as an image of one pixel per square scaled up, so a million items draw at once.
// Clicking or hovering reports the first item of the square.

#include <QColor>
#include <QImage>
#include <QVector>
#include <QWidget>
#include <optional>
#include <vector>

namespace dms {

class CellGrid : public QWidget {
    Q_OBJECT
public:
    // Where a square stands for several items: the highest class wins, or the squares blend the
    // items' colours (so a share of dirty blocks reads as a share, not as all dirty).
    enum class Aggregate { Highest, Blend };

    explicit CellGrid(QWidget* parent = nullptr);
    void setAggregate(Aggregate a);

    void setCells(std::vector<std::uint8_t> classes, QVector<QColor> palette);
    void setPaletteColors(QVector<QColor> palette);
    void clear();
    // Draws a frame around the square holding item; nullopt: none.
    void setCurrentItem(std::optional<quint64> item);
    std::optional<quint64> currentItem() const { return current_; }

    quint64 itemCount() const { return classes_.size(); }
    quint64 itemsPerCell() const { return perCell_; }
    int cellSize() const { return cell_; }
    std::optional<quint64> itemAt(const QPoint& pos) const;
    QRect cellRect(quint64 item) const;
    // The class drawn for the square holding item (the highest of its items).
    int shownClass(quint64 item) const;

    QSize sizeHint() const override { return {480, 320}; }
    QSize minimumSizeHint() const override { return {120, 80}; }

signals:
    void itemClicked(quint64 item);
    void itemHovered(qint64 item); // -1: none

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void relayout();

    std::vector<std::uint8_t> classes_;
    QVector<QColor> palette_;
    std::vector<std::uint8_t> cellClasses_; // per square
    QImage image_;                          // one pixel per square
    int cols_ = 0;
    int cell_ = 1;
    quint64 perCell_ = 1;
    std::optional<quint64> current_;
    Aggregate aggregate_ = Aggregate::Highest;
};

} // namespace dms
