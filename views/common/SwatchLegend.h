#pragma once
// A one-line legend: a colored square and a word per entry, for the cell-grid views.

#include <QColor>
#include <QList>
#include <QPair>
#include <QWidget>

class QHBoxLayout;

namespace dms {

class SwatchLegend : public QWidget {
    Q_OBJECT
public:
    explicit SwatchLegend(QWidget* parent = nullptr);
    void setEntries(const QList<QPair<QColor, QString>>& entries);
    QStringList labels() const { return labels_; }

private:
    QHBoxLayout* layout_;
    QStringList labels_;
};

} // namespace dms
