#pragma once
// Used and free blocks of the data and metadata space maps: a bar and the counts for each.

#include "models/SpaceMapTotals.h"

#include <QWidget>

class QLabel;
class QProgressBar;

namespace dms {

class SpaceMapTotalsView : public QWidget {
    Q_OBJECT
public:
    explicit SpaceMapTotalsView(QWidget* parent = nullptr);

    // blockBytes: bytes per block of each map, for sizes (data block size; 4096 for metadata).
    void setTotals(const SpaceMapTotals& data, std::uint64_t dataBlockBytes,
                   const SpaceMapTotals& metadata, const QString& note);
    void clear();

    // The text shown for one map, e.g. "629 of 4096 blocks used (15.4%), 3467 free".
    QString summary(SpaceMapKind kind) const;

private:
    struct Row {
        QProgressBar* bar;
        QLabel* text;
    };
    void show(Row& row, const SpaceMapTotals& t, std::uint64_t blockBytes);

    Row data_;
    Row metadata_;
    QLabel* note_;
};

} // namespace dms
