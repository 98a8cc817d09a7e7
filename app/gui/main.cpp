// dmscope: the GUI. See GuiCommandLine.h for the command line.

#include "app/gui/GuiCommandLine.h"
#include "app/gui/MainWindow.h"
#include "resources/ResourceInit.h"

#include <QApplication>
#include <QIcon>
#include <QTimer>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

bool hasArgument(int argc, char** argv, std::initializer_list<const char*> names) {
    for (int i = 1; i < argc; ++i)
        for (const char* n : names)
            if (std::strcmp(argv[i], n) == 0) return true;
    return false;
}

// --help and --version need no window system; print them without one.
int printTextOnly(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    auto options = dms::parseGuiCommandLine(QCoreApplication::arguments());
    if (!options) {
        std::fprintf(stderr, "dmscope: %s\n", options.error().message.c_str());
        return 2;
    }
    std::fputs(
        qPrintable((options->help ? options->helpText : options->versionText) + QLatin1Char('\n')),
        stdout);
    return 0;
}

// Qt aborts with a message about platform plugins when there is no display; say it plainly.
bool haveDisplay(int argc, char** argv) {
    for (const char* var : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) {
        const char* v = std::getenv(var);
        if (v && *v) return true;
    }
    return hasArgument(argc, argv, {"-platform", "--platform"});
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication::setOrganizationName(QStringLiteral("dmscope"));
    QCoreApplication::setApplicationName(QStringLiteral("dmscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DMSCOPE_VERSION));
    if (hasArgument(argc, argv, {"-h", "--help", "--help-all", "-v", "--version"}))
        return printTextOnly(argc, argv);
    if (!haveDisplay(argc, argv)) {
        std::fputs("dmscope: no display: neither DISPLAY nor WAYLAND_DISPLAY is set. Start it in "
                   "a desktop session or under xvfb-run; dmscope-cli works without a display.\n",
                   stderr);
        return 1;
    }

    QApplication app(argc, argv);
    QGuiApplication::setDesktopFileName(QStringLiteral("dmscope"));
    dms::initResources();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/dmscope.svg")));

    auto options = dms::parseGuiCommandLine(QApplication::arguments());
    if (!options) {
        std::fprintf(stderr, "dmscope: %s\nTry 'dmscope --help'.\n",
                     options.error().message.c_str());
        return 2;
    }

    dms::MainWindow window;
    bool opened = false;
    if (options->demo)
        opened = window.openDemo();
    else if (options->editInPlace)
        opened = window.openForEditing(options->path);
    else if (!options->path.isEmpty())
        opened = window.openPath(options->path);
    if (opened && options->metadataSnap) window.setShowMetadataSnapshot(true);
    if (opened && options->edit) window.editCopy();
    if (!options->view.isEmpty() && !window.showView(options->view))
        std::fprintf(stderr,
                     "dmscope: no view \"%s\" (overview, blockmap, spacemaps, btrees, charts, "
                     "dump, cache, era)\n",
                     qPrintable(options->view));
    if (opened && !options->block.isEmpty() && !window.goToBlock(options->block))
        std::fprintf(stderr, "dmscope: %s is not a block of this metadata\n",
                     qPrintable(options->block));
    window.show();

    if (!options->screenshot.isEmpty()) {
        // Give the window system a moment to map and lay out the window before grabbing it.
        const QString file = options->screenshot;
        QTimer::singleShot(800, &window, [&window, file] {
            const bool saved = window.saveScreenshot(file);
            if (!saved) std::fprintf(stderr, "dmscope: cannot save %s\n", qPrintable(file));
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}
