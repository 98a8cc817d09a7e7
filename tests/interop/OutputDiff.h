#pragma once
// Describes where two program outputs first differ, for failure messages.

#include <QByteArray>
#include <QString>

namespace dms::test {

// Empty when equal; otherwise "line N: <expectedName>: '...' / <actualName>: '...'" with the
// first differing line of each (or "<end of output>") and both sizes.
QString firstDifference(const QByteArray& expected, const QByteArray& actual,
                        const QString& expectedName, const QString& actualName);

} // namespace dms::test
