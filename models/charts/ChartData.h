#pragma once
// One chart as plain data, independent of how it is drawn: a title, axis titles, category labels
// along the x axis and named series of values (one value per category). The GUI, the exporters and
// `dmscope-cli chart` all draw from this, and its CSV is the chart's figures as they are shown.

#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

namespace dms {

// Transactions is drawn from a transaction history (TransactionFigures), the others from a pool.
enum class ChartKind {
    Refcounts,
    BitmapFree,
    Devices,
    FreeRuns,
    BtreeFill,
    MappingTime,
    Transactions
};

struct ChartSeries {
    // Marker: one point per category; Line: points joined (a value over time); DashedLine: a
    // dashed line without points (a limit, e.g. a threshold).
    enum class Shape { Bar, Marker, Line, DashedLine };
    QString name;
    QVector<double> values; // one per category
    Shape shape = Shape::Bar;
    bool secondaryAxis = false; // drawn against the right-hand axis (other units)
};

struct ChartData {
    ChartKind kind = ChartKind::Refcounts;
    QString title;
    QString subtitle; // what was read (pool, superblock, device)
    QString xTitle;
    QString yTitle;
    QString y2Title; // the right-hand axis, for series with secondaryAxis
    QString csvCategoryHeader;
    QStringList categories;
    QVector<ChartSeries> series;
    bool stacked = false;  // bar series stacked (parts of a whole)
    bool logScale = false; // the value axis logarithmic (counts spanning decades)
    double yMax = 0;       // a fixed top of the value axis (percentages); 0: from the values
    // The value axes span the values rather than start at 0 (levels over time, whose changes
    // are small against their size).
    bool fitValues = false;
    QStringList problems; // damage met while reading: the figures are partial

    // Header "category,series...", then one row per category; values are written exactly
    // (integers without a decimal point). Fields are quoted when they hold a comma or quote.
    QString toCsv() const;
    bool isEmpty() const { return categories.isEmpty(); }
};

// "refcounts", "bitmap-free", "devices", "free-runs", "btree-fill", "mapping-time",
// "transactions".
QString chartKindName(ChartKind kind);
std::optional<ChartKind> chartKindFromName(const QString& name);
// The kinds drawn from a pool's metadata (all but Transactions).
QVector<ChartKind> allChartKinds();
// Whether the kind is drawn from a transaction history rather than a pool.
bool chartKindNeedsHistory(ChartKind kind);
// What the picker shows, e.g. "Reference counts".
QString chartKindLabel(ChartKind kind);

} // namespace dms
