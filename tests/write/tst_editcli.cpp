// dmscope-cli create/edit from the outside: a dry run opens the image read-only, prints the trace
// and writes nothing; --trace commits and prints; edits that cannot open the image for writing
// (a read-only file, no permission at all, a device held by someone else) fail with one clear
// line, exit 1, and leave it as it was. As root, the unprivileged cases run the CLI as nobody and
// the busy case uses a loop device held open with O_EXCL.

#include "tests/support/Fixtures.h"
#include "tests/support/ImageChecks.h"
#include "tests/support/ThinModel.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

using namespace dms;
using namespace dms::test;

namespace {

QByteArray digest(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// A directory anyone may enter, holding a copy of the CLI anyone may run, so that the CLI can be
// run as an unprivileged user when the tests run as root (who may open any file for writing).
class UnprivilegedRunner {
public:
    UnprivilegedRunner() {
        const auto all = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup |
                         QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther;
        QFile::setPermissions(dir_.path(), all);
        cli_ = dir_.path() + "/dmscope-cli";
        if (QFile::copy(cliPath(), cli_)) QFile::setPermissions(cli_, all);
    }
    QString path(const QString& name) const { return dir_.path() + "/" + name; }
    RunResult run(const QStringList& args) const {
        if (::geteuid() != 0) return runProgram(cli_, args);
        return runProgram(
            "setpriv",
            QStringList{"--reuid=65534", "--regid=65534", "--clear-groups", "--", cli_} + args);
    }

private:
    QTemporaryDir dir_{QDir::tempPath() + "/dmscope-cli-XXXXXX"};
    QString cli_;
};

QString createImage(const QString& path) {
    QFile::remove(path);
    const RunResult r =
        runCli({"create", path, "--data-blocks", "2000", "--metadata-blocks", "512"});
    if (r.exitCode != 0) return {};
    const RunResult e = runCli({"edit", path, "create-thin", "1", "map", "1", "0", "0", "300"});
    return e.exitCode == 0 ? path : QString();
}

bool isOneLine(const QByteArray& err) {
    return err.trimmed().count('\n') == 0 && !err.trimmed().isEmpty();
}

// Runs `command` and returns its trimmed stdout.
QString shell(const QString& program, const QStringList& args) {
    const RunResult r = runProgram(program, args);
    return r.exitCode == 0 ? QString::fromUtf8(r.out).trimmed() : QString();
}

} // namespace

class TestEditCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(haveThinTools(), "thin_check and thin_dump are needed"); }

    void dryRunOpensReadOnlyPrintsATraceAndWritesNothing() {
        UnprivilegedRunner runner;
        const QString img = createImage(runner.path("dry.img"));
        QVERIFY(!img.isEmpty());
        // Nobody may write it: a dry run that opened it for writing would fail.
        QVERIFY(QFile::setPermissions(img, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        const QByteArray before = digest(img);
        const RunResult r = runner.run({"edit", "--dry-run", img, "create-snap", "2", "1", "unmap",
                                        "1", "0", "100", "commit", "provision", "2", "400"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(digest(img), before);
        const QString out = QString::fromUtf8(r.out);
        for (const char* want :
             {"# create-snap 2 1", "# commit", "committed commit", "# provision 2 400",
              "tm shadowed", "meta-sm", "data-sm", "bop-pushed", "nothing was"})
            QVERIFY2(out.contains(want), qPrintable(QString("no '%1' in:\n%2").arg(want, out)));
        QVERIFY(out.contains(QRegularExpression("# dry run: [1-9][0-9]* blocks would be written")));
    }

    void traceCommitsAndPrints() {
        const QString img = createImage(scratchPath("trace.img"));
        QVERIFY(!img.isEmpty());
        const RunResult r = runCli({"edit", "--trace", img, "create-thin", "2"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("# create-thin 2"));
        QVERIFY(r.out.contains("tm committed block=0"));
        ThinModel model(2000, 512);
        model.createThin(1);
        model.map(1, 0, 0, 300);
        model.createThin(2);
        model.commit();
        const std::string failures =
            verifyImages({{img, "traced edit", model.committed().render(), {}}});
        QVERIFY2(failures.empty(), failures.c_str());
    }

    void editOfAReadOnlyFileFailsClearly() {
        UnprivilegedRunner runner;
        const QString img = createImage(runner.path("ro.img"));
        QVERIFY(!img.isEmpty());
        QVERIFY(QFile::setPermissions(img, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        const QByteArray before = digest(img);
        const RunResult r = runner.run({"edit", img, "create-thin", "2"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(isOneLine(r.err), r.err.constData());
        QVERIFY2(r.err.startsWith("dmscope-cli edit: cannot open " + img.toUtf8() +
                                  ": Permission denied"),
                 r.err.constData());
        QCOMPARE(digest(img), before);
    }

    void editWithoutAnyPermissionFailsClearly() {
        UnprivilegedRunner runner;
        const QString img = createImage(runner.path("none.img"));
        QVERIFY(!img.isEmpty());
        QVERIFY(QFile::setPermissions(img, QFile::Permissions()));
        for (const QStringList& args :
             {QStringList{"edit", img, "create-thin", "2"},
              QStringList{"edit", "--dry-run", img, "create-thin", "2"}}) {
            const RunResult r = runner.run(args);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(isOneLine(r.err), r.err.constData());
            QVERIFY2(r.err.contains("Permission denied"), r.err.constData());
            QVERIFY2(r.out.isEmpty(), r.out.constData());
        }
        QVERIFY(QFile::setPermissions(img, QFile::ReadOwner));
        const std::string failures = verifyImages({{img,
                                                    "untouched",
                                                    [] {
                                                        ThinModel m(2000, 512);
                                                        m.createThin(1);
                                                        m.map(1, 0, 0, 300);
                                                        m.commit();
                                                        return m.committed().render();
                                                    }(),
                                                    {}}});
        QVERIFY2(failures.empty(), failures.c_str());
    }

    void editOfABusyDeviceFailsClearly() {
        QVERIFY2(::geteuid() == 0, "needs root: a busy block device is made with a loop device");
        const QString img = createImage(scratchPath("busy.img"));
        QVERIFY(!img.isEmpty());
        const QString loop = shell("losetup", {"--find", "--show", img});
        QVERIFY2(loop.startsWith("/dev/loop"), "losetup could not attach the image");
        const int holder = ::open(loop.toLocal8Bit().constData(), O_RDONLY | O_EXCL | O_CLOEXEC);
        const RunResult busy = runCli({"edit", loop, "create-thin", "2"});
        const RunResult dry = runCli({"edit", "--dry-run", loop, "create-thin", "2"});
        if (holder >= 0) ::close(holder);
        runProgram("losetup", {"--detach", loop});
        QVERIFY2(holder >= 0, "could not hold the loop device");
        QCOMPARE(busy.exitCode, 1);
        QVERIFY2(isOneLine(busy.err), busy.err.constData());
        QVERIFY2(busy.err.contains("Device or resource busy") && busy.err.contains("in use"),
                 busy.err.constData());
        // Reading needs no exclusive open: the dry run works on the busy device.
        QVERIFY2(dry.exitCode == 0, dry.err.constData());
        ThinModel model(2000, 512);
        model.createThin(1);
        model.map(1, 0, 0, 300);
        model.commit();
        const std::string failures = verifyImages({{img, "busy", model.committed().render(), {}}});
        QVERIFY2(failures.empty(), failures.c_str());
    }
};

QTEST_GUILESS_MAIN(TestEditCli)
#include "tst_editcli.moc"
