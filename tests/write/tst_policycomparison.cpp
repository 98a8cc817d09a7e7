// The same edit under both allocation policies, each on its own scratch copy: on the demo pool a
// create-snap + delete chooses the same blocks under both (one transaction opened fresh: both
// searches start at 0 and only move on), and only the cursor left after the commit differs (the
// reference policy returns it to 0). With a commit inside the edit (reserve-metadata-snap) the
// reference policy starts again from block 0 and takes a block freed by that commit, while
// mainline goes on from its cursor: the choices part right after that commit. Each result passes
// thin_check, and the original is never written.

#include "core/MemoryBlockSource.h"
#include "core/thin/PolicyComparison.h"
#include "tests/support/Fixtures.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace dms;
using namespace dms::test;

namespace {

const QString kDemo = QStringLiteral("kernel/pool-b/metadata-msnap.img.zst");

QString thinCheck(const BlockSource& src, const QString& name) {
    std::vector<std::uint8_t> bytes(src.blockCount() * kBlockSize);
    for (std::uint64_t b = 0; b < src.blockCount(); ++b)
        if (!src.read(b, bytes.data() + b * kBlockSize)) return QStringLiteral("unreadable");
    const RunResult r = runProgram(QStringLiteral("thin_check"), {writeTempFile(name, bytes)});
    return r.exitCode == 0 ? QString() : QString::fromUtf8(r.out + r.err);
}

QString blocks(const std::vector<std::uint64_t>& v) {
    QStringList s;
    for (auto b : v)
        s << QString::number(b);
    return s.join(QLatin1Char(','));
}

} // namespace

class TestPolicyComparison : public QObject {
    Q_OBJECT
private slots:
    void createSnapAndDeleteChooseTheSameBlocksAndLeaveDifferentCursors() {
        QVERIFY(haveThinTools());
        const auto bytes = fixtureBytes(kDemo);
        auto base = std::make_shared<MemoryBlockSource>(bytes, false, "demo");
        const PolicyComparison c = comparePolicies(base, [](ThinPoolEditor& ed) {
            if (Status s = ed.createSnapshot(100, 1); !s) return s;
            return ed.deleteDevice(100);
        });
        const PolicyOutcome& r = c.reference;
        const PolicyOutcome& m = c.mainline;
        QVERIFY(!r.error && !m.error);
        QCOMPARE(r.policy, AllocationPolicyKind::Reference);
        QCOMPARE(m.policy, AllocationPolicyKind::Mainline);
        QVERIFY2(r.result != m.result, "the two outcomes share one scratch copy");
        QVERIFY(!r.allocated.empty());
        QVERIFY2(r.allocated == m.allocated,
                 qPrintable(QStringLiteral("one fresh transaction: reference %1, mainline %2")
                                .arg(blocks(r.allocated), blocks(m.allocated))));
        QCOMPARE(r.commits.size(), 1u);
        QCOMPARE(r.cursorAfter, 0u);
        QCOMPARE(m.cursorAfter, m.allocated.back() + 1); // mainline keeps its cursor
        QCOMPARE(r.freeAfter, m.freeAfter);
        QVERIFY(r.freeBefore > 0 && r.events > 0 && r.peakRingFill > 0);
        QVERIFY2(r.passes() && m.passes(), "the checker refused a result");
        QCOMPARE(thinCheck(*r.result, QStringLiteral("ref.img")), QString());
        QCOMPARE(thinCheck(*m.result, QStringLiteral("main.img")), QString());
        std::vector<std::uint8_t> after(bytes.size());
        for (std::uint64_t b = 0; b < base->blockCount(); ++b)
            QVERIFY(base->read(b, after.data() + b * kBlockSize));
        QVERIFY2(after == bytes, "the original was written");
    }

