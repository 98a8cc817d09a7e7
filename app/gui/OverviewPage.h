#pragma once
// The overview of an opened pool: every superblock field (offsets and meanings), both space maps'
// usage, and the thin devices. Shows the superblock the document is looking at (live or held).
// For dm-cache and dm-era metadata: their superblock and the metadata space map.

#include "models/SpaceMapTotals.h"

#include <QWidget>
#include <memory>

class QGroupBox;
class QLabel;

namespace dms {

class DeviceListModel;
class DeviceListView;
class SpaceMapTotalsView;
class SuperblockModel;
class SuperblockView;
class ThinPoolDocument;
struct Error;

class OverviewPage : public QWidget {
    Q_OBJECT
public:
    explicit OverviewPage(QWidget* parent = nullptr);

    // Fills every part from doc; returns the device list's error when it cannot be read.
    std::optional<Error> showDocument(const ThinPoolDocument& doc);
    void clear();
    // The line above the panes: name, mode, size, and a live pool's transaction-id mismatch.
    QString headerText() const;
    // The data space map counted from its bitmaps (by the background scan).
    void setCountedDataTotals(const SpaceMapTotals& data);
    const SpaceMapTotals& dataTotals() const { return dataTotals_; }

    SuperblockModel* superblockModel() const { return superblockModel_; }
    DeviceListModel* deviceModel() const { return deviceModel_; }
    DeviceListView* deviceView() const { return deviceView_; }
    SpaceMapTotalsView* spaceMapView() const { return spaceMaps_; }

private:
    void showTotals();
    void showCacheEra(const ThinPoolDocument& doc);

    SuperblockModel* superblockModel_;
    DeviceListModel* deviceModel_;
    QLabel* header_ = nullptr;
    QGroupBox* superblockBox_ = nullptr;
    QGroupBox* devicesBox_ = nullptr;
    SuperblockView* superblockView_ = nullptr;
    DeviceListView* deviceView_ = nullptr;
    SpaceMapTotalsView* spaceMaps_ = nullptr;
    SpaceMapTotals dataTotals_;
    SpaceMapTotals metadataTotals_;
    std::uint64_t dataBlockBytes_ = 0;
    QString snapshotNote_;
};

} // namespace dms
