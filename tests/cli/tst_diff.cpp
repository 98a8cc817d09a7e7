// dmscope-cli diff: two images of one pool (the demo pool before and after `dmscope-cli edit`)
// agree with thin_delta run inside the edited image on a snapshot of the old device against the
// device itself; the blocks listed as changed are exactly those whose bytes differ; --snap
// compares the held metadata snapshot with the live superblock (checked against thin_ls -m);
// bad arguments and images give one-line errors.

#include "tests/support/Fixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace dms;
using namespace dms::test;

namespace {

const QString kDemo = QStringLiteral("kernel/pool-b/metadata-msnap.img.zst");

QString demoCopy(const QString& name) {
    return writeTempFile(name, fixtureBytes(kDemo));
}

// The <same|different|left_only|right_only .../> lines of a thin_delta-style output.
QStringList runLines(const QByteArray& out) {
    QStringList lines;
    for (const QByteArray& line : out.split('\n')) {
        const QString l = QString::fromUtf8(line).trimmed();
        if (l.startsWith(QLatin1String("<same")) || l.startsWith(QLatin1String("<different")) ||
            l.startsWith(QLatin1String("<left_only")) || l.startsWith(QLatin1String("<right_only")))
            lines << l;
    }
    return lines;
}

QJsonObject deviceOf(const QJsonObject& diff, int id) {
    for (const QJsonValue& v : diff.value(QStringLiteral("devices")).toArray())
        if (v.toObject().value(QStringLiteral("id")).toInt() == id) return v.toObject();
    return {};
}

// thin_ls's MAPPED_BLOCKS of one device (-m: of the held metadata snapshot).
qint64 toolMappedBlocks(const QString& image, int dev, bool held) {
    QStringList args = {QStringLiteral("--no-headers"), QStringLiteral("-o"),
                        QStringLiteral("DEV,MAPPED_BLOCKS")};
    if (held) args << QStringLiteral("-m");
    args << image;
    const RunResult r = runProgram(QStringLiteral("thin_ls"), args);
    for (const QByteArray& line : r.out.split('\n')) {
        const QList<QByteArray> f = line.simplified().split(' ');
        if (f.size() == 2 && f[0].toInt() == dev) return f[1].toLongLong();
    }
    return -1;
}

RunResult edit(const QString& image, const QStringList& ops) {
    return runCli(QStringList{QStringLiteral("edit"), image} + ops);
}

} // namespace

class TestDiff : public QObject {
    Q_OBJECT
private slots:
    void twoImagesAgreeWithThinDeltaInsideTheEditedOne() {
        QVERIFY2(haveThinTools(), "thin-provisioning-tools are not installed");
        const QString a = demoCopy(QStringLiteral("a.img")), b = demoCopy(QStringLiteral("b.img"));
        // Snapshot 100 keeps device 1 as it was in A; then device 1 changes in B.
        const RunResult e = edit(b, {"create-snap", "100", "1", "map", "1", "0", "5", "3", "unmap",
                                     "1", "3", "2", "provision", "1", "3000"});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        const RunResult check = runProgram(QStringLiteral("thin_check"), {b});
        QVERIFY2(check.exitCode == 0, (check.out + check.err).constData());

        const RunResult ours = runCli({"diff", a, b, "--dev", "1", "--runs"});
        QVERIFY2(ours.exitCode == 0, ours.err.constData());
        const RunResult tool =
            runProgram(QStringLiteral("thin_delta"), {"--snap1", "100", "--snap2", "1", b});
        QVERIFY2(tool.exitCode == 0, tool.err.constData());
        const QStringList mine = runLines(ours.out), theirs = runLines(tool.out);
        QVERIFY2(!theirs.isEmpty(), tool.out.constData());
        QVERIFY2(mine == theirs,
                 qPrintable(QStringLiteral("device 1, A against B:\n%1\n"
                                           "thin_delta --snap1 100 --snap2 1 B:\n%2")
                                .arg(mine.join('\n'), theirs.join('\n'))));

        // JSON: the snapshot is right_only with as many blocks as device 1 had in A; every
        // other device is unchanged.
        const RunResult json = runCli({"diff", a, b, "--json"});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        const QJsonObject d = QJsonDocument::fromJson(json.out).object();
        const QJsonObject snap = deviceOf(d, 100);
        QCOMPARE(snap.value(QStringLiteral("presence")).toString(), QStringLiteral("right_only"));
        QCOMPARE(snap.value(QStringLiteral("right_only")).toInteger(),
                 toolMappedBlocks(a, 1, false));
        const QJsonObject dev1 = deviceOf(d, 1);
        QCOMPARE(dev1.value(QStringLiteral("different")).toInteger(), 3);
        QCOMPARE(dev1.value(QStringLiteral("left_only")).toInteger(), 2);
        QCOMPARE(dev1.value(QStringLiteral("right_only")).toInteger(), 1);
        for (int dev : {2, 3, 4, 5, 7}) {
            const QJsonObject o = deviceOf(d, dev);
            QVERIFY2(o.value(QStringLiteral("same")).toInteger() == toolMappedBlocks(a, dev, false),
                     qPrintable(QStringLiteral("device %1 is not all same").arg(dev)));
        }

        // The changed blocks are exactly those whose bytes differ.
        QFile fa(a), fb(b);
        QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
        const QByteArray ba = fa.readAll(), bb = fb.readAll();
        QJsonArray expected;
        for (qsizetype off = 0; off < std::max(ba.size(), bb.size()); off += 4096)
            if (ba.mid(off, 4096) != bb.mid(off, 4096)) expected.append(off / 4096);
        QVERIFY(!expected.isEmpty());
        QCOMPARE(d.value(QStringLiteral("changed_blocks")).toArray(), expected);
        QVERIFY(!d.value(QStringLiteral("metadata_counts")).toArray().isEmpty());
    }

