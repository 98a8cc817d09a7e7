#include "views/common/SwatchLegend.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>

namespace dms {

SwatchLegend::SwatchLegend(QWidget* parent) : QWidget(parent), layout_(new QHBoxLayout(this)) {
    layout_->setContentsMargins(0, 0, 0, 0);
    layout_->setSpacing(4);
    // A long legend is cut at the right rather than widening the window.
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    setMinimumWidth(0);
}

void SwatchLegend::setEntries(const QList<QPair<QColor, QString>>& entries) {
    while (QLayoutItem* item = layout_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    labels_.clear();
    const qreal dpr = devicePixelRatioF();
    for (const auto& [color, text] : entries) {
        QPixmap swatch(QSize(12, 12) * dpr);
        swatch.setDevicePixelRatio(dpr);
        swatch.fill(color);
        auto* square = new QLabel(this);
        square->setPixmap(swatch);
        layout_->addWidget(square);
        auto* label = new QLabel(text, this);
        layout_->addWidget(label);
        layout_->addSpacing(8);
        labels_ << text;
    }
    layout_->addStretch(1);
}

} // namespace dms
