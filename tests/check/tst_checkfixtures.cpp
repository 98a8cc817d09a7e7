// The checker on every fixture: its verdict equals thin_check 0.9.0's (in process, through the
// CLI, in the optimistic and in the thin_check-order pass), for every scope option too; cache
// and era metadata are refused by name; output names block, field and path.

#include "core/check/ThinChecker.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace dms;
using namespace dms::test;

namespace {

CheckReport checkBytes(const std::vector<std::uint8_t>& bytes, CheckOptions options = {}) {
    return ThinChecker(std::make_shared<MemoryBlockSource>(bytes, false, "image"), options).run();
}

// A source that can only copy blocks out (like a device that cannot be mapped).
class CopyingSource final : public BlockSource {
public:
    explicit CopyingSource(std::vector<std::uint8_t> bytes) : inner_(std::move(bytes), false) {}
    std::uint64_t blockCount() const override { return inner_.blockCount(); }
    std::uint64_t byteSize() const override { return inner_.byteSize(); }
    Status read(std::uint64_t block, std::uint8_t* out) const override {
        return inner_.read(block, out);
    }
    std::string name() const override { return "copying"; }

private:
    MemoryBlockSource inner_;
};

QString tempImage(const QString& fixture) {
    QString name = fixture;
    name.replace(QLatin1Char('/'), QLatin1Char('_'));
    return writeTempFile(name + QStringLiteral(".img"), fixtureBytes(fixture));
}

} // namespace

