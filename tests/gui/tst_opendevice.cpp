// The Open Device dialog and live pools, without a kernel: pools come from recorded dm tables
// (as libdevmapper reports LVM's vg/pool), and a fake kernel answers the snapshot messages.
// Opening an active pool's metadata reads it with O_DIRECT; with a metadata snapshot it sends
// reserve_metadata_snap, says so in the window, and releases the snapshot when the view closes.

#include "app/gui/MainWindow.h"
#include "app/gui/OpenDeviceDialog.h"
#include "app/gui/OverviewPage.h"
#include "core/FileBlockSource.h"
#include "core/devmapper/DeviceMapper.h"
#include "core/devmapper/SnapshotRecords.h"
#include "models/PoolListModel.h"
#include "models/ThinPoolDocument.h"
#include "tests/support/Fixtures.h"
#include "tests/support/RecordedDevices.h"
#include "tests/support/Require.h"

#include <QAbstractItemModelTester>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTest>
#include <unistd.h>

using namespace dms;
using dms::test::deadPid;

namespace {

// The recorded LVM pool whose status holds a snapshot at `held` ("-": none).
std::vector<DmDevice> lvmPool(const std::string& held) {
    std::string status = "5 217/2048 76/4096 ";
    status.append(held).append(" rw discard_passdown queue_if_no_space - 512");
    return test::recordedLvmPool(status);
}

// The recorded LVM pool with the kernel at transaction id `transaction`, nothing held.
std::vector<DmDevice> lvmPoolAtTransaction(int transaction) {
    return test::recordedLvmPool(std::to_string(transaction) +
                                 " 217/2048 76/4096 - rw discard_passdown queue_if_no_space - 512");
}

// The fake kernel, reserving at the demo image's held root.
std::shared_ptr<test::FakePoolKernel> fakeKernel() {
    auto k = std::make_shared<test::FakePoolKernel>();
    k->reserveRoot = "1081";
    return k;
}

} // namespace

