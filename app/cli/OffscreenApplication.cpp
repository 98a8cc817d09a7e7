#include "app/cli/OffscreenApplication.h"

#include <QApplication>
#include <cstdio>

namespace dms::cli {
namespace {

const char* g_command = "dmscope-cli";

// Qt's warnings about a missing XDG_RUNTIME_DIR (usual in containers and cron) and about the
// empty bars of a log axis (log 0) are noise here.
void quietMessages(QtMsgType type, const QMessageLogContext&, const QString& msg) {
    if (type == QtWarningMsg && (msg.startsWith(QLatin1String("QStandardPaths: ")) ||
                                 msg.startsWith(QLatin1String("Logarithms of zero"))))
        return;
    std::fprintf(stderr, "dmscope-cli %s: %s\n", g_command, qPrintable(msg));
}

} // namespace

void ensureOffscreenApplication(const char* command) {
    g_command = command;
    if (QApplication::instance()) return;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(quietMessages);
    static int argc = 1;
    static char name[] = "dmscope-cli";
    static char* argv[] = {name, nullptr};
    static QApplication app(argc, argv);
}

} // namespace dms::cli
