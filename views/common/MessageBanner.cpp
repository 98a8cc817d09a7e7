#include "views/common/MessageBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace dms {

MessageBanner::MessageBanner(QWidget* parent) : QFrame(parent), label_(new QLabel(this)) {
    setObjectName(QStringLiteral("messageBanner"));
    setFrameShape(QFrame::StyledPanel);
    label_->setWordWrap(true);
    label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* close = new QToolButton(this);
    close->setAutoRaise(true);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setToolTip(tr("Dismiss"));
    connect(close, &QToolButton::clicked, this, &MessageBanner::clearMessage);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(label_, 1);
    layout->addWidget(close, 0, Qt::AlignTop);
    hide();
}

void MessageBanner::showMessage(Severity severity, const QString& headline, const QString& detail) {
    severity_ = severity;
    headline_ = headline;
    detail_ = detail;
    const bool error = severity == Severity::Error;
    setStyleSheet(
        error ? QStringLiteral("#messageBanner { background: #fbe3e4; border: 1px solid "
                               "#d9534f; border-radius: 4px; } QLabel { color: #5a1212; }")
              : QStringLiteral("#messageBanner { background: #fff4d6; border: 1px solid "
                               "#e0a800; border-radius: 4px; } QLabel { color: #4d3800; }"));
    QString body = detail.toHtmlEscaped();
    body.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    label_->setText(QStringLiteral("<b>%1</b><br>%2").arg(headline.toHtmlEscaped(), body));
    show();
}

void MessageBanner::clearMessage() {
    headline_.clear();
    detail_.clear();
    label_->clear();
    hide();
}

QString MessageBanner::text() const {
    if (headline_.isEmpty()) return {};
    return detail_.isEmpty() ? headline_ : headline_ + QLatin1Char('\n') + detail_;
}

} // namespace dms
