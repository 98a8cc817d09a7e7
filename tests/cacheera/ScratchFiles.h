#pragma once
// Files for the cache and era tests: a scratch directory (in /dev/shm when there is one, so
// that the tools' and our flushes cost nothing), images of a given size, text and bytes, and
// the first differing line of two outputs for failure messages.

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <vector>

namespace dms::test {

QString scratchDir();
bool writeText(const QString& path, const QString& text);
bool writeBytes(const QString& path, const std::vector<std::uint8_t>& bytes);
std::vector<std::uint8_t> readBytes(const QString& path);
// A zero-filled image of `blocks` 4 KiB blocks.
bool makeImage(const QString& path, std::uint64_t blocks);
QString firstDifference(const QByteArray& expected, const QByteArray& got);

} // namespace dms::test
