// Editing a file in place: nothing reaches the file before Commit (adding, undoing, previews,
// Abort), Commit writes it in the crash-safe order with each phase reported, and the result
// passes thin_check; Abort leaves the file byte-identical; a read-only file is refused with a
// clear reason. A busy device is explained with the recorded LVM pool (RecordedDevices): its dm
// name and the commands that free it; other holders (stacked dm devices, mounts) from a fake
// sysfs and mountinfo.

#include "core/FileBlockSource.h"
#include "models/edit/EditOpenProblem.h"
#include "models/edit/EditSession.h"
#include "tests/support/Fixtures.h"
#include "tests/support/RecordedDevices.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace dms;
using namespace dms::test;

namespace {

const QString kDemo = QStringLiteral("kernel/pool-b/metadata-msnap.img.zst");

QByteArray contents(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

class PhaseList final : public CommitProgressObserver {
public:
    void onCommitProgress(const CommitProgressReport& r) override {
        if (phases.empty() || phases.back() != r.phase) phases.push_back(r.phase);
    }
    std::vector<CommitPhase> phases;
};

} // namespace

class TestEditInPlace : public QObject {
    Q_OBJECT
private slots:
    void aCommitInPlaceWritesTheFileOnlyThenAndPassesThinCheck() {
        QVERIFY(haveThinTools());
        const QString path = writeTempFile(QStringLiteral("inplace.img"), fixtureBytes(kDemo));
        const QByteArray original = contents(path);
        auto s = EditSession::editInPlace(path);
        QVERIFY2(s, s ? "" : s.error().describe().c_str());
        EditSession& e = **s;
        QVERIFY(e.isInPlace());
        QCOMPARE(e.commitTarget(), path);
        QVERIFY(e.copyPath().isEmpty());
        QVERIFY(e.add(EditOperation::createSnapshot(100, 1)));
        QVERIFY(e.add(EditOperation::createThin(77)));
        QVERIFY(e.undoLast());
        QVERIFY(e.add(EditOperation::map(100, 0, 3000, 4)));
        QVERIFY(e.previewSource());
        (void)e.commitEvents();
        QVERIFY2(contents(path) == original, "the file was written before Commit");

        PhaseList progress;
        QSignalSpy committed(&e, &EditSession::committed);
        QVERIFY(e.commit(&progress));
        QCOMPARE(committed.count(), 1);
        const std::vector<CommitPhase> order = {
            CommitPhase::WritingBlocks, CommitPhase::FlushingBlocks, CommitPhase::WritingSuperblock,
            CommitPhase::FlushingSuperblock, CommitPhase::Done};
        QVERIFY2(progress.phases == order, "the commit's phases came in another order");
        QVERIFY(contents(path) != original);
        QVERIFY(!e.hasPendingOperations());
        QCOMPARE(e.history().size(), 1);

        const RunResult check = runProgram(QStringLiteral("thin_check"), {path});
        QVERIFY2(check.exitCode == 0, (check.out + check.err).constData());
        const RunResult dump = runProgram(QStringLiteral("thin_dump"), {path});
        QVERIFY(dump.out.contains("dev_id=\"100\""));
        QVERIFY(dump.out.contains("origin_begin=\"0\" data_begin=\"3000\" length=\"4\""));
        QVERIFY(!dump.out.contains("dev_id=\"77\""));
    }

    void abortLeavesTheFileByteIdentical() {
        const QString path = writeTempFile(QStringLiteral("abort.img"), fixtureBytes(kDemo));
        const QByteArray original = contents(path);
        {
            auto s = EditSession::editInPlace(path);
            QVERIFY(s);
            QVERIFY((*s)->add(EditOperation::createSnapshot(100, 1)));
            QVERIFY((*s)->add(EditOperation::deleteDevice(2)));
            QVERIFY((*s)->add(EditOperation::releaseMetadataSnapshot()));
            QVERIFY((*s)->add(EditOperation::reserveMetadataSnapshot())); // commits part-way
            QVERIFY((*s)->abort());
            QVERIFY(!(*s)->hasPendingOperations());
        }
        QVERIFY2(contents(path) == original, "Abort changed the file");
    }

