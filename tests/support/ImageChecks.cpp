#include "tests/support/ImageChecks.h"

#include "core/FileBlockSource.h"
#include "tests/support/Fixtures.h"
#include "tests/support/PoolAudit.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <memory>
#include <sstream>
#include <stdexcept>

namespace dms::test {

const std::vector<ImageChecker>& imageCheckers() {
    static const std::vector<ImageChecker> checkers = {
        {QStringLiteral("thin_check"), QStringLiteral("thin_check"), {}},
        {QStringLiteral("dmscope-cli check"), cliPath(), {QStringLiteral("check")}},
    };
    return checkers;
}

namespace {

struct Job {
    std::size_t image = 0;
    QString what; // "thin_check", "thin_dump", "thin_dump -m"
    QString program;
    QStringList args;
    const std::string* expectedOut = nullptr; // compared when set
};

std::string runJobs(const std::vector<ImageExpectation>& images, const std::vector<Job>& jobs,
                    int parallel) {
    std::string failures;
    for (std::size_t first = 0; first < jobs.size(); first += parallel) {
        const std::size_t last = std::min(jobs.size(), first + std::size_t(parallel));
        std::vector<std::unique_ptr<QProcess>> procs;
        for (std::size_t j = first; j < last; ++j) {
            procs.push_back(std::make_unique<QProcess>());
            procs.back()->start(jobs[j].program, jobs[j].args);
        }
        for (std::size_t j = first; j < last; ++j) {
            QProcess& p = *procs[j - first];
            const Job& job = jobs[j];
            const ImageExpectation& img = images[job.image];
            const std::string where = img.label.toStdString() + " (" + img.path.toStdString() +
                                      "): " + job.what.toStdString();
            if (!p.waitForStarted(10000) || !p.waitForFinished(120000)) {
                p.kill();
                p.waitForFinished();
                failures += where + ": did not run or did not finish\n";
                continue;
            }
            const QByteArray out = p.readAllStandardOutput();
            const QByteArray err = p.readAllStandardError();
            if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
                failures += where + " failed (exit " + std::to_string(p.exitCode()) +
                            "): " + err.trimmed().toStdString() + " " +
                            out.trimmed().toStdString() + "\n";
                continue;
            }
            if (job.expectedOut) {
                const std::string diff = firstDifference(*job.expectedOut, out.toStdString());
                if (!diff.empty()) failures += where + " differs from the model: " + diff + "\n";
            }
        }
    }
    return failures;
}

} // namespace

std::string verifyImages(const std::vector<ImageExpectation>& images, int parallel) {
    std::vector<Job> jobs;
    std::string failures;
    for (std::size_t i = 0; i < images.size(); ++i) {
        const ImageExpectation& img = images[i];
        for (const ImageChecker& c : imageCheckers())
            jobs.push_back({i, c.name, c.program, c.args + QStringList{img.path}, nullptr});
        jobs.push_back({i, "thin_dump", "thin_dump", {img.path}, &img.dump});
        if (!img.heldDump.empty())
            jobs.push_back({i, "thin_dump -m", "thin_dump", {"-m", img.path}, &img.heldDump});

        auto src = FileBlockSource::open(img.path.toStdString());
        if (!src) {
            failures += img.label.toStdString() + ": " + src.error().describe() + "\n";
            continue;
        }
        const std::string audit = auditPool(std::shared_ptr<const BlockSource>(std::move(*src)));
        if (!audit.empty())
            failures +=
                img.label.toStdString() + " (" + img.path.toStdString() + "): audit: " + audit;
    }
    return failures + runJobs(images, jobs, parallel);
}

QString scratchDir() {
    static QTemporaryDir dir(QDir(QStringLiteral("/dev/shm")).exists()
                                 ? QStringLiteral("/dev/shm/dmscope-test-XXXXXX")
                                 : QDir::tempPath() + QStringLiteral("/dmscope-test-XXXXXX"));
    if (!dir.isValid()) return tempDir();
    return dir.path();
}

QString scratchPath(const QString& name) {
    return scratchDir() + QLatin1Char('/') + name;
}

QString writeScratchImage(const QString& name, const std::vector<std::uint8_t>& bytes) {
    const QString path = scratchPath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        f.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size())) !=
            qint64(bytes.size()))
        throw std::runtime_error("cannot write " + path.toStdString());
    return path;
}

std::string firstDifference(const std::string& expected, const std::string& actual) {
    if (expected == actual) return {};
    std::istringstream a(expected), b(actual);
    std::string la, lb;
    for (int line = 1;; ++line) {
        const bool ha = static_cast<bool>(std::getline(a, la));
        const bool hb = static_cast<bool>(std::getline(b, lb));
        if (!ha && !hb) return "texts differ only in their final newline";
        if (!ha || !hb || la != lb)
            return "line " + std::to_string(line) + ": expected '" + (ha ? la : "<end>") +
                   "', got '" + (hb ? lb : "<end>") + "'";
    }
}

} // namespace dms::test
