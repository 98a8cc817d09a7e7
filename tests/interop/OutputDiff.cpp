#include "tests/interop/OutputDiff.h"

namespace dms::test {

namespace {

// Line `index` (0-based) starting at `pos`, without its newline; `pos` moves past it.
QByteArray takeLine(const QByteArray& text, qsizetype& pos) {
    const qsizetype end = text.indexOf('\n', pos);
    const qsizetype stop = end < 0 ? text.size() : end;
    QByteArray line = text.mid(pos, stop - pos);
    pos = end < 0 ? text.size() : end + 1;
    return line;
}

QString shown(const QByteArray& line, bool atEnd) {
    if (atEnd) return QStringLiteral("<end of output>");
    constexpr qsizetype kMax = 200;
    QString s = QString::fromUtf8(line.left(kMax));
    if (line.size() > kMax) s += QStringLiteral("...");
    return QLatin1Char('\'') + s + QLatin1Char('\'');
}

} // namespace

QString firstDifference(const QByteArray& expected, const QByteArray& actual,
                        const QString& expectedName, const QString& actualName) {
    if (expected == actual) return {};
    qsizetype pe = 0, pa = 0;
    for (qsizetype line = 1;; ++line) {
        const bool endE = pe >= expected.size();
        const bool endA = pa >= actual.size();
        const QByteArray le = endE ? QByteArray() : takeLine(expected, pe);
        const QByteArray la = endA ? QByteArray() : takeLine(actual, pa);
        // Equal lines can still differ in a missing final newline: then both are at the end.
        if (endE != endA || le != la || (endE && endA)) {
            return QStringLiteral("first difference at line %1 (sizes %2 / %3 bytes):\n"
                                  "      %4: %5\n      %6: %7")
                .arg(line)
                .arg(expected.size())
                .arg(actual.size())
                .arg(expectedName, shown(le, endE), actualName, shown(la, endA));
        }
    }
}

} // namespace dms::test
