#pragma once
// The dmscope main window: opens a thin-pool metadata image, device or the demo pool read-only and
// shows its superblock, space-map totals and thin devices. Anything that goes wrong is shown in a
// banner inside the window (never a modal dialog), and the window stays usable.

#include "core/Error.h"

#include <QMainWindow>
#include <memory>

class QAction;
class QGroupBox;
class QLabel;
class QStackedWidget;

namespace dms {

class DeviceListModel;
class DeviceListView;
class MessageBanner;
class SpaceMapTotalsView;
class SuperblockModel;
class SuperblockView;
class ThinPoolDocument;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Each returns false after showing what went wrong; a document already open stays open.
    bool openPath(const QString& path);
    bool openDemo();
    bool setShowMetadataSnapshot(bool held);

    bool saveScreenshot(const QString& file);

    // State, for tests and later tools.
    const ThinPoolDocument* document() const { return doc_.get(); }
    QString bannerText() const; // error or warning shown, empty if none
    bool showsError() const;
    QString statusText() const; // the status bar's words, including "read-only"
    SuperblockModel* superblockModel() const { return superblockModel_; }
    DeviceListModel* deviceModel() const { return deviceModel_; }
    SpaceMapTotalsView* spaceMapView() const { return spaceMaps_; }
    QAction* metadataSnapshotAction() const { return snapshotAction_; }

private:
    void chooseFile();
    void chooseDevice();
    void about();
    void buildMenus();
    QWidget* buildWelcomePage();
    QWidget* buildDocumentPage();
    void setDocument(std::shared_ptr<ThinPoolDocument> doc);
    void refresh();
    void syncSnapshotAction();
    void showError(const QString& headline, const Error& e);

    std::shared_ptr<ThinPoolDocument> doc_;
    SuperblockModel* superblockModel_;
    DeviceListModel* deviceModel_;
    MessageBanner* banner_ = nullptr;
    QStackedWidget* pages_ = nullptr;
    QGroupBox* superblockBox_ = nullptr;
    QGroupBox* devicesBox_ = nullptr;
    SuperblockView* superblockView_ = nullptr;
    DeviceListView* deviceView_ = nullptr;
    SpaceMapTotalsView* spaceMaps_ = nullptr;
    QLabel* header_ = nullptr;
    QLabel* summary_ = nullptr;
    QLabel* readOnlyBadge_ = nullptr;
    QAction* snapshotAction_ = nullptr;
};

} // namespace dms
