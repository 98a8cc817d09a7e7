#pragma once
// The block map's legend: a colour swatch, a name and a block count for each colour class that
// holds blocks, largest first, under a total.

#include <QPixmap>
#include <QRgb>
#include <QWidget>
#include <vector>

class QGridLayout;
class QLabel;

namespace dms {

class BlockMapLegend : public QWidget {
    Q_OBJECT
public:
    struct Entry {
        QString name;
        QRgb colour = 0;
        quint64 blocks = 0;
    };

    explicit BlockMapLegend(QWidget* parent = nullptr);

    // Entries with no blocks are left out; note replaces the list (e.g. while summarising).
    void setEntries(const QString& title, std::vector<Entry> entries);
    void setNote(const QString& title, const QString& note);
    const std::vector<Entry>& entries() const { return entries_; }
    // Rows under the colour classes for marks drawn over the map (e.g. this transaction's
    // blocks): a swatch drawn by the caller, a name and a count; none hides the section.
    struct MarkRow {
        QPixmap swatch;
        QString name;
        quint64 blocks = 0;
    };
    void setMarkRows(const QString& title, std::vector<MarkRow> rows);
    QString markText() const; // "shadowed 3, allocated 5, ..." as shown, for tests

private:
    void clearRows();

    QLabel* title_;
    QGridLayout* rows_;
    QLabel* markTitle_;
    QGridLayout* markRows_;
    QString markText_;
    std::vector<Entry> entries_;
};

} // namespace dms
