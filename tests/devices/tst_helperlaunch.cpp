// The AppImage's way of starting dmscope-helper (HelperClient::Launch::VerifiedCopy): root runs a
// fixed script that copies the streamed helper bundle under RUNDIR/dmscope-helper-DIGEST and runs
// it only when its SHA-256 is the digest baked into the program. The tests run as root, so pkexec
// is replaced by running the same command line directly (Options::elevate = {}), and RUNDIR is a
// private directory instead of /run. What pkexec and polkit add (the prompt) is not exercised.

#include "core/devmapper/HelperBundle.h"
#include "core/devmapper/HelperClient.h"
#include "core/devmapper/HelperLaunchScript.h"
#include "core/util/Sha256.h"
#include "tests/support/Fixtures.h"
#include "tests/support/Require.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace dms;

namespace {

QString bundlePath() {
    return QFileInfo(QStringLiteral(DMSCOPE_HELPER_PATH)).absolutePath() +
           QStringLiteral("/dmscope-helper.bundle");
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct Launched {
    int exitCode = -1;
    QString err;
};

// The launcher's command line run directly (as pkexec would run it) with `stdinFile` as the
// bundle stream.
Launched runLauncher(const std::string& digest, const QString& runDir, const QString& stdinFile) {
    const auto argv = helperLaunchCommand({}, digest, runDir.toStdString());
    QStringList args;
    for (std::size_t i = 1; i < argv.size(); ++i)
        args << QString::fromStdString(argv[i]);
    QProcess p;
    p.setStandardInputFile(stdinFile);
    p.start(QString::fromStdString(argv[0]), args);
    Launched r;
    if (!p.waitForFinished(60000)) return r;
    r.exitCode = p.exitCode();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QStringList runDirsIn(const QString& top) {
    return QDir(top).entryList({"run.*"}, QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
}

} // namespace

class TestHelperLaunch : public QObject {
    Q_OBJECT
    std::string digest_;
    QTemporaryDir base_; // stands for /run
    QString loop_;
    QString image_;

    QString top() const {
        return base_.path() + "/dmscope-helper-" + QString::fromStdString(digest_);
    }
    HelperClient::Options options() const {
        HelperClient::Options o;
        o.launch = HelperClient::Launch::VerifiedCopy;
        o.bundlePath = bundlePath().toStdString();
        o.bundleSha256 = digest_;
        o.runDir = base_.path().toStdString();
        o.elevate = {};
        return o;
    }

private slots:
    void initTestCase() {
        QVERIFY2(::geteuid() == 0, "the launcher tests run as root (the copy must be root's)");
        const QByteArray bundle = readAll(bundlePath());
        QVERIFY2(!bundle.isEmpty(), qPrintable(bundlePath() + " is missing or empty"));
        digest_ = Sha256::hexOf(bundle.constData(), std::size_t(bundle.size()));
        const QByteArray recorded = readAll(bundlePath() + ".sha256").left(64);
        QCOMPARE(QString::fromLatin1(recorded), QString::fromStdString(digest_));
        QVERIFY(base_.isValid());
        image_ =
            test::writeTempFile("launch-thin.img", test::fixtureBytes("tools/thin_small.bin.zst"));
        const auto r = test::runProgram("losetup", {"-f", "--show", image_});
        QVERIFY2(r.exitCode == 0, qPrintable("losetup failed: " + QString::fromUtf8(r.err)));
        loop_ = QString::fromUtf8(r.out).trimmed();
    }
    void cleanupTestCase() {
        if (!loop_.isEmpty()) test::runProgram("losetup", {"-d", loop_});
    }
    void cleanup() { test::runProgram("rm", {"-rf", top()}); }

    void sha256MatchesKnownVectors() {
        QCOMPARE(
            QString::fromStdString(Sha256::hexOf("abc", 3)),
            QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(
            QString::fromStdString(Sha256::hexOf("", 0)),
            QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        const QByteArray million(1000000, 'a');
        Sha256 h; // fed in uneven pieces: the buffering across 64-byte blocks
        for (int at = 0; at < million.size(); at += 777)
            h.update(million.constData() + at,
                     std::size_t(std::min(777, int(million.size()) - at)));
        QCOMPARE(
            QString::fromStdString(h.hexDigest()),
            QStringLiteral("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
        const auto r = test::runProgram("sha256sum", {bundlePath()});
        QCOMPARE(QString::fromUtf8(r.out).left(64), QString::fromStdString(digest_));
    }

    void commandLineIsPkexecShWithTheDigestAndRunDir() {
        HelperClient::Options o;
        o.launch = HelperClient::Launch::VerifiedCopy;
        o.bundleSha256 = digest_;
        const auto argv = HelperClient::commandLine(o);
        QCOMPARE(argv.size(), std::size_t(7));
        QCOMPARE(argv[0], std::string("pkexec")); // absolute program next: pkexec needs one
        QCOMPARE(argv[1], std::string("/bin/sh"));
        QCOMPARE(argv[2], std::string("-c"));
        QCOMPARE(argv[3], std::string(helperLaunchScript()));
        QCOMPARE(argv[4], std::string("dmscope-helper-launcher"));
        QCOMPARE(argv[5], digest_);
        QCOMPARE(argv[6], std::string("/run"));
        // The script runs nothing from the bundle before comparing its digest.
        const std::string script = helperLaunchScript();
        QVERIFY(script.find("sha256sum") < script.find("tar -x"));
        QVERIFY(script.find("tar -x") < script.find("dmscope-helper\" --fd 1"));
    }

    void autoPicksTheVerifiedCopyOnlyForAnUnprivilegedAppImage() {
        HelperClient::Options o;
        o.bundleSha256 = digest_;
        QCOMPARE(HelperClient::resolveLaunch(o), HelperClient::Launch::Direct); // root here
        // An unprivileged child, with and without the AppImage runtime's variables.
        const pid_t pid = ::fork();
        if (pid == 0) {
            if (::setgid(65534) != 0 || ::setuid(65534) != 0) _exit(10);
            ::unsetenv("APPIMAGE");
            ::unsetenv("APPDIR");
            if (HelperClient::resolveLaunch(o) != HelperClient::Launch::Pkexec) _exit(11);
            ::setenv("APPIMAGE", "/tmp/dmscope.AppImage", 1);
            ::setenv("APPDIR", "/tmp/.mount_dmscope", 1);
            if (appImageHelperBundle() !=
                "/tmp/.mount_dmscope/" + std::string(kHelperBundleInAppDir))
                _exit(12);
            if (HelperClient::resolveLaunch(o) != HelperClient::Launch::VerifiedCopy) _exit(13);
            const auto argv = HelperClient::commandLine(o);
            if (argv.size() != 7 || argv[0] != "pkexec" || argv[5] != digest_) _exit(14);
            _exit(0);
        }
        int status = 0;
        QCOMPARE(::waitpid(pid, &status, 0), pid);
        QVERIFY2(
            WIFEXITED(status) && WEXITSTATUS(status) == 0,
            qPrintable(
                QString("unprivileged resolution failed at step %1").arg(WEXITSTATUS(status))));
    }

    void wholePathRunsTheVerifiedCopyAndRemovesIt() {
        auto helper = HelperClient::start(options());
        REQUIRE_OK(helper);
        auto fd = (*helper)->openDevice(loop_.toStdString(), DeviceAccess::ReadOnly);
        REQUIRE_OK(fd);
        struct stat st {};
        QVERIFY(::fstat(*fd, &st) == 0 && S_ISBLK(st.st_mode));
        ::close(*fd);
        // The copy: a root-owned 0700 directory named after the digest, one run directory in it
        // holding the unpacked helper, which is what runs.
        struct stat topSt {};
        QVERIFY(::lstat(top().toUtf8().constData(), &topSt) == 0);
        QVERIFY(S_ISDIR(topSt.st_mode) && topSt.st_uid == 0 && (topSt.st_mode & 07777) == 0700);
        const QStringList runs = runDirsIn(top());
        QCOMPARE(runs.size(), 1);
        const QString copied = top() + "/" + runs[0] + "/dmscope-helper";
        QVERIFY2(QFileInfo(copied).isExecutable(), qPrintable(copied));
        QVERIFY2(!QFileInfo::exists(top() + "/" + runs[0] + "/bundle"), "the archive was left");
        bool running = false;
        QDirIterator procs("/proc", {"[0-9]*"}, QDir::Dirs);
        while (procs.hasNext())
            if (QFileInfo(procs.next() + "/exe").symLinkTarget() ==
                QFileInfo(copied).absoluteFilePath())
                running = true;
        QVERIFY2(running, "no process runs the verified copy");
        helper->reset(); // the helper ends, the script removes its run directory
        QVERIFY2(runDirsIn(top()).isEmpty(), qPrintable(runDirsIn(top()).join(' ')));
    }

    void tamperedBundleIsRefusedByRootBeforeAnythingRuns() {
        QByteArray bytes = readAll(bundlePath());
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x01);
        const QString tampered = test::writeTempFile(
            "tampered.bundle", std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
        const Launched r = runLauncher(digest_, base_.path(), tampered);
        QCOMPARE(r.exitCode, kHelperLaunchRefused);
        QVERIFY2(r.err.contains("refusing to run it") &&
                     r.err.contains(QString::fromStdString(digest_)),
                 qPrintable(r.err));
        QVERIFY2(runDirsIn(top()).isEmpty(), "the refused copy was left behind");
    }

    void clientRefusesATamperedBundleBeforeAskingForAPassword() {
        QByteArray bytes = readAll(bundlePath());
        bytes[100] = char(bytes[100] ^ 0x80);
        const QString tampered = test::writeTempFile(
            "tampered2.bundle", std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
        auto o = options();
        o.bundlePath = tampered.toStdString();
        o.elevate = {"/bin/false"}; // would show up as a started process; must not be reached
        auto helper = HelperClient::start(o);
        QVERIFY(!helper);
        QCOMPARE(helper.error().kind, ErrorKind::Permission);
        QVERIFY2(helper.error().message.find("expects " + digest_) != std::string::npos,
                 helper.error().describe().c_str());
        QVERIFY(!QFileInfo::exists(top()));
    }

    void refusesAPreexistingTargetNotOwnedByRoot() {
        QVERIFY(QDir().mkdir(top()));
        QVERIFY(::chmod(top().toUtf8().constData(), 0700) == 0);
        QVERIFY(::chown(top().toUtf8().constData(), 65534, 65534) == 0);
        const Launched r = runLauncher(digest_, base_.path(), bundlePath());
        QCOMPARE(r.exitCode, kHelperLaunchRefused);
        QVERIFY2(r.err.contains("not a directory owned by root with mode 0700"), qPrintable(r.err));
        QVERIFY(runDirsIn(top()).isEmpty());
    }

    void refusesAPreexistingTargetOpenToOthers() {
        QVERIFY(QDir().mkdir(top()));
        QVERIFY(::chmod(top().toUtf8().constData(), 0755) == 0);
        const Launched r = runLauncher(digest_, base_.path(), bundlePath());
        QCOMPARE(r.exitCode, kHelperLaunchRefused);
        QVERIFY2(r.err.contains("0 755 directory"), qPrintable(r.err));
    }

    void refusesASymlinkedTarget() {
        QTemporaryDir elsewhere; // root-owned 0700: only the link itself is wrong
        QVERIFY(::symlink(elsewhere.path().toUtf8().constData(), top().toUtf8().constData()) == 0);
        const Launched r = runLauncher(digest_, base_.path(), bundlePath());
        QCOMPARE(r.exitCode, kHelperLaunchRefused);
        QVERIFY2(r.err.contains("symbolic link"), qPrintable(r.err));
        QVERIFY(runDirsIn(elsewhere.path()).isEmpty());
        QVERIFY(::unlink(top().toUtf8().constData()) == 0);
    }

    void refusesAMalformedDigestOrRelativeRunDir() {
        Launched r = runLauncher("../../etc", base_.path(), bundlePath());
        QCOMPARE(r.exitCode, kHelperLaunchRefused);
        QVERIFY2(r.err.contains("malformed digest"), qPrintable(r.err));
        r = runLauncher(digest_, "relative", bundlePath());
        QCOMPARE(r.exitCode, kHelperLaunchRefused);
        QVERIFY2(r.err.contains("absolute"), qPrintable(r.err));
    }

    void reusesAnExistingRootOwnedTarget() {
        QVERIFY(QDir().mkdir(top()));
        QVERIFY(::chmod(top().toUtf8().constData(), 0700) == 0);
        auto helper = HelperClient::start(options());
        REQUIRE_OK(helper);
        auto fd = (*helper)->openDevice(loop_.toStdString(), DeviceAccess::ReadOnly);
        REQUIRE_OK(fd);
        ::close(*fd);
        // and it answers as the helper does: only the two snapshot messages
        auto s = (*helper)->sendPoolMessage("anypool", "create_thin 5");
        QVERIFY(!s && s.error().kind == ErrorKind::Permission);
    }
};

QTEST_GUILESS_MAIN(TestHelperLaunch)
#include "tst_helperlaunch.moc"
