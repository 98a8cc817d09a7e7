// The corruption matrix: every kind of metadata block damaged in every way that applies (bit
// flip, zeroed, swapped with another block, a child pointing back at an ancestor, nr_entries
// beyond max_entries, keys out of order; checksums re-sealed where only the structure should
// be wrong), plus files that are not metadata at all. For each: the checker names the damaged
// block and/or field, neither crashes nor hangs (in process and through the CLI with a
// timeout), and its verdict (pass / non-fatal / fatal) equals thin_check 0.9.0's on the same
// file. `dmscope-cli info` must survive the same files.

#include "core/check/ThinChecker.h"
#include "tests/support/CorruptionCases.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"

#include <QFile>
#include <QTest>
#include <functional>

using namespace dms;
using namespace dms::test;

namespace {

std::string listOf(const CheckReport& r) {
    std::string s;
    for (const Finding& f : r.findings())
        s += f.describe() + "\n";
    return s;
}

bool names(const CheckReport& r, const DamageExpectation& e) {
    for (const Finding& f : r.findings()) {
        const bool blockOk =
            e.blocks.empty() ||
            (f.block && std::find(e.blocks.begin(), e.blocks.end(), *f.block) != e.blocks.end());
        const bool fieldOk = e.fields.empty() ||
                             std::find(e.fields.begin(), e.fields.end(), f.field) != e.fields.end();
        if (blockOk && fieldOk && f.severity != Severity::Warning) return true;
    }
    return false;
}

// Everything a damaged file must satisfy.
void checkDamagedFile(const std::vector<std::uint8_t>& bytes, const DamageExpectation& expect,
                      const QString& fileName) {
    // In process, both passes; must terminate and name the damage.
    const auto source = std::make_shared<MemoryBlockSource>(bytes, false, "image");
    const CheckReport report = ThinChecker(source).run();
    QVERIFY2(report.verdict() != CheckVerdict::Pass, listOf(report).c_str());
    QVERIFY2(names(report, expect), ("no finding names the damage:\n" + listOf(report)).c_str());
    CheckOptions exact;
    exact.exactOnly = true;
    const CheckReport exactReport = ThinChecker(source, exact).run();
    QVERIFY2(names(exactReport, expect) || names(report, expect), listOf(exactReport).c_str());

    const QString path = writeTempFile(fileName, bytes);
    const VerdictPair tool = thinCheckVerdict(path);
    QVERIFY2(tool.plain == 0 || tool.plain == 1, "thin_check crashed or hung");
    const VerdictPair ours = checkerVerdict(bytes);
    const VerdictPair oursExact = checkerVerdict(bytes, exact);
    const VerdictPair cli = cliVerdict(path);
    QVERIFY2(ours == tool, qPrintable("core " + ours.name() + ", thin_check " + tool.name()));
    QVERIFY2(oursExact == tool, qPrintable("thin_check-order pass " + oursExact.name() +
                                           ", thin_check " + tool.name()));
    QVERIFY2(cli == tool, qPrintable("cli " + cli.name() + ", thin_check " + tool.name()));
    qInfo("verdict %s (thin_check %s)", qPrintable(ours.name()), qPrintable(tool.name()));

    // The CLI's own output for the same file: no crash, no hang, a report on stdout.
    const RunResult text = runCli({"check", path}, 30000);
    QVERIFY2(!text.crashed && !text.timedOut, text.err.constData());
    QVERIFY(text.out.contains("verdict: "));
    const RunResult info = runCli({"info", path}, 30000);
    QVERIFY2(!info.crashed && !info.timedOut, info.err.constData());
    QVERIFY(info.exitCode == 0 || info.exitCode == 1);
}

} // namespace

class TestCorruptionMatrix : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(haveThinTools(), "thin_check 0.9.0 (thin-provisioning-tools) is the oracle");
        QVERIFY2(!manyDevicesPool().empty(), "thin_restore could not build the 300-device pool");
        const Corruptor many(manyDevicesPool());
        QVERIFY2(many.layout().topInternal != 0, "the 300-device pool has no top-level internal");
        QVERIFY2((many.u32(many.layout().detailsRoot, 4) & 3) == 1,
                 "the 300-device pool's details root is not internal");
    }

    void damagedBlock_data() {
        QTest::addColumn<int>("target");
        QTest::addColumn<int>("damage");
        for (std::size_t i = 0; i < corruptionTargets().size(); ++i)
            for (Damage d : damagesFor(corruptionTargets()[i].kind))
                QTest::newRow(
                    qPrintable(QString(corruptionTargets()[i].name) + ": " + damageName(d)))
                    << int(i) << int(d);
    }
    void damagedBlock() {
        QFETCH(int, target);
        QFETCH(int, damage);
        const CorruptionTarget& t = corruptionTargets()[std::size_t(target)];
        Corruptor c(targetImage(t));
        const std::uint64_t b = t.block(c, c.layout());
        QVERIFY(b != 0 || t.kind == CorruptionTarget::Superblock);
        if (t.kind == CorruptionTarget::Leaf || t.kind == CorruptionTarget::Pointers)
            QVERIFY(c.nrEntries(b) >= 2);
        const DamageExpectation e = applyDamage(c, t, Damage(damage));
        checkDamagedFile(c.bytes(), e, QString("matrix_%1_%2.img").arg(target).arg(damage));
    }

    void notMetadata_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("field");
        const auto small = fixtureBytes("tools/thin_small.bin.zst");
        const auto large = fixtureBytes("tools/thin_large.bin.zst");
        QTest::newRow("empty file") << QByteArray() << "";
        QTest::newRow("text file") << QByteArray("this is not metadata\n", 21) << "";
        QTest::newRow("long text file") << QByteArray(10000, 'x') << "csum";
        QTest::newRow("xml") << QByteArray(4096 * 2, ' ').prepend("<superblock uuid=\"\">")
                             << "csum";
        QTest::newRow("all zero") << QByteArray(1 << 20, '\0') << "csum";
        QTest::newRow("only a valid superblock")
            << QByteArray(reinterpret_cast<const char*>(small.data()), 4096)
            << "device_details_root";
        QTest::newRow("truncated mid-block")
            << QByteArray(reinterpret_cast<const char*>(large.data()), 30 * 4096 + 1000)
            << "value[";
        QTest::newRow("truncated inside the superblock")
            << QByteArray(reinterpret_cast<const char*>(small.data()), 4000) << "";
    }
    void notMetadata() {
        QFETCH(QByteArray, content);
        QFETCH(QString, field);
        const std::vector<std::uint8_t> bytes(content.begin(), content.end());
        const auto report = ThinChecker(std::make_shared<MemoryBlockSource>(bytes, false)).run();
        QCOMPARE(report.verdict(), CheckVerdict::Fatal);
        bool named = false;
        for (const Finding& f : report.findings())
            named = named || (f.severity == Severity::Fatal &&
                              QString::fromStdString(f.field).startsWith(field));
        QVERIFY2(named, listOf(report).c_str());
        checkDamagedFile(bytes, DamageExpectation{},
                         QString("notmeta_%1.img").arg(QTest::currentDataTag()));
    }
};

QTEST_GUILESS_MAIN(TestCorruptionMatrix)
#include "tst_corruptionmatrix.moc"
