#pragma once
// A legend for the cell-grid views: a coloured square and a word per entry, wrapped onto more
// lines when the width is short (never widening the window).

#include <QColor>
#include <QLabel>
#include <QList>
#include <QPair>

namespace dms {

class SwatchLegend : public QLabel {
    Q_OBJECT
public:
    explicit SwatchLegend(QWidget* parent = nullptr);
    void setEntries(const QList<QPair<QColor, QString>>& entries);
    QStringList labels() const { return labels_; }

private:
    QStringList labels_;
};

} // namespace dms
