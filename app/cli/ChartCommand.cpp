// dmscope-cli chart: one chart of the pool's figures written as PNG, SVG, PDF or CSV, with the
// GUI's chart code (models/charts, views/charts). Draws without a display: Qt's offscreen
// platform unless QT_QPA_PLATFORM says otherwise.

#include "app/cli/CliCommand.h"
#include "app/cli/OffscreenApplication.h"

#include "models/charts/ChartBuilder.h"
#include "views/charts/ChartExporter.h"

#include <ostream>

namespace dms::cli {
namespace {

constexpr const char* kName = "chart";

constexpr const char* kHelp =
    R"HELP(usage: dmscope-cli chart KIND IMG -o FILE [--dpi N] [--log] [--device ID]
                         [--width PX] [--height PX] [--metadata-snap]
       dmscope-cli chart transactions HISTORY -o FILE [--dpi N] [--width PX] [--height PX]
  Draws one chart of the pool's figures (those of `dmscope-cli stats --json`) into FILE; the
  format comes from FILE's suffix: .png (at --dpi, default 96), .svg (the CSV in its <desc>),
  .pdf (one page) or .csv (the figures as drawn).
KIND:
  refcounts     blocks per reference count, metadata and data space maps
  bitmap-free   free entries (index nr_free) of each bitmap block, metadata and data
  devices       per thin device: exclusive + shared mappings (stacked), mapped_blocks
  free-runs     runs of free blocks by length 2^k..2^(k+1)-1, metadata and data
  btree-fill    per btree: average leaf and internal fill, levels
  mapping-time  mappings per mapping time (snapshot epoch); --device ID: that device only
  transactions  free metadata and data blocks after each transaction of a saved transaction
                history (HISTORY: saved by the GUI's Edit tab or `dmscope-cli edit
                --save-history`), x = transaction (0 = as opened), the metadata threshold
                dashed when one was set
--log draws counts on a log axis (refcounts, bitmap-free, free-runs, mapping-time).
--width/--height: the chart's size in 96-dpi pixels (default 900 x 560).
Exit status: 0; 1 damaged metadata (chart still written), a bad history or a write error;
2 usage.
)HELP";

Expected<std::uint64_t> numberOr(const CliArgs& args, const char* name, std::uint64_t fallback,
                                 std::uint64_t lo, std::uint64_t hi) {
    auto n = args.number(name);
    if (!n) return n.takeError();
    const std::uint64_t v = n->value_or(fallback);
    if (v < lo || v > hi)
        return makeError(ErrorKind::Usage, std::string("--") + name + " must be between " +
                                               std::to_string(lo) + " and " + std::to_string(hi));
    return v;
}

int writeChart(const ChartData& data, const QString& outPath, ChartExporter::Format format,
               const ChartExporter::Options& options, CliIo& io) {
    if (format != ChartExporter::Format::Csv) ensureOffscreenApplication(kName);
    const QString error = ChartExporter::exportToFile(data, outPath, format, options);
    if (!error.isEmpty()) {
        io.err << "dmscope-cli chart: " << error.toStdString() << '\n';
        return kExitFailure;
    }
    if (!data.problems.isEmpty()) {
        io.err << "dmscope-cli chart: " << data.problems.front().toStdString() << '\n';
        return kExitFailure;
    }
    return kExitOk;
}

int runChart(const std::vector<std::string>& argv, CliIo& io) {
    for (const auto& a : argv)
        if (a == "--help" || a == "-h") {
            io.out << kHelp;
            return kExitOk;
        }
    const std::vector<OptionSpec> spec = {
        {"output", 'o', OptionSpec::Kind::Value, "the file to write (.png .svg .pdf .csv)"},
        {"dpi", 0, OptionSpec::Kind::Value, "PNG resolution (default 96)"},
        {"log", 0, OptionSpec::Kind::Flag, "log value axis"},
        {"device", 0, OptionSpec::Kind::Value, "mapping-time: this thin device only"},
        {"width", 0, OptionSpec::Kind::Value, "chart width in 96-dpi pixels"},
        {"height", 0, OptionSpec::Kind::Value, "chart height in 96-dpi pixels"},
        {"metadata-snap", 'm', OptionSpec::Kind::Flag, "trees from the held metadata snapshot"},
    };
    auto args = parseCommandArgs(argv, spec, 2, kName);
    if (!args) return reportError(io, kName, args.error());
    const QString kindName = QString::fromStdString(args->positional()[0]);
    const auto kind = chartKindFromName(kindName);
    if (!kind)
        return reportError(
            io, kName,
            makeError(ErrorKind::Usage, "unknown chart '" + kindName.toStdString() + "'"));
    const auto out = args->value("output");
    if (!out || out->empty())
        return reportError(io, kName, makeError(ErrorKind::Usage, "-o FILE is required"));
    const QString outPath = QString::fromStdString(*out);
    const auto format = ChartExporter::formatFromPath(outPath);
    if (!format)
        return reportError(io, kName,
                           makeError(ErrorKind::Usage, "'" + *out +
                                                           "': unknown format (use .png, .svg, "
                                                           ".pdf or .csv)"));
    ChartExporter::Options options;
    auto dpi = numberOr(*args, "dpi", 96, 24, 2400);
    auto width = numberOr(*args, "width", 900, 200, 10000);
    auto height = numberOr(*args, "height", 560, 150, 10000);
    for (auto* v : {&dpi, &width, &height})
        if (!*v) return reportError(io, kName, v->error());
    options.dpi = int(*dpi);
    options.logicalSize = QSize(int(*width), int(*height));
    auto device = args->number("device");
    if (!device) return reportError(io, kName, device.error());

    const std::string& path = args->positional()[1];
    if (*kind == ChartKind::Transactions) {
        if (args->has("log") || *device || args->has("metadata-snap"))
            return reportError(io, kName,
                               makeError(ErrorKind::Usage, "--log, --device and --metadata-snap "
                                                           "do not apply to 'transactions'"));
        auto figures = TransactionFigures::fromFile(QString::fromStdString(path));
        if (!figures) return reportError(io, kName, figures.error());
        return writeChart(buildTransactionsChart(*figures), outPath, *format, options, io);
    }
    auto md = openThinReadOnly(path);
    if (!md) return reportError(io, kName, md.error());
    ThinSuperblock sb = (*md)->superblock();
    if (args->has("metadata-snap")) {
        auto held = (*md)->metadataSnapshot();
        if (!held) {
            io.err << "dmscope-cli chart: " << held.error().describe() << '\n';
            return kExitFailure;
        }
        sb = *held;
    }
    const ChartInputs in = ChartInputs::compute(**md, sb, QString::fromStdString(path));
    ChartOptions chartOptions;
    chartOptions.logScale = args->has("log");
    std::optional<DeviceMappingTimes> deviceTimes;
    if (*device) {
        deviceTimes = ChartInputs::computeDevice(**md, sb, **device);
        chartOptions.device = &*deviceTimes;
    }
    return writeChart(buildChart(*kind, in, chartOptions), outPath, *format, options, io);
}

} // namespace

DMS_CLI_COMMAND(chart, "chart",
                "KIND IMG -o FILE.{png,svg,pdf,csv} [--dpi N] [--log] [--device ID] "
                "[--metadata-snap] | transactions HISTORY -o FILE",
                "draw a chart of the pool's figures (refcounts, bitmap-free, devices, free-runs, "
                "btree-fill, mapping-time) or of a saved transaction history (transactions); "
                "--help for details",
                &runChart);

} // namespace dms::cli
