#pragma once
// A 4 KiB block as hex: offset column, 16 bytes per row (a gap after 8) and their ASCII, drawn
// by hand (256 rows, no item views). Each decoded field's bytes get a background tinted by what
// the field is (header, key, value, payload; alternate shades tell neighbours apart) over the
// palette's base colour, so dark themes keep their contrast. One field can be highlighted (the
// palette's highlight); hovering a byte names its field in a tooltip and through hoveredField().

#include "core/inspect/BlockLayout.h"

#include <QAbstractScrollArea>
#include <QByteArray>

namespace dms {

class HexView : public QAbstractScrollArea {
    Q_OBJECT
public:
    static constexpr int kBytesPerRow = 16;

    explicit HexView(QWidget* parent = nullptr);

    // bytes: the block (4096 bytes, or empty for none); layout: its fields (may have none).
    void setBlock(const QByteArray& bytes, const BlockLayout& layout);
    void clear();

    // Highlights field i of the layout (-1: none) and scrolls it into view.
    void setHighlightedField(int field);
    int highlightedField() const { return highlighted_; }
    int hoveredField() const { return hovered_; }

    // Byte offset under a viewport point, or -1.
    int offsetAt(const QPoint& viewportPos) const;
    // Viewport rectangle of the hex cell of byte `offset` (scrolled into view first if asked).
    QRect byteRect(int offset) const;
    // The background tint of field i (for the field list, so both views agree).
    QColor fieldColor(int field) const;

    QSize sizeHint() const override;

signals:
    void fieldClicked(int field);
    void hoveredFieldChanged(int field);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    int rowCount() const { return int(bytes_.size() + kBytesPerRow - 1) / kBytesPerRow; }
    int lineHeight() const;
    int charWidth() const;
    int hexX(int column) const;   // x of the hex cell of column 0..15
    int asciiX(int column) const; // x of the ASCII cell
    void updateScrollBars();
    void setHovered(int field);

    QByteArray bytes_;
    BlockLayout layout_;
    int highlighted_ = -1;
    int hovered_ = -1;
};

} // namespace dms
