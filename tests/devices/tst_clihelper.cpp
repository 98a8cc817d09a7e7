// dmscope-cli check, ls, stats (and info) with --helper: the device is opened by dmscope-helper and
// its descriptor passed back (SCM_RIGHTS). The tests run as root, so the helper is started directly
// (as pkexec would start it), through a wrapper named by $DMSCOPE_HELPER that records each start:
// the output must equal the command's own open of the device, the helper must have been started,
// and a helper that dies without answering must fail the command (no quiet fallback to opening
// the device unprivileged). Loop devices over fixture images stand for the root-only devices.

#include "tests/support/Fixtures.h"

#include <QFile>
#include <QTest>
#include <sys/stat.h>
#include <unistd.h>

using namespace dms;

namespace {

QString writeScript(const QString& name, const QString& body) {
    const QString path = test::tempDir() + "/" + name;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return {};
    f.write(body.toUtf8());
    f.close();
    ::chmod(path.toUtf8().constData(), 0755);
    return path;
}

int countLines(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return 0;
    return int(f.readAll().count('\n'));
}

} // namespace

class TestCliHelper : public QObject {
    Q_OBJECT
    QStringList loops_;
    QString thinLoop_, cacheLoop_, thinImage_;
    QString log_;        // one line per start of the recording wrapper
    QString wrapper_;    // records, then execs the real helper
    QString deadHelper_; // exits without answering

    QString attach(const QString& fixture, const QString& name) {
        const QString image = test::writeTempFile(name, test::fixtureBytes(fixture));
        const auto r = test::runProgram("losetup", {"-f", "--show", image});
        if (r.exitCode != 0) return {};
        loops_ << QString::fromUtf8(r.out).trimmed();
        if (fixture.startsWith("tools/thin_small")) thinImage_ = image;
        return loops_.back();
    }

private slots:
    void initTestCase() {
        QVERIFY2(::geteuid() == 0, "needs root: loop devices, and the helper started directly");
        thinLoop_ = attach("tools/thin_small.bin.zst", "clihelper-thin.img");
        cacheLoop_ = attach("tools/cache_v2.bin.zst", "clihelper-cache.img");
        QVERIFY2(thinLoop_.startsWith("/dev/loop") && cacheLoop_.startsWith("/dev/loop"),
                 "losetup failed (loop devices are needed)");
        log_ = test::tempDir() + "/helper-starts.log";
        wrapper_ = writeScript("recording-helper",
                               QString("#!/bin/sh\necho \"$*\" >>'%1'\nexec '%2' \"$@\"\n")
                                   .arg(log_, QStringLiteral(DMSCOPE_HELPER_PATH)));
        deadHelper_ = writeScript("dead-helper", "#!/bin/sh\nexit 1\n");
        QVERIFY(!wrapper_.isEmpty() && !deadHelper_.isEmpty());
    }
    void cleanupTestCase() {
        for (const QString& l : loops_)
            test::runProgram("losetup", {"-d", l});
        qunsetenv("DMSCOPE_HELPER");
    }

    void outputThroughTheHelperEqualsTheDirectOpen_data() {
        QTest::addColumn<QStringList>("args"); // DEVICE stands for the loop device
        QTest::newRow("check") << QStringList{"check", "DEVICE"};
        QTest::newRow("check --json") << QStringList{"check", "--json", "DEVICE"};
        QTest::newRow("check cache metadata") << QStringList{"check", "CACHE"};
        QTest::newRow("info") << QStringList{"info", "DEVICE"};
        QTest::newRow("info cache metadata") << QStringList{"info", "CACHE"};
        QTest::newRow("ls") << QStringList{"ls", "DEVICE"};
        QTest::newRow("ls -o") << QStringList{
            "ls", "-o", "DEV,MAPPED_BLOCKS,EXCLUSIVE_BLOCKS,SHARED", "DEVICE"};
        QTest::newRow("stats") << QStringList{"stats", "DEVICE"};
        QTest::newRow("stats --json") << QStringList{"stats", "--json", "DEVICE"};
    }
    void outputThroughTheHelperEqualsTheDirectOpen() {
        QFETCH(QStringList, args);
        args.replaceInStrings("DEVICE", thinLoop_).replaceInStrings("CACHE", cacheLoop_);
        qunsetenv("DMSCOPE_HELPER");
        const auto direct = test::runCli(args);
        QCOMPARE(direct.exitCode, 0);
        qputenv("DMSCOPE_HELPER", wrapper_.toUtf8());
        const int before = countLines(log_);
        const auto viaHelper = test::runCli(QStringList(args) << "--helper");
        QVERIFY2(viaHelper.exitCode == 0, viaHelper.err.constData());
        QCOMPARE(countLines(log_), before + 1); // one helper for the command
        // check prints its timing; everything else must be identical
        auto stable = [](QByteArray out) {
            QList<QByteArray> lines = out.split('\n');
            for (QByteArray& l : lines)
                if (l.startsWith("checked ") || l.contains("\"seconds\"")) l = "(timing)";
            return lines.join('\n');
        };
        QCOMPARE(stable(viaHelper.out), stable(direct.out));
        QVERIFY2(!direct.out.isEmpty(), "no output");
    }

    void imageAndDeviceThroughTheHelperAgree() {
        qputenv("DMSCOPE_HELPER", wrapper_.toUtf8());
        const auto onImage = test::runCli({"ls", thinImage_});
        const auto viaHelper = test::runCli({"ls", "--helper", thinLoop_});
        QCOMPARE(viaHelper.exitCode, 0);
        QCOMPARE(viaHelper.out, onImage.out);
        QVERIFY(onImage.out.split('\n').size() > 2);
    }

    void aHelperThatDiesFailsTheCommand_data() {
        QTest::addColumn<QString>("command");
        QTest::newRow("check") << "check";
        QTest::newRow("ls") << "ls";
        QTest::newRow("stats") << "stats";
    }
    void aHelperThatDiesFailsTheCommand() {
        QFETCH(QString, command);
        qputenv("DMSCOPE_HELPER", deadHelper_.toUtf8());
        const auto r = test::runCli({command, "--helper", thinLoop_});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("dmscope-helper exited without answering"), r.err.constData());
        QVERIFY2(r.out.isEmpty(), r.out.constData());
    }

    void helperIsInTheUsage() {
        for (const char* command : {"check", "ls", "stats"}) {
            const auto r = test::runCli({"help", command});
            QVERIFY2(r.out.contains("--helper"), command);
        }
    }
};

QTEST_GUILESS_MAIN(TestCliHelper)
#include "tst_clihelper.moc"
