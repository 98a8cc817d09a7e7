#include "tests/cacheera/RunSettings.h"

#include <QStandardPaths>
#include <QString>
#include <QtGlobal>

namespace dms::test {

bool toolsInstalled(std::initializer_list<const char*> tools) {
    for (const char* tool : tools)
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty()) return false;
    return true;
}

int poolCount(const char* variable, int fallback) {
    const int n = qEnvironmentVariableIntValue(variable);
    return n > 0 ? n : fallback;
}

} // namespace dms::test
