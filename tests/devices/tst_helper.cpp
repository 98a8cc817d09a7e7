// dmscope-helper, started directly (the tests run as root; pkexec is the same program behind an
// authentication): descriptors come back over SCM_RIGHTS with the access asked for, and
// everything that is not a block device under /dev, reached without symlinks, is refused.
// Block devices: loop devices over fixture images (losetup).

#include "core/FileBlockSource.h"
#include "core/devmapper/HelperClient.h"
#include "tests/support/Fixtures.h"
#include "tests/support/Require.h"

#include <QFile>
#include <QTest>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace dms;

namespace {

std::unique_ptr<HelperClient> startHelper() {
    HelperClient::Options o;
    o.helperPath = DMSCOPE_HELPER_PATH;
    o.launch = HelperClient::Launch::Direct;
    auto h = HelperClient::start(o);
    if (!h) return nullptr;
    return std::move(*h);
}

std::vector<std::uint8_t> readBlock(int fd, std::uint64_t block) {
    void* p = nullptr;
    if (::posix_memalign(&p, 4096, 4096) != 0) return {};
    std::vector<std::uint8_t> out;
    if (::pread(fd, p, 4096, off_t(block * 4096)) == 4096)
        out.assign(static_cast<std::uint8_t*>(p), static_cast<std::uint8_t*>(p) + 4096);
    std::free(p);
    return out;
}

} // namespace

class TestHelper : public QObject {
    Q_OBJECT
    QString image_;
    QString loop_; // /dev/loopN over image_
    std::vector<std::uint8_t> bytes_;
    QString shmDir_;

private slots:
    void initTestCase() {
        bytes_ = test::fixtureBytes("tools/thin_small.bin.zst");
        image_ = test::writeTempFile("helper-thin.img", bytes_);
        const auto r = test::runProgram("losetup", {"-f", "--show", image_});
        QVERIFY2(r.exitCode == 0,
                 qPrintable("losetup failed (loop devices are needed for the helper tests): " +
                            QString::fromUtf8(r.err)));
        loop_ = QString::fromUtf8(r.out).trimmed();
        QVERIFY(loop_.startsWith("/dev/loop"));
        shmDir_ = QString("/dev/shm/dmscope-helper-test-%1").arg(::getpid());
        QVERIFY(::mkdir(shmDir_.toUtf8().constData(), 0700) == 0);
    }
    void cleanupTestCase() {
        if (!loop_.isEmpty()) test::runProgram("losetup", {"-d", loop_});
        if (!shmDir_.isEmpty()) test::runProgram("rm", {"-rf", shmDir_});
    }