    void snapComparesTheHeldSnapshotWithTheLiveSuperblock() {
        QVERIFY2(haveThinTools(), "thin-provisioning-tools are not installed");
        const QString c = demoCopy(QStringLiteral("c.img"));
        RunResult e = edit(c, {"release-metadata-snap", "reserve-metadata-snap"});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        e = edit(c, {"create-snap", "100", "1", "delete", "2"});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        const RunResult r = runCli({"diff", "--snap", c, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject d = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(d.value(QStringLiteral("counts_compared")).toBool(), false);
        const QJsonObject gone = deviceOf(d, 2), made = deviceOf(d, 100);
        QCOMPARE(gone.value(QStringLiteral("presence")).toString(), QStringLiteral("left_only"));
        QCOMPARE(gone.value(QStringLiteral("left_only")).toInteger(), toolMappedBlocks(c, 2, true));
        QCOMPARE(made.value(QStringLiteral("presence")).toString(), QStringLiteral("right_only"));
        QCOMPARE(made.value(QStringLiteral("right_only")).toInteger(),
                 toolMappedBlocks(c, 100, false));
        // The live trees reach new nodes (the snapshot's sharing, the shadowed details tree).
        QVERIFY(!d.value(QStringLiteral("changed_blocks")).toArray().isEmpty());
        const RunResult text = runCli({"diff", "--snap", c});
        QVERIFY(text.out.contains("reference counts: not compared"));
    }

    void badArgumentsAndImagesGiveOneLineErrors() {
        const QString a = demoCopy(QStringLiteral("e.img"));
        RunResult r = runCli({"diff", a});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("two images"));
        r = runCli({"diff", a, QStringLiteral("/nonexistent.img")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("nonexistent.img"));
        r = runCli({"diff", a, a, "--dev", "999"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("no device 999"));
        // No held snapshot: --snap says so.
        const QString plain = demoCopy(QStringLiteral("f.img"));
        QCOMPARE(edit(plain, {"release-metadata-snap"}).exitCode, 0);
        r = runCli({"diff", "--snap", plain});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("no metadata snapshot is held"));
        // A truncated image: an error, not a crash.
        QFile f(a);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(8 * 4096));
        f.close();
        r = runCli({"diff", a, plain});
        QVERIFY2(r.exitCode == 1 && !r.crashed, r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
    }
};

QTEST_GUILESS_MAIN(TestDiff)
#include "tst_diff.moc"
