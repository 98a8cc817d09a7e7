// Discovery from recorded dmsetup table/status strings (no kernel needed): dm-thin's table and
// status text, pools with their LVM-hidden metadata and data devices, thin volumes, the metadata
// magic scan, snapshot records and leases, and the helper's device-list framing.

#include "core/devmapper/DeviceMapper.h"
#include "core/devmapper/HelperProtocol.h"
#include "core/devmapper/MetadataCandidates.h"
#include "core/devmapper/MetadataSnapshotLease.h"
#include "core/devmapper/SnapshotRecords.h"
#include "core/devmapper/ThinPoolInfo.h"
#include "core/devmapper/ThinTargetText.h"
#include "tests/support/Fixtures.h"
#include "tests/support/RecordedDevices.h"
#include "tests/support/Require.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace dms;
using dms::test::deadPid;

namespace {

using FakeKernel = test::FakePoolKernel;

DmDevice dev(std::string name, std::string uuid, DevNo no, std::string type, std::string params,
             std::string status) {
    return test::recordedDevice(std::move(name), std::move(uuid), no, std::move(type),
                                std::move(params), std::move(status));
}

std::vector<DmDevice> lvmPool(const std::string& poolStatus) {
    return test::recordedLvmPool(poolStatus);
}

} // namespace