    void afterACommitInsideTheEditTheReferencePolicyRestartsAtBlockZero() {
        QVERIFY(haveThinTools());
        auto base = std::make_shared<MemoryBlockSource>(fixtureBytes(kDemo), false, "demo");
        const PolicyComparison c = comparePolicies(base, [](ThinPoolEditor& ed) {
            if (Status s = ed.createSnapshot(100, 1); !s) return s;
            if (Status s = ed.releaseMetadataSnapshot(); !s) return s;
            if (Status s = ed.reserveMetadataSnapshot(); !s) return s; // commits first
            return ed.deleteDevice(100);
        });
        const PolicyOutcome& r = c.reference;
        const PolicyOutcome& m = c.mainline;
        QVERIFY(!r.error && !m.error);
        QCOMPARE(r.commits.size(), 2u);
        QCOMPARE(m.commits.size(), 2u);
        const std::size_t k = r.commits.front(); // allocations before the inner commit
        QCOMPARE(m.commits.front(), k);
        QVERIFY(k > 0 && k < r.allocated.size() && k < m.allocated.size());
        const std::vector<std::uint64_t> before(r.allocated.begin(), r.allocated.begin() + long(k));
        QVERIFY(std::equal(before.begin(), before.end(), m.allocated.begin()));
        const std::uint64_t highest = *std::max_element(before.begin(), before.end());
        // Mainline goes on past everything it took; reference restarts below.
        QVERIFY2(m.allocated[k] > highest,
                 qPrintable(
                     QStringLiteral("mainline took %1 after %2").arg(m.allocated[k]).arg(highest)));
        QVERIFY2(r.allocated[k] < highest,
                 qPrintable(QStringLiteral("reference took %1, not below %2")
                                .arg(r.allocated[k])
                                .arg(highest)));
        QVERIFY(r.allocated != m.allocated);
        QVERIFY2(r.passes() && m.passes(), "the checker refused a result");
        QCOMPARE(thinCheck(*r.result, QStringLiteral("ref2.img")), QString());
        QCOMPARE(thinCheck(*m.result, QStringLiteral("main2.img")), QString());
    }

    void theCliPrintsBothOutcomesAndWritesNothing() {
        const auto bytes = fixtureBytes(kDemo);
        const QString path = writeTempFile(QStringLiteral("cli.img"), bytes);
        const RunResult r = runCli(
            {QStringLiteral("edit"), path, QStringLiteral("--compare-policies"),
             QStringLiteral("create-snap"), QStringLiteral("100"), QStringLiteral("1"),
             QStringLiteral("release-metadata-snap"), QStringLiteral("reserve-metadata-snap"),
             QStringLiteral("delete"), QStringLiteral("100")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString out = QString::fromUtf8(r.out);
        // What the core computes in this process for the same operations.
        auto base = std::make_shared<MemoryBlockSource>(bytes, false, "demo");
        const PolicyComparison c = comparePolicies(base, [](ThinPoolEditor& ed) {
            if (Status s = ed.createSnapshot(100, 1); !s) return s;
            if (Status s = ed.releaseMetadataSnapshot(); !s) return s;
            if (Status s = ed.reserveMetadataSnapshot(); !s) return s;
            return ed.deleteDevice(100);
        });
        auto list = [](const std::vector<std::uint64_t>& v) {
            QStringList s;
            for (auto b : v)
                s << QString::number(b);
            return s.join(QStringLiteral(", "));
        };
        QVERIFY2(out.contains(QStringLiteral("reference         mainline")), qPrintable(out));
        const QRegularExpression cursor(QStringLiteral("cursor after commit +%1 +%2\\n")
                                            .arg(c.reference.cursorAfter)
                                            .arg(c.mainline.cursorAfter));
        QVERIFY2(out.contains(cursor), qPrintable(out));
        QVERIFY(out.contains(
            QStringLiteral("chosen (reference):       %1\n").arg(list(c.reference.allocated))));
        QVERIFY(out.contains(
            QStringLiteral("chosen (mainline):        %1\n").arg(list(c.mainline.allocated))));
        QVERIFY(c.reference.allocated != c.mainline.allocated);
        QVERIFY(out.contains(QStringLiteral("check (reference):        pass\n")));
        QVERIFY(out.contains(QStringLiteral("check (mainline):         pass\n")));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray after = f.readAll();
        QVERIFY2(after == QByteArray(reinterpret_cast<const char*>(bytes.data()),
                                     qsizetype(bytes.size())),
                 "--compare-policies wrote the image");
    }

    void aFailingEditIsReportedUnderBothPolicies() {
        auto base = std::make_shared<MemoryBlockSource>(fixtureBytes(kDemo), false, "demo");
        const PolicyComparison c =
            comparePolicies(base, [](ThinPoolEditor& ed) { return ed.deleteDevice(999); });
        QVERIFY(c.reference.error && c.mainline.error);
        QVERIFY(!c.reference.passes() && !c.reference.result);
    }
};

QTEST_GUILESS_MAIN(TestPolicyComparison)
#include "tst_policycomparison.moc"
