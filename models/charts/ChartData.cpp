#include "models/charts/ChartData.h"

#include <cmath>

namespace dms {
namespace {

QString csvField(const QString& s) {
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) &&
        !s.contains(QLatin1Char('\n')))
        return s;
    QString q = s;
    q.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString csvNumber(double v) {
    if (std::isnan(v)) return {};
    // Counts are integers up to 2^53 here; fills have two decimals (as stats --json rounds them).
    if (v == std::floor(v) && std::fabs(v) < 9.0e15) return QString::number(qint64(v));
    return QString::number(v, 'g', 15);
}

struct KindName {
    ChartKind kind;
    const char* name;
    const char* label;
};

constexpr KindName kKinds[] = {
    {ChartKind::Refcounts, "refcounts", "Reference counts"},
    {ChartKind::BitmapFree, "bitmap-free", "Free entries per bitmap"},
    {ChartKind::Devices, "devices", "Devices: exclusive / shared"},
    {ChartKind::FreeRuns, "free-runs", "Free-run lengths"},
    {ChartKind::BtreeFill, "btree-fill", "B-tree depth and fill"},
    {ChartKind::MappingTime, "mapping-time", "Mapping times"},
    {ChartKind::Transactions, "transactions", "Free space across transactions"},
};

} // namespace

QString ChartData::toCsv() const {
    QString out = csvField(csvCategoryHeader.isEmpty() ? xTitle : csvCategoryHeader);
    for (const auto& s : series)
        out += QLatin1Char(',') + csvField(s.name);
    out += QLatin1Char('\n');
    for (qsizetype row = 0; row < categories.size(); ++row) {
        out += csvField(categories[row]);
        for (const auto& s : series)
            out +=
                QLatin1Char(',') + (row < s.values.size() ? csvNumber(s.values[row]) : QString());
        out += QLatin1Char('\n');
    }
    return out;
}

QString chartKindName(ChartKind kind) {
    for (const auto& k : kKinds)
        if (k.kind == kind) return QString::fromLatin1(k.name);
    return {};
}

QString chartKindLabel(ChartKind kind) {
    for (const auto& k : kKinds)
        if (k.kind == kind) return QString::fromLatin1(k.label);
    return {};
}

std::optional<ChartKind> chartKindFromName(const QString& name) {
    for (const auto& k : kKinds)
        if (name == QLatin1String(k.name)) return k.kind;
    return std::nullopt;
}

QVector<ChartKind> allChartKinds() {
    QVector<ChartKind> v;
    for (const auto& k : kKinds)
        if (!chartKindNeedsHistory(k.kind)) v.push_back(k.kind);
    return v;
}

bool chartKindNeedsHistory(ChartKind kind) {
    return kind == ChartKind::Transactions;
}

} // namespace dms
