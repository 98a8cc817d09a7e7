#include "tests/cacheera/ParallelRuns.h"

#include <QProcess>
#include <memory>

namespace dms::test {

std::vector<RunResult> runAll(const std::vector<ProgramRun>& runs, int parallel) {
    std::vector<RunResult> results(runs.size());
    for (std::size_t first = 0; first < runs.size(); first += std::size_t(parallel)) {
        const std::size_t end = std::min(runs.size(), first + std::size_t(parallel));
        std::vector<std::unique_ptr<QProcess>> procs;
        for (std::size_t i = first; i < end; ++i) {
            procs.push_back(std::make_unique<QProcess>());
            procs.back()->start(runs[i].program, runs[i].args);
        }
        for (std::size_t i = first; i < end; ++i) {
            QProcess& p = *procs[i - first];
            RunResult& r = results[i];
            if (!p.waitForStarted(10000)) {
                r.crashed = true;
                r.err = "could not start " + runs[i].program.toUtf8();
                continue;
            }
            p.closeWriteChannel();
            if (!p.waitForFinished(120000)) {
                p.kill();
                p.waitForFinished();
                r.timedOut = true;
            }
            r.out = p.readAllStandardOutput();
            r.err = p.readAllStandardError();
            r.crashed = p.exitStatus() == QProcess::CrashExit;
            r.exitCode = p.exitCode();
        }
    }
    return results;
}

} // namespace dms::test
