#include "tests/cacheera/ScratchFiles.h"

#include "tests/support/Fixtures.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <memory>

namespace dms::test {

QString scratchDir() {
    static std::unique_ptr<QTemporaryDir> dir = [] {
        if (QDir(QStringLiteral("/dev/shm")).exists()) {
            auto d = std::make_unique<QTemporaryDir>(QStringLiteral("/dev/shm/dmscope-XXXXXX"));
            if (d->isValid()) return d;
        }
        return std::unique_ptr<QTemporaryDir>();
    }();
    return dir ? dir->path() : tempDir();
}

bool writeText(const QString& path, const QString& text) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    return f.write(text.toUtf8()) >= 0;
}

bool writeBytes(const QString& path, const std::vector<std::uint8_t>& bytes) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    return f.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size())) ==
           qint64(bytes.size());
}

std::vector<std::uint8_t> readBytes(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray b = f.readAll();
    return std::vector<std::uint8_t>(b.begin(), b.end());
}

bool makeImage(const QString& path, std::uint64_t blocks) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    return f.resize(qint64(blocks * 4096));
}

QString firstDifference(const QByteArray& a, const QByteArray& b) {
    const QList<QByteArray> la = a.split('\n'), lb = b.split('\n');
    for (qsizetype i = 0; i < std::max(la.size(), lb.size()); ++i) {
        const QByteArray x = i < la.size() ? la[i] : "<end>";
        const QByteArray y = i < lb.size() ? lb[i] : "<end>";
        if (x != y)
            return QStringLiteral("line %1: expected '%2', got '%3'")
                .arg(i + 1)
                .arg(QString::fromUtf8(x), QString::fromUtf8(y));
    }
    return {};
}

} // namespace dms::test
