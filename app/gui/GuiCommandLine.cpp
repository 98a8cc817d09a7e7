#include "app/gui/GuiCommandLine.h"

#include <QCommandLineParser>

namespace dms {

Expected<GuiOptions> parseGuiCommandLine(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Inspect device-mapper thin-pool metadata (images or devices), read-only "
                       "unless --edit-in-place."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption snap(
        {QStringLiteral("m"), QStringLiteral("metadata-snap")},
        QStringLiteral("Show the held metadata snapshot (the superblock copy at held_root)."));
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Open the bundled demo pool (read-only)."));
    const QCommandLineOption shot(
        QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window to FILE once it is shown, then quit."),
        QStringLiteral("FILE"));
    const QCommandLineOption block(
        {QStringLiteral("b"), QStringLiteral("block")},
        QStringLiteral("Select a block once open: 37, 0x25, or d 1200 for a data block."),
        QStringLiteral("BLOCK"));
    const QCommandLineOption view(
        QStringLiteral("view"),
        QStringLiteral("Start on a view: overview, blockmap, spacemaps, "
                       "btrees, charts, dump, cache, era (default overview)."),
        QStringLiteral("VIEW"));
    const QCommandLineOption edit(
        QStringLiteral("edit"),
        QStringLiteral("Start editing a copy of the metadata (the original is never written)."));
    const QCommandLineOption inPlace(
        QStringLiteral("edit-in-place"),
        QStringLiteral("Open PATH itself for editing (read-write, exclusive: an active pool's "
                       "device is refused with what to do). Nothing is written until Commit."));
    parser.addOptions({snap, demo, shot, block, view, edit, inPlace});
    parser.addPositionalArgument(QStringLiteral("PATH"),
                                 QStringLiteral("Metadata image or device to open."),
                                 QStringLiteral("[PATH]"));
    if (!parser.parse(args)) return makeError(ErrorKind::Usage, parser.errorText().toStdString());

    GuiOptions o;
    o.help = parser.isSet(help);
    o.version = parser.isSet(version);
    o.helpText = parser.helpText();
    o.versionText = QStringLiteral("dmscope " DMSCOPE_VERSION);
    if (o.help || o.version) return o;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return makeError(ErrorKind::Usage, "one PATH at most, got " +
                                               std::to_string(positional.size()) + ": " +
                                               positional.join(QLatin1Char(' ')).toStdString());
    if (!positional.isEmpty()) o.path = positional.first();
    o.demo = parser.isSet(demo);
    if (o.demo && !o.path.isEmpty())
        return makeError(ErrorKind::Usage, "give either PATH or --demo, not both");
    o.metadataSnap = parser.isSet(snap);
    o.screenshot = parser.value(shot);
    o.block = parser.value(block);
    o.view = parser.value(view);
    o.edit = parser.isSet(edit);
    o.editInPlace = parser.isSet(inPlace);
    if (o.editInPlace && o.edit)
        return makeError(ErrorKind::Usage,
                         "--edit edits a copy, --edit-in-place the original: give one of them");
    if (o.editInPlace && o.path.isEmpty())
        return makeError(ErrorKind::Usage, "--edit-in-place needs a PATH (not --demo)");
    return o;
}

} // namespace dms
