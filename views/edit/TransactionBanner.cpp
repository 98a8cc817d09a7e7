#include "views/edit/TransactionBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace dms {

TransactionBanner::TransactionBanner(QWidget* parent)
    : QFrame(parent), label_(new QLabel(this)), earlier_(new QPushButton(tr("◀ Earlier"), this)),
      later_(new QPushButton(tr("Later ▶"), this)) {
    setObjectName(QStringLiteral("transactionBanner"));
    // The window's colours with a strong accent edge, so it reads on light and dark themes.
    setStyleSheet(QStringLiteral("#transactionBanner { border: 2px solid #ff8f00; "
                                 "border-radius: 4px; }"));
    auto* back = new QPushButton(tr("Back to current"), this);
    back->setToolTip(tr("Show the current metadata again (Alt+End)"));
    earlier_->setToolTip(tr("Alt+PgUp"));
    later_->setToolTip(tr("Alt+PgDown"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(label_, 1);
    layout->addWidget(earlier_);
    layout->addWidget(later_);
    layout->addWidget(back);
    connect(earlier_, &QPushButton::clicked, this, &TransactionBanner::earlierRequested);
    connect(later_, &QPushButton::clicked, this, &TransactionBanner::laterRequested);
    connect(back, &QPushButton::clicked, this, &TransactionBanner::currentRequested);
    hide();
}

void TransactionBanner::showState(int k, int n) {
    if (k >= n) {
        label_->clear();
        hide();
        return;
    }
    label_->setText(
        k == 0 ? tr("<b>Viewing the metadata as opened, before transaction 1 of %1 "
                    "(read-only)</b> — every view shows this earlier state.")
                     .arg(n)
               : tr("<b>Viewing transaction %1 of %2 (read-only)</b> — every view shows the "
                    "metadata as this transaction left it.")
                     .arg(k)
                     .arg(n));
    earlier_->setEnabled(k > 0);
    later_->setEnabled(k < n);
    show();
}

QString TransactionBanner::text() const {
    return isHidden() ? QString() : label_->text();
}

} // namespace dms
