#pragma once
// Test fixtures: the metadata images under tests/fixtures (zstd-compressed), decompressed into
// memory or into a temporary file, and helpers to run dmscope-cli and other programs.

#include "core/MemoryBlockSource.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <memory>

namespace dms::test {

// Absolute path of a file under tests/fixtures, e.g. "tools/thin_small.bin.zst".
QString fixturePath(const QString& relative);

// Decompressed bytes of a .zst fixture (or the raw bytes of any other file).
std::vector<std::uint8_t> fixtureBytes(const QString& relative);

// A read-only in-memory source holding a fixture.
std::shared_ptr<MemoryBlockSource> fixtureSource(const QString& relative);

// Writes bytes to a new file in the test's temporary directory and returns its path.
QString writeTempFile(const QString& name, const std::vector<std::uint8_t>& bytes);
// A directory that lives as long as the test process.
QString tempDir();

struct RunResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool crashed = false;
    bool timedOut = false;
};

// Runs a program with arguments; kills it after timeoutMs.
RunResult runProgram(const QString& program, const QStringList& args, int timeoutMs = 120000);
RunResult runCli(const QStringList& args, int timeoutMs = 120000);
QString cliPath();

// True when the thin-provisioning-tools binaries are on PATH.
bool haveThinTools();

} // namespace dms::test
