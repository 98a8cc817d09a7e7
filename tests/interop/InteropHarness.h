#pragma once
// Runs generated pools through thin-provisioning-tools and dmscope-cli, several pools at a
// time, and collects mismatches as messages that name the seed, the pool, both commands and the
// first differing line. Files of failing pools are kept in the work directory.
//
// Environment: DMSCOPE_INTEROP_SEED (decimal or 0x-hex; default: the clock),
// DMSCOPE_INTEROP_POOLS (default 200), DMSCOPE_INTEROP_POOL (only this pool index, to repeat
// a failure), DMSCOPE_INTEROP_JOBS (parallel pools; default: the number of cores, at most 4).

#include "tests/interop/PoolXmlGenerator.h"
#include "tests/support/Fixtures.h"

#include <QMap>
#include <QSet>
#include <QTemporaryDir>
#include <functional>
#include <mutex>
#include <optional>

namespace dms::test {

struct InteropConfig {
    std::uint64_t seed = 0;
    std::uint64_t pools = 200;
    std::optional<std::uint64_t> onlyPool;
    int jobs = 2;

    static InteropConfig fromEnvironment();
};

class InteropHarness {
public:
    explicit InteropHarness(const InteropConfig& config);
    ~InteropHarness();

    const InteropConfig& config() const { return config_; }
    // Empty when every thin tool is found; otherwise the names of the missing ones.
    QStringList missingThinTools() const;
    QString workDir() const { return dir_.path(); }
    // workDir/pool-NNN.<suffix>
    QString poolFile(std::uint64_t index, const QString& suffix) const;

    // fn(index) for every selected pool, config().jobs pools at a time.
    void forEachPool(const std::function<bool(std::uint64_t)>& selected,
                     const std::function<void(std::uint64_t)>& fn);

    // Writes the restore XML, creates an image of the pool's metadata size and runs
    // thin_restore. Returns an error text, empty on success.
    QString restore(const GeneratedPool& pool, const QString& xmlPath, const QString& imagePath);

    RunResult runThin(const QString& tool, const QStringList& args);
    RunResult runOurs(const QStringList& args);
    // The first line of a sanitizer report in r's stderr, empty if none.
    static QString sanitizerFinding(const RunResult& r);
    // Wall time spent per program (thin tool, or dmscope-cli sub-command) since the last call.
    QString takeTimings();

    struct Comparison {
        RunResult theirs;
        RunResult ours;
    };
    // Runs `thin_<tool> args` and `dmscope-cli ourArgs`; records a failure unless the exit codes
    // and (if compareOutput) stdout are identical.
    Comparison compare(std::uint64_t index, const GeneratedPool& pool, const QString& label,
                       const QString& thinTool, const QStringList& thinArgs,
                       const QStringList& ourArgs, bool compareOutput, const QString& note = {});

    // Records a mismatch of pool `index` (thread-safe).
    void fail(std::uint64_t index, const GeneratedPool& pool, const QString& what);
    // The failures recorded since the last call.
    QStringList takeFailures();
    std::uint64_t poolsRun() const { return poolsRun_; }

    // The message prefix every failure carries.
    QString where(std::uint64_t index, const GeneratedPool& pool) const;

private:
    QString thinPath(const QString& tool) const;
    void keep(const QString& path, const QByteArray& bytes) const;
    RunResult timed(const QString& name, const QString& program, const QStringList& args);

    InteropConfig config_;
    QTemporaryDir dir_;
    QHash<QString, QString> tools_;
    std::mutex mutex_;
    QStringList failures_;
    QSet<std::uint64_t> failedPools_;
    std::uint64_t poolsRun_ = 0;
    QMap<QString, std::pair<qint64, int>> timings_; // program -> (milliseconds, runs)
};

QString commandLine(const QString& program, const QStringList& args);

} // namespace dms::test
