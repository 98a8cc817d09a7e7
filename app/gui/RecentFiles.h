#pragma once
// The images and devices opened lately (most recent first, at most ten), kept in the settings.

#include <QStringList>

namespace dms {

class RecentFiles {
public:
    static constexpr int kMax = 10;
    static QStringList list();
    static void add(const QString& path);
    static void clear();
};

} // namespace dms
