#pragma once
// The overview of an opened pool: every superblock field (offsets and meanings), both space maps'
// usage, and the thin devices. Shows the superblock the document is looking at (live or held).

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

    SuperblockModel* superblockModel() const { return superblockModel_; }
    DeviceListModel* deviceModel() const { return deviceModel_; }
    DeviceListView* deviceView() const { return deviceView_; }
    SpaceMapTotalsView* spaceMapView() const { return spaceMaps_; }

private:
    SuperblockModel* superblockModel_;
    DeviceListModel* deviceModel_;
    QLabel* header_ = nullptr;
    QGroupBox* superblockBox_ = nullptr;
    QGroupBox* devicesBox_ = nullptr;
    SuperblockView* superblockView_ = nullptr;
    DeviceListView* deviceView_ = nullptr;
    SpaceMapTotalsView* spaceMaps_ = nullptr;
};

} // namespace dms
