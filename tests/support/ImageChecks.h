#pragma once
// Verifies committed thin-pool images against what they must hold: every checker passes (Debian's
// thin_check and our own `dmscope-cli check`), the in-process audit (PoolAudit.h) passes,
// `thin_dump` prints exactly the expected state and, with a metadata snapshot, `thin_dump -m`
// exactly the expected held state. The tools run several at a time: each run spends most of its ~40
// ms waiting, not computing.

#include <QString>
#include <QStringList>

#include <cstdint>
#include <string>
#include <vector>

namespace dms::test {

struct ImageExpectation {
    QString path;
    QString label;        // for messages, e.g. "seed 17 (reference), transaction 3"
    std::string dump;     // expected `thin_dump` output
    std::string heldDump; // expected `thin_dump -m` output; empty: none is held
};

struct ImageChecker {
    QString name;
    QString program;
    QStringList args; // the image path is appended
};

// Every checker a consistent image must pass.
const std::vector<ImageChecker>& imageCheckers();

// Empty when every image passes every check; else what failed, naming image and tool.
std::string verifyImages(const std::vector<ImageExpectation>& images, int parallel = 12);

// Where test images go: a directory in /dev/shm when there is one (the tools are run thousands of
// times), else the test's temporary directory.
QString scratchDir();
QString scratchPath(const QString& name);
// Writes bytes to scratchPath(name) and returns the path.
QString writeScratchImage(const QString& name, const std::vector<std::uint8_t>& bytes);

// The first line where two texts differ, as "line N: expected '...', got '...'"; empty if equal.
std::string firstDifference(const std::string& expected, const std::string& actual);

} // namespace dms::test