    // Two sessions on one image would interleave their commits: the second is refused as busy,
    // named as such, and the image can be edited again once the first is gone.
    void aSecondEditorOfTheSameImageIsRefusedUntilTheFirstCloses() {
        const QString path = writeTempFile(QStringLiteral("locked.img"), fixtureBytes(kDemo));
        {
            auto first = EditSession::editInPlace(path);
            QVERIFY2(first, first ? "" : first.error().describe().c_str());
            auto second = EditSession::editInPlace(path);
            QVERIFY2(!second, "a second in-place session opened an image already being edited");
            QCOMPARE(second.error().kind, ErrorKind::Busy);
            QVERIFY2(second.error().message.find("another dmscope session") != std::string::npos,
                     second.error().describe().c_str());
            const EditOpenProblem p = explainEditOpenFailure(path, second.error());
            QCOMPARE(p.kind, EditOpenProblem::Kind::Busy);
            QVERIFY2(p.explanation.contains(QStringLiteral("Another dmscope session")),
                     qPrintable(p.explanation));
            QVERIFY(p.canEditCopy);
            const RunResult cli = runCli(
                {QStringLiteral("edit"), path, QStringLiteral("delete"), QStringLiteral("2")});
            QVERIFY2(cli.exitCode == 1 && cli.err.contains("another dmscope session"),
                     (cli.out + cli.err).constData());
            // Reading stays possible while it is edited.
            QVERIFY(FileBlockSource::open(path.toStdString(), OpenMode::ReadOnly));
        }
        auto again = EditSession::editInPlace(path);
        QVERIFY2(again, again ? "" : again.error().describe().c_str());
    }

