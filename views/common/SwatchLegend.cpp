#include "views/common/SwatchLegend.h"

namespace dms {

SwatchLegend::SwatchLegend(QWidget* parent) : QLabel(parent) {
    setWordWrap(true);
    setTextFormat(Qt::RichText);
}

void SwatchLegend::setEntries(const QList<QPair<QColor, QString>>& entries) {
    labels_.clear();
    QStringList parts;
    for (const auto& [color, text] : entries) {
        // Non-breaking spaces keep each square with its words; entries wrap between them.
        QString words = text.toHtmlEscaped();
        words.replace(QLatin1Char(' '), QStringLiteral("&nbsp;"));
        parts << QStringLiteral("<span style='color:%1;font-size:large'>&#9632;</span>&nbsp;%2")
                     .arg(color.name(), words);
        labels_ << text;
    }
    setText(parts.join(QStringLiteral(" &nbsp; ")));
}

} // namespace dms