class TestDevmapper : public QObject {
    Q_OBJECT
private slots:
    void poolTableFieldsAndFeatures() {
        auto t = parseThinPoolTable("253:0 253:1 128 32768 2 skip_block_zeroing read_only");
        REQUIRE_OK(t);
        QVERIFY(t->metadataDev == (DevNo{253, 0}));
        QVERIFY(t->dataDev == (DevNo{253, 1}));
        QCOMPARE(t->dataBlockSectors, 128u);
        QCOMPARE(t->lowWaterMark, std::uint64_t(32768));
        QCOMPARE(t->features.size(), std::size_t(2));
        QCOMPARE(t->features[1], std::string("read_only"));
    }
    void poolTableRefusesAWrongFeatureCount() {
        auto t = parseThinPoolTable("253:0 253:1 128 0 2 skip_block_zeroing");
        QVERIFY(!t);
        QVERIFY2(t.error().message.find("feature count") != std::string::npos,
                 t.error().message.c_str());
        QVERIFY(!parseThinPoolTable("253:0 x 128 0 0"));
    }
    void poolStatusOfAHealthyPoolWithAHeldRoot() {
        auto s = parseThinPoolStatus("5 217/2048 76/4096 201 rw discard_passdown "
                                     "queue_if_no_space - 512");
        REQUIRE_OK(s);
        QCOMPARE(s->transactionId, std::uint64_t(5));
        QCOMPARE(s->usedMetadataBlocks, std::uint64_t(217));
        QCOMPARE(s->totalMetadataBlocks, std::uint64_t(2048));
        QCOMPARE(s->usedDataBlocks, std::uint64_t(76));
        QCOMPARE(s->totalDataBlocks, std::uint64_t(4096));
        QCOMPARE(s->heldRoot.value_or(0), std::uint64_t(201));
        QVERIFY(s->mode == PoolMode::ReadWrite);
        QVERIFY(s->discardPassdown);
        QVERIFY(!s->errorIfNoSpace);
        QVERIFY(!s->needsCheck);
        QCOMPARE(s->metadataLowWatermark.value_or(0), std::uint64_t(512));
    }
    void poolStatusModesAndFlags() {
        auto ro = parseThinPoolStatus("9 10/20 30/40 - ro no_discard_passdown error_if_no_space "
                                      "needs_check 5");
        REQUIRE_OK(ro);
        QVERIFY(!ro->heldRoot);
        QVERIFY(ro->mode == PoolMode::ReadOnly);
        QVERIFY(ro->needsCheck);
        QVERIFY(ro->errorIfNoSpace);
        QVERIFY(!ro->discardPassdown);
        auto full = parseThinPoolStatus("1 1/2 4096/4096 - out_of_data_space discard_passdown "
                                        "queue_if_no_space - 2");
        REQUIRE_OK(full);
        QVERIFY(full->mode == PoolMode::OutOfDataSpace);
        auto fail = parseThinPoolStatus("Fail");
        REQUIRE_OK(fail);
        QVERIFY(fail->failed());
        QVERIFY(!parseThinPoolStatus("5 217 76/4096 - rw"));
        QVERIFY(!parseThinPoolStatus("5 217/2048 76/4096 - sideways"));
    }
    void thinTableAndStatus() {
        auto t = parseThinTable("253:2 7");
        REQUIRE_OK(t);
        QCOMPARE(t->deviceId, std::uint64_t(7));
        QVERIFY(!t->externalOrigin);
        auto ext = parseThinTable("253:2 8 7:1");
        REQUIRE_OK(ext);
        QVERIFY(ext->externalOrigin && *ext->externalOrigin == (DevNo{7, 1}));
        QVERIFY(!parseThinTable("253:2 16777216")); // ids are 24 bits
        auto empty = parseThinStatus("0 -");
        REQUIRE_OK(empty);
        QVERIFY(!empty->highestMappedSector);
        auto used = parseThinStatus("2048 4095");
        REQUIRE_OK(used);
        QCOMPARE(used->mappedSectors, std::uint64_t(2048));
        QCOMPARE(used->highestMappedSector.value_or(0), std::uint64_t(4095));
    }
    void lvmPoolFoundByTargetTypeWithHiddenMetadataDevice() {
        const auto pools = findThinPools(lvmPool("5 217/2048 76/4096 - rw discard_passdown "
                                                 "queue_if_no_space - 512"),
                                         "/nonexistent");
        QCOMPARE(pools.size(), std::size_t(1)); // vg-pool (linear on top) is not a pool
        const ThinPoolInfo& p = pools[0];
        QCOMPARE(p.name, std::string("vg-pool-tpool"));
        QCOMPARE(p.metadata.name, std::string("vg-pool_tmeta"));
        QCOMPARE(p.metadata.path, std::string("/dev/mapper/vg-pool_tmeta"));
        QCOMPARE(p.data.name, std::string("vg-pool_tdata"));
        QVERIFY(p.status);
        QCOMPARE(p.status->transactionId, std::uint64_t(5));
        QCOMPARE(p.thins.size(), std::size_t(1));
        QCOMPARE(p.thins[0].name, std::string("vg-lv1"));
        QCOMPARE(p.thins[0].table.deviceId, std::uint64_t(1));
        QCOMPARE(p.lvmName(), std::string("vg/pool"));
        QCOMPARE(p.deactivateCommand(), std::string("lvchange -an vg/pool"));
        QVERIFY(poolWithMetadata(pools, {253, 0}) == &pools[0]);
        QVERIFY(poolWithMetadata(pools, {253, 1}) == nullptr);
    }
    void plainPoolOnDisksResolvedThroughSysfs() {
        QTemporaryDir sys;
        QDir(sys.path()).mkpath("dev/block/7:3");
        QFile ue(sys.path() + "/dev/block/7:3/uevent");
        QVERIFY(ue.open(QIODevice::WriteOnly));
        ue.write("MAJOR=7\nMINOR=3\nDEVNAME=loop3\nDEVTYPE=disk\n");
        ue.close();
        std::vector<DmDevice> devs = {
            dev("pool", "", {253, 0}, "thin-pool", "7:3 7:4 128 0 0",
                "0 10/2048 0/4096 - rw discard_passdown queue_if_no_space - 512"),
            dev("t0", "", {253, 1}, "thin", "253:0 0", "0 -"),
            dev("t1", "", {253, 2}, "thin", "253:0 1", "Fail"),
        };
        const auto pools = findThinPools(devs, sys.path().toStdString());
        QCOMPARE(pools.size(), std::size_t(1));
        QCOMPARE(pools[0].metadata.path, std::string("/dev/loop3"));
        QCOMPARE(pools[0].data.path, std::string("")); // 7:4 unknown to this sysfs
        QVERIFY(pools[0].lvmName().empty());
        QCOMPARE(pools[0].deactivateCommand(), std::string("dmsetup remove t0 t1 pool"));
        QVERIFY(pools[0].thins[1].status && pools[0].thins[1].status->failed);
    }
    void lvmNamesWithDashes() {
        std::string vg, lv;
        QVERIFY(splitLvmDmName("my--vg-my--pool-tpool", vg, lv));
        QCOMPARE(vg, std::string("my-vg"));
        QCOMPARE(lv, std::string("my-pool-tpool"));
        QVERIFY(!splitLvmDmName("nodash", vg, lv));
    }
    void magicScanFindsThinCacheAndEraSuperblocks() {
        QTemporaryDir root;
        const QString sys = root.path() + "/class-block", devDir = root.path() + "/dev";
        QDir().mkpath(devDir);
        auto addDevice = [&](const QString& name, const std::vector<std::uint8_t>& bytes,
                             const QString& devno, const QString& dmName = {}) {
            QDir().mkpath(sys + "/" + name + "/dm");
            QFile f(devDir + "/" + name);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size()));
            f.close();
            auto put = [&](const QString& file, const QString& text) {
                QFile g(sys + "/" + name + "/" + file);
                QVERIFY(g.open(QIODevice::WriteOnly));
                g.write(text.toUtf8() + "\n");
            };
            put("dev", devno);
            put("size", QString::number(bytes.size() / 512));
            if (!dmName.isEmpty()) put("dm/name", dmName);
        };
        auto withMagic = [](std::uint64_t magic) {
            std::vector<std::uint8_t> b(8192, 0);
            for (int i = 0; i < 8; ++i)
                b[32 + i] = std::uint8_t(magic >> (8 * i));
            return b;
        };
        addDevice("loop1", test::fixtureBytes("tools/thin_small.bin.zst"), "7:1");
        addDevice("dm-5", withMagic(06142003), "253:5", "cachevg-meta");
        addDevice("loop2", withMagic(2126579579), "7:2");
        addDevice("loop3", withMagic(27022011), "7:3"); // one off: not metadata
        QDir().mkpath(sys + "/loop2/holders/dm-7");
        const auto scan = scanMetadataCandidates(sys.toStdString(), devDir.toStdString());
        QCOMPARE(scan.found.size(), std::size_t(3));
        QCOMPARE(scan.found[0].path, (devDir + "/mapper/cachevg-meta").toStdString());
        QVERIFY(scan.found[0].kind == MetadataKind::Cache);
        QVERIFY(scan.found[1].kind == MetadataKind::Thin);
        QVERIFY(scan.found[1].dev == (DevNo{7, 1}));
        QVERIFY(scan.found[2].kind == MetadataKind::Era);
        QCOMPARE(scan.found[2].holders, std::vector<std::string>{"dm-7"});
        QVERIFY(scan.found[1].holders.empty());
    }
    void snapshotRecordsNameTheirOwnerAndItsState() {
        QTemporaryDir dir;
        SnapshotRecords records(dir.path().toStdString() + "/state");
        SnapshotRecord mine{"poolA", int(::getpid()), {253, 0}, 201, 1000, false};
        SnapshotRecord dead{"poolB", deadPid(), {253, 5}, 77, 1000, false};
        REQUIRE_OK(records.add(mine));
        REQUIRE_OK(records.add(dead));
        QCOMPARE(records.list().size(), std::size_t(2));
        auto a = records.find("poolA");
        QVERIFY(a && a->ownerAlive && a->heldRoot == 201 && a->metadataDev == (DevNo{253, 0}));
        auto b = records.find("poolB");
        QVERIFY(b && !b->ownerAlive);
        REQUIRE_OK(records.remove("poolA"));
        QVERIFY(!records.find("poolA"));
        QVERIFY(!records.add({"bad/name", 1, {}, 0, 0, false}));
    }
    void leaseReservesRecordsAndReleases() {
        QTemporaryDir dir;
        SnapshotRecords records(dir.path().toStdString());
        FakeKernel kernel;
        auto pool = findThinPools(*kernel.devices(), "/nonexistent").at(0);
        {
            auto lease = MetadataSnapshotLease::acquire(kernel, pool, records);
            REQUIRE_OK(lease);
            QVERIFY((*lease)->reservedHere());
            QCOMPARE((*lease)->heldRoot(), std::uint64_t(201));
            auto rec = records.find("vg-pool-tpool");
            QVERIFY2(rec, "no record while the snapshot is held");
            QCOMPARE(rec->pid, int(::getpid()));
            QCOMPARE(rec->heldRoot, std::uint64_t(201));
        } // destruction releases
        QCOMPARE(kernel.held, std::string("-"));
        QCOMPARE(kernel.sent.size(), std::size_t(2));
        QCOMPARE(kernel.sent[1], std::string("vg-pool-tpool release_metadata_snap"));
        QVERIFY(!records.find("vg-pool-tpool"));
    }
    void leaseBorrowsASnapshotSomebodyElseHolds() {
        QTemporaryDir dir;
        SnapshotRecords records(dir.path().toStdString());
        FakeKernel kernel;
        kernel.held = "333";
        auto pool = findThinPools(*kernel.devices(), "/nonexistent").at(0);
        {
            auto lease = MetadataSnapshotLease::acquire(kernel, pool, records);
            REQUIRE_OK(lease);
            QVERIFY(!(*lease)->reservedHere());
            QCOMPARE((*lease)->heldRoot(), std::uint64_t(333));
        }
        QVERIFY(kernel.sent.empty());
        QCOMPARE(kernel.held, std::string("333"));
    }
    void releaseOfARecordedSnapshotRespectsALiveOwner() {
        QTemporaryDir dir;
        SnapshotRecords records(dir.path().toStdString());
        FakeKernel kernel;
        kernel.held = "201";
        REQUIRE_OK(records.add({"vg-pool-tpool", int(::getpid()), {253, 0}, 201, 0, false}));
        auto refused = releaseRecordedSnapshot(kernel, "vg-pool-tpool", records, false);
        QVERIFY(!refused);
        QVERIFY(refused.error().kind == ErrorKind::Busy);
        QCOMPARE(kernel.held, std::string("201"));
        REQUIRE_OK(records.add({"vg-pool-tpool", deadPid(), {253, 0}, 201, 0, false}));
        REQUIRE_OK(releaseRecordedSnapshot(kernel, "vg-pool-tpool", records, false));
        QCOMPARE(kernel.held, std::string("-"));
        QVERIFY(!records.find("vg-pool-tpool"));
        // held, but not by dmscope: only with force
        kernel.held = "201";
        QVERIFY(!releaseRecordedSnapshot(kernel, "vg-pool-tpool", records, false));
        REQUIRE_OK(releaseRecordedSnapshot(kernel, "vg-pool-tpool", records, true));
    }
    void helperDeviceListRoundTrips() {
        auto devices =
            lvmPool("5 217/2048 76/4096 201 rw discard_passdown queue_if_no_space - 512");
        devices[2].readOnly = true;
        devices[2].openCount = 2;
        auto back = helper::parseDevices(helper::serialiseDevices(devices));
        REQUIRE_OK(back);
        QCOMPARE(back->size(), devices.size());
        for (std::size_t i = 0; i < devices.size(); ++i) {
            QCOMPARE((*back)[i].name, devices[i].name);
            QCOMPARE((*back)[i].uuid, devices[i].uuid);
            QVERIFY((*back)[i].dev == devices[i].dev);
            QCOMPARE((*back)[i].readOnly, devices[i].readOnly);
            QCOMPARE((*back)[i].openCount, devices[i].openCount);
            QCOMPARE((*back)[i].targets.size(), std::size_t(1));
            QCOMPARE((*back)[i].targets[0].params, devices[i].targets[0].params);
            QCOMPARE((*back)[i].targets[0].status, devices[i].targets[0].status);
            QCOMPARE((*back)[i].targets[0].length, devices[i].targets[0].length);
        }
        QVERIFY(!helper::parseDevices("X\tgarbage\n"));
    }
};

QTEST_GUILESS_MAIN(TestDevmapper)
#include "tst_devmapper.moc"