    void aReadOnlyFileIsRefusedWithItsReason() {
        const QString path = writeTempFile(QStringLiteral("readonly.img"), fixtureBytes(kDemo));
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup));
        auto s = EditSession::editInPlace(path);
        QVERIFY(!s);
        QCOMPARE(s.error().kind, ErrorKind::Permission);
        const std::string msg = s.error().message;
        QVERIFY2(msg.find(path.toStdString() + " is read-only (mode 0440)") != std::string::npos,
                 msg.c_str());
        const EditOpenProblem p = explainEditOpenFailure(path, s.error());
        QCOMPARE(p.kind, EditOpenProblem::Kind::ReadOnlyFile);
        QCOMPARE(p.title, path + QStringLiteral(" is read-only"));
        QCOMPARE(p.commands, QStringList{QStringLiteral("chmod u+w ") + path});
        QVERIFY(p.canEditCopy);
        QVERIFY(!p.canUseHelper);
        // ... and a copy of it can still be edited.
        QVERIFY(EditSession::editCopyOfFile(path));
    }

    void aBusyMetadataDeviceNamesTheActivePoolAndTheCommands() {
        FakePoolKernel kernel;
        EditOpenContext c;
        c.device = DevNo{253, 0};
        c.dm = &kernel;
        const QString path = QStringLiteral("/dev/mapper/vg-pool_tmeta");
        const Error busy = makeError(ErrorKind::Busy, "cannot open " + path.toStdString() +
                                                          ": Device or resource busy");
        const EditOpenProblem p = explainEditOpenFailure(path, busy, c);
        QCOMPARE(p.kind, EditOpenProblem::Kind::Busy);
        QCOMPARE(p.title, path + QStringLiteral(" is in use"));
        QCOMPARE(p.holder, QStringLiteral("the active thin pool vg-pool-tpool"));
        QVERIFY2(p.explanation.contains(QStringLiteral("vg-pool-tpool (LVM vg/pool)")),
                 qPrintable(p.explanation));
        QCOMPARE(p.commands, (QStringList{QStringLiteral("lvchange -an vg/lv1"),
                                          QStringLiteral("lvchange -an vg/pool")}));
        QVERIFY(p.canEditCopy);
        QVERIFY(!p.canUseHelper);
        QVERIFY(kernel.sent.empty()); // asking sends no message
    }

    void aBusyPlainDmPoolIsFreedWithDmsetupRemove() {
        const std::string status =
            "5 217/2048 76/4096 - rw discard_passdown queue_if_no_space - 512";
        RecordedDeviceMapper dm({
            recordedDevice("meta", "", {253, 10}, "linear", "7:0 2048", "", 8192),
            recordedDevice("data", "", {253, 11}, "linear", "7:0 10240", ""),
            recordedDevice("pool", "", {253, 12}, "thin-pool", "253:10 253:11 128 0 0", status),
            recordedDevice("thin1", "", {253, 13}, "thin", "253:12 1", "2048 4095", 1048576),
        });
        EditOpenContext c;
        c.device = DevNo{253, 10};
        c.dm = &dm;
        const EditOpenProblem p = explainEditOpenFailure(QStringLiteral("/dev/mapper/meta"),
                                                         makeError(ErrorKind::Busy, "busy"), c);
        QCOMPARE(p.holder, QStringLiteral("the active thin pool pool"));
        QCOMPARE(p.commands, QStringList{QStringLiteral("dmsetup remove thin1 pool")});
    }

    void aBusyDeviceWithoutAPoolNamesWhatIsStackedOnItAndWhereItIsMounted() {
        const QString sys = tempDir() + QStringLiteral("/sys");
        QVERIFY(QDir().mkpath(sys + QStringLiteral("/dev/block/8:17/holders/dm-7/dm")));
        QFile name(sys + QStringLiteral("/dev/block/8:17/holders/dm-7/dm/name"));
        QVERIFY(name.open(QIODevice::WriteOnly));
        name.write("vg-other\n");
        name.close();
        const std::vector<std::uint8_t> mountinfo = [] {
            const std::string text = "22 1 8:17 / /srv/data rw,relatime shared:1 - ext4 /dev/sdb1 "
                                     "rw\n23 1 8:2 / / rw - ext4 /dev/sda2 rw\n";
            return std::vector<std::uint8_t>(text.begin(), text.end());
        }();
        RecordedDeviceMapper none({});
        EditOpenContext c;
        c.device = DevNo{8, 17};
        c.dm = &none;
        c.sysRoot = sys;
        c.mountInfo = writeTempFile(QStringLiteral("mountinfo"), mountinfo);
        const EditOpenProblem p = explainEditOpenFailure(QStringLiteral("/dev/sdb1"),
                                                         makeError(ErrorKind::Busy, "busy"), c);
        QCOMPARE(p.holder, QStringLiteral("device-mapper device vg-other"));
        QCOMPARE(p.commands, (QStringList{QStringLiteral("dmsetup remove vg-other"),
                                          QStringLiteral("umount /srv/data")}));
        QVERIFY(p.explanation.contains(QStringLiteral("mounted at /srv/data")));
    }

    void noPermissionOnADeviceOffersTheHelper() {
        EditOpenContext c;
        c.device = DevNo{253, 0};
        const EditOpenProblem p =
            explainEditOpenFailure(QStringLiteral("/dev/mapper/vg-pool_tmeta"),
                                   makeError(ErrorKind::Permission, "Permission denied"), c);
        QCOMPARE(p.kind, EditOpenProblem::Kind::Permission);
        QVERIFY(p.title.startsWith(QStringLiteral("No permission")));
        QVERIFY(p.explanation.contains(QStringLiteral("As Administrator")));
        // Root needs no helper; anyone else is offered it.
        QCOMPARE(p.canUseHelper, ::geteuid() != 0);
    }
};

QTEST_GUILESS_MAIN(TestEditInPlace)
#include "tst_editinplace.moc"
