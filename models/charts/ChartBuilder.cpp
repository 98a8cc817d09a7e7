#include "models/charts/ChartBuilder.h"

#include <cmath>
#include <map>
#include <set>

namespace dms {
namespace {

double round2(double v) {
    return std::round(v * 100.0) / 100.0;
}

QString sourceText(const ChartInputs& in) {
    return QStringLiteral("%1 · %2 · time %3")
        .arg(in.poolName, in.stats.fromMetadataSnapshot ? QStringLiteral("metadata snapshot")
                                                        : QStringLiteral("live superblock"))
        .arg(in.stats.time);
}

void addProblems(ChartData& c, const std::vector<std::string>& problems) {
    for (const auto& p : problems)
        c.problems << QString::fromStdString(p);
}

ChartData refcounts(const ChartInputs& in) {
    ChartData c;
    c.title = QStringLiteral("Reference counts");
    c.xTitle = QStringLiteral("reference count");
    c.yTitle = QStringLiteral("blocks");
    c.csvCategoryHeader = QStringLiteral("count");
    std::set<std::uint32_t> counts;
    for (const auto& e : in.stats.metadata.refcounts)
        counts.insert(e.first);
    for (const auto& e : in.stats.data.refcounts)
        counts.insert(e.first);
    ChartSeries md{QStringLiteral("metadata blocks"), {}, ChartSeries::Shape::Bar, false};
    ChartSeries data{QStringLiteral("data blocks"), {}, ChartSeries::Shape::Bar, false};
    for (std::uint32_t n : counts) {
        c.categories << QString::number(n);
        auto m = in.stats.metadata.refcounts.find(n);
        auto d = in.stats.data.refcounts.find(n);
        md.values << double(m == in.stats.metadata.refcounts.end() ? 0 : m->second);
        data.values << double(d == in.stats.data.refcounts.end() ? 0 : d->second);
    }
    c.series = {md, data};
    return c;
}

ChartData bitmapFree(const ChartInputs& in) {
    ChartData c;
    c.title = QStringLiteral("Free entries per bitmap block");
    c.xTitle = QStringLiteral("bitmap (index entry)");
    c.yTitle = QStringLiteral("free entries (index nr_free)");
    c.csvCategoryHeader = QStringLiteral("bitmap");
    const std::size_t n = std::max(in.metadataIndex.size(), in.dataIndex.size());
    ChartSeries md{QStringLiteral("metadata"), {}, ChartSeries::Shape::Bar, false};
    ChartSeries data{QStringLiteral("data"), {}, ChartSeries::Shape::Bar, false};
    for (std::size_t i = 0; i < n; ++i) {
        c.categories << QString::number(i);
        // A space map with fewer bitmaps has no value there (blank in the CSV, no bar).
        md.values << (i < in.metadataIndex.size() ? double(in.metadataIndex[i].nrFree) : NAN);
        data.values << (i < in.dataIndex.size() ? double(in.dataIndex[i].nrFree) : NAN);
    }
    c.series = {md, data};
    addProblems(c, in.indexProblems);
    return c;
}

ChartData devices(const ChartInputs& in) {
    ChartData c;
    c.title = QStringLiteral("Mapped blocks per device");
    c.xTitle = QStringLiteral("thin device");
    c.yTitle = QStringLiteral("blocks");
    c.csvCategoryHeader = QStringLiteral("device");
    c.stacked = true;
    ChartSeries excl{QStringLiteral("exclusive"), {}, ChartSeries::Shape::Bar, false};
    ChartSeries shared{QStringLiteral("shared"), {}, ChartSeries::Shape::Bar, false};
    ChartSeries mapped{QStringLiteral("mapped_blocks"), {}, ChartSeries::Shape::Marker, false};
    for (const auto& d : in.stats.devices) {
        c.categories << QString::number(d.id);
        excl.values << double(d.exclusive);
        shared.values << double(d.shared);
        mapped.values << double(d.details.mappedBlocks);
    }
    c.series = {excl, shared, mapped};
    return c;
}

QString bucketLabel(std::size_t k) {
    const std::uint64_t lo = std::uint64_t(1) << k;
    const std::uint64_t hi = (std::uint64_t(2) << k) - 1;
    return lo == hi ? QString::number(lo) : QStringLiteral("%1-%2").arg(lo).arg(hi);
}

ChartData freeRuns(const ChartInputs& in) {
    ChartData c;
    c.title = QStringLiteral("Free-run lengths (fragmentation)");
    c.xTitle = QStringLiteral("run length (blocks)");
    c.yTitle = QStringLiteral("runs");
    c.csvCategoryHeader = QStringLiteral("length");
    const auto& m = in.stats.metadata.freeRuns;
    const auto& d = in.stats.data.freeRuns;
    const std::size_t n = std::max(m.bucketRuns.size(), d.bucketRuns.size());
    ChartSeries md{QStringLiteral("metadata runs"), {}, ChartSeries::Shape::Bar, false};
    ChartSeries data{QStringLiteral("data runs"), {}, ChartSeries::Shape::Bar, false};
    for (std::size_t k = 0; k < n; ++k) {
        c.categories << bucketLabel(k);
        // Buckets past a map's largest run hold no run.
        md.values << double(k < m.bucketRuns.size() ? m.bucketRuns[k] : 0);
        data.values << double(k < d.bucketRuns.size() ? d.bucketRuns[k] : 0);
    }
    c.series = {md, data};
    return c;
}

ChartData btreeFill(const ChartInputs& in) {
    ChartData c;
    c.title = QStringLiteral("B-tree depth and fill");
    c.xTitle = QStringLiteral("btree");
    c.yTitle = QStringLiteral("average fill (% of max entries)");
    c.y2Title = QStringLiteral("levels");
    c.yMax = 100;
    c.csvCategoryHeader = QStringLiteral("tree");
    ChartSeries leaf{QStringLiteral("leaf fill %"), {}, ChartSeries::Shape::Bar, false};
    ChartSeries internal{QStringLiteral("internal fill %"), {}, ChartSeries::Shape::Bar, false};
    ChartSeries levels{QStringLiteral("levels"), {}, ChartSeries::Shape::Marker, true};
    auto add = [&](const QString& name, const TreeStats& t) {
        c.categories << name;
        leaf.values << round2(t.leaves.avgPercent());
        internal.values << round2(t.internals.avgPercent());
        levels.values << double(t.levels());
    };
    for (const auto& t : in.stats.trees)
        add(QString::fromStdString(t.name), t);
    for (const auto& d : in.stats.devices)
        add(QStringLiteral("dev %1").arg(d.id), d.tree);
    c.series = {leaf, internal, levels};
    return c;
}

ChartData mappingTime(const ChartInputs& in, const DeviceMappingTimes* device) {
    ChartData c;
    c.xTitle = QStringLiteral("mapping time (snapshot epoch)");
    c.yTitle = QStringLiteral("mappings");
    c.csvCategoryHeader = QStringLiteral("time");
    const std::map<std::uint32_t, std::uint64_t>* times = &in.stats.mappingTimes;
    QString name = QStringLiteral("mappings (all devices)");
    c.title = QStringLiteral("Mapping times");
    if (device) {
        times = &device->histogram.mappings;
        name = QStringLiteral("mappings of dev %1").arg(device->devId);
        c.title = QStringLiteral("Mapping times of thin device %1").arg(device->devId);
        addProblems(c, device->histogram.problems);
    }
    ChartSeries s{name, {}, ChartSeries::Shape::Bar, false};
    for (const auto& [time, n] : *times) {
        c.categories << QString::number(time);
        s.values << double(n);
    }
    c.series = {s};
    return c;
}

} // namespace

ChartData buildChart(ChartKind kind, const ChartInputs& in, const ChartOptions& options) {
    ChartData c;
    switch (kind) {
    case ChartKind::Refcounts:
        c = refcounts(in);
        break;
    case ChartKind::BitmapFree:
        c = bitmapFree(in);
        break;
    case ChartKind::Devices:
        c = devices(in);
        break;
    case ChartKind::FreeRuns:
        c = freeRuns(in);
        break;
    case ChartKind::BtreeFill:
        c = btreeFill(in);
        break;
    case ChartKind::MappingTime:
        c = mappingTime(in, options.device);
        break;
    case ChartKind::Transactions:
        break; // drawn from a history, not a pool
    }
    c.kind = kind;
    c.subtitle = sourceText(in);
    c.logScale =
        options.logScale && (kind == ChartKind::Refcounts || kind == ChartKind::FreeRuns ||
                             kind == ChartKind::MappingTime || kind == ChartKind::BitmapFree);
    addProblems(c, in.stats.problems);
    return c;
}

ChartData buildTransactionsChart(const TransactionFigures& f) {
    ChartData c;
    c.kind = ChartKind::Transactions;
    c.title = QStringLiteral("Free space across transactions");
    const int n = int(f.states.size()) - 1;
    c.subtitle = QStringLiteral("%1 · %2 transaction%3 since opening")
                     .arg(f.name)
                     .arg(n)
                     .arg(n == 1 ? QString() : QStringLiteral("s"));
    c.xTitle = QStringLiteral("transaction (0 = as opened)");
    c.yTitle = QStringLiteral("free metadata blocks");
    c.y2Title = QStringLiteral("free data blocks");
    c.csvCategoryHeader = QStringLiteral("transaction");
    c.fitValues = true;
    ChartSeries md{QStringLiteral("free metadata blocks"), {}, ChartSeries::Shape::Line, false};
    ChartSeries data{QStringLiteral("free data blocks"), {}, ChartSeries::Shape::Line, true};
    ChartSeries threshold{
        QStringLiteral("metadata threshold"), {}, ChartSeries::Shape::DashedLine, false};
    bool haveThreshold = false;
    auto value = [](const std::optional<std::uint64_t>& v) { return v ? double(*v) : NAN; };
    for (const TransactionState& s : f.states) {
        c.categories << QString::number(s.index);
        md.values << value(s.metadataFree);
        data.values << value(s.dataFree);
        threshold.values << value(s.threshold);
        haveThreshold = haveThreshold || s.threshold;
    }
    c.series = {md, data};
    if (haveThreshold) c.series.push_back(threshold);
    addProblems(c, f.problems);
    return c;
}

} // namespace dms
