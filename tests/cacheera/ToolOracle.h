#pragma once
// The comparisons the cache and era interop tests make against one family of the 0.9.0 tools
// (cache_* or era_*): dumps equal, images restored by dmscope-cli accepted by the tools, and equal
// check verdicts on a damaged copy. Each runs QVERIFY: call it, then return if
// QTest::currentTestFailed().

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <random>

namespace dms::test {

class ToolOracle {
public:
    // `family` is "cache" or "era": the tools are <family>_dump, <family>_check.
    explicit ToolOracle(QString family);

    // <family>_dump and dmscope-cli dump of `img` both succeed and print the same; the tool's
    // output is stored in `toolDump`.
    void compareDump(const QString& img, const QString& where, QByteArray& toolDump) const;

    // dmscope-cli restore of `xml` into a new image `img` of `blocks` blocks, which
    // <family>_check accepts and <family>_dump prints as `toolDump`.
    void compareOwnRestore(const QString& xml, const QString& img, std::uint64_t blocks,
                           const QStringList& restoreArgs, const QByteArray& toolDump,
                           const QString& where) const;

    // One used block of `img` damaged into `bad` (when the drawn kind applies: `damaged` is then
    // set); <family>_check and dmscope-cli check then give the same verdict.
    void compareDamagedCheck(const QString& img, const QString& bad, std::mt19937_64& rng,
                             const QString& where, bool& damaged) const;

private:
    QString tool(const char* name) const { return family_ + QLatin1Char('_') + name; }
    QString family_;
};

} // namespace dms::test
