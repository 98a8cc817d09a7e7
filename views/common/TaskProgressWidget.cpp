#include "views/common/TaskProgressWidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace dms {

TaskProgressWidget::TaskProgressWidget(QWidget* parent)
    : QWidget(parent), label_(new QLabel(this)), bar_(new QProgressBar(this)),
      cancel_(new QToolButton(this)) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    bar_->setMaximumWidth(160);
    bar_->setTextVisible(false);
    cancel_->setText(tr("Cancel"));
    cancel_->setToolTip(tr("Stop the background scan; what it found so far is discarded"));
    layout->addWidget(label_);
    layout->addWidget(bar_);
    layout->addWidget(cancel_);
    connect(cancel_, &QToolButton::clicked, this, &TaskProgressWidget::cancelRequested);
    hide();
}

void TaskProgressWidget::showProgress(const QString& what, quint64 done, quint64 total) {
    label_->setText(what);
    if (total == 0) {
        bar_->setRange(0, 0);
    } else {
        // QProgressBar holds ints; scale to per mille.
        bar_->setRange(0, 1000);
        bar_->setValue(int(std::min<quint64>(1000, done * 1000 / total)));
    }
    show();
}

void TaskProgressWidget::finish() {
    hide();
    label_->clear();
}

QString TaskProgressWidget::text() const {
    return isHidden() ? QString() : label_->text();
}

} // namespace dms
