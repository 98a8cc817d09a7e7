#include "tests/interop/InteropHarness.h"

#include "tests/interop/OutputDiff.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QThread>
#include <atomic>
#include <fstream>
#include <unistd.h>

namespace dms::test {

namespace {

const char* const kThinTools[] = {"thin_restore", "thin_dump", "thin_check", "thin_ls",
                                  "thin_rmap"};
constexpr int kProcessTimeoutMs = 120000;

std::optional<std::uint64_t> envNumber(const char* name) {
    const QByteArray v = qgetenv(name).trimmed();
    if (v.isEmpty()) return std::nullopt;
    bool ok = false;
    const std::uint64_t n = v.toULongLong(&ok, 0);
    if (!ok) qFatal("%s=%s is not a number", name, v.constData());
    return n;
}

QString exitText(const RunResult& r) {
    if (r.timedOut) return QStringLiteral("timed out");
    if (r.crashed) return QStringLiteral("crashed");
    return QStringLiteral("exit %1").arg(r.exitCode);
}

// The first line of an AddressSanitizer/UndefinedBehaviorSanitizer report in stderr, if any
// (a sanitizer build of dmscope-cli may report and still exit with the expected status).
QString sanitizerReport(const QByteArray& err) {
    for (const char* marker :
         {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"}) {
        const qsizetype at = err.indexOf(marker);
        if (at < 0) continue;
        const qsizetype begin = err.lastIndexOf('\n', at) + 1;
        const qsizetype end = err.indexOf('\n', at);
        return QString::fromUtf8(err.mid(begin, end < 0 ? -1 : end - begin));
    }
    return {};
}

QString firstLine(const QByteArray& text) {
    return QString::fromUtf8(text.left(text.indexOf('\n') < 0 ? 300 : text.indexOf('\n')));
}

} // namespace

QString commandLine(const QString& program, const QStringList& args) {
    return QFileInfo(program).fileName() + QLatin1Char(' ') + args.join(QLatin1Char(' '));
}

InteropConfig InteropConfig::fromEnvironment() {
    InteropConfig c;
    if (auto s = envNumber("DMSCOPE_INTEROP_SEED"))
        c.seed = *s;
    else
        c.seed =
            mixSeed(std::uint64_t(QDateTime::currentMSecsSinceEpoch()), std::uint64_t(getpid()));
    if (auto n = envNumber("DMSCOPE_INTEROP_POOLS")) c.pools = *n;
    c.onlyPool = envNumber("DMSCOPE_INTEROP_POOL");
    c.jobs = std::clamp(QThread::idealThreadCount(), 1, 4);
    if (auto j = envNumber("DMSCOPE_INTEROP_JOBS"))
        c.jobs = int(std::clamp<std::uint64_t>(*j, 1, 64));
    return c;
}

InteropHarness::InteropHarness(const InteropConfig& config)
    : config_(config), dir_(QDir::tempPath() + QStringLiteral("/dmscope-interop-XXXXXX")) {
    const QStringList extra = {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"),
                               QStringLiteral("/usr/local/sbin")};
    for (const char* name : kThinTools) {
        QString path = QStandardPaths::findExecutable(QString::fromLatin1(name));
        if (path.isEmpty()) path = QStandardPaths::findExecutable(QString::fromLatin1(name), extra);
        if (!path.isEmpty()) tools_.insert(QString::fromLatin1(name), path);
    }
}

InteropHarness::~InteropHarness() {
    // Keep the files of failing pools (and the directory); remove everything else.
    const QDir dir(dir_.path());
    for (const QString& name : dir.entryList(QDir::Files)) {
        if (!name.startsWith(QStringLiteral("pool-"))) continue;
        const std::uint64_t index = name.section(QLatin1Char('.'), 0, 0).mid(5).toULongLong();
        if (!failedPools_.contains(index)) QFile::remove(dir.filePath(name));
    }
    if (!failedPools_.isEmpty()) {
        dir_.setAutoRemove(false);
        qWarning("interop: files of the %lld failing pools kept in %s",
                 qlonglong(failedPools_.size()), qPrintable(dir_.path()));
    }
}

QStringList InteropHarness::missingThinTools() const {
    QStringList missing;
    for (const char* name : kThinTools)
        if (!tools_.contains(QString::fromLatin1(name))) missing << QString::fromLatin1(name);
    return missing;
}

QString InteropHarness::thinPath(const QString& tool) const {
    return tools_.value(tool, tool);
}

QString InteropHarness::poolFile(std::uint64_t index, const QString& suffix) const {
    return dir_.path() + QStringLiteral("/pool-%1.").arg(index, 3, 10, QLatin1Char('0')) + suffix;
}

void InteropHarness::forEachPool(const std::function<bool(std::uint64_t)>& selected,
                                 const std::function<void(std::uint64_t)>& fn) {
    std::vector<std::uint64_t> todo;
    if (config_.onlyPool)
        todo.push_back(*config_.onlyPool);
    else
        for (std::uint64_t i = 0; i < config_.pools; ++i)
            if (selected(i)) todo.push_back(i);
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t k; (k = next.fetch_add(1)) < todo.size();) {
            const std::uint64_t index = todo[k];
            try {
                fn(index);
            } catch (const std::exception& e) {
                fail(index, GeneratedPool{},
                     QStringLiteral("exception: ") + QString::fromUtf8(e.what()));
            }
        }
    };
    std::vector<QThread*> threads;
    for (int j = 0; j < config_.jobs; ++j)
        threads.push_back(QThread::create(worker));
    for (QThread* t : threads)
        t->start();
    for (QThread* t : threads) {
        t->wait();
        delete t;
    }
    poolsRun_ = todo.size();
}

