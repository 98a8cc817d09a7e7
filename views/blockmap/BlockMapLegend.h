#pragma once
// The block map's legend: a colour swatch, a name and a block count for each colour class that
// holds blocks, largest first, under a total.

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

private:
    void clearRows();

    QLabel* title_;
    QGridLayout* rows_;
    std::vector<Entry> entries_;
};

} // namespace dms
