#include "views/spacemaps/SpaceMapTotalsView.h"

#include "models/ByteSize.h"

#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>

namespace dms {
namespace {

constexpr int kBarScale = 1000; // QProgressBar takes ints; block counts may not fit

} // namespace

SpaceMapTotalsView::SpaceMapTotalsView(QWidget* parent) : QWidget(parent) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    auto makeRow = [&](int r, const QString& name) {
        Row row{new QProgressBar(this), new QLabel(this)};
        row.bar->setRange(0, kBarScale);
        row.bar->setTextVisible(true);
        row.bar->setMinimumWidth(120);
        row.bar->setMaximumWidth(200);
        row.text->setTextInteractionFlags(Qt::TextSelectableByMouse);
        row.text->setWordWrap(true);
        row.text->setMinimumWidth(180);
        grid->addWidget(new QLabel(name, this), r, 0);
        grid->addWidget(row.bar, r, 1);
        grid->addWidget(row.text, r, 2);
        return row;
    };
    data_ = makeRow(0, tr("Data"));
    metadata_ = makeRow(1, tr("Metadata"));
    note_ = new QLabel(this);
    note_->setWordWrap(true);
    note_->hide();
    grid->addWidget(note_, 2, 0, 1, 3);
    grid->setColumnStretch(2, 1);
    clear();
}

void SpaceMapTotalsView::show(Row& row, const SpaceMapTotals& t, std::uint64_t blockBytes) {
    if (!t.stored()) {
        row.bar->setValue(0);
        row.bar->setFormat(QStringLiteral("-"));
        row.text->setText(tr("not stored"));
        return;
    }
    if (!t.allocated) {
        row.bar->setValue(0);
        row.bar->setFormat(tr("unreadable"));
        row.text->setText(tr("%1 blocks; the bitmaps cannot be read: %2")
                              .arg(t.nrBlocks())
                              .arg(QString::fromStdString(t.error)));
        return;
    }
    const std::uint64_t used = *t.allocated;
    const double fraction = t.nrBlocks() ? double(used) / double(t.nrBlocks()) : 0.0;
    row.bar->setValue(static_cast<int>(fraction * kBarScale + 0.5));
    row.bar->setFormat(QStringLiteral("%1%").arg(fraction * 100.0, 0, 'f', 1));
    const std::uint64_t free = t.nrBlocks() >= used ? t.nrBlocks() - used : 0;
    row.text->setText(tr("%1%2 of %3 blocks used (%4 of %5), %6 free")
                          .arg(t.fromIndex ? tr("about ") : QString())
                          .arg(used)
                          .arg(t.nrBlocks())
                          .arg(formatByteSize(used * blockBytes))
                          .arg(formatByteSize(t.nrBlocks() * blockBytes))
                          .arg(free));
}

void SpaceMapTotalsView::setTotals(const SpaceMapTotals& data, std::uint64_t dataBlockBytes,
                                   const SpaceMapTotals& metadata, const QString& note) {
    show(data_, data, dataBlockBytes);
    show(metadata_, metadata, 4096);
    note_->setText(note);
    note_->setVisible(!note.isEmpty());
}

void SpaceMapTotalsView::clear() {
    for (Row* r : {&data_, &metadata_}) {
        r->bar->setValue(0);
        r->bar->setFormat(QStringLiteral("-"));
        r->text->clear();
    }
    note_->clear();
    note_->hide();
}

QString SpaceMapTotalsView::summary(SpaceMapKind kind) const {
    return (kind == SpaceMapKind::Data ? data_ : metadata_).text->text();
}

} // namespace dms