QString InteropHarness::restore(const GeneratedPool& pool, const QString& xmlPath,
                                const QString& imagePath) {
    {
        std::ofstream xml(xmlPath.toStdString(), std::ios::binary | std::ios::trunc);
        xml << poolToRestoreXml(pool);
        if (!xml) return QStringLiteral("cannot write ") + xmlPath;
    }
    QFile image(imagePath);
    if (!image.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        !image.resize(qint64(pool.metadataBytes)))
        return QStringLiteral("cannot create the %1-byte image %2")
            .arg(pool.metadataBytes)
            .arg(imagePath);
    image.close();
    const QStringList args = {QStringLiteral("-i"), xmlPath, QStringLiteral("-o"), imagePath};
    const RunResult r = runThin(QStringLiteral("thin_restore"), args);
    if (r.exitCode != 0 || r.crashed || r.timedOut) {
        QFile::remove(imagePath); // half-written: no later test may take it for a pool
        return QStringLiteral("thin_restore rejected the generated XML (%1): %2 %3\n    %4")
            .arg(exitText(r), firstLine(r.err), firstLine(r.out),
                 commandLine(QStringLiteral("thin_restore"), args));
    }
    return {};
}

RunResult InteropHarness::timed(const QString& name, const QString& program,
                                const QStringList& args) {
    QElapsedTimer clock;
    clock.start();
    RunResult r = runProgram(program, args, kProcessTimeoutMs);
    const qint64 ms = clock.elapsed();
    std::lock_guard lock(mutex_);
    auto& t = timings_[name];
    t.first += ms;
    t.second += 1;
    return r;
}

RunResult InteropHarness::runThin(const QString& tool, const QStringList& args) {
    return timed(tool, thinPath(tool), args);
}

RunResult InteropHarness::runOurs(const QStringList& args) {
    return timed(QStringLiteral("dmscope-cli ") + args.value(0), cliPath(), args);
}

QString InteropHarness::sanitizerFinding(const RunResult& r) {
    return sanitizerReport(r.err);
}

QString InteropHarness::takeTimings() {
    std::lock_guard lock(mutex_);
    QStringList parts;
    for (auto it = timings_.cbegin(); it != timings_.cend(); ++it)
        parts << QStringLiteral("%1 %2 s/%3 runs")
                     .arg(it.key())
                     .arg(it->first / 1000.0, 0, 'f', 1)
                     .arg(it->second);
    timings_.clear();
    return parts.join(QStringLiteral(", "));
}

void InteropHarness::keep(const QString& path, const QByteArray& bytes) const {
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate)) f.write(bytes);
}

InteropHarness::Comparison InteropHarness::compare(std::uint64_t index, const GeneratedPool& pool,
                                                   const QString& label, const QString& thinTool,
                                                   const QStringList& thinArgs,
                                                   const QStringList& ourArgs, bool compareOutput,
                                                   const QString& note) {
    const RunResult theirs = runThin(thinTool, thinArgs);
    const RunResult ours = runOurs(ourArgs);
    QStringList problems;
    if (ours.crashed || ours.timedOut || ours.exitCode != theirs.exitCode)
        problems << QStringLiteral("%1 %2 but dmscope-cli %3 (%4)")
                        .arg(thinTool, exitText(theirs), exitText(ours), firstLine(ours.err));
    if (const QString report = sanitizerReport(ours.err); !report.isEmpty())
        problems << QStringLiteral("sanitizer: ") + report;
    if (compareOutput) {
        const QString diff =
            firstDifference(theirs.out, ours.out, thinTool, QStringLiteral("dmscope-cli"));
        if (!diff.isEmpty()) problems << diff;
    }
    if (!problems.isEmpty()) {
        const QString base = poolFile(index, label);
        keep(base + QStringLiteral(".thin.out"), theirs.out);
        keep(base + QStringLiteral(".thin.err"), theirs.err);
        keep(base + QStringLiteral(".ours.out"), ours.out);
        keep(base + QStringLiteral(".ours.err"), ours.err);
        fail(index, pool,
             QStringLiteral("%1%6: `%2` vs `%3`: %4\n    outputs kept as %5.{thin,ours}.{out,err}")
                 .arg(label, commandLine(QStringLiteral("dmscope-cli"), ourArgs),
                      commandLine(thinTool, thinArgs), problems.join(QStringLiteral("; ")), base,
                      note.isEmpty() ? QString() : QStringLiteral(" [") + note + QLatin1Char(']')));
    }
    return {theirs, ours};
}

QString InteropHarness::where(std::uint64_t index, const GeneratedPool& pool) const {
    return QStringLiteral("seed=%1 pool=%2 (%3; repeat with DMSCOPE_INTEROP_SEED=%1 "
                          "DMSCOPE_INTEROP_POOL=%2)")
        .arg(config_.seed)
        .arg(index)
        .arg(QString::fromStdString(pool.describe()));
}

void InteropHarness::fail(std::uint64_t index, const GeneratedPool& pool, const QString& what) {
    const QString message = where(index, pool) + QStringLiteral(":\n    ") + what +
                            QStringLiteral("\n    files: ") + poolFile(index, QStringLiteral("*"));
    std::lock_guard lock(mutex_);
    failures_ << message;
    failedPools_.insert(index);
}

QStringList InteropHarness::takeFailures() {
    std::lock_guard lock(mutex_);
    QStringList out;
    out.swap(failures_);
    return out;
}

} // namespace dms::test