class TestCheckFixtures : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(haveThinTools(), "thin_check 0.9.0 (thin-provisioning-tools) is the oracle");
    }

    void verdictEqualsThinCheck_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("expected");
        QTest::newRow("thin_small") << "tools/thin_small.bin.zst"
                                    << "pass";
        QTest::newRow("thin_large") << "tools/thin_large.bin.zst"
                                    << "pass";
        QTest::newRow("thin_needs_check") << "tools/thin_needs_check.bin.zst"
                                          << "pass";
        QTest::newRow("kernel state A") << "kernel/pool-a/metadata-msnap.img.zst"
                                        << "pass";
        QTest::newRow("kernel state B") << "kernel/pool-a/metadata.img.zst"
                                        << "pass";
        QTest::newRow("lvm") << "lvm/pool/metadata.img.zst"
                             << "pass";
        QTest::newRow("lvm live msnap") << "lvm/pool/metadata-live-msnap.img.zst"
                                        << "pass";
        QTest::newRow("cache_v1") << "tools/cache_v1.bin.zst"
                                  << "fatal";
        QTest::newRow("cache_v2") << "tools/cache_v2.bin.zst"
                                  << "fatal";
        QTest::newRow("era") << "tools/era.bin.zst"
                             << "fatal";
    }
    void verdictEqualsThinCheck() {
        QFETCH(QString, fixture);
        QFETCH(QString, expected);
        const auto bytes = fixtureBytes(fixture);
        const QString path = tempImage(fixture);
        const VerdictPair tool = thinCheckVerdict(path);
        QCOMPARE(tool.name(), expected); // the oracle behaves as recorded in the fixtures
        QCOMPARE(checkerVerdict(bytes).name(), tool.name());
        CheckOptions exact;
        exact.exactOnly = true;
        QCOMPARE(checkerVerdict(bytes, exact).name(), tool.name());
        // dmscope-cli check hands cache and era metadata to their own checkers, whose verdicts
        // follow cache_check / era_check (tests/cacheera): these fixtures pass them.
        const bool thin = !fixture.contains("cache") && !fixture.contains("era");
        QCOMPARE(cliVerdict(path).name(), thin ? tool.name() : QStringLiteral("pass"));
    }

    void scopesMatchThinCheck_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QStringList>("options");
        const QStringList fixtures = {"tools/thin_small.bin.zst", "tools/thin_large.bin.zst",
                                      "kernel/pool-a/metadata-msnap.img.zst",
                                      "lvm/pool/metadata-live-msnap.img.zst"};
        const QList<QStringList> scopes = {{"--skip-mappings"},
                                           {"--super-block-only"},
                                           {"-m"},
                                           {"-m", "--skip-mappings"},
                                           {"--super-block-only", "--skip-mappings"},
                                           {"--skip-mappings", "--super-block-only"}};
        for (const QString& f : fixtures)
            for (const QStringList& s : scopes)
                QTest::newRow(qPrintable(f.section('/', -1) + " " + s.join(' '))) << f << s;
    }
    void scopesMatchThinCheck() {
        QFETCH(QString, fixture);
        QFETCH(QStringList, options);
        const QString path = tempImage(fixture);
        const VerdictPair tool = thinCheckVerdict(path, options);
        const VerdictPair cli = cliVerdict(path, options);
        QVERIFY2(cli == tool, qPrintable("dmscope " + cli.name() + ", thin_check " + tool.name()));
    }

    void metadataSnapshotOptionNeedsASnapshot() {
        const auto r = [] {
            CheckOptions o;
            o.metadataSnapshot = true;
            return checkBytes(fixtureBytes("tools/thin_small.bin.zst"), o);
        }();
        QCOMPARE(r.verdict(), CheckVerdict::Fatal);
        QCOMPARE(r.findings().front().field, std::string("held_root"));
    }

    void cacheAndEraAreRefusedByNameInTheThinChecker() {
        const auto cache = checkBytes(fixtureBytes("tools/cache_v2.bin.zst"));
        QCOMPARE(cache.verdict(), CheckVerdict::Fatal);
        QCOMPARE(cache.findings().size(), std::size_t(1));
        QCOMPARE(cache.findings()[0].block.value_or(99), std::uint64_t(0));
        QVERIFY2(cache.findings()[0].message.find("dm-cache") != std::string::npos,
                 cache.findings()[0].message.c_str());
        const auto era = checkBytes(fixtureBytes("tools/era.bin.zst"));
        QVERIFY2(era.findings()[0].message.find("dm-era") != std::string::npos,
                 era.findings()[0].message.c_str());
        // dmscope-cli check hands cache and era metadata to their own checkers (tests/cacheera).
        const RunResult cli = runCli({"check", tempImage("tools/era.bin.zst")});
        QCOMPARE(cli.exitCode, 0);
        QVERIFY2(cli.out.contains("verdict: pass"), cli.out.constData());
    }

    void needsCheckFlagIsOnlyAWarning() {
        const auto r = checkBytes(fixtureBytes("tools/thin_needs_check.bin.zst"));
        QCOMPARE(r.verdict(), CheckVerdict::Pass);
        QCOMPARE(r.count(Severity::Warning), std::uint64_t(1));
        QCOMPARE(r.findings()[0].field, std::string("flags"));
        QCOMPARE(r.findings()[0].block.value_or(99), std::uint64_t(0));
    }

    void healthyImagesHaveNoFindings_data() {
        QTest::addColumn<QString>("fixture");
        for (const char* f :
             {"tools/thin_small.bin.zst", "tools/thin_large.bin.zst",
              "kernel/pool-a/metadata-msnap.img.zst", "kernel/pool-a/metadata.img.zst",
              "lvm/pool/metadata.img.zst", "lvm/pool/metadata-live-msnap.img.zst"})
            QTest::newRow(f) << QString(f);
    }
    void healthyImagesHaveNoFindings() {
        QFETCH(QString, fixture);
        const auto r = checkBytes(fixtureBytes(fixture));
        QVERIFY2(r.findings().empty(),
                 r.findings().empty() ? "" : r.findings()[0].describe().c_str());
        QVERIFY(!r.stats.exactPass); // the optimistic pass sufficed
        QVERIFY(r.stats.nodesRead > 0);
        QVERIFY(r.stats.usedMetadataBlocks > 0);
    }

    void threadCountDoesNotChangeTheReport() {
        const auto bytes = fixtureBytes("tools/thin_large.bin.zst");
        CheckOptions one;
        one.threads = 1;
        const auto a = checkBytes(bytes, one);
        for (unsigned t : {2u, 3u, 8u}) {
            CheckOptions o;
            o.threads = t;
            const auto b = checkBytes(bytes, o);
            QCOMPARE(b.verdict(), a.verdict());
            QCOMPARE(b.stats.mappings, a.stats.mappings);
            QCOMPARE(b.stats.nodesRead, a.stats.nodesRead);
            QCOMPARE(b.stats.usedMetadataBlocks, a.stats.usedMetadataBlocks);
        }
        QCOMPARE(a.stats.mappings, std::uint64_t(1200 + 900 + 5100));
    }

    void unmappedSourceGivesTheSameReport_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<bool>("damaged");
        for (const char* f : {"tools/thin_large.bin.zst", "kernel/pool-a/metadata-msnap.img.zst"})
            for (bool damaged : {false, true})
                QTest::newRow(qPrintable(QString(f) + (damaged ? " damaged" : ""))) << f << damaged;
    }
    void unmappedSourceGivesTheSameReport() {
        QFETCH(QString, fixture);
        QFETCH(bool, damaged);
        Corruptor c(fixtureBytes(fixture));
        if (damaged) c.setBitmapEntry(c.layout().dataBitmap, 0, 2); // a data leak
        if (damaged) c.setBitmapEntry(c.layout().metadataBitmap, c.blockCount() - 1, 1); // a leak
        const auto mapped = checkBytes(c.bytes());
        const auto copied = ThinChecker(std::make_shared<CopyingSource>(c.bytes())).run();
        QCOMPARE(copied.verdict(), mapped.verdict());
        QCOMPARE(copied.findings().size(), mapped.findings().size());
        for (std::size_t i = 0; i < copied.findings().size(); ++i)
            QCOMPARE(copied.findings()[i].describe(), mapped.findings()[i].describe());
        QCOMPARE(copied.stats.mappings, mapped.stats.mappings);
        QCOMPARE(copied.stats.usedMetadataBlocks, mapped.stats.usedMetadataBlocks);
    }

    void jsonOutputCarriesVerdictAndFindings() {
        Corruptor c(fixtureBytes("tools/thin_small.bin.zst"));
        const std::uint64_t leaf = c.layout().bottomLeaf;
        c.swapKeys(leaf, 2, 3);
        const QString path = writeTempFile("json_keys.img", c.bytes());
        const RunResult r = runCli({"check", "--json", path});
        QCOMPARE(r.exitCode, 1);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["verdict"].toString(), QString("fatal"));
        QCOMPARE(o["exit_code"].toInt(), 1);
        const QJsonObject f = o["findings"].toArray().at(0).toObject();
        QCOMPARE(f["severity"].toString(), QString("fatal"));
        QCOMPARE(f["block"].toInteger(), qint64(leaf));
        QCOMPARE(f["field"].toString(), QString("keys"));
        QVERIFY2(f["path"].toString().startsWith("live mapping:"),
                 qPrintable(f["path"].toString()));
        QVERIFY(o["stats"].toObject()["nodes_read"].toInteger() > 0);
    }

    void humanOutputListsOneLinePerFinding() {
        Corruptor c(fixtureBytes("tools/thin_small.bin.zst"));
        const std::uint64_t leaf = c.layout().bottomLeaf;
        c.setNrEntries(leaf, 253);
        const RunResult r = runCli({"check", writeTempFile("text_nr.img", c.bytes())});
        QCOMPARE(r.exitCode, 1);
        const QList<QByteArray> lines = r.out.split('\n');
        QVERIFY(lines.size() >= 3);
        const QByteArray want = "fatal: block " + QByteArray::number(qulonglong(leaf)) +
                                ", field nr_entries: nr_entries 253 > max_entries 252";
        QVERIFY2(lines[1].startsWith(want), lines[1].constData());
        QVERIFY2(lines[1].contains("(path live mapping: "), lines[1].constData());
        QVERIFY2(r.out.contains("verdict: fatal"), r.out.constData());
        // --quiet prints nothing and keeps the exit status.
        const RunResult q = runCli({"check", "--quiet", writeTempFile("text_nr.img", c.bytes())});
        QCOMPARE(q.exitCode, 1);
        QVERIFY(q.out.isEmpty() && q.err.isEmpty());
    }

    void usageErrorsExitWithTwo() {
        QCOMPARE(runCli({"check"}).exitCode, 2);
        QCOMPARE(runCli({"check", "--bogus", "x"}).exitCode, 2);
        QCOMPARE(
            runCli({"check", "--threads", "lots", tempImage("tools/thin_small.bin.zst")}).exitCode,
            2);
        const RunResult missing = runCli({"check", tempDir() + "/does-not-exist"});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(!missing.err.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCheckFixtures)
#include "tst_checkfixtures.moc"
