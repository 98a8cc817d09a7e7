// dmscope-cli edit on dm-cache metadata (format 1 and 2 fixtures): set-dirty, clear-dirty,
// invalidate and set/clear-needs-check in one transaction. The result must pass cache_check and
// our check without a new finding (so every reference count of the shadowed spine and array
// blocks is exact), and dump with exactly the edits applied; --dry-run writes nothing.

#include "core/cache/CacheChecker.h"
#include "core/cache/CacheEditor.h"
#include "core/cache/CacheRestorer.h"
#include "tests/cacheera/ScratchFiles.h"
#include "tests/support/Fixtures.h"
#include "tests/support/Require.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <sstream>

using namespace dms::test;

namespace {

QByteArray expectedAfterEdits() {
    const auto bytes = fixtureBytes("tools/cache.xml");
    QByteArray x(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
    x.replace("cache_block=\"0\" origin_block=\"10\" dirty=\"true\"",
              "cache_block=\"0\" origin_block=\"10\" dirty=\"false\"");
    x.replace("cache_block=\"1\" origin_block=\"11\" dirty=\"false\"",
              "cache_block=\"1\" origin_block=\"11\" dirty=\"true\"");
    x.replace("    <mapping cache_block=\"100\" origin_block=\"123456\" dirty=\"false\"/>\n", "");
    x.replace("    <hint cache_block=\"100\" data=\"BAAAAA==\"/>\n", "");
    return x;
}

} // namespace

class CacheEdit : public QObject {
    Q_OBJECT

private slots:
    void editsApplyAndPassTheCheckers() {
        for (const char* v : {"cache_v1", "cache_v2"}) {
            const QString img = scratchDir() + QStringLiteral("/%1-edit.bin").arg(v);
            QVERIFY(writeBytes(img, fixtureBytes(QStringLiteral("tools/%1.bin.zst").arg(v))));
            // cache_v1 comes with cache_restore's leaked block 6: the edits add nothing to it.
            const auto before = QJsonDocument::fromJson(runCli({"check", "--json", img}).out)
                                    .object()["findings"]
                                    .toArray();
            const auto ed = runCli({"edit", img, "set-dirty", "1", "clear-dirty", "0", "invalidate",
                                    "100", "set-needs-check"});
            QVERIFY2(ed.exitCode == 0, ed.err.constData());
            const auto tool = runProgram("cache_check", {img});
            QVERIFY2(tool.exitCode == 0, qPrintable(QString(v) + ": " + tool.err));
            const auto ours = runCli({"check", "--json", img});
            QCOMPARE(ours.exitCode, 0);
            const QJsonObject report = QJsonDocument::fromJson(ours.out).object();
            QVERIFY2(report["findings"].toArray() == before, ours.out.constData());
            const auto dump = runCli({"dump", "--dirty-from-bitset", img});
            QCOMPARE(dump.out, expectedAfterEdits());
            if (QByteArray(v) == "cache_v1") // cache_dump reads format-1 dirty flags
                QCOMPARE(runProgram("cache_dump", {img}).out, expectedAfterEdits());
            const QJsonObject info =
                QJsonDocument::fromJson(runCli({"info", "--json", img}).out).object();
            QVERIFY(info["needs_check"].toBool());
            QCOMPARE(info["valid_mappings"].toInt(), 4);
            QCOMPARE(info["dirty_mappings"].toInt(), 3);
            const auto clear = runCli({"edit", img, "clear-needs-check"});
            QCOMPARE(clear.exitCode, 0);
            QVERIFY(!QJsonDocument::fromJson(runCli({"info", "--json", img}).out)
                         .object()["needs_check"]
                         .toBool());
        }
    }

