#pragma once
// Runs many short programs at once. The 0.9.0 era tools spend ~40 ms of each run waiting for the
// kernel to tear down their AIO context (io_destroy), not computing: run side by side, a few
// hundred of them take seconds instead of tens of seconds.

#include "tests/support/Fixtures.h"

#include <vector>

namespace dms::test {

struct ProgramRun {
    QString program;
    QStringList args;
};

// Results in the order of `runs`; at most `parallel` at a time.
std::vector<RunResult> runAll(const std::vector<ProgramRun>& runs, int parallel = 24);

} // namespace dms::test
