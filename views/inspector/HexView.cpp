#include "views/inspector/HexView.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

namespace dms {

namespace {

constexpr int kMargin = 4;
constexpr int kOffsetChars = 6; // "0x0ff0"

// Hue per kind of field; keys and values in contrasting hues so key[i]/value[i] stand apart.
int partHue(BlockField::Part part) {
    switch (part) {
    case BlockField::Part::Header:
        return 210;
    case BlockField::Part::Key:
        return 35;
    case BlockField::Part::Value:
        return 130;
    case BlockField::Part::Payload:
        return 280;
    case BlockField::Part::Unused:
        return -1;
    }
    return -1;
}

} // namespace

HexView::HexView(QWidget* parent) : QAbstractScrollArea(parent) {
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    viewport()->setMouseTracking(true);
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setAutoFillBackground(true);
    setFocusPolicy(Qt::StrongFocus);
}

void HexView::setBlock(const QByteArray& bytes, const BlockLayout& layout) {
    bytes_ = bytes;
    layout_ = layout;
    highlighted_ = -1;
    hovered_ = -1;
    updateScrollBars();
    viewport()->update();
}

void HexView::clear() {
    setBlock({}, BlockLayout());
}

int HexView::lineHeight() const {
    return fontMetrics().height();
}

int HexView::charWidth() const {
    return fontMetrics().horizontalAdvance(QLatin1Char('0'));
}

int HexView::hexX(int column) const {
    const int cw = charWidth();
    return kMargin + (kOffsetChars + 2) * cw + column * 3 * cw + (column >= 8 ? cw : 0) -
           horizontalScrollBar()->value();
}

int HexView::asciiX(int column) const {
    return hexX(kBytesPerRow) + 2 * charWidth() + column * charWidth();
}

QSize HexView::sizeHint() const {
    const int w =
        kMargin * 2 + (kOffsetChars + 2 + 3 * kBytesPerRow + 1 + 2 + kBytesPerRow) * charWidth();
    return {w + verticalScrollBar()->sizeHint().width() + 2 * frameWidth(), 24 * lineHeight()};
}

void HexView::updateScrollBars() {
    const int visible = std::max(1, viewport()->height() / std::max(1, lineHeight()));
    verticalScrollBar()->setRange(0, std::max(0, rowCount() - visible));
    verticalScrollBar()->setPageStep(visible);
    const int full =
        sizeHint().width() - verticalScrollBar()->sizeHint().width() - 2 * frameWidth();
    horizontalScrollBar()->setRange(0, std::max(0, full - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
}

void HexView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void HexView::changeEvent(QEvent* event) {
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) {
        updateScrollBars();
        viewport()->update();
    }
}

QColor HexView::fieldColor(int field) const {
    if (field < 0 || std::size_t(field) >= layout_.fields().size()) return {};
    const BlockField& f = layout_.fields()[std::size_t(field)];
    const int hue = partHue(f.part);
    if (hue < 0) return {};
    const int parity = (f.slot >= 0 ? f.slot : field) & 1;
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    // Neighbours differ in hue and shade; light pastels on light bases, deep tints on dark ones,
    // so the text stays readable in both.
    const int h = (hue + (parity ? 18 : 0)) % 360;
    if (dark) return QColor::fromHsl(h, 120, parity ? 52 : 78);
    return QColor::fromHsl(h, 190, parity ? 196 : 224);
}

int HexView::offsetAt(const QPoint& p) const {
    if (bytes_.isEmpty()) return -1;
    const int row = verticalScrollBar()->value() + p.y() / std::max(1, lineHeight());
    if (row < 0 || row >= rowCount()) return -1;
    const int cw = charWidth();
    for (int c = 0; c < kBytesPerRow; ++c) {
        const int x = hexX(c);
        if ((p.x() >= x - cw / 2 && p.x() < x + 2 * cw + cw / 2) ||
            (p.x() >= asciiX(c) && p.x() < asciiX(c) + cw)) {
            const int off = row * kBytesPerRow + c;
            return off < bytes_.size() ? off : -1;
        }
    }
    return -1;
}

QRect HexView::byteRect(int offset) const {
    const int row = offset / kBytesPerRow - verticalScrollBar()->value();
    const int cw = charWidth();
    return {hexX(offset % kBytesPerRow) - cw / 2, row * lineHeight(), 3 * cw, lineHeight()};
}

void HexView::setHighlightedField(int field) {
    if (field >= int(layout_.fields().size())) field = -1;
    highlighted_ = field;
    if (field >= 0) {
        const BlockField& f = layout_.fields()[std::size_t(field)];
        const int firstRow = int(f.offset) / kBytesPerRow;
        const int lastRow = int(f.offset + f.size - 1) / kBytesPerRow;
        QScrollBar* sb = verticalScrollBar();
        if (firstRow < sb->value() || lastRow >= sb->value() + sb->pageStep())
            sb->setValue(std::max(0, firstRow - 2));
    }
    viewport()->update();
}

void HexView::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    const QPalette pal = palette();
    const int lh = lineHeight();
    const int cw = charWidth();
    const int ascent = fontMetrics().ascent();
    const int first = verticalScrollBar()->value();
    const int rows = viewport()->height() / std::max(1, lh) + 1;
    const QColor dim = pal.color(QPalette::PlaceholderText);
    const QColor text = pal.color(QPalette::Text);
    for (int r = first; r < std::min(rowCount(), first + rows); ++r) {
        const int y = (r - first) * lh;
        p.setPen(dim);
        p.drawText(kMargin - horizontalScrollBar()->value(), y + ascent,
                   QStringLiteral("0x%1").arg(r * kBytesPerRow, 4, 16, QLatin1Char('0')));
        for (int c = 0; c < kBytesPerRow; ++c) {
            const int off = r * kBytesPerRow + c;
            if (off >= bytes_.size()) break;
            const int field = layout_.fieldAt(std::uint32_t(off));
            const bool hi = field >= 0 && field == highlighted_;
            // Cells of one field join up: the background spans the gap unless the field ends.
            const bool joinsNext = c + 1 < kBytesPerRow && field >= 0 &&
                                   layout_.fieldAt(std::uint32_t(off + 1)) == field;
            const int gap = joinsNext ? (c == 7 ? 2 * cw : cw) : 0;
            QColor bg = hi ? pal.color(QPalette::Highlight) : fieldColor(field);
            if (bg.isValid()) {
                p.fillRect(QRect(hexX(c), y, 2 * cw + gap, lh), bg);
                p.fillRect(QRect(asciiX(c), y, cw, lh), bg);
            }
            const auto byte = static_cast<unsigned char>(bytes_[off]);
            p.setPen(hi ? pal.color(QPalette::HighlightedText) : (byte ? text : dim));
            p.drawText(hexX(c), y + ascent,
                       QStringLiteral("%1").arg(byte, 2, 16, QLatin1Char('0')));
            p.drawText(asciiX(c), y + ascent,
                       QString(QChar(byte >= 0x20 && byte < 0x7f ? char(byte) : '.')));
        }
    }
}

void HexView::setHovered(int field) {
    if (field == hovered_) return;
    hovered_ = field;
    emit hoveredFieldChanged(field);
}

void HexView::mouseMoveEvent(QMouseEvent* event) {
    const int off = offsetAt(event->position().toPoint());
    setHovered(off < 0 ? -1 : layout_.fieldAt(std::uint32_t(off)));
    QAbstractScrollArea::mouseMoveEvent(event);
}

void HexView::mousePressEvent(QMouseEvent* event) {
    const int off = offsetAt(event->position().toPoint());
    const int field = off < 0 ? -1 : layout_.fieldAt(std::uint32_t(off));
    if (field >= 0) {
        setHighlightedField(field);
        emit fieldClicked(field);
    }
    QAbstractScrollArea::mousePressEvent(event);
}

void HexView::leaveEvent(QEvent* event) {
    setHovered(-1);
    QAbstractScrollArea::leaveEvent(event);
}

bool HexView::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int off = offsetAt(help->pos());
        const int field = off < 0 ? -1 : layout_.fieldAt(std::uint32_t(off));
        if (field < 0) {
            QToolTip::hideText();
            return true;
        }
        const BlockField& f = layout_.fields()[std::size_t(field)];
        const QString name = f.group.empty() ? QString::fromStdString(f.name)
                                             : QString::fromStdString(f.group + " " + f.name);
        QToolTip::showText(
            help->globalPos(),
            QStringLiteral("<b>%1</b> = %2<br>offset %3, %4 bytes<br>%5")
                .arg(name.toHtmlEscaped(), QString::fromStdString(f.value).toHtmlEscaped())
                .arg(f.offset)
                .arg(f.size)
                .arg(QString::fromStdString(f.meaning).toHtmlEscaped()),
            viewport());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace dms