    // A cache of 140000 blocks (two-level spines): edits in the first, a middle and the last
    // array block of each array shadow both spine levels; counts stay exact.
    void editsAcrossATwoLevelSpineKeepCountsExact() {
        std::string xml = "<superblock uuid=\"\" block_size=\"128\" nr_cache_blocks=\"140000\" "
                          "policy=\"smq\" hint_width=\"4\">\n";
        for (int c = 0; c < 140000; ++c)
            xml += "<mapping cache_block=\"" + std::to_string(c) + "\" origin_block=\"" +
                   std::to_string(c * 7 + 3) + "\" dirty=\"" + (c % 3 ? "false" : "true") +
                   "\"/>\n";
        xml += "</superblock>\n";
        for (unsigned version : {1u, 2u}) {
            auto dev =
                std::make_shared<dms::MemoryBlockSource>(dms::MemoryBlockSource::zeroed(2048));
            std::istringstream in(xml);
            dms::CacheRestoreOptions o;
            o.version = version;
            REQUIRE_OK(dms::restoreCacheXml(in, dev, o));
            auto ed = dms::CacheEditor::open(dev);
            REQUIRE_OK(ed);
            REQUIRE_OK((*ed)->invalidate(0));
            REQUIRE_OK((*ed)->invalidate(139999));
            REQUIRE_OK((*ed)->setDirty(70001, true));
            REQUIRE_OK((*ed)->setDirty(3, false));
            REQUIRE_OK((*ed)->invalidate(128000));
            REQUIRE_OK((*ed)->commit());
            const dms::CheckReport r = dms::CacheChecker(dev).run();
            const std::string first = r.findings().empty() ? "" : r.findings()[0].describe();
            QVERIFY2(r.findings().empty(), first.c_str());
            auto reopened = dms::CacheEditor::open(dev);
            REQUIRE_OK(reopened);
            for (std::uint64_t c : {0u, 139999u, 128000u}) {
                auto m = (*reopened)->mapping(c);
                REQUIRE_OK(m);
                QCOMPARE(*m, std::uint64_t(0));
            }
            auto d = (*reopened)->dirty(70001);
            REQUIRE_OK(d);
            QVERIFY(*d);
            d = (*reopened)->dirty(3);
            REQUIRE_OK(d);
            QVERIFY(!*d);
            d = (*reopened)->dirty(6);
            REQUIRE_OK(d);
            QVERIFY(*d);
        }
    }

    // --trace prints what the thin edit's trace prints: each operation, then the space-map
    // steps and the transaction manager's shadowing and commit, and the edit is written.
    void cacheEditsPrintTheSpaceMapTrace() {
        for (const char* v : {"cache_v1", "cache_v2"}) {
            const QString img = scratchDir() + QStringLiteral("/%1-trace.bin").arg(v);
            const auto original = fixtureBytes(QStringLiteral("tools/%1.bin.zst").arg(v));
            QVERIFY(writeBytes(img, original));
            const auto r = runCli({"edit", "--trace", img, "set-dirty", "1", "clear-needs-check"});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const QString out = QString::fromUtf8(r.out);
            for (const char* line : {"# set-dirty 1\n", "# clear-needs-check\n"})
                QVERIFY2(out.contains(QLatin1String(line)), qPrintable(QString(v) + ": " + out));
            // The mapping array's (format 1) or dirty bitset's (format 2) spine leaf and array
            // block are shadowed, each copy allocated by the metadata space map.
            QVERIFY2(out.count(QRegularExpression("^[0-9]+ tm shadowed block=[0-9]+ copy=[0-9]+$",
                                                  QRegularExpression::MultilineOption)) >= 2,
                     qPrintable(out));
            QVERIFY2(out.contains(QRegularExpression("^[0-9]+ meta-sm .* ring=\\[",
                                                     QRegularExpression::MultilineOption)),
                     qPrintable(out));
            QVERIFY2(out.contains(QRegularExpression("^[0-9]+ tm committed block=0$",
                                                     QRegularExpression::MultilineOption)),
                     qPrintable(out));
            QVERIFY(!out.contains("dry run"));
            QVERIFY(readBytes(img) != original);
            QCOMPARE(runProgram("cache_check", {img}).exitCode, 0);
            // Without --trace nothing is printed.
            const auto quiet = runCli({"edit", img, "set-dirty", "2"});
            QCOMPARE(quiet.exitCode, 0);
            QVERIFY(quiet.out.isEmpty());
        }
    }

    void badEditsWriteNothing() {
        const QString img = scratchDir() + QStringLiteral("/v2-bad.bin");
        const auto original = fixtureBytes("tools/cache_v2.bin.zst");
        QVERIFY(writeBytes(img, original));
        const auto unmapped = runCli({"edit", img, "set-dirty", "0", "set-dirty", "5"});
        QCOMPARE(unmapped.exitCode, 2);
        QVERIFY2(unmapped.err.contains("maps nothing"), unmapped.err.constData());
        const auto beyond = runCli({"edit", img, "invalidate", "2048"});
        QCOMPARE(beyond.exitCode, 2);
        const auto unknown = runCli({"edit", img, "create-thin", "1"});
        QCOMPARE(unknown.exitCode, 2);
        const auto dry = runCli({"edit", "--dry-run", img, "invalidate", "0"});
        QCOMPARE(dry.exitCode, 0);
        QVERIFY2(dry.out.contains("dry run"), dry.out.constData());
        QVERIFY(readBytes(img) == original);
    }
};

QTEST_GUILESS_MAIN(CacheEdit)
#include "tst_cacheedit.moc"
