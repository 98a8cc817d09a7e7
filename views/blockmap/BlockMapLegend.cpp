#include "views/blockmap/BlockMapLegend.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QVBoxLayout>
#include <algorithm>

namespace dms {
namespace {

// A small square of the class colour with a thin outline (for light colours on light themes).
QPixmap swatch(QRgb colour, const QColor& outline, qreal dpr) {
    const int side = 12;
    QPixmap pm(QSize(side, side) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(QColor::fromRgb(colour));
    QPainter p(&pm);
    p.setPen(outline);
    p.drawRect(0, 0, side - 1, side - 1);
    return pm;
}

} // namespace

BlockMapLegend::BlockMapLegend(QWidget* parent) : QWidget(parent), title_(new QLabel(this)) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(6, 6, 6, 6);
    title_->setWordWrap(true);
    column->addWidget(title_);
    rows_ = new QGridLayout();
    rows_->setHorizontalSpacing(6);
    rows_->setVerticalSpacing(2);
    column->addLayout(rows_);
    markTitle_ = new QLabel(this);
    markTitle_->setWordWrap(true);
    markTitle_->hide();
    column->addSpacing(8);
    column->addWidget(markTitle_);
    markRows_ = new QGridLayout();
    markRows_->setHorizontalSpacing(6);
    markRows_->setVerticalSpacing(2);
    column->addLayout(markRows_);
    column->addStretch(1);
}

void BlockMapLegend::clearRows() {
    while (QLayoutItem* item = rows_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

void BlockMapLegend::setMarkRows(const QString& title, std::vector<MarkRow> rows) {
    while (QLayoutItem* item = markRows_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    markTitle_->setText(title);
    markTitle_->setVisible(!rows.empty());
    QStringList words;
    int row = 0;
    for (const MarkRow& r : rows) {
        auto* box = new QLabel(this);
        box->setPixmap(r.swatch);
        auto* count = new QLabel(QLocale().toString(r.blocks), this);
        count->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        markRows_->addWidget(box, row, 0);
        markRows_->addWidget(new QLabel(r.name, this), row, 1);
        markRows_->addWidget(count, row, 2);
        words << QStringLiteral("%1 %2").arg(r.name).arg(r.blocks);
        ++row;
    }
    markRows_->setColumnStretch(1, 1);
    markText_ = words.join(QStringLiteral(", "));
}

QString BlockMapLegend::markText() const {
    return markText_;
}

void BlockMapLegend::setNote(const QString& title, const QString& note) {
    clearRows();
    entries_.clear();
    title_->setText(note.isEmpty() ? title : title + QStringLiteral("\n") + note);
}

void BlockMapLegend::setEntries(const QString& title, std::vector<Entry> entries) {
    clearRows();
    std::erase_if(entries, [](const Entry& e) { return e.blocks == 0; });
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.blocks > b.blocks; });
    entries_ = std::move(entries);
    title_->setText(title);
    const QLocale locale;
    const QColor outline = palette().color(QPalette::Mid);
    int row = 0;
    for (const Entry& e : entries_) {
        auto* box = new QLabel(this);
        box->setPixmap(swatch(e.colour, outline, devicePixelRatioF()));
        auto* name = new QLabel(e.name, this);
        auto* count = new QLabel(locale.toString(e.blocks), this);
        count->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        rows_->addWidget(box, row, 0);
        rows_->addWidget(name, row, 1);
        rows_->addWidget(count, row, 2);
        ++row;
    }
    rows_->setColumnStretch(1, 1);
}

} // namespace dms
