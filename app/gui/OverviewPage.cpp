#include "app/gui/OverviewPage.h"

#include "models/ByteSize.h"
#include "models/CacheEraDocument.h"
#include "models/CacheEraSuperblockRows.h"
#include "models/DeviceListModel.h"
#include "models/SpaceMapTotals.h"
#include "models/SuperblockModel.h"
#include "models/ThinPoolDocument.h"
#include "views/devices/DeviceListView.h"
#include "views/spacemaps/SpaceMapTotalsView.h"
#include "views/superblock/SuperblockView.h"

#include <QGroupBox>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

namespace dms {

OverviewPage::OverviewPage(QWidget* parent)
    : QWidget(parent), superblockModel_(new SuperblockModel(this)),
      deviceModel_(new DeviceListModel(this)) {
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    superblockBox_ = new QGroupBox(tr("Superblock"), splitter);
    superblockView_ = new SuperblockView(superblockBox_);
    superblockView_->setSuperblockModel(superblockModel_);
    (new QVBoxLayout(superblockBox_))->addWidget(superblockView_);

    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* spaceBox = new QGroupBox(tr("Space maps"), right);
    spaceMaps_ = new SpaceMapTotalsView(spaceBox);
    (new QVBoxLayout(spaceBox))->addWidget(spaceMaps_);
    devicesBox_ = new QGroupBox(tr("Thin devices"), right);
    deviceView_ = new DeviceListView(devicesBox_);
    deviceView_->setDeviceModel(deviceModel_);
    (new QVBoxLayout(devicesBox_))->addWidget(deviceView_);
    rightLayout->addWidget(spaceBox);
    rightLayout->addWidget(devicesBox_, 1);

    splitter->addWidget(superblockBox_);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({680, 580});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    header_ = new QLabel(this);
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(header_);
    layout->addWidget(splitter, 1);
}

std::optional<Error> OverviewPage::showDocument(const ThinPoolDocument& d) {
    if (d.cacheEra()) {
        showCacheEra(d);
        return std::nullopt;
    }
    devicesBox_->show();
    const ThinSuperblock& sb = d.superblock();
    const bool held = d.showingMetadataSnapshot();
    superblockModel_->setSuperblock(sb, d.deviceBlocks());
    superblockBox_->setTitle(
        held ? tr("Metadata snapshot: the superblock copy at block %1").arg(sb.location)
             : tr("Superblock (block 0)"));

    std::optional<Error> error;
    auto devices = d.metadata().devices(sb);
    if (devices) {
        deviceModel_->setDevices(*devices, sb.dataBlockSize);
        devicesBox_->setTitle(tr("Thin devices (%1)").arg(devices->size()));
    } else {
        deviceModel_->clear();
        devicesBox_->setTitle(tr("Thin devices (unreadable)"));
        error = devices.error();
    }

    // The snapshot copy stores no space maps (zeroed roots); the live ones are the pool's. A big
    // data space map is estimated from its index until the scan has counted its bitmaps.
    const ThinSuperblock& live = d.metadata().superblock();
    dataTotals_ = SpaceMapTotals::quick(d.metadata(), live.dataSpaceMap, SpaceMapKind::Data);
    metadataTotals_ =
        SpaceMapTotals::count(d.metadata(), live.metadataSpaceMap, SpaceMapKind::Metadata);
    dataBlockBytes_ = std::uint64_t(live.dataBlockSize) * 512;
    snapshotNote_ = held ? tr("The snapshot copy stores no space maps; these are the live "
                              "superblock's.")
                         : QString();
    showTotals();

    QString text = tr("<b>%1</b> (%2) · %3 metadata, %4 blocks of 4 KiB%5")
                       .arg(d.displayName().toHtmlEscaped(),
                            d.isReadOnly() ? tr("read-only") : tr("edit mode"))
                       .arg(formatByteSize(d.metadata().reader().source().byteSize()))
                       .arg(d.deviceBlocks())
                       .arg(held ? tr(" · showing the held metadata snapshot") : QString());
    // A live pool whose kernel status disagrees with the superblock shown (dmsetup status is
    // beside it in the window's live-pool note).
    if (auto mismatch = d.transactionMismatch())
        text += QStringLiteral("<br>") +
                tr("<b>Transaction-id mismatch:</b> %1.")
                    .arg(QString::fromStdString(mismatch->describe()).toHtmlEscaped());
    header_->setText(text);
    return error;
}

// dm-cache / dm-era: their superblock's fields and the metadata space map (the same format as
// thin's); there are no thin devices and no data space map.
void OverviewPage::showCacheEra(const ThinPoolDocument& d) {
    const CacheEraDocument& ce = *d.cacheEra();
    superblockModel_->setRows(ce.isCache() ? cacheSuperblockRows(ce.cache())
                                           : eraSuperblockRows(ce.era()));
    superblockBox_->setTitle(tr("Superblock (block 0) of the %1").arg(ce.kindText()));
    deviceModel_->clear();
    devicesBox_->hide();
    dataTotals_ = SpaceMapTotals();
    metadataTotals_ = SpaceMapTotals::count(
        d.metadata(), d.metadata().superblock().metadataSpaceMap, SpaceMapKind::Metadata);
    dataBlockBytes_ = 0;
    snapshotNote_ = tr("%1 has a metadata space map only (the same format as a thin pool's).")
                        .arg(ce.isCache() ? tr("dm-cache metadata") : tr("dm-era metadata"));
    showTotals();
    header_->setText(tr("<b>%1</b> (read-only) · %2 · %3 metadata, %4 blocks of 4 KiB")
                         .arg(d.displayName().toHtmlEscaped(), ce.kindText())
                         .arg(formatByteSize(d.metadata().reader().source().byteSize()))
                         .arg(d.deviceBlocks()));
}

void OverviewPage::showTotals() {
    QString note = snapshotNote_;
    if (dataTotals_.fromIndex)
        note += (note.isEmpty() ? QString() : QStringLiteral(" ")) +
                tr("Data usage is estimated from the index entries until the scan has counted "
                   "the bitmaps.");
    spaceMaps_->setTotals(dataTotals_, dataBlockBytes_, metadataTotals_, note);
}

void OverviewPage::setCountedDataTotals(const SpaceMapTotals& data) {
    dataTotals_ = data;
    showTotals();
}

QString OverviewPage::headerText() const {
    return header_->text();
}

void OverviewPage::clear() {
    superblockModel_->clear();
    deviceModel_->clear();
    header_->clear();
}

} // namespace dms