    void passesAReadOnlyDescriptorOfTheDevice() {
        auto helper = startHelper();
        QVERIFY(helper);
        auto fd = helper->openDevice(loop_.toStdString(), DeviceAccess::ReadOnly);
        REQUIRE_OK(fd);
        struct stat byFd {
        }, byName{};
        QVERIFY(::fstat(*fd, &byFd) == 0 && ::stat(loop_.toUtf8().constData(), &byName) == 0);
        QVERIFY(S_ISBLK(byFd.st_mode));
        QCOMPARE(byFd.st_rdev, byName.st_rdev);
        QCOMPARE(::fcntl(*fd, F_GETFL) & O_ACCMODE, O_RDONLY);
        QVERIFY2(::fcntl(*fd, F_GETFD) & FD_CLOEXEC, "passed descriptor is not close-on-exec");
        const std::uint8_t zero[1] = {0};
        QCOMPARE(::pwrite(*fd, zero, 1, 0), ssize_t(-1));
        QCOMPARE(errno, EBADF);
        const auto block0 = readBlock(*fd, 0);
        QVERIFY(block0.size() == 4096 && std::equal(block0.begin(), block0.end(), bytes_.begin()));
        ::close(*fd);
    }
    void directReadsThroughThePassedDescriptorMatchTheImage() {
        auto helper = startHelper();
        QVERIFY(helper);
        auto src = helper->openSource(loop_.toStdString(), DeviceAccess::ReadOnlyDirect);
        REQUIRE_OK(src);
        QVERIFY((*src)->directIo());
        QVERIFY(!(*src)->writable());
        QCOMPARE((*src)->blockCount(), std::uint64_t(bytes_.size() / 4096));
        std::vector<std::uint8_t> buf(4096 + 1); // unaligned target: the bounce buffer path
        for (std::uint64_t b = 0; b < (*src)->blockCount(); ++b) {
            REQUIRE_OK((*src)->read(b, buf.data() + 1));
            QVERIFY2(std::equal(buf.begin() + 1, buf.end(), bytes_.begin() + b * 4096),
                     qPrintable(QString("block %1 differs from the image").arg(b)));
        }
    }
    void readWriteRequestIsExclusive() {
        auto helper = startHelper();
        QVERIFY(helper);
        auto fd = helper->openDevice(loop_.toStdString(), DeviceAccess::ReadWriteExclusive);
        REQUIRE_OK(fd);
        QCOMPARE(::fcntl(*fd, F_GETFL) & O_ACCMODE, O_RDWR);
        const int other = ::open(loop_.toUtf8().constData(), O_RDWR | O_EXCL);
        const int err = errno;
        if (other >= 0) ::close(other);
        QVERIFY2(other < 0 && err == EBUSY, "a second exclusive open succeeded");
        auto again = helper->openDevice(loop_.toStdString(), DeviceAccess::ReadWriteExclusive);
        QVERIFY(!again);
        QVERIFY2(again.error().kind == ErrorKind::Busy, again.error().describe().c_str());
        ::close(*fd);
    }
    void refusesRegularFiles() {
        auto helper = startHelper();
        QVERIFY(helper);
        const QString inDev = shmDir_ + "/regular.img";
        QFile f(inDev);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        for (const QString& p : {inDev, image_}) {
            auto fd = helper->openDevice(p.toStdString(), DeviceAccess::ReadOnly);
            QVERIFY2(!fd, qPrintable(p + " was opened"));
        }
        auto fd = helper->openDevice(inDev.toStdString(), DeviceAccess::ReadOnly);
        QVERIFY2(fd.error().message.find("not a block device") != std::string::npos,
                 fd.error().describe().c_str());
        QVERIFY(!helper->openDevice("/dev/null", DeviceAccess::ReadOnly)); // a char device
    }
    void refusesPathsOutsideDev() {
        auto helper = startHelper();
        QVERIFY(helper);
        for (const char* p : {"/etc/passwd", "/dev/../etc/passwd", "/proc/self/exe", "dev/null",
                              "relative/loop0", ""}) {
            auto fd = helper->openDevice(p, DeviceAccess::ReadOnly);
            QVERIFY2(!fd, p);
        }
        // a NUL would cut the path short on its way to open(): the device before it must not open
        std::string cut = loop_.toStdString();
        cut += std::string("\0/../../etc/passwd", 18);
        QVERIFY2(!helper->openDevice(cut, DeviceAccess::ReadOnly), "a path with a NUL was opened");
        auto fd = helper->openDevice(image_.toStdString(), DeviceAccess::ReadWriteExclusive);
        QVERIFY(!fd);
        QVERIFY2(fd.error().message.find("not under /dev") != std::string::npos,
                 fd.error().describe().c_str());
    }
    void refusesSymlinkTricks() {
        auto helper = startHelper();
        QVERIFY(helper);
        // A link under /dev that points outside it, to a file and to a directory holding one.
        const QString toFile = shmDir_ + "/link-to-image";
        const QString toEtc = shmDir_ + "/etc";
        QVERIFY(::symlink(image_.toUtf8().constData(), toFile.toUtf8().constData()) == 0);
        QVERIFY(::symlink("/etc", toEtc.toUtf8().constData()) == 0);
        for (const QString& p : {toFile, toEtc + "/passwd"}) {
            auto fd = helper->openDevice(p.toStdString(), DeviceAccess::ReadOnly);
            QVERIFY2(!fd, qPrintable(p + " was opened"));
            QVERIFY2(fd.error().message.find("not under /dev") != std::string::npos,
                     fd.error().describe().c_str());
        }
        // A link to the real device is resolved and the device itself opened (by its own name).
        const QString toLoop = shmDir_ + "/link-to-loop";
        QVERIFY(::symlink(loop_.toUtf8().constData(), toLoop.toUtf8().constData()) == 0);
        auto fd = helper->openDevice(toLoop.toStdString(), DeviceAccess::ReadOnly);
        REQUIRE_OK(fd);
        struct stat st {};
        QVERIFY(::fstat(*fd, &st) == 0 && S_ISBLK(st.st_mode));
        ::close(*fd);
    }
    void sendsOnlyTheTwoSnapshotMessages() {
        auto helper = startHelper();
        QVERIFY(helper);
        for (const char* m : {"create_thin 5", "delete 0", "set_transaction_id 1 2"}) {
            auto s = helper->sendPoolMessage("anypool", m);
            QVERIFY2(!s, m);
            QVERIFY2(s.error().kind == ErrorKind::Permission, s.error().describe().c_str());
        }
    }
    void helperEndsWhenTheClientGoes() {
        pid_t pid = 0;
        {
            auto helper = startHelper();
            QVERIFY(helper);
            pid = helper->pid();
            QVERIFY(::kill(pid, 0) == 0);
        }
        QVERIFY2(::kill(pid, 0) != 0 && errno == ESRCH, "helper still running (not reaped)");
    }
    void helperRefusesToRunWithoutItsSocket() {
        const auto r = test::runProgram(DMSCOPE_HELPER_PATH, {"--fd", "1"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("SOCK_SEQPACKET"));
    }
};

QTEST_GUILESS_MAIN(TestHelper)
#include "tst_helper.moc"
