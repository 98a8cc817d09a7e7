// The GUI's models: they pass QAbstractItemModelTester, and every value they show agrees with the
// bytes of the image (superblock rows are checked against the raw block at their offset) and with
// the core's decoding (device rows).

#include "core/Endian.h"
#include "core/thin/ThinMetadata.h"
#include "models/ByteSize.h"
#include "models/DeviceListModel.h"
#include "models/ModelRoles.h"
#include "models/SuperblockModel.h"
#include "tests/support/Fixtures.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace dms;

namespace {

const QStringList kThinFixtures = {QStringLiteral("tools/thin_small.bin.zst"),
                                   QStringLiteral("tools/thin_large.bin.zst"),
                                   QStringLiteral("tools/thin_needs_check.bin.zst"),
                                   QStringLiteral("kernel/pool-a/metadata-msnap.img.zst"),
                                   QStringLiteral("kernel/pool-a/metadata.img.zst"),
                                   QStringLiteral("lvm/pool/metadata.img.zst")};

} // namespace

class TestGuiModels : public QObject {
    Q_OBJECT
private slots:
    void superblockModelPassesTheModelTester() {
        SuperblockModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (const QString& f : kThinFixtures) {
            auto md = ThinMetadata::open(test::fixtureSource(f));
            QVERIFY2(md.ok(), qPrintable(f));
            model.setSuperblock((*md)->superblock(), (*md)->reader().blockCount());
            QVERIFY(model.rowCount() > 0);
            QCOMPARE(model.columnCount(), int(SuperblockModel::ColumnCount));
            if ((*md)->hasMetadataSnapshot()) {
                auto held = (*md)->metadataSnapshot();
                QVERIFY(held.ok());
                model.setSuperblock(*held, (*md)->reader().blockCount());
            }
            model.clear();
            QCOMPARE(model.rowCount(), 0);
        }
    }

    void deviceListModelPassesTheModelTesterSortedByEveryColumn() {
        DeviceListModel model;
        QSortFilterProxyModel proxy;
        proxy.setSortRole(RawValueRole);
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (const QString& f : kThinFixtures) {
            auto md = ThinMetadata::open(test::fixtureSource(f));
            QVERIFY(md.ok());
            auto devices = (*md)->devices((*md)->superblock());
            QVERIFY2(devices.ok(), qPrintable(f));
            model.setDevices(*devices, (*md)->superblock().dataBlockSize);
            for (int c = 0; c < DeviceListModel::ColumnCount; ++c) {
                proxy.sort(c, Qt::DescendingOrder);
                for (int r = 1; r < proxy.rowCount(); ++r)
                    QVERIFY(proxy.index(r - 1, c).data(RawValueRole).value<quint64>() >=
                            proxy.index(r, c).data(RawValueRole).value<quint64>());
            }
        }
        model.clear();
        QCOMPARE(proxy.rowCount(), 0);
    }

    // Each field row's raw value is what the block holds at the row's offset: the offsets and
    // sizes in the model are FORMAT.md's, independently of the decoder.
    void superblockRowsHoldTheBytesAtTheirOffsets() {
        for (const QString& f : kThinFixtures) {
            const auto bytes = test::fixtureBytes(f);
            auto md = ThinMetadata::open(test::fixtureSource(f));
            QVERIFY(md.ok());
            SuperblockModel model;
            model.setSuperblock((*md)->superblock(), (*md)->reader().blockCount());
            int checked = 0;
            unsigned lastOffset = 0;
            for (int r = 0; r < model.rowCount(); ++r) {
                const QVariant raw =
                    model.index(r, SuperblockModel::ValueColumn).data(RawValueRole);
                const unsigned offset =
                    model.index(r, SuperblockModel::OffsetColumn).data(RawValueRole).toUInt();
                const QString field = model.index(r, 0).data(FieldNameRole).toString();
                QVERIFY2(offset >= lastOffset, qPrintable(field + " is out of offset order"));
                QVERIFY2(offset < 364, qPrintable(field));
                lastOffset = offset;
                if (raw.typeId() != QMetaType::ULongLong) continue; // blob rows, uuid
                const unsigned size = model.index(r, 0).data(FieldSizeRole).toUInt();
                QVERIFY2(size == 4 || size == 8, qPrintable(field));
                const std::uint64_t onDisk =
                    size == 4 ? loadLe32(bytes.data() + offset) : loadLe64(bytes.data() + offset);
                QVERIFY2(raw.value<quint64>() == onDisk,
                         qPrintable(QStringLiteral("%1: block 0 offset %2 holds %3, model says %4")
                                        .arg(field)
                                        .arg(offset)
                                        .arg(onDisk)
                                        .arg(raw.value<quint64>())));
                ++checked;
            }
            QVERIFY2(checked >= 20, qPrintable(QStringLiteral("%1 rows checked").arg(checked)));
        }
    }

    void deviceRowsAreTheCoreDevices() {
        auto md = ThinMetadata::open(test::fixtureSource(kThinFixtures[3]));
        QVERIFY(md.ok());
        const auto& sb = (*md)->superblock();
        auto devices = (*md)->devices(sb);
        QVERIFY(devices.ok());
        DeviceListModel model;
        model.setDevices(*devices, sb.dataBlockSize);
        QCOMPARE(model.rowCount(), int(devices->size()));
        for (int r = 0; r < model.rowCount(); ++r) {
            const ThinDevice& d = (*devices)[std::size_t(r)];
            auto at = [&](int c) { return model.index(r, c).data(RawValueRole).value<quint64>(); };
            QCOMPARE(at(DeviceListModel::IdColumn), quint64(d.id));
            QCOMPARE(at(DeviceListModel::MappedBlocksColumn), quint64(d.details.mappedBlocks));
            QCOMPARE(at(DeviceListModel::MappedSizeColumn),
                     quint64(d.details.mappedBlocks) * sb.dataBlockSize * 512);
            QCOMPARE(at(DeviceListModel::TransactionColumn), quint64(d.details.transactionId));
            QCOMPARE(at(DeviceListModel::CreationTimeColumn), quint64(d.details.creationTime));
            QCOMPARE(at(DeviceListModel::SnapshottedTimeColumn),
                     quint64(d.details.snapshottedTime));
        }
    }

    void heldCopyShowsItsZeroedSpaceMapsAsSuch() {
        auto md = ThinMetadata::open(test::fixtureSource(kThinFixtures[3]));
        QVERIFY(md.ok());
        auto held = (*md)->metadataSnapshot();
        QVERIFY(held.ok());
        SuperblockModel model;
        model.setSuperblock(*held, (*md)->reader().blockCount());
        QCOMPARE(model.location(), (*md)->superblock().heldRoot);
        const int row = model.rowOf(QStringLiteral("data_space_map_root"));
        QVERIFY(row >= 0);
        QCOMPARE(model.index(row, SuperblockModel::ValueColumn).data().toString(),
                 QStringLiteral("zero in the snapshot copy"));
    }

    void byteSizesReadAsPeopleWriteThem() {
        QCOMPARE(formatByteSize(100), QStringLiteral("100 bytes"));
        QCOMPARE(formatByteSize(65536), QStringLiteral("64 KiB"));
        QCOMPARE(formatByteSize(8ull << 20), QStringLiteral("8 MiB"));
        QCOMPARE(formatByteSize(1610612736ull), QStringLiteral("1.5 GiB"));
    }
};

QTEST_MAIN(TestGuiModels)
#include "tst_guimodels.moc"