class TestOpenDevice : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                           test::tempDir() + QStringLiteral("/settings"));
        qputenv("DMSCOPE_STATE_DIR", (test::tempDir() + QStringLiteral("/state")).toUtf8());
    }

    void poolsAreListedWithTheirStatus() {
        PoolListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDevices(findThinPools(lvmPool("201")), {});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.pathAt(0), QStringLiteral("/dev/mapper/vg-pool_tmeta"));
        const QString what = model.index(0, PoolListModel::WhatColumn).data().toString();
        QVERIFY2(what.contains(QStringLiteral("vg-pool-tpool")) &&
                     what.contains(QStringLiteral("vg/pool")),
                 qPrintable(what));
        const QString status = model.index(0, PoolListModel::StatusColumn).data().toString();
        QVERIFY2(status.contains(QStringLiteral("transaction 5")) &&
                     status.contains(QStringLiteral("metadata 217/2048")) &&
                     status.contains(QStringLiteral("snapshot held at 201")),
                 qPrintable(status));
        QVERIFY(model.index(0, 0).data(PoolListModel::ActivePoolRole).toBool());
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void theDialogOffersASnapshotForActivePoolsOnly() {
        auto kernel = fakeKernel();
        OpenDeviceDialog dialog(kernel);
        QCOMPARE(dialog.model()->pools().size(), std::size_t(1));
        auto* table = dialog.findChild<QTableView*>();
        QPushButton* snapshot = nullptr;
        for (QPushButton* b : dialog.findChildren<QPushButton*>())
            if (b->text().contains(QStringLiteral("Snapshot"))) snapshot = b;
        QVERIFY(table && snapshot);
        QVERIFY(!snapshot->isEnabled());
        table->setCurrentIndex(dialog.model()->index(0, 0));
        QVERIFY(snapshot->isEnabled());
        // For people: DMSCOPE_SCREENSHOT_DIR=DIR saves what the dialog looks like.
        if (const QString dir = qEnvironmentVariable("DMSCOPE_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(dialog.grab().save(dir + QStringLiteral("/open-device.png")));
        snapshot->click();
        QVERIFY(dialog.choice());
        QCOMPARE(dialog.choice()->path, QStringLiteral("/dev/mapper/vg-pool_tmeta"));
        QVERIFY(dialog.choice()->metadataSnapshot && dialog.choice()->pool);
    }

    void aLivePoolIsReadDirectlyThroughAReservedSnapshotReleasedOnClose() {
        // The demo pool's metadata stands in for the pool's metadata device.
        const QString image = test::writeTempFile(
            QStringLiteral("live.img"),
            test::fixtureBytes(QStringLiteral("kernel/pool-b/metadata-msnap.img.zst")));
        auto kernel = fakeKernel();
        DeviceChoice choice;
        choice.path = image;
        choice.metadataSnapshot = true;
        choice.pool = findThinPools(lvmPool("-")).front();

        MainWindow w;
        w.show();
        w.setDeviceMapper(kernel);
        QVERIFY2(w.openDevice(choice), qPrintable(w.bannerText()));
        QCOMPARE(kernel->sent, std::vector<std::string>{"vg-pool-tpool reserve_metadata_snap"});
        auto* source = dynamic_cast<const FileBlockSource*>(w.document()->source().get());
        QVERIFY(source && source->directIo());
        QVERIFY(w.document()->showingMetadataSnapshot());
        QVERIFY2(w.bannerText().contains(QStringLiteral("metadata snapshot held at block 1081")),
                 qPrintable(w.bannerText()));
        // Another document closes the live view: the snapshot is released once nothing reads
        // it any more (a scan still running on it finishes first).
        QVERIFY(w.openDemo());
        QTRY_COMPARE_WITH_TIMEOUT(kernel->sent.size(), std::size_t(2), 10000);
        QCOMPARE(kernel->sent.back(), std::string("vg-pool-tpool release_metadata_snap"));
    }

    void aSnapshotLeftByADeadDmscopeIsNamedAtStart() {
        SnapshotRecord r;
        r.pool = "vg-pool-tpool";
        r.pid = deadPid();
        r.heldRoot = 1081;
        SnapshotRecords records;
        REQUIRE_OK(records.add(r));
        MainWindow w;
        QVERIFY2(w.bannerText().contains(QStringLiteral("vg-pool-tpool (held at block 1081")),
                 qPrintable(w.bannerText()));
        QVERIFY(w.bannerText().contains(QStringLiteral("release-snap")));
        records.remove("vg-pool-tpool");
    }

    void aLiveViewWithoutASnapshotWarnsOfInconsistency() {
        const QString image = test::writeTempFile(
            QStringLiteral("live2.img"),
            test::fixtureBytes(QStringLiteral("kernel/pool-b/metadata-msnap.img.zst")));
        auto kernel = fakeKernel();
        DeviceChoice choice;
        choice.path = image;
        choice.pool = findThinPools(lvmPool("-")).front();
        MainWindow w;
        w.setDeviceMapper(kernel);
        QVERIFY(w.openDevice(choice));
        QVERIFY(kernel->sent.empty());
        QVERIFY2(w.bannerText().contains(QStringLiteral("can be inconsistent")),
                 qPrintable(w.bannerText()));
    }

    // The demo image's held copy carries transaction id 6, block 0 carries 7: a kernel at 7
    // (set_transaction_id committed after the reserve) disagrees with the copy, not block 0.
    void aTransactionIdMismatchWithTheSuperblockShownIsFlagged() {
        const QString image = test::writeTempFile(
            QStringLiteral("live3.img"),
            test::fixtureBytes(QStringLiteral("kernel/pool-b/metadata-msnap.img.zst")));
        for (int kernelTransaction : {7, 6}) {
            auto kernel = fakeKernel();
            DeviceChoice choice;
            choice.path = image;
            choice.metadataSnapshot = true;
            choice.pool = findThinPools(lvmPoolAtTransaction(kernelTransaction)).front();
            MainWindow w;
            w.setDeviceMapper(kernel);
            QVERIFY2(w.openDevice(choice), qPrintable(w.bannerText()));
            QVERIFY(w.document()->showingMetadataSnapshot());
            auto* overview = w.findChild<OverviewPage*>();
            QVERIFY(overview);
            const QString header = overview->headerText();
            const bool flagged = header.contains(QStringLiteral("Transaction-id mismatch"));
            if (kernelTransaction == 7) {
                QVERIFY2(flagged &&
                             header.contains(QStringLiteral("kernel has transaction id 7")) &&
                             header.contains(QStringLiteral("(block 1081) has 6")),
                         qPrintable(header));
                // The live-pool banner repeats it, with both ids.
                QVERIFY2(w.bannerText().contains(QStringLiteral("Transaction-id mismatch")) &&
                             w.bannerText().contains(QStringLiteral("kernel has transaction id 7")),
                         qPrintable(w.bannerText()));
                // Block 0 agrees with the kernel: no flag once the live superblock is shown.
                QVERIFY(w.setShowMetadataSnapshot(false));
                QVERIFY2(!overview->headerText().contains(QStringLiteral("mismatch")),
                         qPrintable(overview->headerText()));
                // For people: DMSCOPE_SCREENSHOT_DIR=DIR saves the flagged overview.
                if (const QString dir = qEnvironmentVariable("DMSCOPE_SCREENSHOT_DIR");
                    !dir.isEmpty()) {
                    QVERIFY(w.setShowMetadataSnapshot(true));
                    w.resize(1280, 800);
                    QVERIFY(w.grab().save(dir + QStringLiteral("/transaction-mismatch.png")));
                }
            } else {
                QVERIFY2(!flagged, qPrintable(header));
                QVERIFY2(!w.bannerText().contains(QStringLiteral("mismatch")),
                         qPrintable(w.bannerText()));
                QVERIFY(w.setShowMetadataSnapshot(false)); // block 0 has 7, the kernel 6
                QVERIFY2(overview->headerText().contains(QStringLiteral("the superblock has 7")),
                         qPrintable(overview->headerText()));
            }
        }
    }
};

QTEST_MAIN(TestOpenDevice)
#include "tst_opendevice.moc"
