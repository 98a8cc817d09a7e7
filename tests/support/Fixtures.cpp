#include "tests/support/Fixtures.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <stdexcept>
#include <zstd.h>

namespace dms::test {

QString fixturePath(const QString& relative) {
    return QStringLiteral(DMSCOPE_FIXTURES_DIR "/") + relative;
}

std::vector<std::uint8_t> fixtureBytes(const QString& relative) {
    QFile f(fixturePath(relative));
    if (!f.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot open fixture " + relative.toStdString());
    const QByteArray raw = f.readAll();
    if (!relative.endsWith(QStringLiteral(".zst")))
        return std::vector<std::uint8_t>(raw.begin(), raw.end());
    const unsigned long long size = ZSTD_getFrameContentSize(raw.constData(), raw.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
        throw std::runtime_error("fixture " + relative.toStdString() + " has no zstd size");
    std::vector<std::uint8_t> out(size);
    const size_t n = ZSTD_decompress(out.data(), out.size(), raw.constData(), raw.size());
    if (ZSTD_isError(n) || n != size)
        throw std::runtime_error("cannot decompress fixture " + relative.toStdString());
    return out;
}

std::shared_ptr<MemoryBlockSource> fixtureSource(const QString& relative) {
    return std::make_shared<MemoryBlockSource>(fixtureBytes(relative), false,
                                               relative.toStdString());
}

QString tempDir() {
    static QTemporaryDir dir;
    return dir.path();
}

QString writeTempFile(const QString& name, const std::vector<std::uint8_t>& bytes) {
    const QString path = tempDir() + QLatin1Char('/') + name;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        throw std::runtime_error("cannot write " + path.toStdString());
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size()));
    return path;
}

RunResult runProgram(const QString& program, const QStringList& args, int timeoutMs) {
    RunResult r;
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted(10000)) {
        r.crashed = true;
        r.err = "could not start " + program.toUtf8();
        return r;
    }
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.timedOut = true;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.crashed = r.crashed || p.exitStatus() == QProcess::CrashExit;
    r.exitCode = p.exitCode();
    return r;
}

QString cliPath() {
    return QStringLiteral(DMSCOPE_CLI_PATH);
}

RunResult runCli(const QStringList& args, int timeoutMs) {
    return runProgram(cliPath(), args, timeoutMs);
}

bool haveThinTools() {
    return !QStandardPaths::findExecutable(QStringLiteral("thin_dump")).isEmpty() &&
           !QStandardPaths::findExecutable(QStringLiteral("thin_check")).isEmpty();
}

} // namespace dms::test
