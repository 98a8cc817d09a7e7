// dmscope-cli frames: a saved transaction history as a time-lapse, one PNG of the metadata block
// map per state (models/charts/TransactionFrames, the GUI's renderer). Draws without a display.

#include "app/cli/CliCommand.h"
#include "app/cli/OffscreenApplication.h"

#include "models/charts/TransactionFigures.h"
#include "models/charts/TransactionFrames.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <ostream>

namespace dms::cli {
namespace {

constexpr const char* kName = "frames";

constexpr const char* kHelp =
    R"HELP(usage: dmscope-cli frames HISTORY -o DIR [--size WxH] [--no-emphasis]
  Writes one PNG per state of a saved transaction history into DIR (made if missing):
  frame-0000.png is the metadata as opened, frame-000k.png after the k-th transaction. Each is
  the metadata block map coloured by block type (Hilbert layout, as the GUI's block map export),
  with a caption (state, time, operations, free metadata blocks) and a legend; all frames have
  the same size and layout, so they play as a time-lapse, e.g.
    ffmpeg -framerate 2 -i DIR/frame-%04d.png -pix_fmt yuv420p history.mp4
  HISTORY is saved by the GUI's Edit tab or by `dmscope-cli edit --save-history`.
--size WxH      pixels of every frame (default 1024x640, at least 240x160)
--no-emphasis   do not outline the blocks each transaction wrote
Exit status: 0; 1 a bad history, an unreadable state or a write error; 2 usage.
)HELP";

Expected<QSize> sizeFrom(const CliArgs& args) {
    const auto v = args.value("size");
    if (!v) return QSize(1024, 640);
    static const QRegularExpression re(QStringLiteral("^(\\d{1,5})x(\\d{1,5})$"));
    const auto m = re.match(QString::fromStdString(*v));
    const QSize min = TransactionFrames::kMinSize;
    if (m.hasMatch()) {
        const QSize s(m.captured(1).toInt(), m.captured(2).toInt());
        if (s.width() >= min.width() && s.height() >= min.height() && s.width() <= 16384 &&
            s.height() <= 16384)
            return s;
    }
    return makeError(ErrorKind::Usage,
                     "--size is WxH between 240x160 and 16384x16384, not '" + *v + "'");
}

int runFrames(const std::vector<std::string>& argv, CliIo& io) {
    for (const auto& a : argv)
        if (a == "--help" || a == "-h") {
            io.out << kHelp;
            return kExitOk;
        }
    const std::vector<OptionSpec> spec = {
        {"output", 'o', OptionSpec::Kind::Value, "the directory to write the frames into"},
        {"size", 0, OptionSpec::Kind::Value, "WxH pixels of every frame"},
        {"no-emphasis", 0, OptionSpec::Kind::Flag, "do not outline the blocks written"},
    };
    auto args = parseCommandArgs(argv, spec, 1, kName);
    if (!args) return reportError(io, kName, args.error());
    const auto out = args->value("output");
    if (!out || out->empty())
        return reportError(io, kName, makeError(ErrorKind::Usage, "-o DIR is required"));
    auto size = sizeFrom(*args);
    if (!size) return reportError(io, kName, size.error());

    auto history = loadChartableHistory(QString::fromStdString(args->positional()[0]));
    if (!history) return reportError(io, kName, history.error());
    ensureOffscreenApplication(kName);
    TransactionFrames::Options options;
    options.size = *size;
    options.emphasiseChanges = !args->has("no-emphasis");
    QElapsedTimer timer;
    timer.start();
    const TransactionFrames frames(*history, history->image(), options);
    auto written = frames.writeAll(QString::fromStdString(*out));
    if (!written) return reportError(io, kName, written.error());
    io.out << "wrote " << *written << " frames (" << size->width() << 'x' << size->height()
           << ") to " << *out << " in " << timer.elapsed() << " ms\n";
    return kExitOk;
}

} // namespace

DMS_CLI_COMMAND(frames, "frames", "HISTORY -o DIR [--size WxH] [--no-emphasis]",
                "write a saved transaction history as PNG frames of the metadata block map, one "
                "per transaction (a time-lapse); --help for details",
                &runFrames);

} // namespace dms::cli
