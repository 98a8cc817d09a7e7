#include "app/gui/RecentFiles.h"

#include <QFileInfo>
#include <QSettings>

namespace dms {
namespace {
const QString kKey = QStringLiteral("recent/files");
}

QStringList RecentFiles::list() {
    return QSettings().value(kKey).toStringList();
}

void RecentFiles::add(const QString& path) {
    const QString canonical = QFileInfo(path).canonicalFilePath();
    const QString entry = canonical.isEmpty() ? path : canonical;
    QStringList files = list();
    files.removeAll(entry);
    files.prepend(entry);
    while (files.size() > kMax)
        files.removeLast();
    QSettings().setValue(kKey, files);
}

void RecentFiles::clear() {
    QSettings().remove(kKey);
}

} // namespace dms
